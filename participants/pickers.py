"""Choosing people from long lists (issue 17.4, 18): a searchable multi-select searched
on the server, so that no page renders every participant (at 100 000 people the
community event form was 25 MB of checkboxes).

- `PeopleField` / `PeoplePicker`: the form field and its widget. The page holds only
  the people chosen (as ticked checkboxes) and a search box; `static/js/people-picker.js`
  turns them into chips and a combobox (ARIA 1.2 combobox with a listbox popup) that
  asks `people_pick` for one page of people at a time.
- Without JavaScript the same form works by searching on the server: the search button
  (and "add the whole group") send the form back to its view, which shows the form again
  with the people chosen so far still ticked and one page of results to tick
  (`PickerFormMixin`); nothing is saved until "Save".
- What a user is offered is one function per place (`SCOPES`), used by the form's field
  and by the JSON endpoint alike: record-level access (participants_for), restriction
  of processing and anonymisation, and the place's own rule (an activity offers the
  people enrolled in its project and not yet in the group). The endpoint checks the
  login (middleware), the place's permission and the record (activities_for) itself.
- Each person is shown with the year of birth and the projects, which tells apart two
  people of the same name; a search word of four digits is a year of birth.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.forms.utils import ErrorDict
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.lib.collation import polish
from kis.lib.services import Viewer
from kis.lib.text import fold
from participants.access import activities_for, participants_for
from participants.models import Activity, ActivityParticipant, Enrolment, Participant

PAGE_SIZE = 20  # people per answer of the endpoint, and per page of the search
GROUP_LIMIT = 500  # people of one group added at once (a group is 10–30 people)


def processable(user: Viewer) -> QuerySet[Participant]:
    """The people a user may see and whose data may still be processed."""
    return participants_for(user).filter(processing_restricted=False, anonymised_at__isnull=True)


def event_people(user: Viewer, _ref: int | None = None) -> QuerySet[Participant]:
    if not (
        user.has_perm("participants.add_communityevent")
        or user.has_perm("participants.change_communityevent")
    ):
        raise PermissionDenied
    return processable(user)


def activity_people(user: Viewer, ref: int | None = None) -> QuerySet[Participant]:
    """People who may join an activity's group: enrolled in its project, not yet in it."""
    if not user.has_perm("participants.add_activityparticipant"):
        raise PermissionDenied
    activity = get_object_or_404(activities_for(user), pk=ref)
    return (
        processable(user)
        .filter(pk__in=Enrolment.objects.filter(project=activity.project_id).values("participant"))
        .exclude(activity_assignments__activity=activity)
    )


# The places people are chosen in: name → (offered people, takes a record's id).
SCOPES: dict[str, tuple[Callable[[Viewer, int | None], QuerySet[Participant]], bool]] = {
    "event": (event_people, False),
    "activity": (activity_people, True),
}


def offered_people(user: Viewer, scope: str, ref: int | None = None) -> QuerySet[Participant]:
    """The people a user may choose in a place; PermissionDenied or Http404 if none."""
    if scope not in SCOPES:
        raise Http404
    function, takes_ref = SCOPES[scope]
    if takes_ref != (ref is not None):
        raise Http404
    return function(user, ref)


def _year(word: str) -> int | None:
    return int(word) if len(word) == 4 and word.isdigit() and 1900 <= int(word) <= 2100 else None


def people_search(
    offered: QuerySet[Participant],
    text: str = "",
    *,
    project: int | None = None,
    group: int | None = None,
) -> QuerySet[Participant]:
    """Every word must occur in the folded name or PESEL (diacritics-blind), a word of
    four digits may be the year of birth; `project`: enrolled in it; `group`: in the
    activity's group. Sorted the Polish way, with each person's projects."""
    people = offered
    for word in fold(text).split():
        if (year := _year(word)) is not None:
            people = people.filter(birth_date__year=year) | people.filter(
                search_text__contains=word
            )
        else:
            people = people.filter(search_text__contains=word)
    if project is not None:
        people = people.filter(
            pk__in=Enrolment.objects.filter(project=project).values("participant")
        )
    if group is not None:
        people = people.filter(activity_assignments__activity=group)
    return people.order_by(polish("last_name"), polish("first_name"), "birth_date", "pk")


def with_projects(people: QuerySet[Participant]) -> QuerySet[Participant]:
    return people.prefetch_related(
        Prefetch(
            "enrolments",
            queryset=Enrolment.objects.select_related("project").order_by("-start_date"),
            to_attr="picker_enrolments",
        )
    )


@dataclass
class Person:
    """A person as the picker shows him or her."""

    id: int
    name: str  # "Kowalska Anna"
    born: int
    projects: str  # "Aktywni razem; KIS 2026"

    @property
    def detail(self) -> str:
        """ "ur. 1985; Aktywni razem": what tells apart two people of the same name."""
        detail = _("born %(year)s") % {"year": self.born}
        return f"{detail}; {self.projects}" if self.projects else detail

    @property
    def label(self) -> str:
        return f"{self.name} ({self.detail})"

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "label": self.label, "detail": self.detail}


def person(participant: Participant) -> Person:
    enrolments = getattr(participant, "picker_enrolments", None)
    if enrolments is None:
        enrolments = participant.enrolments.select_related("project")
    titles = list(dict.fromkeys(e.project.title for e in enrolments))
    return Person(
        id=participant.pk,
        name=f"{participant.last_name} {participant.first_name}",
        born=participant.birth_date.year,
        projects="; ".join(titles),
    )


@dataclass
class Page:
    people: list[Person]
    number: int
    has_next: bool


