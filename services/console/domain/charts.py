"""Bar charts as accessible SVG, drawn on the server: they work without script, offline and in print. Each
chart names itself (<title>, <desc>) for screen readers, each bar carries its own title, and the page puts the
same figures in a data table beside it. Geometry is computed in Decimal from the amounts, never via a float."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH, LABEL_WIDTH, BAR_AREA, BAR_HEIGHT, GAP, LEGEND_HEIGHT = 720, 200, 400, 16, 14, 28


@dataclass(frozen=True)
class Series:
    name: str  # already translated
    css_class: str  # the colour, from the stylesheet (series-1 ... series-4): patterns stay in one place
    values: Sequence[Decimal]


def bar_chart(chart_id: str, title: str, description: str, categories: Sequence[str], series: Sequence[Series],
              fmt: Callable[[Decimal], str]) -> str:
    """Horizontal grouped bars: one group per category, one bar per series, the value written after each bar."""
    maximum = max((v for s in series for v in s.values), default=Decimal(0))
    scale = Decimal(BAR_AREA) / maximum if maximum > 0 else Decimal(0)
    group_height = len(series) * BAR_HEIGHT + GAP
    height = LEGEND_HEIGHT + max(len(categories), 1) * group_height + GAP
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart_id)}" role="img" '
             f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="{escape(chart_id)}-title '
             f'{escape(chart_id)}-desc">',
             f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
             f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>']
    parts += _legend(series)
    for row, category in enumerate(categories):
        top = LEGEND_HEIGHT + row * group_height
        parts.append(f'<text class="category" x="{LABEL_WIDTH - 8}" y="{top + len(series) * BAR_HEIGHT / 2 + 4}" '
                     f'text-anchor="end">{escape(_short(category))}</text>')
        for n, s in enumerate(series):
            value = s.values[row]
            width = (value * scale).quantize(Decimal("0.1")) if value > 0 else Decimal(0)
            y = top + n * BAR_HEIGHT
            parts.append(f'<rect class="{escape(s.css_class)}" x="{LABEL_WIDTH}" y="{y}" width="{width}" '
                         f'height="{BAR_HEIGHT - 2}"><title>{escape(category)}, {escape(s.name)}: '
                         f'{escape(fmt(value))}</title></rect>')
            parts.append(f'<text class="value" x="{LABEL_WIDTH + width + 4}" y="{y + BAR_HEIGHT - 4}">'
                         f'{escape(fmt(value))}</text>')
    if not categories:
        parts.append(f'<text class="category" x="{LABEL_WIDTH}" y="{LEGEND_HEIGHT + 16}">—</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _legend(series: Sequence[Series]) -> list[str]:
    out, x = [], LABEL_WIDTH
    for s in series:
        out.append(f'<rect class="{escape(s.css_class)}" x="{x}" y="6" width="12" height="12"></rect>')
        out.append(f'<text class="legend" x="{x + 16}" y="16">{escape(s.name)}</text>')
        x += 24 + 14 * len(s.name)
    return out


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
