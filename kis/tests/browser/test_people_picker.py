"""The people picker in a real browser: 3 of 500 people picked by typing, keyboard only
(two of them sharing a name with somebody else, told apart by the year of birth), one
removed with Backspace, the whole group of an activity added; axe on the form."""

from datetime import date

from kis.lib.pesel import pesel_make
from kis.lib.text import fold
from kis.tests.browser.conftest import BROWSER_TEST, axe_violations, login, screenshot
from participants.models import CommunityEvent, Participant
from participants.tests.factories import ParticipantFactory
from participants.tests.support_factories import ActivityFactory, assign

pytestmark = BROWSER_TEST

SURNAMES = ["Kowalska", "Dąbrowska", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowska", "Zielińska"]
FIRST_NAMES = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa"]


def _register(count: int = 500) -> dict[str, Participant]:
    """`count` people in one insert; among them two "Nowak Anna" and two
    "Żółkiewska Łucja", born in different years."""
    people = []
    for n in range(count - 4):
        born = date(1960 + n % 40, 1 + n % 12, 1 + n % 28)
        people.append(
            ParticipantFactory.build(
                last_name=f"{SURNAMES[n % 7]}-{n}",
                first_name=FIRST_NAMES[n // 7 % 7],
                birth_date=born,
                pesel=pesel_make(born, False, n),
            )
        )
    named = {}
    for key, last, first, year in [
        ("anna-1980", "Nowak", "Anna", 1980),
        ("anna-1992", "Nowak", "Anna", 1992),
        ("lucja-1971", "Żółkiewska", "Łucja", 1971),
        ("lucja-1988", "Żółkiewska", "Łucja", 1988),
    ]:
        born = date(year, 6, 15)
        named[key] = ParticipantFactory.build(
            last_name=last, first_name=first, birth_date=born, pesel=pesel_make(born, False, 900)
        )
        people.append(named[key])
    for person in people:  # save() is skipped by bulk_create
        person.search_text = fold(f"{person.last_name} {person.first_name} {person.pesel}")
    Participant.objects.bulk_create(people)
    return {key: Participant.objects.get(pesel=p.pesel) for key, p in named.items()}


def _options(page) -> list[str]:
    page.locator(".picker-listbox [role=option]").first.wait_for(state="visible")
    return page.locator(".picker-listbox [role=option]").all_inner_texts()


def _type(page, text: str) -> None:
    """Type into the focused search box and wait for its answer (the search waits for
    a pause in typing, then asks the server)."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    if not text:
        return
    with page.expect_response(lambda r: "/participants/pick/" in r.url):
        page.keyboard.type(text, delay=20)
    page.wait_for_timeout(100)  # the answer drawn


def test_pick_3_of_500_people_by_typing_keyboard_only(page, caseworker, caseworkers_see_all):
    named = _register(500)
    wisniewska = Participant.objects.filter(last_name="Wiśniewska-2").get()
    login(page, caseworker.username)
    page.goto("/participants/events/new/")
    assert page.locator(".picker-chosen li").count() == 0
    assert page.locator("text=Kowalska-0").count() == 0  # nobody is listed before a search
    page.locator("#id_name").fill("Piknik rodzinny")
    page.locator("#id_date").fill("06.06.2025")
    page.locator("#id_place").fill("Park Miejski")
    # To the picker with Tab only.
    page.locator("#id_description").focus()
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_participants":
            break
    assert page.evaluate("document.activeElement.getAttribute('role')") == "combobox"

    # Two "Nowak Anna": the year tells them apart; the second one is picked.
    _type(page, "nowak anna")
    options = _options(page)
    assert options == ["Nowak Anna (ur. 1980)", "Nowak Anna (ur. 1992)"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = page.evaluate("document.activeElement.getAttribute('aria-activedescendant')")
    assert page.locator(f"#{active}").inner_text() == "Nowak Anna (ur. 1992)"
    page.keyboard.press("Enter")
    # Without Polish letters, with the year: one of the two "Żółkiewska Łucja".
    _type(page, "zolkiewska 1988")
    assert _options(page) == ["Żółkiewska Łucja (ur. 1988)"]
    page.keyboard.press("Enter")  # the only one found
    _type(page, "wisniewska-2 ")
    _options(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    # A fourth one by mistake, taken back with Backspace in the emptied box.
    _type(page, "kowalska-0")
    _options(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator(".picker-chip").count() == 4
    _type(page, "")
    page.keyboard.press("Backspace")
    assert page.locator(".picker-chip").count() == 3
    assert "Wybrane osoby: 3" in page.locator(".picker-chosen-label").inner_text()
    assert "Usunięto" in page.locator(".picker-status").inner_text()
    screenshot(page, "people-picker")
    assert axe_violations(page) == []

    # Save with the keyboard.
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Zapisz":
            break
    page.keyboard.press("Enter")
    page.wait_for_url("**/participants/events/")
    event = CommunityEvent.objects.get()
    assert set(event.participants.values_list("pk", flat=True)) == {
        named["anna-1992"].pk,
        named["lucja-1988"].pk,
        wisniewska.pk,
    }


def test_a_chip_is_removed_with_delete_and_a_group_added_whole(
    page, caseworker, caseworkers_see_all
):
    from django.utils import timezone

    activity = ActivityFactory(name="Warsztaty kulinarne", end_date=timezone.localdate())
    members = [ParticipantFactory(last_name=f"Kucharska-{n}") for n in range(4)]
    for person in members:
        assign(activity, person)
    login(page, caseworker.username)
    page.goto("/participants/events/new/")
    page.get_by_label("Cała grupa zajęć").select_option(str(activity.pk))
    page.get_by_label("Cała grupa zajęć").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "Add the group"
    page.locator(".picker-chip").nth(3).wait_for()
    assert "Dodano z grupy osób: 4." in page.locator(".picker-status").inner_text()
    # The first chip's remove button, with Delete: the focus moves to the next one.
    page.locator(".picker-remove").first.focus()
    page.keyboard.press("Delete")
    assert page.locator(".picker-chip").count() == 3
    assert page.evaluate("document.activeElement.className").startswith("btn btn-sm btn-link")
    assert axe_violations(page) == []


def test_the_assign_form_is_accessible(page, caseworker, caseworkers_see_all):
    activity = ActivityFactory()
    login(page, caseworker.username)
    page.goto(f"/participants/activities/{activity.pk}/assign/")
    page.locator("#id_participants[role=combobox]").wait_for()
    assert axe_violations(page) == []


def test_the_dashboard_week_and_its_list_are_accessible(page, manager):
    """The manager's week summarised on the dashboard and the paginated list behind it
    (participants/selectors/support.py: week_sessions)."""
    from datetime import time, timedelta

    from django.utils import timezone

    from participants.tests.support_factories import SessionFactory
    from projects.tests.factories import ProjectFactory

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    activity = ActivityFactory(
        project=ProjectFactory(
            start_date=monday - timedelta(days=60), end_date=monday + timedelta(days=60)
        ),
        start_date=monday - timedelta(days=30),
        end_date=monday + timedelta(days=30),
    )
    for n in range(20):
        SessionFactory(
            activity=activity, date=monday + timedelta(days=n % 7), start_time=time(8 + n // 7, n)
        )
    login(page, manager.username)
    page.goto("/")
    page.locator(".week-days").wait_for()
    assert page.locator(".week-sessions li").count() == 12
    assert axe_violations(page) == []
    page.get_by_role("link", name="Pokaż wszystkie 20 spotkań tygodnia").click()
    page.locator("h1", has_text="Spotkania w tym tygodniu").wait_for()
    assert page.locator(".week-sessions li").count() == 20
    screenshot(page, "week-sessions")
    assert axe_violations(page) == []
