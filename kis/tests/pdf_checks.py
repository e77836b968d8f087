"""Reading the app's PDFs in tests: their text page by page, the English source strings
and raw codes that must never appear in a Polish paper, and words outside the page."""

import io
import re
from functools import cache

import pdfplumber
from django.apps import apps
from django.utils import translation
from pypdf import PdfReader

APPS = ("participants", "projects", "reports", "kis")
MM = 72 / 25.4  # PDF points in a millimetre


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, whitespace collapsed (pypdf)."""
    reader = PdfReader(io.BytesIO(content))
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def _english_and_polish(text) -> tuple[str, str]:
    with translation.override("en"):
        english = str(text)
    with translation.override("pl"):
        polish = str(text)
    return english, polish


@cache
def english_source_strings() -> frozenset[str]:
    """The English source strings of the app's model choices and verbose names (models,
    fields) that Polish translates into something else: none of them may be printed in
    a Polish PDF. Names that Polish spells alike (PESEL, REGON, PFRON) are left out."""
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        texts = [model._meta.verbose_name, model._meta.verbose_name_plural]
        for field in model._meta.get_fields():
            if hasattr(field, "verbose_name") and not field.auto_created:
                texts.append(field.verbose_name)
            for _value, label in getattr(field, "flatchoices", None) or []:
                texts.append(label)
        for text in texts:
            english, polish = _english_and_polish(text)
            if (
                english.strip()
                and english.casefold() != polish.casefold()
                and english.casefold() not in POLISH_WORDS
            ):
                found.add(english)
    return frozenset(found)


# English source strings that are also everyday Polish words ("data" is a date).
POLISH_WORDS = {"data"}


@cache
def raw_codes() -> frozenset[str]:
    """The stored codes of the app's choices ("unemployed", "isced2", "in_force"), which
    a paper shows by their names, never as they are stored."""
    codes = set()
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        for field in model._meta.get_fields():
            for value, label in getattr(field, "flatchoices", None) or []:
                value = str(value)
                _english, polish = _english_and_polish(label)
                if re.fullmatch(r"[a-z][a-z0-9_]{2,}", value) and value != polish:
                    codes.add(value)
    return frozenset(codes)


def _whole(phrase: str, flags=0) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", flags)


def english_in(text: str) -> list[str]:
    """English source strings (any case) and raw codes (as stored) found in `text`."""
    found = [s for s in english_source_strings() if _whole(s, re.IGNORECASE).search(text)]
    found += [c for c in raw_codes() if _whole(c).search(text)]
    return sorted(found)


def words_outside(content: bytes, margin_mm: float = 8) -> list[str]:
    """Words that run outside the page, or more than `margin_mm` into its side margins
    (15 mm): what a table too wide for the page would do."""
    outside = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            left, right = (15 - margin_mm) * MM, page.width - (15 - margin_mm) * MM
            for word in page.extract_words():
                if (
                    word["x0"] < left
                    or word["x1"] > right
                    or word["top"] < 0
                    or word["bottom"] > page.height
                ):
                    outside.append(
                        f"page {number}: {word['text']!r} at x {word['x0']:.0f}–{word['x1']:.0f}"
                    )
    return outside


def page_of(pages: list[str], needle: str) -> int:
    """The index of the (first) page whose text holds `needle`."""
    for index, text in enumerate(pages):
        if needle in text:
            return index
    raise AssertionError(f"{needle!r} is on no page")
