"""The navigation bar: one list of the app's areas, each shown to whoever may use it.

Later areas add an entry here; the dashboard shows the same entries as tiles.
"""

from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    description: str | Promise = ""
    # Any one of these permissions lets the user see the entry; empty = every user.
    permissions: tuple[str, ...] = ()
    staff_only: bool = False

    def visible_to(self, user) -> bool:
        if self.staff_only and not user.is_staff:
            return False
        return not self.permissions or any(user.has_perm(p) for p in self.permissions)


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(_("Dashboard"), "dashboard"),
    NavItem(
        _("Participants"),
        "participants:list",
        _("The register of participants: enrolments, action plans, outcomes."),
        permissions=("participants.view_participant",),
    ),
    NavItem(
        _("Import"),
        "participants:import_list",
        _("Participants from a spreadsheet, checked row by row before saving; undo."),
        permissions=("participants.add_participant",),
    ),
    NavItem(
        _("Activities"),
        "participants:activity_list",
        _("Trainings, workshops, counselling and groups: sessions and roll calls."),
        permissions=("participants.view_activity",),
    ),
    NavItem(
        # The name the page, the reports and the card use (not "Wydarzenia").
        _("Community events"),
        "participants:event_list",
        _("Picnics, trips and gatherings, also for people outside the projects."),
        permissions=("participants.view_communityevent",),
    ),
    NavItem(
        _("Follow-ups"),
        "participants:follow_up_list",
        _("People who left a project: their situation 4 weeks, 3 and 6 months later."),
        permissions=("participants.view_followup",),
    ),
    NavItem(
        _("Projects"),
        "projects:list",
        _("Projects, their targets, team and budget execution."),
        permissions=("projects.view_project",),
    ),
    NavItem(
        _("Reports"),
        "reports:index",
        _("The annual summary, project reports and the report to the voivode."),
        permissions=("reports.view_reports",),
    ),
    NavItem(
        _("Audit"),
        "audit",
        _("Who saw and changed what: reads, exports, logins and changes."),
        permissions=("kis.view_accesslog",),
    ),
    NavItem(
        _("Administration"),
        "admin:index",
        _("Configuration: users, roles, projects, budgets and catalogues."),
        staff_only=True,
    ),
)


def navigation_for(user, path: str = "") -> list[dict]:
    """The entries a user may see, with their URLs and whether each is the current one."""
    items: list[dict[str, Any]] = []
    for item in NAVIGATION:
        if not item.visible_to(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # an area switched off in this installation
            continue
        items.append(
            {
                "label": item.label,
                "url": url,
                "description": item.description,
                "current": False,
                "url_name": item.url_name,
            }
        )
    # The current area is the one with the longest URL the path starts with
    # (/participants/activities/… is "Activities", not "Participants").
    matching = [
        i for i in items if path == i["url"] or (i["url"] != "/" and path.startswith(i["url"]))
    ]
    if matching:
        max(matching, key=lambda i: len(i["url"]))["current"] = True
    return items
