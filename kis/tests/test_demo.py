import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from kis import roles
from kis.demo import DEMO_PASSWORD


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
