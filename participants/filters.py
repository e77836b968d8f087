from datetime import date

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kis.lib.collation import polish
from participants.models import (
    Enrolment,
    ExclusionGroup,
    Participant,
    Placement,
    Sex,
    SocialContract,
)
from participants.selectors.people import participant_search, visible_groups
from projects.models import Project

AGE_BANDS = [
    ("0-17", _("under 18")),
    ("18-24", _("18–24")),
    ("25-34", _("25–34")),
    ("35-49", _("35–49")),
    ("50-", _("50 and over")),
]


def _years_ago(today: date, years: int) -> date:
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


class ParticipantFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or PESEL"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    project = django_filters.ModelChoiceFilter(
        label=_("Project"), queryset=Project.objects.all(), method="filter_project"
    )
    status = django_filters.ChoiceFilter(
        label=_("Enrolment status"), choices=Enrolment.Status.choices, method="filter_status"
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Exclusion group"), field_name="groups", queryset=ExclusionGroup.objects.all()
    )
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices)
    age = django_filters.ChoiceFilter(label=_("Age"), choices=AGE_BANDS, method="filter_age")
    year = django_filters.NumberFilter(
        label=_("Active in year"), method="filter_year", min_value=2000, max_value=2100
    )
    order = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[
            ("name", _("last name")),
            ("-name", _("last name, Z–A")),
            ("birth_date", _("date of birth")),
            ("-created_at", _("newest registered")),
        ],
        method="filter_order",
        empty_label=None,
    )

    class Meta:
        model = Participant
        fields = ["q", "project", "status", "group", "sex", "age", "year"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["group"].queryset = visible_groups(user)
        self.form.fields["group"].queryset = visible_groups(user)

    def _enrolments(self):
        return Enrolment.objects.filter(participant=OuterRef("pk"))

    def filter_search(self, queryset, name, value):
        return participant_search(queryset, value)

    def filter_project(self, queryset, name, value):
        return queryset.filter(Exists(self._enrolments().filter(project=value)))

    def filter_status(self, queryset, name, value):
        project = self.form.cleaned_data.get("project")
        enrolments = self._enrolments().filter(status=value)
        if project:
            enrolments = enrolments.filter(project=project)
        return queryset.filter(Exists(enrolments))

    def filter_age(self, queryset, name, value):
        low, high = value.split("-")
        today = timezone.localdate()
        # Age >= low: born on or before today minus low years.
        queryset = queryset.filter(birth_date__lte=_years_ago(today, int(low)))
        if high:
            # Age <= high: born after today minus (high + 1) years.
            queryset = queryset.filter(birth_date__gt=_years_ago(today, int(high) + 1))
        return queryset

    def filter_order(self, queryset, name, value):
        if value in ("name", "-name"):
            last, first = polish("last_name"), polish("first_name")
            if value == "-name":
                return queryset.order_by(last.desc(), first.desc(), "pk")
            return queryset.order_by(last.asc(), first.asc(), "pk")
        return queryset.order_by(value, "pk")

    def filter_year(self, queryset, name, value):
        year = int(value)
        overlapping = (
            self._enrolments().filter(start_date__year__lte=year).exclude(end_date__year__lt=year)
        )
        return queryset.filter(Exists(overlapping))


class _RecordFilter(django_filters.FilterSet):
    """A list of records about people: the person's name and the year they ran in."""

    q = django_filters.CharFilter(
        label=_("Name or PESEL"),
        method="filter_person",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    year = django_filters.NumberFilter(
        label=_("In force in year"), method="filter_year", min_value=2000, max_value=2100
    )

    def filter_person(self, queryset, name, value):
        people = participant_search(Participant.objects.all(), value)
        return queryset.filter(participant__in=people)

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(start_date__year__lte=year, end_date__year__gte=year)


class ContractFilter(_RecordFilter):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SocialContract.Status.choices)

    class Meta:
        model = SocialContract
        fields = ["q", "status", "year"]


class PlacementFilter(_RecordFilter):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Placement.Kind.choices)
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=Placement.Outcome.choices)

    class Meta:
        model = Placement
        fields = ["q", "kind", "outcome", "year"]
