"""The policy catalog: the seeds' rules as validated data, read by the rules engine, the API and the audit."""

from shared.catalog.catalog import Catalog, DatedValue, PaymentStandard
from shared.catalog.loader import DEFAULT_CATALOG_DIR, CatalogError, Fault, load_catalog
from shared.catalog.reasons import FUND_CODES, REASON_CODES

__all__ = ["Catalog", "CatalogError", "DEFAULT_CATALOG_DIR", "DatedValue", "PaymentStandard", "FUND_CODES", "Fault", "REASON_CODES", "load_catalog"]
