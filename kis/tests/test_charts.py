"""Charts: labels never cut, one colour scheme with enough contrast, a legend when the
bars are different things, readable at print size."""

import re
from decimal import Decimal

from kis.lib.charts import COLOURS, FONT, bar_chart

LONG = "Działania o charakterze środowiskowym i integracyjnym dla mieszkańców gminy"


def _labels(svg: str) -> list[str]:
    """The text of each <text> element, its lines (tspans) joined."""
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg)
    return [" ".join(re.findall(r"<tspan[^>]*>(.*?)</tspan>", t)) or t for t in texts]


def test_a_long_label_wraps_and_is_never_cut():
    svg = str(bar_chart([(LONG, Decimal("46771.62")), ("Praca socjalna", 91070)], title="Wydatki"))
    assert "…" not in svg
    assert LONG in _labels(svg)
    assert svg.count("<tspan") >= 3  # the long label over several lines, the short on one
    assert "46\xa0771,62" in svg


def test_bars_of_one_kind_have_one_colour_and_different_things_a_legend():
    one = str(bar_chart([("a", 1), ("b", 2), ("c", 3)], title="Kategorie"))
    assert set(re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', one)) == {COLOURS[0]}

    rows = [("podjęli pracę", 8), ("przerwali udział", 12), ("wrócili po pracy", 2)]
    svg = str(bar_chart(rows, title="Efekty", legend=True))
    fills = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', svg)
    assert fills == [*COLOURS[:3], *COLOURS[:3]]  # three bars, three swatches
    assert _labels(svg).count("przerwali udział") == 2  # next to its bar and in the legend


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_colour_stands_out_from_the_white_page():
    for colour in COLOURS:
        contrast = (1 + 0.05) / (_luminance(colour) + 0.05)
        assert contrast >= 3, colour  # WCAG 2.1 non-text contrast
    assert len(set(COLOURS)) == len(COLOURS)


def test_the_chart_says_its_question_and_is_readable_at_print_size():
    svg = str(bar_chart([("kobiety", 30), ("mężczyźni", 26)], title="Ile kobiet i mężczyzn?"))
    assert svg.startswith('<figure class="chart"><figcaption>Ile kobiet i mężczyzn?</figcaption>')
    # 11 px on a 560 px chart printed at most 160 mm wide: about 9 pt.
    assert FONT >= 11 and 'width="560"' in svg
    assert 'role="img"' in svg and "<title>Ile kobiet i mężczyzn?</title>" in svg


def test_an_empty_or_zero_chart_draws_without_dividing_by_zero():
    assert "<svg" in str(bar_chart([], title="Nic"))
    assert "0" in str(bar_chart([("nic", 0)], title="Zero"))
