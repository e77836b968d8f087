"""Bar charts as inline SVG, with text kept as text (searchable in the PDF, read by
screen readers through the title). No plotting library: a few rectangles suffice.

Each chart answers one question, said in its caption. It stays readable at print size
(11 px text on a 560 px chart printed 18 cm wide is about 10 pt), a label is never cut
(a long one wraps onto more lines), and every chart uses the one colour scheme below:
one colour when the bars are of one kind (amounts by category), a colour per bar with
a legend when the bars are different things (jobs, drop-outs, returns)."""

import textwrap
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from kis.lib.formats import format_number

# Dark enough for 3:1 against white (WCAG 2.1, non-text contrast) and told apart with
# the common colour-vision deficiencies (after Okabe and Ito, darkened).
COLOURS = ("#1f4e79", "#b34700", "#00704f", "#7b3f8c", "#8a6200", "#4d4d4d")
FONT = 11
# DejaVu Sans at 11 px: an average letter is under 0.62 em wide; this overestimates a
# little, so that no text is clipped.
CHAR_WIDTH = FONT * 0.62
LINE_HEIGHT = 14
BAR_HEIGHT = 18
GAP = 10


def _lines(label: str, width_in_chars: int) -> list[str]:
    """The label in lines of at most `width_in_chars`, words kept whole (a single word
    longer than a line is broken, never cut off)."""
    return textwrap.wrap(str(label), width_in_chars, break_long_words=True) or [""]


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def bar_chart(
    rows: list[tuple[str, Decimal | int]],
    *,
    title: str,
    unit: str = "",
    decimals: int | None = None,
    legend: bool = False,
    width: int = 560,
) -> SafeString:
    """Horizontal bars, one per (label, value), each with its value written after it,
    in a <figure> captioned with `title` (the question the chart answers). With
    `legend`, every bar has its own colour, named in a legend below."""
    values = [(str(label), Decimal(value or 0)) for label, value in rows]
    texts = [
        format_number(value, decimals) + (f"\xa0{unit}" if unit else "") for _l, value in values
    ]
    # Labels take up to 40 % of the width, wrapped to fit; the values need their room.
    label_chars = max(12, int(width * 0.40 / CHAR_WIDTH))
    wrapped = [_lines(label, label_chars) for label, _v in values]
    label_width = (
        int(max((_text_width(line) for lines in wrapped for line in lines), default=0)) + 8
    )
    value_width = int(max((_text_width(text) for text in texts), default=0)) + 10
    room = max(width - label_width - value_width, 40)
    largest = max((value for _l, value in values), default=Decimal(0)) or Decimal(1)

    parts: list[str] = []
    y: float = 4
    for index, ((_label, value), lines, text) in enumerate(
        zip(values, wrapped, texts, strict=True)
    ):
        row_height = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT)
        bar_y = y + (row_height - BAR_HEIGHT) / 2
        length = int(room * value / largest) if value > 0 else 0
        colour = COLOURS[index % len(COLOURS)] if legend else COLOURS[0]
        first_baseline = y + (row_height - len(lines) * LINE_HEIGHT) / 2 + LINE_HEIGHT - 3
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="{}" text-anchor="end" '
                'font-family="DejaVu Sans, sans-serif" fill="#000">{}</text>',
                label_width - 8,
                f"{first_baseline:.1f}",
                FONT,
                format_html_join(
                    "",
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    (
                        (label_width - 8, 0 if i == 0 else LINE_HEIGHT, line)
                        for i, line in enumerate(lines)
                    ),
                ),
            )
        )
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>'
                '<text x="{}" y="{}" font-size="{}" font-family="DejaVu Sans, sans-serif" '
                'fill="#000">{}</text>',
                label_width,
                f"{bar_y:.1f}",
                max(length, 1),
                BAR_HEIGHT,
                colour,
                label_width + length + 6,
                f"{bar_y + 13:.1f}",
                FONT,
                text,
            )
        )
        y += row_height + GAP

    if legend:
        x: float = label_width
        for index, (label, _v) in enumerate(values):
            item = _text_width(label) + 30
            if x + item > width and x > label_width:
                x, y = label_width, y + LINE_HEIGHT + 4
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="12" height="12" fill="{}"/>'
                    '<text x="{}" y="{}" font-size="{}" font-family="DejaVu Sans, sans-serif" '
                    'fill="#000">{}</text>',
                    x,
                    y,
                    COLOURS[index % len(COLOURS)],
                    x + 16,
                    y + 10,
                    FONT,
                    label,
                )
            )
            x += item
        y += LINE_HEIGHT + 4

    height = int(y) + 2
    svg = format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{}" height="{}" '
        'viewBox="0 0 {} {}" role="img" aria-label="{}"><title>{}</title>{}</svg>',
        width,
        height,
        width,
        height,
        title,
        title,
        mark_safe("".join(str(part) for part in parts)),
    )
    return format_html('<figure class="chart"><figcaption>{}</figcaption>{}</figure>', title, svg)
