"""`{% figure "key" value year=… project=… row=… part=… fmt=… %}`: a report's figure.

On the page (`figure_links` in the context) it is a link to the list of the records it
counts; in print it is the number. When a report is issued, `figure_collector` (a list
in the context) receives every figure shown with its scope and value, which become the
issued report's data (reports.issuing). An unknown key is an error: a figure cannot be
shown without its drill-down."""

from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode

from kis.lib.formats import format_money, format_number
from reports.figures import FIGURES, Scope

register = template.Library()

FORMATS = {
    "": lambda value: format_number(value),
    "money": format_money,
    "hours": lambda value: format_number(value, 1),
    "hours2": lambda value: format_number(value, 2),
}


@register.simple_tag(takes_context=True)
def figure(context, key: str, value, year=None, project=None, row="", part="", fmt: str = ""):
    if key not in FIGURES:
        raise template.TemplateSyntaxError(f"No figure {key} in reports.figures.FIGURES")
    scope = Scope(
        year=int(year) if year else None,
        project=project or None,
        row="" if row is None else str(row),
        part=part,
    )
    text = FORMATS[fmt](value)
    collector = context.get("figure_collector")
    if collector is not None:
        collector.append(
            {
                "key": key,
                "params": scope.params(),
                "value": str(value) if isinstance(value, Decimal) else value,
            }
        )
    if not context.get("figure_links"):
        return text
    url = reverse("reports:figure", args=[key]) + "?" + urlencode(scope.params())
    return format_html('<a class="figure" data-figure="{}" href="{}">{}</a>', key, url, text)
