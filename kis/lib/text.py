"""Text helpers."""

import unicodedata

# Letters that Unicode does not decompose into a base letter and a diacritic.
_EXTRA_FOLDS = str.maketrans({"ł": "l", "Ł": "l", "ß": "ss", "đ": "d", "ø": "o"})


def fold(text: str) -> str:
    """Lower-case text without diacritics, for searching: "Wójcik Łucja" → "wojcik lucja"."""
    text = (text or "").translate(_EXTRA_FOLDS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()
