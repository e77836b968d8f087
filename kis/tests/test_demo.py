import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from kis import roles
from kis.demo import DEMO_PASSWORD

# The demo uploads the logo strips of its EU programmes: into a temporary MEDIA_ROOT.
pytestmark = pytest.mark.usefixtures("media_root")


@pytest.mark.django_db
def test_demo_creates_the_three_users_and_is_safe_to_rerun(settings, capsys):
    settings.KIS_DEMO_MODE = True
    call_command("demo")
    call_command("demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    User = get_user_model()
    assert User.objects.filter(username__in=["admin", "kierownik", "pracownik"]).count() == 3
    expected = {
        "admin": roles.ADMINISTRATOR,
        "kierownik": roles.MANAGER,
        "pracownik": roles.CASEWORKER,
    }
    for username, role in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD)
        assert list(user.groups.values_list("name", flat=True)) == [role]
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="pracownik").is_staff


@pytest.mark.django_db
def test_demo_refuses_outside_demo_mode(settings):
    settings.KIS_DEMO_MODE = False
    with pytest.raises(CommandError, match="Demo mode is off"):
        call_command("demo")
    assert not get_user_model().objects.filter(username="admin").exists()


@pytest.mark.django_db
def test_demo_user_can_log_in(client, settings):
    settings.KIS_DEMO_MODE = True
    call_command("demo", stdout=None)
    response = client.post("/accounts/login/", {"username": "kierownik", "password": DEMO_PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_demo_projects_are_consistent_and_stable(settings):
    from projects.models import BudgetLine, Expenditure, Organisation, Project
    from projects.selectors import budget_execution

    settings.KIS_DEMO_MODE = True
    call_command("demo", stdout=None)
    counts = (Project.objects.count(), BudgetLine.objects.count(), Expenditure.objects.count())
    call_command("demo", stdout=None)
    assert (
        Project.objects.count(),
        BudgetLine.objects.count(),
        Expenditure.objects.count(),
    ) == counts
    assert counts[0] == 3 and Organisation.objects.count() == 1
    kinds = {(p.is_club_programme, p.programme.kind) for p in Project.objects.all()}
    assert kinds == {(False, "eu"), (False, "state"), (True, "municipality")}
    for project in Project.objects.all():
        project.full_clean()
        execution = budget_execution(project)
        assert execution.planned == project.total_value, project
        assert execution.spent > 0


@pytest.mark.django_db
def test_demo_participants_are_stable_and_varied(settings):
    from participants.demo_support import WALK_INS
    from participants.models import Employment, Enrolment, EnrolmentEvent, Participant

    settings.KIS_DEMO_MODE = True
    call_command("demo", stdout=None)
    counts = [m.objects.count() for m in (Participant, Enrolment, EnrolmentEvent, Employment)]
    call_command("demo", stdout=None)
    assert [
        m.objects.count() for m in (Participant, Enrolment, EnrolmentEvent, Employment)
    ] == counts
    # 60 in the projects and the walk-ins who came only for one-off help.
    assert counts[0] == 60 + len(WALK_INS)
    assert Participant.objects.filter(enrolments__isnull=True).count() == len(WALK_INS)
    kinds = set(EnrolmentEvent.objects.values_list("kind", flat=True))
    assert kinds == {"started", "dropped_out", "left_for_job", "returned", "completed"}
    women = Participant.objects.filter(sex="F").count()
    assert 20 < women < 50
    for person in Participant.objects.all()[:10]:
        person.full_clean()


@pytest.mark.django_db
def test_demo_outcomes_are_stable_and_show_every_kind(settings):
    from participants.models import (
        FollowUp,
        Participant,
        QuestionnaireAnswer,
        QuestionnaireResponse,
    )
    from participants.selectors.outcomes import StepState, follow_ups_due
    from projects.models import IndicatorValue, Project
    from reports.selectors import project_report

    settings.KIS_DEMO_MODE = True
    call_command("demo", stdout=None)
    models = (QuestionnaireResponse, QuestionnaireAnswer, FollowUp, IndicatorValue)
    counts = [m.objects.count() for m in models]
    call_command("demo", stdout=None)
    assert [m.objects.count() for m in models] == counts
    # Questionnaires for part of the people, at entry and (fewer) at exit.
    entries = QuestionnaireResponse.objects.filter(moment="entry").count()
    exits = QuestionnaireResponse.objects.filter(moment="exit").count()
    assert 0 < exits < entries < Participant.objects.count()
    assert counts[3] >= 2  # a history of values entered by hand
    # Follow-ups made, and others due now and overdue.
    assert counts[2] > 0
    rpo = Project.objects.get(number="RPMP.09.01.01-12-0107/24")
    states = {step.state for row in follow_ups_due(_manager(), project=rpo) for step in row.steps}
    assert {StepState.DONE, StepState.OVERDUE} <= states
    # Every indicator of the EU project has a value in its report.
    assert all(row.total is not None for row in project_report(rpo).indicators)


def _manager():
    return get_user_model().objects.get(username="kierownik")