def people_page(people: QuerySet[Participant], number: int = 1) -> Page:
    """One page of PAGE_SIZE people (one query for them, one for their projects)."""
    start = (number - 1) * PAGE_SIZE
    rows = list(with_projects(people)[start : start + PAGE_SIZE + 1])
    return Page(
        people=[person(p) for p in rows[:PAGE_SIZE]],
        number=number,
        has_next=len(rows) > PAGE_SIZE,
    )


GROUPS_SHOWN = 200


def picker_groups(
    user: Viewer, project: int | None = None, exclude: int | None = None
) -> list[Activity]:
    """The activities whose whole group can be added: those the user may open that have
    a group and ended at most a year ago, the latest GROUPS_SHOWN (a select, not a list
    of every activity of a large centre's history)."""
    since = timezone.localdate() - timedelta(days=365)
    activities = activities_for(user).filter(
        end_date__gte=since,
        pk__in=ActivityParticipant.objects.values("activity"),
    )
    if project is not None:
        activities = activities.filter(project=project)
    if exclude is not None:
        activities = activities.exclude(pk=exclude)
    return list(activities.select_related("project").order_by("-start_date", "name")[:GROUPS_SHOWN])


class PeoplePicker(forms.SelectMultiple):
    """Renders the chosen people only, a search box and (optionally) the groups; the
    choices are never iterated (they may be 100 000 people)."""

    template_name = "participants/widgets/people_picker.html"

    class Media:
        js = ["js/people-picker.js"]
        css = {"all": ["css/people-picker.css"]}

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.offered: QuerySet[Participant] = Participant.objects.none()
        self.url = ""
        self.query = ""  # the no-JS search: its text and the page of results
        self.results: Page | None = None
        self.groups: Iterable[Activity] = ()
        self.group_note = ""

    def get_context(self, name, value, attrs):
        # Widget's, not ChoiceWidget's: that one lays out every choice (100 000 people).
        context = forms.Widget.get_context(self, name, value, attrs)
        values = [getattr(v, "pk", v) for v in (value or [])]
        chosen_ids = [int(v) for v in values if str(v).isdigit() and len(str(v)) <= 18]
        chosen = {p.pk: person(p) for p in with_projects(self.offered.filter(pk__in=chosen_ids))}
        results = self.results
        context["picker"] = {
            "chosen": [chosen[pk] for pk in dict.fromkeys(chosen_ids) if pk in chosen],
            "url": self.url,
            "query": self.query,
            "results": [p for p in results.people if p.id not in chosen] if results else None,
            "more": bool(results and results.has_next),
            "next_page": results.number + 1 if results else None,
            "groups": list(self.groups),
            "group_note": self.group_note,
            "page_size": PAGE_SIZE,
        }
        return context

    def use_required_attribute(self, initial) -> bool:
        # Not the search box's; and Select's would fetch the first choice.
        return False

    def format_value(self, value):
        return [] if value is None else [str(v) for v in value]


class PeopleField(forms.ModelMultipleChoiceField):
    """Several people, chosen with the picker among `offered_people(user, scope, ref)`."""

    widget = PeoplePicker

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Participant.objects.none())
        super().__init__(**kwargs)
        self.user: Viewer | None = None
        self.offered: QuerySet[Participant] = Participant.objects.none()

    def offer(self, user: Viewer, scope: str, ref: int | None = None, *, groups=None) -> None:
        self.offered = offered_people(user, scope, ref)
        self.queryset = self.offered
        self.user = user
        widget: PeoplePicker = self.widget  # type: ignore[assignment]  # set above
        widget.offered = self.offered
        widget.url = (
            reverse("participants:people_pick_for", args=[scope, ref])
            if ref is not None
            else reverse("participants:people_pick", args=[scope])
        )
        widget.groups = groups if groups is not None else picker_groups(user)


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) <= 18 else None


class PickerFormMixin:
    """For a FormView with a PeopleField: the picker's buttons (search, next page, add a
    group) show the form again with what was typed and chosen, nothing saved."""

    request: Any

    def post(self, request, *args, **kwargs):
        form = self.get_form()  # type: ignore[attr-defined]  # FormView's
        if picker_refresh(form, request.POST):
            return self.render_to_response(self.get_context_data(form=form))  # type: ignore[attr-defined]
        return super().post(request, *args, **kwargs)  # type: ignore[misc]


def picker_refresh(form: forms.Form, data: QueryDict) -> bool:
    """Apply a picker's button to the bound form; whether one was pressed."""
    pressed = False
    for name, field in form.fields.items():
        if not isinstance(field, PeopleField):
            continue
        key = form.add_prefix(name)
        widget: PeoplePicker = field.widget  # type: ignore[assignment]
        if f"{key}__search" in data or f"{key}__page" in data:
            pressed = True
            widget.query = data.get(f"{key}__q", "")[:100]
            page = _number(data.get(f"{key}__page")) or 1
            widget.results = people_page(people_search(field.offered, widget.query), page)
        if f"{key}__add_group" in data:
            pressed = True
            group = _number(data.get(f"{key}__group"))
            user = field.user
            if group is None or user is None or not activities_for(user).filter(pk=group).exists():
                widget.group_note = _("Choose the activity whose group to add.")
                continue
            members = people_search(field.offered, group=group).values_list("pk", flat=True)
            added = [str(pk) for pk in members[:GROUP_LIMIT]]
            changed = data.copy()
            changed.setlist(key, [*dict.fromkeys([*data.getlist(key), *added])])
            form.data = data = changed
            widget.group_note = _("Added from the group: %(count)s.") % {"count": len(added)}
    if pressed:
        form._errors = ErrorDict()  # type: ignore[attr-defined]  # shown again, not validated
    return pressed
