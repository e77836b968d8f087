"""Projects, programmes, budgets and staff in admin, where administrators configure
them. Every write goes through projects.services (kis.lib.admin.ServiceAdmin): the
rules across records (a project's dates and its records, a programme's rate and its
projects) hold here as anywhere else."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models as db_models
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from kis.lib.admin import ServiceAdmin
from kis.lib.formats import format_money, format_percent
from projects import models, services
from projects.selectors import budget_execution
from projects.services import budget_plan_warnings, overspending_warnings


class MoneyColumnsMixin:
    """Money columns in the Polish format (207 209,61 zł) in change lists."""

    @admin.display(description=_("total value"), ordering="total_value")
    def total_value_display(self, obj):
        return format_money(obj.total_value)

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return format_money(obj.amount)

    @admin.display(description=_("planned amount"), ordering="planned_amount")
    def planned_amount_display(self, obj):
        return format_money(obj.planned_amount)


@admin.register(models.Organisation)
class OrganisationAdmin(ServiceAdmin):
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "club_name", "city", "regon"]
    fieldsets = [
        (_("Centre"), {"fields": ["name", "short_name", "director", "regon", "nip", "krs"]}),
        (
            _("Address and contact"),
            {"fields": ["street", "postal_code", "city", "phone", "email", "website"]},
        ),
        (_("Club"), {"fields": ["club_name", "club_manager", "logo", "contract_number_pattern"]}),
        (
            _("Territory (the default for new participants)"),
            {
                "fields": ["voivodeship", "county", "municipality", "municipality_code", "degurba"],
                "description": _(
                    "Most participants live in the centre's municipality: a new "
                    "participant's form starts with these, for EU monitoring. The report to "
                    "the voivode is addressed to this voivodeship's voivode."
                ),
            },
        ),
        (
            _("Data protection officer"),
            {
                "fields": ["dpo_name", "dpo_email", "dpo_phone"],
                "description": _(
                    "Named in the information clause (art. 13 GDPR) that participants "
                    "sign; left empty, the clause prints a blank line to fill in by hand."
                ),
            },
        ),
    ]

    def has_add_permission(self, request):
        # One profile heads every page and report.
        return super().has_add_permission(request) and not models.Organisation.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_service(self, request, obj, form, change):
        services.organisation_save(organisation=obj, user=request.user)

    def delete_service(self, request, obj):
        raise PermissionDenied


@admin.register(models.FundingProgramme)
class FundingProgrammeAdmin(ServiceAdmin):
    list_display = ["short_name", "name", "kind", "priority", "measure", "action", "rate_display"]
    list_filter = ["kind"]
    search_fields = ["short_name", "name", "priority", "measure", "action"]

    @admin.display(description=_("max. co-financing"), ordering="max_cofinancing_rate")
    def rate_display(self, obj):
        return (
            format_percent(obj.max_cofinancing_rate)
            if obj.max_cofinancing_rate is not None
            else "–"
        )

    def save_service(self, request, obj, form, change):
        services.programme_save(programme=obj, user=request.user)

    def delete_service(self, request, obj):
        services.programme_delete(programme=obj, user=request.user)


def _inline(save, delete, name: str):
    """(save, delete) of an inline's rows through the services `save`/`delete`, which
    take the row as keyword `name`."""
    return (
        lambda request, parent, obj: save(**{name: obj}, user=request.user),
        lambda request, obj: delete(**{name: obj}, user=request.user),
    )


INDICATOR = _inline(services.indicator_save, services.indicator_delete, "indicator")
BUDGET_LINE = _inline(services.budget_line_save, services.budget_line_delete, "line")
EXPENDITURE = _inline(services.expenditure_save, services.expenditure_delete, "expenditure")
PROJECT_STAFF = _inline(services.project_staff_save, services.project_staff_delete, "assignment")
INDICATOR_VALUE = _inline(services.indicator_value_save, services.indicator_value_delete, "value")


class IndicatorInline(admin.TabularInline):
    model = models.Indicator
    extra = 0
    show_change_link = True
    # Every field the indicator's rules speak of (Indicator.clean), so that each error
    # is shown next to its field.
    fields = [
        "order",
        "name",
        "kind",
        "nature",
        "unit",
        "measure",
        "questionnaire",
        "questionnaire_area",
        "follow_up_kind",
        "follow_up_situation",
        "target_total",
        "target_women",
        "target_men",
        "measurement",
    ]


class BudgetLineInline(admin.TabularInline):
    model = models.BudgetLine
    extra = 0
    fields = ["year", "category", "planned_amount"]
    ordering = ["year", "category__order"]


class ExpenditureInline(admin.TabularInline):
    model = models.Expenditure
    extra = 0
    fields = ["date", "category", "amount", "source", "document_number", "description"]
    ordering = ["-date"]
    show_change_link = True


class ProjectStaffInline(admin.TabularInline):
    model = models.ProjectStaff
    extra = 0
    autocomplete_fields = ["staff_member"]
    fields = ["staff_member", "role", "hours_per_week"]


@admin.register(models.Project)
class ProjectAdmin(MoneyColumnsMixin, ServiceAdmin):
    list_display = [
        "title",
        "number",
        "programme",
        "start_date",
        "end_date",
        "total_value_display",
        "status",
    ]
    list_filter = ["status", "is_club_programme", "programme"]
    search_fields = ["title", "number", "funding_decision"]
    date_hierarchy = "start_date"
    list_select_related = ["programme"]
    inlines = [IndicatorInline, BudgetLineInline, ExpenditureInline, ProjectStaffInline]
    inline_services = {
        models.Indicator: INDICATOR,
        models.BudgetLine: BUDGET_LINE,
        models.Expenditure: EXPENDITURE,
        models.ProjectStaff: PROJECT_STAFF,
    }
    readonly_fields = ["cofinancing_rate_display", "budget_summary"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "number",
                    "programme",
                    "is_club_programme",
                    "status",
                    "logo_strip",
                    "follows_up",
                ]
            },
        ),
        (
            _("Funding decision and dates"),
            {
                "fields": [
                    "funding_decision",
                    "decision_date",
                    ("ranking_position", "ranking_total"),
                    "start_date",
                    "end_date",
                ]
            },
        ),
        (
            _("Value"),
            {
                "fields": [
                    "total_value",
                    "cofinancing",
                    "own_contribution",
                    "cofinancing_rate_display",
                ],
                "description": _("The total value must equal co-financing plus own contribution."),
            },
        ),
        (
            _("Targets"),
            {"fields": ["target_participants", "target_groups", "partners", "description"]},
        ),
        (_("Budget execution"), {"fields": ["budget_summary"]}),
    ]

    @admin.display(description=_("co-financing rate"))
    def cofinancing_rate_display(self, obj):
        return (
            format_percent(obj.cofinancing_rate)
            if obj.pk and obj.cofinancing_rate is not None
            else "–"
        )

    @admin.display(description=_("planned vs spent"))
    def budget_summary(self, obj):
        if not obj.pk:
            return "–"
        return render_to_string(
            "projects/fragments/budget_execution.html", {"execution": budget_execution(obj)}
        )

    def save_service(self, request, obj, form, change):
        services.project_save(project=obj, user=request.user)

    def delete_service(self, request, obj):
        services.project_delete(project=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        for warning in [
            *budget_plan_warnings(form.instance),
            *overspending_warnings(form.instance),
        ]:
            messages.warning(request, warning)


class IndicatorValueInline(admin.TabularInline):
    model = models.IndicatorValue
    extra = 0
    fields = ["date", "value_total", "value_women", "value_men", "source", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(models.Indicator)
class IndicatorAdmin(ServiceAdmin):
    list_display = [
        "name",
        "project",
        "kind",
        "nature",
        "unit",
        "measure",
        "target_total",
        "target_women",
        "target_men",
    ]
    list_filter = ["kind", "nature", "measure", "project"]
    search_fields = ["name", "project__title"]
    list_select_related = ["project"]
    inlines = [IndicatorValueInline]
    inline_services = {models.IndicatorValue: INDICATOR_VALUE}

    def save_service(self, request, obj, form, change):
        services.indicator_save(indicator=obj, user=request.user)

    def delete_service(self, request, obj):
        services.indicator_delete(indicator=obj, user=request.user)


@admin.register(models.IndicatorValue)
class IndicatorValueAdmin(ServiceAdmin):
    """Values of indicators entered by hand, kept as a history (also entered by a
    manager from the project's page in the application)."""

    list_display = ["indicator", "date", "value_total", "value_women", "value_men", "source"]
    list_filter = ["indicator__project"]
    search_fields = ["indicator__name", "source"]
    list_select_related = ["indicator"]
    date_hierarchy = "date"
    readonly_fields = ["recorded_by"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            kwargs["queryset"] = models.Indicator.objects.filter(
                measure=models.Indicator.Measure.MANUAL
            ).select_related("project")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_service(self, request, obj, form, change):
        services.indicator_value_save(value=obj, user=request.user)

    def delete_service(self, request, obj):
        services.indicator_value_delete(value=obj, user=request.user)


@admin.register(models.BudgetCategory)
class BudgetCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "description", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


@admin.register(models.BudgetLine)
class BudgetLineAdmin(MoneyColumnsMixin, ServiceAdmin):
    list_display = ["project", "year", "category", "planned_amount_display"]
    list_filter = ["year", "category", "project"]
    search_fields = ["project__title", "project__number"]
    list_select_related = ["project", "category"]

    def save_service(self, request, obj, form, change):
        services.budget_line_save(line=obj, user=request.user)

    def delete_service(self, request, obj):
        services.budget_line_delete(line=obj, user=request.user)


@admin.register(models.Expenditure)
class ExpenditureAdmin(MoneyColumnsMixin, ServiceAdmin):
    list_display = ["date", "project", "category", "amount_display", "source", "document_number"]
    list_filter = ["source", "category", "project"]
    search_fields = ["document_number", "description", "project__title"]
    date_hierarchy = "date"
    list_select_related = ["project", "category"]

    def save_service(self, request, obj, form, change):
        _expenditure, warnings = services.expenditure_save(expenditure=obj, user=request.user)
        for warning in warnings:
            messages.warning(request, warning)

    def delete_service(self, request, obj):
        services.expenditure_delete(expenditure=obj, user=request.user)


class StaffProjectInline(admin.TabularInline):
    model = models.ProjectStaff
    extra = 0
    fields = ["project", "role", "hours_per_week"]


@admin.register(models.StaffMember)
class StaffMemberAdmin(ServiceAdmin):
    list_display = [
        "last_name",
        "first_name",
        "sex",
        "role",
        "employment_type",
        "hours_per_week",
        "is_active",
    ]
    list_filter = ["role", "employment_type", "is_active", "sex"]
    search_fields = ["last_name", "first_name", "email"]
    autocomplete_fields = ["user"]
    inlines = [StaffProjectInline]
    inline_services = {models.ProjectStaff: PROJECT_STAFF}

    def save_service(self, request, obj, form, change):
        services.staff_member_save(member=obj, user=request.user)

    def delete_service(self, request, obj):
        services.staff_member_delete(member=obj, user=request.user)


@admin.register(models.ProjectStaff)
class ProjectStaffAdmin(ServiceAdmin):
    list_display = ["staff_member", "project", "role", "hours_per_week"]
    list_filter = ["project", "role"]
    search_fields = ["staff_member__last_name", "project__title"]
    list_select_related = ["staff_member", "project"]

    def save_service(self, request, obj, form, change):
        services.project_staff_save(assignment=obj, user=request.user)

    def delete_service(self, request, obj):
        services.project_staff_delete(assignment=obj, user=request.user)
