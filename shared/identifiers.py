"""Chinese identifiers (GB 11643 resident id, GB 32100 USCC) and the keyed pseudonym used in events and logs."""

import functools
import hmac
import re
from datetime import date, datetime, timedelta, timezone

from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

_ID_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")
CHINA = timezone(timedelta(hours=8))

_USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC_SHAPE = re.compile(rf"^[{_USCC_CHARSET}]{{18}}$")


_SEPARATORS = re.compile(r"[\s\-]")


def normalise_id(value: str) -> str:
    """Canonical form of an identifier or account: no spaces or hyphens, upper case."""
    return _SEPARATORS.sub("", value).upper()


def resident_id_check_char(first17: str) -> str:
    return ric.calc_check_digit(first17 + "0")  # python-stdnum's GB 11643 check digit (it ignores the last char)


def validate_resident_id(value: str, *, today: date | None = None) -> str:
    """Return the normalised 18-character resident id, or raise ValueError saying what is wrong.

    Checked: the shape, the GB 11643 check digit and birth date (python-stdnum), a birth date no later than
    today in China, and the address code (GB 11643 §6.2) against the GB/T 2260 division codes.
    """
    ident = normalise_id(value)
    if not _ID_SHAPE.match(ident):
        raise ValueError("resident id must be 17 digits followed by a digit or X")
    born = birth_date_from_resident_id(ident)
    if resident_id_check_char(ident[:17]) != ident[17]:
        raise ValueError("resident id checksum (GB 11643) does not match")
    if born > (today or datetime.now(CHINA).date()):
        raise ValueError(f"resident id carries a birth date in the future ({born.isoformat()})")
    problem = _division_problem(ident[:6], born.year)
    if problem:
        raise ValueError(problem)
    return ident


@functools.lru_cache(maxsize=8192)
def _division_problem(code: str, born_year: int) -> str | None:
    """Why a 6-digit address code cannot be in a resident id of someone born that year, or None.

    The list is python-stdnum's GB/T 2260 division codes with the years each was in use (stdnum/cn/loc.dat).
    A number keeps the code of the county where it was first assigned (居民身份证法 §3: 终身不变), which can be
    later than the birth year, so a code first used after the birth year is accepted; one abolished before the
    person was born cannot have been assigned to them.
    """
    counties = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}.get("county")
    if counties is None:
        return f"resident id address code {code} is not a GB/T 2260 administrative division"
    for county in counties.split(","):
        if not county.startswith("["):
            return None
        ended = county[1:].split("]")[0].split("-")[1]
        if not ended or int(ended) >= born_year:
            return None
    return f"resident id address code {code} names a division abolished before the birth year {born_year}"


def birth_date_from_resident_id(ident: str) -> date:
    """The birth date encoded at positions 7-14 (python-stdnum); raises ValueError for an impossible date."""
    try:
        born = ric.get_birth_date(ident)
    except (StdnumError, ValueError) as exc:
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
