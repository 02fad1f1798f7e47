"""Who a token's subject is, as people tell people apart: `Ｍaker1` (fullwidth), `maker1\u200b` (a zero-width
space) and `Maker1` look like one person, so they must be one person to maker ≠ checker, distinct checkers
and daily limits (issue 12, point 3).

A subject is accepted only if NFKC and the removal of default-ignorable code points leave it unchanged (a
look-alike or an invisible character in a subject is forged or broken, never a different person), and it
contains no control character. Case is not a reason to refuse (`grants token --sub Alice`); it is folded
away in the key every comparison and every record of the approval trail uses.
"""

import unicodedata

import regex

# The Unicode property (DerivedCoreProperties.txt), which the standard library does not expose.
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}+")
MAX_LENGTH = 200


def subject_key(subject: str) -> str:
    """The normalised subject: NFKC, case folded, default-ignorable code points removed."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", subject).casefold())
    return _IGNORABLE.sub("", folded)


def checked_subject(subject: object) -> str:
    """The subject's key, or ValueError when the subject is not one a person could tell from another."""
    if not isinstance(subject, str) or not subject.strip():
        raise ValueError("the token has no subject")
    if len(subject) > MAX_LENGTH:
        raise ValueError(f"the token's subject is longer than {MAX_LENGTH} characters")
    if _IGNORABLE.sub("", unicodedata.normalize("NFKC", subject)) != subject:
        raise ValueError("the token's subject holds compatibility or invisible characters (it is not NFKC)")
    if subject != subject.strip() or any(unicodedata.category(c) == "Cc" for c in subject):
        raise ValueError("the token's subject holds control characters or surrounding spaces")
    return subject_key(subject)
