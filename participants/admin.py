from django import forms
from django.contrib import admin

from kis.audit import access_log_people
from kis.models import AccessLog
from participants import models
from participants.forms.people import require_version, version_field
from participants.services.people import check_version


class ReadLoggedAdmin(admin.ModelAdmin):
    """Opening a record with personal data in admin is a read like opening the card:
    it goes to the access log, once for each person the page shows."""

    def people_of(self, obj) -> list:
        return [obj.participant]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            access_log_people(
                request,
                AccessLog.Action.VIEW,
                self.people_of(obj),
                f"admin: {self.opts.model_name} {obj.pk}",
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


class VersionedAdminForm(forms.ModelForm):
    """The admin form of a record with optimistic locking carries the version it was
    opened with, like the app's forms; a save over somebody else's is refused."""

    version = version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            require_version(self)
            if data.get("version") is not None:
                # Admin saves in a transaction: the row stays locked until it is saved.
                model = type(self.instance)
                current = model.objects.select_for_update().get(pk=self.instance.pk)
                check_version(current, data["version"])
        return data


class VersionedAdmin(admin.ModelAdmin):
    form = VersionedAdminForm

    def get_exclude(self, request, obj=None):
        # The model's own field is not editable (a form naming it is an error); the
        # form's hidden field of the same name is added all the same.
        return [*(super().get_exclude(request, obj) or []), "version"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = form.cleaned_data["version"] + 1
        super().save_model(request, obj, form, change)


@admin.register(models.ExclusionGroup)
class ExclusionGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "is_statutory", "is_sensitive", "order", "is_active"]
    list_editable = ["is_statutory", "is_sensitive", "order", "is_active"]
    list_filter = ["is_statutory", "is_sensitive", "is_active"]
    search_fields = ["name"]


@admin.register(models.DropoutReason)
class DropoutReasonAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["name"]


class EnrolmentInline(admin.TabularInline):
    model = models.Enrolment
    fk_name = "participant"
    extra = 0
    fields = ["project", "start_date", "status", "status_date", "end_date"]
    readonly_fields = ["status", "status_date", "end_date"]
    show_change_link = True


class FamilyLinkInline(admin.TabularInline):
    model = models.FamilyLink
    fk_name = "participant"
    extra = 0
    autocomplete_fields = ["relative"]


@admin.register(models.Participant)
class ParticipantAdmin(VersionedAdmin, ReadLoggedAdmin):
    list_display = ["last_name", "first_name", "birth_date", "sex", "city", "created_at"]
    list_filter = [
        "sex",
        "labour_status",
        "education",
        "processing_restricted",
        "anonymised_at",
        "groups",
    ]
    search_fields = ["search_text", "last_name", "pesel"]
    filter_horizontal = ["groups"]
    readonly_fields = ["registered_by", "anonymised_at", "created_at", "updated_at"]

    def has_change_permission(self, request, obj=None):
        # An anonymised person stays anonymous.
        if obj is not None and obj.anonymised_at:
            return False
        return super().has_change_permission(request, obj)

    inlines = [EnrolmentInline, FamilyLinkInline]
    date_hierarchy = "created_at"

    def people_of(self, obj) -> list:
        return [obj]


class EnrolmentEventInline(admin.TabularInline):
    model = models.EnrolmentEvent
    extra = 0
    fields = ["date", "kind", "reason", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(models.Enrolment)
class EnrolmentAdmin(VersionedAdmin, ReadLoggedAdmin):
    list_display = ["participant", "project", "start_date", "status", "status_date"]
    list_filter = ["status", "project"]
    search_fields = ["participant__search_text", "participant__last_name"]
    list_select_related = ["participant", "project"]
    autocomplete_fields = ["participant"]
    inlines = [EnrolmentEventInline]


@admin.register(models.EnrolmentEvent)
class EnrolmentEventAdmin(ReadLoggedAdmin):
    list_display = ["enrolment", "kind", "date", "reason"]
    list_filter = ["kind", "reason"]
    date_hierarchy = "date"
    list_select_related = ["enrolment__participant", "enrolment__project", "reason"]
    search_fields = ["enrolment__participant__search_text"]

    def people_of(self, obj) -> list:
        return [obj.enrolment.participant]


class GoalInline(admin.TabularInline):
    model = models.Goal
    extra = 0


@admin.register(models.Diagnosis)
class DiagnosisAdmin(ReadLoggedAdmin):
    list_display = ["participant", "date", "has_action_plan"]
    list_select_related = ["participant"]
    search_fields = ["participant__search_text"]
    autocomplete_fields = ["participant"]
    filter_horizontal = ["staff"]
    inlines = [GoalInline]


@admin.register(models.Employment)
class EmploymentAdmin(ReadLoggedAdmin):
    list_display = ["participant", "employer", "start_date", "end_date", "contract", "is_long_term"]
    list_filter = ["contract", "is_long_term", "after_internship", "after_socially_useful_work"]
    search_fields = ["participant__search_text", "employer"]
    list_select_related = ["participant"]
    autocomplete_fields = ["participant"]
    date_hierarchy = "start_date"


@admin.register(models.FamilyLink)
class FamilyLinkAdmin(ReadLoggedAdmin):
    list_display = ["participant", "relative", "relation"]
    autocomplete_fields = ["participant", "relative"]
    list_select_related = ["participant", "relative"]

    def people_of(self, obj) -> list:
        return [obj.participant, obj.relative]


@admin.register(models.SupportForm)
class SupportFormAdmin(admin.ModelAdmin):
    list_display = ["name", "reintegration", "mode", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["reintegration", "mode", "is_active"]
    search_fields = ["name"]


class ActivityParticipantInline(admin.TabularInline):
    model = models.ActivityParticipant
    extra = 0
    autocomplete_fields = ["participant"]
    fields = ["participant", "completed_on"]


class SessionInline(admin.TabularInline):
    model = models.Session
    extra = 0
    fields = ["date", "start_time", "duration_hours", "topic"]
    show_change_link = True


@admin.register(models.Activity)
class ActivityAdmin(ReadLoggedAdmin):
    list_display = ["name", "project", "support_form", "start_date", "end_date", "planned_hours"]
    list_filter = ["support_form", "project"]
    search_fields = ["name", "project__title"]
    list_select_related = ["project", "support_form"]
    filter_horizontal = ["staff"]
    inlines = [ActivityParticipantInline, SessionInline]

    def people_of(self, obj) -> list:
        return list(models.Participant.objects.filter(activity_assignments__activity=obj))


class AttendanceInline(admin.TabularInline):
    model = models.Attendance
    extra = 0
    autocomplete_fields = ["participant"]
    fields = ["participant", "status", "recorded_by"]
    readonly_fields = ["recorded_by"]


@admin.register(models.Session)
class SessionAdmin(ReadLoggedAdmin):
    list_display = ["activity", "date", "start_time", "duration_hours", "topic", "roll_call_at"]
    list_filter = ["activity__project", "activity"]
    date_hierarchy = "date"
    list_select_related = ["activity"]
    search_fields = ["activity__name", "topic"]
    filter_horizontal = ["staff"]
    inlines = [AttendanceInline]

    def people_of(self, obj) -> list:
        return list(models.Participant.objects.filter(attendance__session=obj))


@admin.register(models.SocialContract)
class SocialContractAdmin(ReadLoggedAdmin):
    list_display = ["number", "participant", "signed_on", "start_date", "end_date", "status"]
    list_filter = ["status"]
    search_fields = ["number", "participant__search_text"]
    date_hierarchy = "signed_on"
    list_select_related = ["participant"]
    autocomplete_fields = ["participant"]


@admin.register(models.Placement)
class PlacementAdmin(ReadLoggedAdmin):
    list_display = ["participant", "kind", "employer_name", "start_date", "end_date", "outcome"]
    list_filter = ["kind", "outcome", "hiring_declared"]
    search_fields = ["participant__search_text", "employer_name", "referral_number"]
    date_hierarchy = "start_date"
    list_select_related = ["participant"]
    autocomplete_fields = ["participant"]


@admin.register(models.CommunityEvent)
class CommunityEventAdmin(ReadLoggedAdmin):
    list_display = ["name", "date", "place", "project", "outside_count"]
    list_filter = ["project"]
    search_fields = ["name", "place"]
    date_hierarchy = "date"
    autocomplete_fields = ["participants"]

    def people_of(self, obj) -> list:
        return list(obj.participants.all())
