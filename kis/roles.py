"""The four roles of KIS, as auth groups with permissions.

`ROLE_PERMISSIONS` is the single definition of what each role may do by default.
Permissions are written "app_label.codename"; "app_label.*" means every permission of
that app. Groups are created, and permissions first granted, by data migrations (see
`grant_role_permissions`), so a permission an administrator later withdraws from a
group stays withdrawn; `manage.py setup_roles` resets the groups to these defaults.
"""

from collections.abc import Iterable

from django.db import transaction

CASEWORKER = "Pracownik socjalny"
MANAGER = "Kierownik"
ADMINISTRATOR = "Administrator"
# Records the project's costs (documents) and follows budget execution; sees no people.
ACCOUNTANT = "Księgowy"

ROLES = (CASEWORKER, MANAGER, ADMINISTRATOR, ACCOUNTANT)

# Recording and correcting the costs of projects from the project's page (outside admin).
SPENDING_WORK = (
    "projects.view_expenditure",
    "projects.add_expenditure",
    "projects.change_expenditure",
    "projects.delete_expenditure",
)

# Registering and supporting people: caseworkers and managers alike (managers of small
# centres do casework too). Deleting is left to administrators.
PARTICIPANT_WORK = (
    "participants.view_participant",
    "participants.add_participant",
    "participants.change_participant",
    "participants.view_sensitive_data",
    "participants.view_familylink",
    "participants.add_familylink",
    "participants.delete_familylink",
    "participants.view_enrolment",
    "participants.add_enrolment",
    "participants.change_enrolment",
    "participants.view_enrolmentevent",
    "participants.add_enrolmentevent",
    "participants.view_diagnosis",
    "participants.add_diagnosis",
    "participants.change_diagnosis",
    "participants.view_goal",
    "participants.add_goal",
    "participants.change_goal",
    "participants.delete_goal",
    "participants.view_employment",
    "participants.add_employment",
    "participants.change_employment",
    "participants.view_exclusiongroup",
    "participants.view_dropoutreason",
    # Support and attendance.
    "participants.view_supportform",
    "participants.view_activity",
    "participants.add_activity",
    "participants.change_activity",
    "participants.view_activityparticipant",
    "participants.add_activityparticipant",
    "participants.change_activityparticipant",
    "participants.delete_activityparticipant",
    "participants.view_session",
    "participants.add_session",
    "participants.change_session",
    "participants.delete_session",
    "participants.view_attendance",
    "participants.add_attendance",
    "participants.change_attendance",
    # Signed attendance lists (scans) and the register of certificates issued.
    "participants.view_attendancescan",
    "participants.add_attendancescan",
    "participants.change_attendancescan",
    "participants.view_certificate",
    "participants.add_certificate",
    "participants.view_socialcontract",
    "participants.add_socialcontract",
    "participants.change_socialcontract",
    "participants.view_placement",
    "participants.add_placement",
    "participants.change_placement",
    "participants.view_communityevent",
    "participants.add_communityevent",
    "participants.change_communityevent",
    # Outcomes: questionnaires at entry and exit (defined by administrators) and
    # follow-ups after leaving.
    "participants.view_questionnaire",
    "participants.view_question",
    "participants.view_scalepoint",
    "participants.view_questionnaireresponse",
    "participants.add_questionnaireresponse",
    "participants.change_questionnaireresponse",
    "participants.view_questionnaireanswer",
    "participants.add_questionnaireanswer",
    "participants.change_questionnaireanswer",
    "participants.view_followup",
    "participants.add_followup",
    "participants.change_followup",
    # One-off help: whoever recorded a contact by mistake (the wrong person or day)
    # deletes it; the audit trail keeps it.
    "participants.view_shortcontact",
    "participants.add_shortcontact",
    "participants.change_shortcontact",
    "participants.delete_shortcontact",
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # Caseworkers see which projects exist, their dates, targets and team (to enrol
    # people), but not the money.
    CASEWORKER: (
        *PARTICIPANT_WORK,
        "projects.view_project",
        "projects.view_indicator",
        "projects.view_indicatorvalue",
        "projects.view_staffmember",
        "projects.view_projectstaff",
    ),
    # Managers follow projects and budgets; administrators configure them in admin.
    MANAGER: (
        *PARTICIPANT_WORK,
        "participants.view_all_participants",
        "participants.export_participant",
        "participants.restrict_processing",
        "participants.merge_participants",
        "projects.view_organisation",
        "projects.view_fundingprogramme",
        "projects.view_project",
        "projects.view_budget",
        "projects.view_indicator",
        # The achieved value of an indicator measured by hand, with its source.
        "projects.view_indicatorvalue",
        "projects.add_indicatorvalue",
        "projects.change_indicatorvalue",
        "projects.view_budgetcategory",
        "projects.view_budgetline",
        *SPENDING_WORK,
        "projects.view_staffmember",
        "projects.view_projectstaff",
        "kis.view_accesslog",
        "auditlog.view_logentry",
        "reports.view_reports",
        "reports.view_annualnarrative",
        "reports.add_annualnarrative",
        "reports.change_annualnarrative",
        # Issuing a report freezes it (reports.issuing); issued reports are read-only.
        "reports.view_issuedreport",
        "reports.add_issuedreport",
    ),
    ADMINISTRATOR: (
        "auth.*",
        # The audit trail is append-only for everybody: reading only.
        "kis.view_accesslog",
        "auditlog.view_logentry",
        "projects.*",
        "participants.*",
        "reports.*",
    ),
    # An accountant sees projects with their budgets and records their costs; no
    # participant data (the project page then shows no people).
    ACCOUNTANT: (
        "projects.view_organisation",
        "projects.view_fundingprogramme",
        "projects.view_project",
        "projects.view_budget",
        "projects.view_indicator",
        "projects.view_budgetcategory",
        "projects.view_budgetline",
        *SPENDING_WORK,
    ),
}


