"""The Polish catalogue is complete: every message of the interface is translated."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PO_FILES = sorted(Path(settings.LOCALE_PATHS[0]).glob("pl/LC_MESSAGES/*.po"))


def test_polish_catalogue_exists():
    assert PO_FILES, "locale/pl/LC_MESSAGES/django.po is missing"


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="GNU gettext (msgfmt) is not installed")
@pytest.mark.parametrize("po", PO_FILES, ids=lambda p: p.name)
def test_no_untranslated_or_fuzzy_messages(po):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr
