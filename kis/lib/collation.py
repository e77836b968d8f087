"""Sorting Polish names: Ł after L, Ś after S, Ż last, on PostgreSQL through its ICU
collation. SQLite has no such collation and sorts by code point (Ł after Z) – good
enough for a demo; production runs on PostgreSQL."""

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

POLISH_COLLATION = "pl-PL-x-icu"


def polish(field: str) -> Collate | F:
    """An expression ordering `field` the Polish way where the database can."""
    if connection.vendor == "postgresql":
        return Collate(F(field), POLISH_COLLATION)
    return F(field)
