"""Every model of the apps is in the audit trail (django-auditlog), but those listed in
kis.audit.NOT_AUDITED with the reason; and a change of project or support data is
found on /audit/ by who made it."""

from datetime import date
from decimal import Decimal

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.urls import reverse

from kis.audit import NOT_AUDITED
from participants.models import Activity, Session
from participants.services.support import activity_save
from participants.tests.support_factories import SessionFactory
from projects.models import BudgetLine, Project
from projects.services import budget_line_save, project_save
from projects.tests.factories import BudgetLineFactory, ProjectFactory, StaffMemberFactory

pytestmark = pytest.mark.django_db

APPS = ("kis", "participants", "projects", "reports")


def test_every_model_of_the_apps_is_audited_or_says_why_not():
    missing = [
        model._meta.label
        for name in APPS
        for model in apps.get_app_config(name).get_models()
        if not auditlog.contains(model) and model._meta.label not in NOT_AUDITED
    ]
    assert missing == []
    for label in NOT_AUDITED:
        assert not auditlog.contains(apps.get_model(label))


@pytest.mark.parametrize("model", [Activity, Session, Project, BudgetLine])
def test_project_and_support_models_are_audited(model):
    assert auditlog.contains(model)


def test_who_changed_a_budget_line_or_a_session_is_on_record(administrator, manager_client):
    # set_actor is what auditlog's middleware does for every request (admin, views).
    line = BudgetLineFactory(planned_amount=Decimal("1000.00"))
    line.planned_amount = Decimal("1250.00")
    with set_actor(administrator):
        budget_line_save(line=line, user=administrator)
    change = LogEntry.objects.get_for_object(line).get(action=LogEntry.Action.UPDATE)
    assert change.changes_dict["planned_amount"] == ["1000.00", "1250.00"]

    with set_actor(administrator):
        session = SessionFactory(date=date(2017, 3, 7))
        activity = session.activity
        activity.name = "Trening zmieniony"
        activity_save(activity=activity, staff=[StaffMemberFactory()], user=administrator)
    entries = LogEntry.objects.get_for_object(activity)
    assert entries.filter(action=LogEntry.Action.UPDATE, changes__has_key="name").exists()
    assert entries.filter(changes__has_key="staff").exists()  # the many-to-many, too
    assert LogEntry.objects.get_for_object(session).filter(action=LogEntry.Action.CREATE)

    page = manager_client.get(reverse("audit"), {"user": administrator.username}).content.decode()
    # Readable for a data protection officer: the record by name, the amount as the app
    # shows it (kis/audit_search.py).
    assert str(line) in page and "1\xa0000,00" in page and "1\xa0250,00" in page
    assert "1250.00" not in page
    assert "Trening zmieniony" in page


def test_a_project_change_names_its_author(administrator):
    project = ProjectFactory()
    project.title = "Nowy tytuł projektu"
    with set_actor(administrator):
        project_save(project=project, user=administrator)
    entry = LogEntry.objects.get_for_object(project).latest("timestamp")
    assert entry.actor == administrator
    assert entry.changes_dict["title"][1] == "Nowy tytuł projektu"
    assert Project.objects.get(pk=project.pk).title == "Nowy tytuł projektu"
