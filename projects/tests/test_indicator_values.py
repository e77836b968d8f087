"""Issue 14, point 10: the achieved value of an indicator measured by hand, entered by a
manager from the project's page (or in admin) with its date and source, kept as a
history, through the service, audited."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from projects.models import Indicator, IndicatorValue
from projects.services import indicator_delete, indicator_value_save
from projects.tests.factories import IndicatorFactory, ProjectFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def qualifications():
    return IndicatorFactory(
        project=ProjectFactory(),  # 01.06.2016 – 31.05.2019
        name="Uczestnicy, którzy uzyskali kwalifikacje",
        unit=Indicator.Unit.PERSONS,
        target_total=D("20"),
        target_women=D("12"),
        target_men=D("8"),
    )


def _value(indicator, **fields):
    values = {
        "date": date(2017, 6, 30),
        "value_total": D("5"),
        "value_women": D("3"),
        "value_men": D("2"),
        "source": "Zestawienie certyfikatów z 30.06.2017",
        **fields,
    }
    return IndicatorValue(indicator=indicator, **values)


def test_a_value_is_entered_with_its_date_and_source_and_audited(qualifications, manager):
    value = indicator_value_save(value=_value(qualifications), user=manager)
    assert value.recorded_by == manager
    entry = LogEntry.objects.get_for_object(value).get()
    assert entry.actor is None or entry.actor == manager  # outside a request: no actor
    assert entry.changes_dict["source"] == ["None", "Zestawienie certyfikatów z 30.06.2017"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"value_women": None}, "value_women", "wpisz także tę wartość"),
        ({"value_men": D("3")}, "value_total", "muszą dać w sumie wartość ogółem"),
        ({"date": date(2016, 5, 31)}, "date", "wcześniejsza niż początek projektu (01.06.2016)"),
        ({"date": date(2099, 1, 1)}, "date", "nie może być z przyszłości"),
        ({"source": ""}, "source", "To pole nie może być puste."),
    ],
)
def test_the_service_refuses_a_value_that_cannot_be(qualifications, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        indicator_value_save(value=_value(qualifications, **fields))
    assert message in " ".join(refused.value.message_dict[field])
    assert not IndicatorValue.objects.exists()


def test_a_percentage_is_at_most_100_and_women_and_men_need_not_add_up():
    share = IndicatorFactory(unit=Indicator.Unit.PERCENT, target_total=D("80"))
    with pytest.raises(ValidationError):
        indicator_value_save(
            value=_value(share, value_total=D("101"), value_women=None, value_men=None)
        )
    saved = indicator_value_save(
        value=_value(share, value_total=D("75.5"), value_women=None, value_men=None)
    )
    assert saved.value_total == D("75.5")


def test_only_an_indicator_entered_by_hand_takes_values(qualifications, caseworker):
    counted = IndicatorFactory(project=qualifications.project, measure=Indicator.Measure.JOBS)
    with pytest.raises(ValidationError, match="Ten wskaźnik liczy raport"):
        indicator_value_save(value=_value(counted, value_women=None, value_men=None))
    with pytest.raises(PermissionDenied):
        indicator_value_save(value=_value(qualifications), user=caseworker)


def test_an_indicator_with_values_is_not_deleted(qualifications):
    indicator_value_save(value=_value(qualifications))
    with pytest.raises(ValidationError, match="Nie można usunąć"):
        indicator_delete(indicator=qualifications)
    assert Indicator.objects.filter(pk=qualifications.pk).exists()


# --- the page --------------------------------------------------------------------------------


def _url(indicator):
    return reverse("projects:indicator_value_create", args=[indicator.project_id, indicator.pk])


def test_the_form_is_for_managers(client, caseworker_client, qualifications):
    url = _url(qualifications)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert caseworker_client.get(url).status_code == 403
    assert caseworker_client.post(url, {"date": "30.06.2017"}).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_a_manager_enters_values_from_the_project_page(manager_client, manager, qualifications):
    project_url = reverse("projects:detail", args=[qualifications.project_id])
    page = manager_client.get(project_url).content.decode()
    assert "Nie wpisano jeszcze osiągniętej wartości" in page and _url(qualifications) in page
    form = manager_client.get(_url(qualifications)).content.decode()
    assert "Osiągnięto: kobiety" in form and "Wartość docelowa: 20 osób" in form
    data = {
        "date": "30.06.2017",
        "value_total": "5",
        "value_women": "3",
        "value_men": "3",
        "source": "Zestawienie certyfikatów z 30.06.2017",
        "note": "",
    }
    response = manager_client.post(_url(qualifications), data)
    assert response.status_code == 200  # 3 + 3 is not 5
    assert "muszą dać w sumie wartość ogółem" in response.content.decode()
    data["value_men"] = "2"
    response = manager_client.post(_url(qualifications), data)
    assert response.status_code == 302 and response.url == project_url + "#h-indicators"
    data.update(date="31.12.2017", value_total="9", value_women="6", value_men="3")
    data["source"] = "Zestawienie certyfikatów za 2017 r."
    manager_client.post(_url(qualifications), data)
    # Both are kept, the newest first, with who entered them.
    assert list(qualifications.values.values_list("value_total", "recorded_by")) == [
        (D("9"), manager.pk),
        (D("5"), manager.pk),
    ]
    page = manager_client.get(project_url).content.decode()
    assert page.index("31.12.2017") < page.index("30.06.2017")
    assert "Zestawienie certyfikatów za 2017 r." in page
    first = qualifications.values.get(date=date(2017, 6, 30))
    edit = reverse("projects:indicator_value_edit", args=[qualifications.project_id, first.pk])
    assert edit in page
    data.update(date="30.06.2017", value_total="6", value_women="3", value_men="3")
    assert manager_client.post(edit, data).status_code == 302
    first.refresh_from_db()
    assert first.value_total == D("6") and qualifications.values.count() == 2


def test_no_form_for_an_indicator_counted_by_the_report(manager_client, qualifications):
    counted = IndicatorFactory(project=qualifications.project, measure=Indicator.Measure.JOBS)
    assert manager_client.get(_url(counted)).status_code == 404


def test_admin_writes_values_through_the_service(administrator_client, qualifications):
    counted = IndicatorFactory(project=qualifications.project, measure=Indicator.Measure.JOBS)
    data = {
        "indicator": str(counted.pk),
        "date": "30.06.2017",
        "value_total": "5",
        "source": "Lista",
        "note": "",
    }
    response = administrator_client.post(reverse("admin:projects_indicatorvalue_add"), data)
    assert response.status_code == 200  # not among the choices: indicators entered by hand
    data["indicator"] = str(qualifications.pk)
    response = administrator_client.post(reverse("admin:projects_indicatorvalue_add"), data)
    assert "wpisz także tę wartość" in response.content.decode()
    data.update(value_women="3", value_men="2")
    response = administrator_client.post(reverse("admin:projects_indicatorvalue_add"), data)
    assert response.status_code == 302
    assert qualifications.values.get().recorded_by is not None
