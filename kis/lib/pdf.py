"""Printable documents: a Django template rendered to PDF by WeasyPrint.

Every paper extends the one print base (templates/print/base.html) with the one print
stylesheet (templates/print/print.css): A4, the centre's letterhead and the funding logo
strip on every page, "Strona X z Y", tables that stay on the page, signature blocks
that are never alone. Paper parts shared by several documents (the closing with the
signatures, a letter's sender and addressee) are in templates/print/fragments/. PDFs
open in the browser (a new tab: the links say target="_blank").

Rendering never goes over the network: the fetcher below serves local files (the
centre's logo) and the app's own static files, and refuses everything else, so a
document cannot hang on, or leak data to, another server.
"""

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class LocalFetcher(URLFetcher):
    """Serves file:// URLs and <base_url>/static/… from the static finders; nothing else."""

    def __init__(self, base_url: str) -> None:
        super().__init__(allowed_protocols=("file",))
        origin = urlsplit(base_url)
        self.origin = (origin.scheme, origin.netloc)
        self.static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"

    def fetch(self, url: str, headers: dict | None = None) -> Any:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) == self.origin and parts.path.startswith(
            self.static_prefix
        ):
            found = finders.find(unquote(parts.path.removeprefix(self.static_prefix)))
            if not found:
                raise ValueError(f"No such static file: {url}")
            url = Path(found).as_uri()
        # Anything but file:// is refused by allowed_protocols in the parent class.
        return super().fetch(url, headers)


# The origin a document made outside a request (a background job) takes for its static
# files: any will do, as LocalFetcher serves them from disk.
BACKGROUND_BASE_URL = "http://kis.invalid/"


def pdf_bytes(template_name: str, context: dict, base_url: str = BACKGROUND_BASE_URL) -> bytes:
    """The template rendered to PDF, as bytes (for a request, or a background job)."""
    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher(base_url)).write_pdf()


def render_pdf(
    request: HttpRequest,
    template_name: str,
    context: dict,
    filename: str,
    *,
    download: bool = False,
) -> HttpResponse:
    """The template as a PDF named `filename`: opened in the browser (the default), or
    downloaded."""
    # No request for render_to_string: context processors would add the navigation and
    # its queries, which a printed page does not show.
    pdf = pdf_bytes(template_name, context, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
