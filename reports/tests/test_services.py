"""The manager's paragraphs of the annual summary."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports.models import AnnualNarrative
from reports.services import narrative_save

pytestmark = pytest.mark.django_db


def test_a_nul_in_a_paragraph_is_refused_with_a_message(manager_client):
    """Today's failure: the text was saved as sent; PostgreSQL refuses a NUL (a 500)."""
    url = reverse("reports:narrative_update", args=[2014, 1])

    response = manager_client.post(url, {"text": "W 2014 roku\x00 Klub"}, follow=True)

    assert response.status_code == 200
    assert "Znaki null są niedozwolone." in response.content.decode()
    assert not AnnualNarrative.objects.exists()


def test_the_service_refuses_a_nul(manager):
    with pytest.raises(ValidationError):
        narrative_save(year=2014, section=1, text="\x00", user=manager)
    assert not AnnualNarrative.objects.exists()
    narrative_save(year=2014, section=1, text=" W 2014 roku Klub… ", user=manager)
    assert AnnualNarrative.objects.get().text == "W 2014 roku Klub…"
