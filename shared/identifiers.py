"""Chinese identifiers (GB 11643 resident id, GB 32100 USCC) and the keyed pseudonym used in events and logs."""

import hmac
import re
from datetime import date

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_ID_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")

_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC_SHAPE = re.compile(rf"^[{_USCC_CHARSET}]{{18}}$")


_SEPARATORS = re.compile(r"[\s\-]")


def normalise_id(value: str) -> str:
    """Canonical form of an identifier or account: no spaces or hyphens, upper case."""
    return _SEPARATORS.sub("", value).upper()


def resident_id_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str) -> str:
    """Return the normalised 18-character resident id, or raise ValueError saying what is wrong."""
    ident = normalise_id(value)
    if not _ID_SHAPE.match(ident):
        raise ValueError("resident id must be 17 digits followed by a digit or X")
    birth_date_from_resident_id(ident)
    if resident_id_check_char(ident[:17]) != ident[17]:
        raise ValueError("resident id checksum (GB 11643) does not match")
    return ident


def birth_date_from_resident_id(ident: str) -> date:
    """The birth date encoded at positions 7-14; raises ValueError for an impossible date."""
    try:
        born = date(int(ident[6:10]), int(ident[10:12]), int(ident[12:14]))
    except ValueError as exc:
        raise ValueError("resident id carries an impossible birth date") from exc
    if born.year < 1900:
        raise ValueError("resident id carries an impossible birth date")
    return born


def age_on(born: date, on: date) -> int:
    """Completed years of age on a date (a birthday counts on the day itself)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARSET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return the normalised unified social credit code, or raise ValueError saying what is wrong."""
    code = normalise_id(value)
    if not _USCC_SHAPE.match(code):
        raise ValueError("USCC must be 18 characters from the GB 32100 character set")
    if uscc_check_char(code[:17]) != code[17]:
        raise ValueError("USCC checksum (GB 32100) does not match")
    return code


def pseudonymise(value: str, key: str) -> str:
    """HMAC-SHA256 (hex) of the normalised identifier under the PII key: the only form allowed in events and logs."""
    return hmac.digest(key.encode(), normalise_id(value).encode(), "sha256").hex()  # one C call, same digest


def make_resident_id(region: str, born: date, sequence: int) -> str:
    """Build a valid resident id (for demo data and tests)."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def make_uscc(body17: str) -> str:
    """Complete a 17-character USCC body with its check character (for demo data and tests)."""
    return body17 + uscc_check_char(body17)
