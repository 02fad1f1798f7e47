"""Every word the console shows is in its gettext catalog: each message the code and the templates use has a
简体中文 translation with the same placeholders, and the catalog holds no message nothing uses any more."""

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from services.console.api.i18n import negotiate, translations

CONSOLE = Path(__file__).resolve().parents[2] / "services" / "console"
PO = CONSOLE / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
METHODS = [("**.py", "python"), ("api/templates/**.html", "jinja2")]  # as services/console/babel.cfg says


def _used() -> set:
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    return {message for _file, _line, message, _comments, _context in
            extract_from_dir(str(CONSOLE), METHODS, keywords=keywords)}


def _catalog():  # type: ignore[no-untyped-def]
    with PO.open("rb") as source:
        return read_po(source, locale="zh_CN")


def test_every_message_used_has_a_chinese_translation_and_none_is_left_over():
    used = _used()
    assert len(used) > 300
    catalog = _catalog()
    held = {m.id for m in catalog if m.id}
    untranslated = sorted(str(m.id) for m in catalog if m.id and not (m.string if isinstance(m.string, str)
                                                                       else all(m.string)))
    assert sorted(map(str, used - held)) == [], "messages without a translation: add them to the .po"
    assert untranslated == []
    assert sorted(map(str, held - used)) == [], "messages nothing uses any more: remove them from the .po"


def test_translations_keep_every_placeholder():
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _catalog().check()]
    assert problems == []


def test_the_catalog_is_compiled_at_start_up_and_english_is_the_source():
    assert translations("zh_CN").gettext("Eligible") == "符合条件"
    assert translations("zh_CN").gettext("a message nobody wrote") == "a message nobody wrote"
    assert translations("en").gettext("Eligible") == "Eligible"


def test_the_language_follows_accept_language_and_defaults_to_chinese():
    assert negotiate(None) == "zh_CN"
    assert negotiate("en-GB,en;q=0.9") == "en"
    assert negotiate("fr-FR,en;q=0.5,zh;q=0.8") == "zh_CN"
    assert negotiate("zh-Hans-CN") == "zh_CN"
    assert negotiate("de, fr;q=0.5") == "zh_CN"
