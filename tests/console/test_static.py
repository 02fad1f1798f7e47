"""The script library is served by the console from its package (htmx, vendored with its licence and version),
and no page loads anything from elsewhere (no CDN)."""

import hashlib
import re
from pathlib import Path

from tests.console.support import console

STATIC = Path(__file__).resolve().parents[2] / "services" / "console" / "api" / "static"
TEMPLATES = STATIC.parent / "templates"
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"  # npm htmx.org@2.0.11 dist/htmx.min.js


def test_htmx_is_the_vendored_release_with_its_licence_and_is_served_by_the_console():
    vendored = STATIC / "vendor" / "htmx-2.0.11.min.js"
    assert hashlib.sha256(vendored.read_bytes()).hexdigest() == HTMX_SHA256
    assert "Zero-Clause BSD" in (STATIC / "vendor" / "htmx-LICENSE.txt").read_text()
    assert HTMX_SHA256 in (STATIC / "vendor" / "README.md").read_text()
    served = console().get("/static/vendor/htmx-2.0.11.min.js")
    assert served.status_code == 200 and served.content == vendored.read_bytes()
    page = console().get("/signin").text
    assert '<script src="/static/vendor/htmx-2.0.11.min.js" defer></script>' in page


def test_no_template_loads_a_script_style_or_image_from_another_host():
    external = re.compile(r"""(src|href)\s*=\s*["'](https?:)?//""")
    offenders = [p.name for p in TEMPLATES.rglob("*.html") if external.search(p.read_text())]
    assert offenders == []
