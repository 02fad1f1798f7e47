"""What a bank return file says about each payment, whichever form it came in, and the field checks both forms share."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Literal, TypeVar

from shared.money import parse_fen

Outcome = Literal["settled", "failed"]

MAX_END_TO_END_ID = 35  # Max35Text: the EndToEndId we sent in the pain.001 is a payment id of at most 35 characters
MAX_REASON_CODE = 35  # ISO codes are 4 characters (AC04); banks' proprietary codes (Rsn/Prtry) are Max35Text
MAX_REASON = 500
# Plain yuan with at most two decimals: no sign, no exponent, no thousands separators.
_AMOUNT = re.compile(r"^\d{1,15}(\.\d{1,2})?$", re.ASCII)  # shared.money.MONEY_TEXT, unsigned
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
T = TypeVar("T")


class FieldError(ValueError):
    """One field of one return line is unusable; the message names the field, never echoes its value."""


@dataclass(frozen=True, slots=True)
class ReturnLine:
    """One payment outcome the bank reports. line_no: CSV physical line, or position of the pain.002 transaction."""

    line_no: int
    end_to_end_id: str
    outcome: Outcome
    amount_fen: int | None  # None: a pain.002 without the optional original amount (matched by reference)
    currency: str | None
    reason_code: str | None
    reason: str | None
    value_date: date | None = None


@dataclass(frozen=True, slots=True)
class ReturnLineError:
    """A line (or, with line_no 0, the whole file) that could not be read; never raised, always reported."""

    line_no: int
    message: str
    end_to_end_id: str | None = None

    @property
    def is_file_level(self) -> bool:
        return self.line_no == 0


@dataclass(frozen=True, slots=True)
class ParsedReturns:
    """Everything read from one return file: the usable lines and the errors, each with its line number."""

    source_format: Literal["csv", "pain.002"]
    lines: tuple[ReturnLine, ...]
    errors: tuple[ReturnLineError, ...]
    original_message_id: str | None = None  # pain.002 OrgnlMsgId: the batch id of the pain.001 it answers

    def entries(self) -> list[ReturnLine | ReturnLineError]:
        """Lines and errors together in file order: what match_returns takes."""
        return sorted([*self.lines, *self.errors], key=lambda entry: entry.line_no)


def collect(problems: list[str], parse: Callable[..., T], *args: object) -> T | None:
    """parse(*args), or None with the reason added to problems: every bad field of a line is reported at once."""
    try:
        return parse(*args)
    except FieldError as exc:
        problems.append(str(exc))
        return None


def parse_end_to_end_id(raw: str | None) -> str:
    text = (raw or "").strip()
    if not text:
        raise FieldError("end_to_end_id is missing")
    if len(text) > MAX_END_TO_END_ID:
        raise FieldError(f"end_to_end_id is longer than {MAX_END_TO_END_ID} characters: none of our payment ids is")
    return text


def parse_amount(raw: str | None) -> int:
    """Yuan with at most two decimals ("1500.00", "0.01") to fen; zero and negatives are refused."""
    text = (raw or "").strip()
    if not text:
        raise FieldError("amount is missing")
    if not _AMOUNT.match(text):
        raise FieldError("amount must be a positive number of yuan with at most two decimals, like 1500.00")
    fen = parse_fen(text)
    if fen <= 0:
        raise FieldError("amount must be positive")
    return fen


def parse_currency(raw: str | None) -> str:
    text = (raw or "").strip()
    if not _CURRENCY.match(text):
        raise FieldError("currency must be a three-letter ISO 4217 code, like CNY")
    return text


def parse_reason_code(raw: str | None, outcome: Outcome) -> str | None:
    text = (raw or "").strip() or None
    if outcome == "failed" and text is None:
        # A failure the officer cannot explain to the claimant is not actionable: the bank must say why.
        raise FieldError("reason_code is required for a failed payment")
    if text is not None and len(text) > MAX_REASON_CODE:
        raise FieldError(f"reason_code is longer than {MAX_REASON_CODE} characters")
    return text


def parse_reason(raw: str | None) -> str | None:
    text = " ".join((raw or "").split()) or None
    if text is not None and len(text) > MAX_REASON:
        raise FieldError(f"reason is longer than {MAX_REASON} characters")
    return text


def parse_value_date(raw: str | None) -> date | None:
    text = (raw or "").strip()
    if not text:
        return None
    try:
        # fromisoformat alone would also take 20240501 or 2024-W18-3, which no bank means.
        if not _ISO_DATE.match(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError("value_date must be a date as YYYY-MM-DD") from None
