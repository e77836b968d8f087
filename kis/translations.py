"""Helpers around the compiled translation catalogues (used by the test set-up)."""

from pathlib import Path

from django.conf import settings


def translations_outdated() -> bool:
    """True if any .po file in LOCALE_PATHS has no .mo file or is newer than it."""
    for locale_dir in settings.LOCALE_PATHS:
        for po in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
                return True
    return False
