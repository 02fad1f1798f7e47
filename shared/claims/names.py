"""Names compared as a clerk would: compatibility forms (fullwidth letters), case and every space do not
make another name (张 三 is 张三). Both services compare a payee's name with the claimant's this way."""

import unicodedata


def normal_name(name: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", name or "").casefold().split())


def same_name(a: str | None, b: str | None) -> bool:
    return normal_name(a) == normal_name(b)
