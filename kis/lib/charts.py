"""Small bar charts as inline SVG, with text kept as text (searchable in the PDF, read
by screen readers through the title). No plotting library: a few rectangles suffice."""

from decimal import Decimal

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from kis.lib.formats import format_number

COLOURS = ("#1f4e79", "#b0413e", "#2e7d32", "#7a5c00", "#6a1b9a", "#00695c", "#4e342e")


def bar_chart(
    rows: list[tuple[str, Decimal | int]],
    *,
    title: str,
    unit: str = "",
    decimals: int | None = None,
    width: int = 560,
    label_width: int = 220,
) -> SafeString:
    """Horizontal bars, one per (label, value), each with its value written next to it."""
    bar_height, gap, top = 18, 8, 6
    height = top + len(rows) * (bar_height + gap) + 4
    largest = max((Decimal(value) for _label, value in rows), default=Decimal(0)) or Decimal(1)
    room = width - label_width - 110
    parts = [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{}" height="{}" '
            'viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>',
            width,
            height,
            width,
            height,
            title,
            title,
        )
    ]
    for index, (label, value) in enumerate(rows):
        y = top + index * (bar_height + gap)
        length = int(room * Decimal(value) / largest) if value else 0
        text = format_number(value, decimals)
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" font-family="DejaVu Sans, sans-serif">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="11" font-family="DejaVu Sans, sans-serif">{}{}</text>',
                label_width - 6,
                y + 13,
                _shorten(label),
                label_width,
                y,
                max(length, 1),
                bar_height,
                COLOURS[index % len(COLOURS)],
                label_width + length + 6,
                y + 13,
                text,
                f"\xa0{unit}" if unit else "",
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(str(p) for p in parts))


def _shorten(label: str, limit: int = 34) -> str:
    label = str(label)
    return label if len(label) <= limit else label[: limit - 1] + "…"
