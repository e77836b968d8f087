"""Lists of social contracts and placements, and the Excel downloads of the
participants' lists: each download checks the permission of its page and the
record-level access, applies the page's filters exactly, and is logged (one entry per
person it names)."""

from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django_filters.views import FilterView

from kis.audit import access_log, access_log_people
from kis.lib.spreadsheet import xlsx_response
from kis.models import AccessLog
from participants.access import activities_for, participants_for
from participants.exports import (
    contracts_workbook,
    events_workbook,
    exportable,
    grid_workbook,
    participants_workbook,
    placements_workbook,
)
from participants.filters import ContractFilter, ParticipantFilter, PlacementFilter
from participants.models import CommunityEvent, Placement, SocialContract
from participants.selectors.people import can_see_sensitive, participant_list, visible_groups
from participants.selectors.support import activity_grid


def _logged_export(request, people, what: str) -> None:
    access_log_people(request, AccessLog.Action.EXPORT, people, what)


@permission_required("participants.view_participant", raise_exception=True)
def participants_xlsx(request):
    """The participant list as filtered on its page (same filter, same order)."""
    queryset = participant_list().filter(pk__in=participants_for(request.user).values("pk"))
    queryset = queryset.prefetch_related(
        Prefetch("groups", queryset=visible_groups(request.user), to_attr="visible_groups")
    )
    people = list(ParticipantFilter(request.GET, queryset=queryset, user=request.user).qs)
    shown, withheld = exportable(people)
    _logged_export(request, shown, "participant list (XLSX)")
    if withheld:
        access_log_people(request, AccessLog.Action.REFUSED, withheld, "participant list (XLSX)")
    content = participants_workbook(
        shown, sensitive=can_see_sensitive(request.user), withheld=len(withheld)
    )
    return xlsx_response(content, "uczestnicy.xlsx")


@permission_required("participants.view_activity", raise_exception=True)
def activity_xlsx(request, pk: int):
    """The activity's attendance grid, as on its page."""
    activity = get_object_or_404(
        activities_for(request.user).select_related("project", "support_form"), pk=pk
    )
    grid = activity_grid(activity)
    rows = [row for row in grid.rows if not row.participant.processing_restricted]
    _logged_export(
        request, [row.participant for row in rows], f"activity grid {activity.pk} (XLSX)"
    )
    return xlsx_response(grid_workbook(grid, rows), f"obecnosc-zajecia-{activity.pk}.xlsx")


class RecordListView(PermissionRequiredMixin, FilterView):
    """Records about people (contracts, placements) of the people the user may see."""

    paginate_by = 50
    model: type[SocialContract] | type[Placement]

    def get_queryset(self):
        return (
            self.model._default_manager.filter(participant__in=participants_for(self.request.user))
            .select_related("participant")
            .order_by("-start_date", "pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Records of people on the page are read: logged like the activity's grid.
        page = context.get("object_list") or []
        access_log_people(
            self.request,
            AccessLog.Action.VIEW,
            list({record.participant_id: record.participant for record in page}.values()),
            f"{self.model._meta.model_name} list",
        )
        return context


class ContractListView(RecordListView):
    permission_required = "participants.view_socialcontract"
    template_name = "participants/contract_list.html"
    filterset_class = ContractFilter
    model = SocialContract
    context_object_name = "contracts"

    def get_queryset(self):
        return super().get_queryset().select_related("caseworker")


class PlacementListView(RecordListView):
    permission_required = "participants.view_placement"
    template_name = "participants/placement_list.html"
    filterset_class = PlacementFilter
    model = Placement
    context_object_name = "placements"


def _records(request, model, filterset_class):
    queryset = (
        model.objects.filter(participant__in=participants_for(request.user))
        .select_related("participant")
        .order_by("-start_date", "pk")
    )
    if model is SocialContract:
        queryset = queryset.select_related("caseworker")
    records = list(filterset_class(request.GET, queryset=queryset).qs)
    shown = [r for r in records if not r.participant.processing_restricted]
    people = {r.participant_id: r.participant for r in shown}
    return shown, len(records) - len(shown), list(people.values())


@permission_required("participants.view_socialcontract", raise_exception=True)
def contracts_xlsx(request):
    contracts, withheld, people = _records(request, SocialContract, ContractFilter)
    _logged_export(request, people, "social contracts (XLSX)")
    return xlsx_response(contracts_workbook(contracts, withheld), "kontrakty-socjalne.xlsx")


@permission_required("participants.view_placement", raise_exception=True)
def placements_xlsx(request):
    placements, withheld, people = _records(request, Placement, PlacementFilter)
    _logged_export(request, people, "placements (XLSX)")
    return xlsx_response(placements_workbook(placements, withheld), "staze-i-psu.xlsx")


@permission_required("participants.view_communityevent", raise_exception=True)
def events_xlsx(request):
    """The community events as listed on their page (counts, no names)."""
    events = (
        CommunityEvent.objects.select_related("project")
        .annotate(registry_count=Count("participants"))
        .order_by("-date", "pk")
    )
    access_log(request, AccessLog.Action.EXPORT, None, "community events (XLSX)")
    return xlsx_response(events_workbook(events), "dzialania-srodowiskowe.xlsx")
