from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from kis.templatetags.kis_format import money, number, percent


def test_money_in_polish_format():
    with translation.override("pl"):
        assert money(Decimal("207209.61")) == "207\xa0209,61\xa0zł"
        assert money(Decimal("899346.16")) == "899\xa0346,16\xa0zł"
        assert money(Decimal("0")) == "0,00\xa0zł"
        assert money(Decimal("15000")) == "15\xa0000,00\xa0zł"
        assert money(None) == ""


def test_percent_and_number():
    with translation.override("pl"):
        assert percent(Decimal("89.354")) == "89,35\xa0%"
        assert number(1287) == "1\xa0287"
        assert number(Decimal("3.5"), 1) == "3,5"


def test_filters_in_template():
    with translation.override("pl"):
        html = Template("{% load kis_format %}{{ a|money }} / {{ b|percent }}").render(
            Context({"a": Decimal("1234.5"), "b": 60})
        )
    assert html == "1\xa0234,50\xa0zł / 60,00\xa0%"


def test_years_are_not_grouped():
    with translation.override("pl"):
        assert Template("{{ y }}").render(Context({"y": 2014})) == "2014"
