"""Text a bank file can carry (issue 12 point 1), checked where text enters: every string of a claim, and
harder rules for the payee fields that go into the pain.001 file.

Every text field: normalised to NFC (one spelling of 张 or é, so a name compares and renders one way);
refused if it holds a control character (Cc: NUL, U+0001, tab, newline), a format character (Cf: the
bidirectional overrides U+202A-U+202E and isolates U+2066-U+2069, U+200E/F, zero-width spaces, the BOM),
a line or paragraph separator, a surrogate, a private-use or an unassigned code point.

Payee fields (account_name, bank) also: at most 140 characters (pain.001.001.09 Max140Text, the type of
Cdtr/Nm and CdtrAgt/FinInstnId/Nm), no leading or trailing space, and only characters GBK (CP936) can
encode. Why GBK: CNAPS carries names in GB18030, but the banks' core systems behind it, and the
statements payees receive, are GBK, so a character outside it (CJK Extension B and later, the rare
生僻字; emoji) would be dropped or replaced on the way and the name would no longer match the account.
GBK holds printable ASCII, the 21,886 common hanzi, full-width forms and the punctuation Chinese
names use (·, （）, —). The account number goes into Othr/Id, Max34Text: at most 34 digits once the
spaces and dashes a claimant may type are removed.
"""

import unicodedata
from typing import Any

MAX_BANK_TEXT = 140  # pain.001.001.09 Max140Text
MAX_ACCOUNT_DIGITS = 34  # pain.001.001.09 Max34Text (Othr/Id)
_REFUSED_CATEGORIES = {"Cc": "a control character", "Cf": "an invisible formatting or bidirectional control character",
                       "Zl": "a line separator", "Zp": "a paragraph separator", "Cs": "a surrogate",
                       "Co": "a private-use character", "Cn": "an unassigned character"}


def text_problem(value: str) -> str | None:
    """Why `value` (already NFC) cannot be a text field, naming the first offending code point; None if fine."""
    for position, char in enumerate(value):
        what = _REFUSED_CATEGORIES.get(unicodedata.category(char))
        if what is not None:
            return f"must not contain {what} (U+{ord(char):04X} at position {position + 1})"
    return None


def bank_text_problem(value: str) -> str | None:
    """Why `value` (already NFC) cannot go into a pain.001 name field; None if it can."""
    problem = text_problem(value)
    if problem is not None:
        return problem
    if not value.strip():
        return "must not be empty"
    if value != value.strip():
        return "must not start or end with a space"
    if len(value) > MAX_BANK_TEXT:
        return f"must be at most {MAX_BANK_TEXT} characters (the bank file's limit)"
    for position, char in enumerate(value):
        try:
            char.encode("gbk")
        except UnicodeEncodeError:
            return (f"holds a character the banks' GBK character set cannot carry (U+{ord(char):04X} at position "
                    f"{position + 1}); write the name as the bank account shows it")
    return None


def account_number_problem(value: str) -> str | None:
    """Why an account number (digits, with spaces or dashes) cannot go into Othr/Id; None if it can."""
    digits = value.replace(" ", "").replace("-", "")
    if len(digits) > MAX_ACCOUNT_DIGITS:
        return f"must have at most {MAX_ACCOUNT_DIGITS} digits (the bank file's limit)"
    return None


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def nfc_json(value: Any) -> Any:
    """A decoded JSON document with every string (keys too) in NFC: what is stored and fingerprinted."""
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, list):
        return [nfc_json(item) for item in value]
    if isinstance(value, dict):
        return {nfc(key) if isinstance(key, str) else key: nfc_json(item) for key, item in value.items()}
    return value


def json_text_errors(value: Any, path: tuple[str, ...] = ()) -> list[dict[str, str]]:
    """{field, message} for every string of a decoded JSON document that text_problem refuses."""
    if isinstance(value, str):
        problem = text_problem(nfc(value))
        return [] if problem is None else [{"field": ".".join(path) or "body", "message": problem}]
    if isinstance(value, list):
        return [e for index, item in enumerate(value) for e in json_text_errors(item, (*path, str(index)))]
    if isinstance(value, dict):
        return [e for key, item in value.items() for e in json_text_errors(item, (*path, str(key)))]
    return []