def _matches(pattern: str, app_label: str, codename: str) -> bool:
    pattern_app, pattern_codename = pattern.split(".", 1)
    return pattern_app == app_label and pattern_codename in ("*", codename)


def _wanted(role: str, app_label: str, codename: str) -> bool:
    return any(_matches(p, app_label, codename) for p in ROLE_PERMISSIONS[role])


def _default_permission_ids(role: str, permissions: Iterable) -> list[int]:
    return [p.pk for p in permissions if _wanted(role, p.content_type.app_label, p.codename)]


def grant_role_permissions(apps, app_labels: Iterable[str]) -> None:
    """Data-migration helper: create the role groups and give them their default
    permissions on the models of `app_labels` as they exist at this migration.

    Adds only, never removes, so it is safe to run any number of times.
    """
    from django.contrib.auth.management import create_permissions

    app_labels = list(app_labels)
    for label in app_labels:
        config = apps.get_app_config(label)
        # Permissions are normally created after all migrations ran (post_migrate);
        # create this app's now so that they can be granted.
        original = getattr(config, "models_module", None)
        config.models_module = True
        try:
            create_permissions(config, apps=apps, verbosity=0)
        finally:
            config.models_module = original

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(
        Permission.objects.filter(content_type__app_label__in=app_labels).select_related(
            "content_type"
        )
    )
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.add(*_default_permission_ids(role, permissions))


def resolve_role_permissions(role: str):
    """The Permission objects a role has by default. An explicit codename that does
    not exist is a programming error and raises LookupError."""
    from django.contrib.auth.models import Permission

    permissions = list(Permission.objects.select_related("content_type"))
    existing = {(p.content_type.app_label, p.codename) for p in permissions}
    for pattern in ROLE_PERMISSIONS[role]:
        app_label, codename = pattern.split(".", 1)
        if codename != "*" and (app_label, codename) not in existing:
            raise LookupError(f"Role {role!r}: no permission {pattern!r}")
    return [p for p in permissions if _wanted(role, p.content_type.app_label, p.codename)]


@transaction.atomic
def roles_reset() -> dict[str, int]:
    """Make every role group hold exactly its default permissions (idempotent).

    Returns the number of permissions of each role."""
    from django.contrib.auth.models import Group

    counts = {}
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        permissions = resolve_role_permissions(role)
        group.permissions.set(permissions)
        counts[role] = len(permissions)
    return counts


def user_roles(user) -> list[str]:
    """The role names of a user, in the order of ROLES (for the navigation bar)."""
    if not user.is_authenticated:
        return []
    names = {g.name for g in user.groups.all()}
    return [role for role in ROLES if role in names]
