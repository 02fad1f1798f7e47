"""The one entity §18 is about: the person holding the certificate."""

from openfisca_core.entities import build_entity

Person = build_entity(key="person", plural="persons", label="A certificate holder", is_person=True)

ENTITIES = [Person]
