"""The language of a page: the reader's switch (kept in the session), else Accept-Language, else 简体中文.
Messages come from the gettext catalog services/console/locale/<locale>/LC_MESSAGES/messages.po, compiled
in memory by Babel when the console starts (the .po is the one source: no .mo to build or to go stale).
English is the catalog's source language, so it needs no catalog of its own."""

import functools
import gettext
import io
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from services.console.domain.formatting import DEFAULT_LOCALE, LOCALES

LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
LANGUAGE_NAMES = {"zh_CN": "简体中文", "en": "English"}


@functools.cache
def translations(locale: str) -> gettext.NullTranslations:
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def negotiate(accept_language: str | None) -> str:
    """The first of the reader's languages we have (zh, zh-CN, zh-Hans → zh_CN; en-GB → en)."""
    for tag, _ in _ranked(accept_language or ""):
        try:
            locale = Locale.parse(tag, sep="-")
        except (ValueError, UnknownLocaleError):
            continue
        if locale.language == "zh":
            return "zh_CN"
        if locale.language == "en":
            return "en"
    return DEFAULT_LOCALE


def _ranked(header: str) -> list[tuple[str, float]]:
    out = []
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and tag != "*" and quality > 0:
            out.append((tag, quality))
    return sorted(out, key=lambda pair: -pair[1])


def chosen(session_lang: str | None, accept_language: str | None) -> str:
    return session_lang if session_lang in LOCALES else negotiate(accept_language)
