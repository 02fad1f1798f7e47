"""Safe parsing of ISO 20022 XML and validation against the schemas shipped in `schemas/`."""

from functools import cache
from importlib import resources

from lxml import etree

# Bank files come from outside: never resolve entities, fetch DTDs or touch the network,
# and keep libxml2's default limits on document size and depth (huge_tree=False).
_SAFE_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def safe_parser() -> etree.XMLParser:
    """An lxml parser fit for untrusted input (a new one each time: parsers are not thread-safe)."""
    return etree.XMLParser(**_SAFE_PARSER_OPTIONS)


@cache
def _schema(name: str) -> etree.XMLSchema:
    source = resources.files("services.disbursement.domain.schemas").joinpath(f"{name}.xsd")
    with source.open("rb") as handle:
        return etree.XMLSchema(etree.parse(handle, safe_parser()))


def validate_against(name: str, xml_bytes: bytes) -> list[str]:
    """Errors found validating xml_bytes against schemas/<name>.xsd, as "line N: message"; [] when valid."""
    try:
        document = etree.fromstring(xml_bytes, safe_parser())
    except etree.XMLSyntaxError as exc:
        return [f"line {exc.lineno}: not well-formed XML: {exc.msg}"]
    schema = _schema(name)
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
