"""Participants in admin. Every write goes through the services (kis.lib.admin), so
the rules of the app hold here too: restriction and anonymisation, the history of an
enrolment, who may be assigned to an activity. Enrolment history and attendance are
only shown here: they are recorded in the app."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kis.audit import access_log_people
from kis.lib.admin import ReadOnlyInline, ServiceAdmin, adopt, model_fields
from kis.models import AccessLog
from participants import models
from participants.forms.people import require_version, version_field
from participants.services import outcomes as outcome_services
from participants.services import people as services
from participants.services import support as support_services
from participants.services.people import check_version


class ReadLoggedAdmin(admin.ModelAdmin):
    """Opening a record with personal data in admin is a read like opening the card:
    it goes to the access log, once for each person the page shows. So is a list of
    such records: once for each person on the page shown."""

    # The paths from the model to the people its list names, () for a list that names
    # nobody (activities, sessions, events: their own names only).
    list_people: tuple[str, ...] = ("participant",)

    def people_of(self, obj) -> list:
        return [obj.participant]

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        shown = context.get("cl")
        if shown is not None and self.list_people:
            pks = [obj.pk for obj in shown.result_list]
            rows = self.model._default_manager.filter(pk__in=pks)
            ids = {pk for path in self.list_people for pk in rows.values_list(path, flat=True)}
            people = list(models.Participant.objects.filter(pk__in=ids - {None}).only("pk"))
            if people:
                access_log_people(
                    request, AccessLog.Action.VIEW, people, f"admin list: {self.opts.model_name}"
                )
        return response

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
        super().clean()
        data = self.cleaned_data
        if self.instance.pk:
            require_version(self)
            if data.get("version") is not None:
                # Admin saves in a transaction: the row stays locked until it is saved.
                model = type(self.instance)
                current = model.objects.select_for_update().get(pk=self.instance.pk)
                check_version(current, data["version"])
        return data


class VersionedAdmin(admin.ModelAdmin):
    """The service saving the record checks the version again and moves it on."""

    form = VersionedAdminForm

    def get_exclude(self, request, obj=None):
        # The model's own field is not editable (a form naming it is an error); the
        # form's hidden field of the same name is added all the same.
        return [*(super().get_exclude(request, obj) or []), "version"]


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


class EnrolmentInline(ReadOnlyInline):
    model = models.Enrolment
    fk_name = "participant"
    readonly_fields = fields = ("project", "start_date", "status", "status_date", "end_date")
    show_change_link = True
    note = gettext_lazy(
        "A person is enrolled in a project on his or her card in the application (or under "
        "Enrolments here); changes of status are recorded there as the enrolment's history."
    )


class FamilyLinkInline(ReadOnlyInline):
    model = models.FamilyLink
    fk_name = "participant"
    readonly_fields = fields = ("relative", "relation")
    note = gettext_lazy(
        "Family members are linked on the participant's card in the application (or under "
        "Family members here)."
    )


@admin.register(models.Participant)
class ParticipantAdmin(VersionedAdmin, ReadLoggedAdmin, ServiceAdmin):
    list_people = ("pk",)
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
    # Restricting processing (and lifting it) is the managers', on the card.
    readonly_fields = [
        "registered_by",
        "processing_restricted",
        "restriction_reason",
        "anonymised_at",
        "created_at",
        "updated_at",
    ]
    inlines = [EnrolmentInline, FamilyLinkInline]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        # An anonymised person stays anonymous (the services refuse it too).
        if obj is not None and obj.anonymised_at:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.anonymised_at:
            return False
        return super().has_delete_permission(request, obj)

    def people_of(self, obj) -> list:
        return [obj]

    def save_service(self, request, obj, form, change):
        fields = model_fields(form)
        groups = list(form.cleaned_data.get("groups", []))
        if change:
            services.participant_update(
                obj,
                groups=groups,
                expected_version=form.cleaned_data.get("version"),
                editor=request.user,
                **fields,
            )
        else:
            adopt(
                obj,
                services.participant_create(registered_by=request.user, groups=groups, **fields),
            )

    def delete_service(self, request, obj):
        services.participant_delete(participant=obj, user=request.user)


class EnrolmentEventInline(ReadOnlyInline):
    model = models.EnrolmentEvent
    readonly_fields = fields = ("date", "kind", "reason", "situation", "note", "recorded_by")
    note = gettext_lazy(
        "The history is recorded on the participant's card in the application (drop-out, "
        "leaving for a job, return, completion), which keeps the enrolment's status in step "
        "with it."
    )


@admin.register(models.Enrolment)
class EnrolmentAdmin(VersionedAdmin, ReadLoggedAdmin, ServiceAdmin):
    list_display = ["participant", "project", "start_date", "status", "status_date"]
    list_filter = ["status", "project"]
    search_fields = ["participant__search_text", "participant__last_name"]
    list_select_related = ["participant", "project"]
    autocomplete_fields = ["participant"]
    # The status is the latest event's (recorded in the app), never typed in.
    readonly_fields = ["status", "status_date", "end_date"]
    inlines = [EnrolmentEventInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "participant", "project"] if obj is not None else fields

    def save_service(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            adopt(
                obj,
                services.enrolment_update(
                    enrolment=obj,
                    start_date=data["start_date"],
                    referred_from=data.get("referred_from"),
                    referral_note=data.get("referral_note", ""),
                    labour_status_at_start=data.get("labour_status_at_start"),
                    expected_version=data.get("version"),
                    user=request.user,
                ),
            )
        else:
            adopt(
                obj,
                services.enrolment_create(
                    participant=data["participant"],
                    project=data["project"],
                    start_date=data["start_date"],
                    recorded_by=request.user,
                    referred_from=data.get("referred_from"),
                    referral_note=data.get("referral_note", ""),
                    labour_status_at_start=data.get("labour_status_at_start") or None,
                ),
            )

    def delete_service(self, request, obj):
        services.enrolment_delete(enrolment=obj, user=request.user)


@admin.register(models.EnrolmentEvent)
class EnrolmentEventAdmin(ReadLoggedAdmin):
    """Shown only: events are recorded in the app, where the status follows them."""

    list_people = ("enrolment__participant",)

    list_display = ["enrolment", "kind", "date", "reason", "situation"]
    list_filter = ["kind", "reason"]
    date_hierarchy = "date"
    list_select_related = ["enrolment__participant", "enrolment__project", "reason"]
    search_fields = ["enrolment__participant__search_text"]

    def people_of(self, obj) -> list:
        return [obj.enrolment.participant]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _goal_save(request, diagnosis, goal):
    services.diagnosis_goals_save(diagnosis=diagnosis, goals=[goal], user=request.user)


def _goal_delete(request, goal):
    services.diagnosis_goals_save(diagnosis=goal.diagnosis, deleted=[goal], user=request.user)


class GoalInline(admin.TabularInline):
    model = models.Goal
    extra = 0


@admin.register(models.Diagnosis)
class DiagnosisAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_display = ["participant", "date", "has_action_plan"]
    list_select_related = ["participant"]
    search_fields = ["participant__search_text"]
    autocomplete_fields = ["participant"]
    filter_horizontal = ["staff"]
    inlines = [GoalInline]
    inline_services = {models.Goal: (_goal_save, _goal_delete)}

    def save_service(self, request, obj, form, change):
        services.diagnosis_save(
            diagnosis=obj, staff=list(form.cleaned_data.get("staff", [])), user=request.user
        )

    def delete_service(self, request, obj):
        services.diagnosis_delete(diagnosis=obj, user=request.user)


@admin.register(models.Employment)
class EmploymentAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_display = ["participant", "employer", "start_date", "end_date", "contract", "is_long_term"]
    list_filter = ["contract", "is_long_term", "after_internship", "after_socially_useful_work"]
    search_fields = ["participant__search_text", "employer"]
    list_select_related = ["participant"]
    autocomplete_fields = ["participant"]
    date_hierarchy = "start_date"

    def save_service(self, request, obj, form, change):
        services.employment_save(employment=obj, user=request.user)

    def delete_service(self, request, obj):
        services.employment_delete(employment=obj, user=request.user)


@admin.register(models.FamilyLink)
class FamilyLinkAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_people = ("participant", "relative")
    list_display = ["participant", "relative", "relation"]
    autocomplete_fields = ["participant", "relative"]
    list_select_related = ["participant", "relative"]

    def get_readonly_fields(self, request, obj=None):
        # Another pair of people is another link: delete this one and add that.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "participant", "relative"] if obj is not None else fields

    def people_of(self, obj) -> list:
        return [obj.participant, obj.relative]

    def save_service(self, request, obj, form, change):
        if change:
            services.family_link_update(
                link=obj, relation=form.cleaned_data["relation"], user=request.user
            )
        else:
            adopt(
                obj,
                services.family_link_create(
                    participant=obj.participant,
                    relative=obj.relative,
                    relation=obj.relation,
                    user=request.user,
                ),
            )

    def delete_service(self, request, obj):
        services.family_link_delete(link=obj, user=request.user)


@admin.register(models.SupportForm)
class SupportFormAdmin(admin.ModelAdmin):
    list_display = ["name", "reintegration", "mode", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["reintegration", "mode", "is_active"]
    search_fields = ["name"]


def _assignment_save(request, activity, assignment):
    """A new row assigns the person (only people enrolled in the project); a changed
    one marks completion. The person of a saved row stays: remove it, add another."""
    if assignment.pk is None:
        support_services.activity_participants_add(
            activity=activity, participants=[assignment.participant], user=request.user
        )
        completed_on = assignment.completed_on
        adopt(
            assignment,
            models.ActivityParticipant.objects.get(
                activity=activity, participant=assignment.participant
            ),
        )
        if completed_on is None:
            return
        assignment.completed_on = completed_on
    elif (
        models.ActivityParticipant.objects.filter(pk=assignment.pk)
        .exclude(participant_id=assignment.participant_id)
        .exists()
    ):
        raise ValidationError(
            _(
                "The person of an assignment cannot be changed: remove the row and add the "
                "other person."
            )
        )
    support_services.activity_completion_set(
        assignment=assignment, completed_on=assignment.completed_on, user=request.user
    )


def _assignment_delete(request, assignment):
    support_services.activity_participant_remove(assignment=assignment, user=request.user)


class ActivityParticipantInline(admin.TabularInline):
    model = models.ActivityParticipant
    extra = 0
    autocomplete_fields = ["participant"]
    fields = ["participant", "completed_on"]


def _session_save(request, activity, session):
    # A session added here has the activity's staff, as in the app.
    staff = session.staff.all() if session.pk else activity.staff.all()
    support_services.session_save(session=session, staff=list(staff), user=request.user)


def _session_delete(request, session):
    support_services.session_delete(session=session, user=request.user)


class SessionInline(admin.TabularInline):
    model = models.Session
    extra = 0
    fields = ["date", "start_time", "duration_hours", "topic"]
    show_change_link = True


@admin.register(models.Activity)
class ActivityAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_people = ()  # the list names no person
    list_display = ["name", "project", "support_form", "start_date", "end_date", "planned_hours"]
    list_filter = ["support_form", "project"]
    search_fields = ["name", "project__title"]
    list_select_related = ["project", "support_form"]
    filter_horizontal = ["staff"]
    inlines = [ActivityParticipantInline, SessionInline]
    inline_services = {
        models.ActivityParticipant: (_assignment_save, _assignment_delete),
        models.Session: (_session_save, _session_delete),
    }

    def people_of(self, obj) -> list:
        return list(models.Participant.objects.filter(activity_assignments__activity=obj))

    def save_service(self, request, obj, form, change):
        support_services.activity_save(
            activity=obj, staff=list(form.cleaned_data.get("staff", [])), user=request.user
        )

    def delete_service(self, request, obj):
        support_services.activity_delete(activity=obj, user=request.user)


class AttendanceInline(ReadOnlyInline):
    model = models.Attendance
    readonly_fields = fields = ("participant", "status", "dependants", "recorded_by")
    note = gettext_lazy(
        "Attendance is taken with the session's roll call in the application (Activities → "
        "the activity → the session's date), which records who marked it, the dependants "
        "left at the care point, and refuses people whose data may not be processed."
    )


@admin.register(models.Session)
class SessionAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_people = ()  # the list names no person
    list_display = ["activity", "date", "start_time", "duration_hours", "topic", "roll_call_at"]
    list_filter = ["activity__project", "activity"]
    date_hierarchy = "date"
    list_select_related = ["activity"]
    search_fields = ["activity__name", "topic"]
    filter_horizontal = ["staff"]
    inlines = [AttendanceInline]

    def people_of(self, obj) -> list:
        return list(models.Participant.objects.filter(attendance__session=obj))

    def save_service(self, request, obj, form, change):
        support_services.session_save(
            session=obj, staff=list(form.cleaned_data.get("staff", [])), user=request.user
        )

    def delete_service(self, request, obj):
        support_services.session_delete(session=obj, user=request.user)


@admin.register(models.SocialContract)
class SocialContractAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_display = ["number", "participant", "signed_on", "start_date", "end_date", "status"]
    list_filter = ["status"]
    search_fields = ["number", "participant__search_text"]
    date_hierarchy = "signed_on"
    list_select_related = ["participant"]
    autocomplete_fields = ["participant"]

    def save_service(self, request, obj, form, change):
        support_services.social_contract_save(contract=obj, user=request.user)

    def delete_service(self, request, obj):
        support_services.social_contract_delete(contract=obj, user=request.user)


@admin.register(models.Placement)
class PlacementAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_display = ["participant", "kind", "employer_name", "start_date", "end_date", "outcome"]
    list_filter = ["kind", "outcome", "hiring_declared"]
    search_fields = ["participant__search_text", "employer_name", "referral_number"]
    date_hierarchy = "start_date"
    list_select_related = ["participant"]
    autocomplete_fields = ["participant"]

    def save_service(self, request, obj, form, change):
        support_services.placement_save(placement=obj, user=request.user)

    def delete_service(self, request, obj):
        support_services.placement_delete(placement=obj, user=request.user)


@admin.register(models.CommunityEvent)
class CommunityEventAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_people = ()  # the list names no person
    list_display = ["name", "date", "place", "project", "outside_count"]
    list_filter = ["project"]
    search_fields = ["name", "place"]
    date_hierarchy = "date"
    autocomplete_fields = ["participants"]

    def people_of(self, obj) -> list:
        return list(obj.participants.all())

    def save_service(self, request, obj, form, change):
        support_services.community_event_save(
            event=obj,
            participants=list(form.cleaned_data.get("participants", [])),
            user=request.user,
        )

    def delete_service(self, request, obj):
        support_services.community_event_delete(event=obj, user=request.user)


@admin.register(models.Certificate)
class CertificateAdmin(ReadLoggedAdmin):
    """The register of certificates issued, shown only: a certificate is issued by its
    first printing (participants.services.papers.certificate_issue) and never changed."""

    list_people = ("assignment__participant",)

    list_display = ["number_display", "assignment", "issued_on", "issued_by"]
    list_filter = ["year"]
    date_hierarchy = "issued_on"
    list_select_related = ["assignment__participant", "assignment__activity", "issued_by"]
    search_fields = ["assignment__participant__search_text", "assignment__activity__name"]
    ordering = ["-year", "-sequence"]

    def people_of(self, obj) -> list:
        return [obj.assignment.participant]

    @admin.display(description=gettext_lazy("number"), ordering="sequence")
    def number_display(self, obj):
        return obj.number

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- outcomes: questionnaires and follow-ups ----------------------------------------------


def _point_save(request, questionnaire, point):
    outcome_services.scale_point_save(point=point, user=request.user)


def _point_delete(request, point):
    outcome_services.scale_point_delete(point=point, user=request.user)


def _question_save(request, questionnaire, question):
    outcome_services.question_save(question=question, user=request.user)


def _question_delete(request, question):
    outcome_services.question_delete(question=question, user=request.user)


class ScalePointInline(admin.TabularInline):
    model = models.ScalePoint
    extra = 0
    fields = ["value", "label"]


class QuestionInline(admin.TabularInline):
    model = models.Question
    extra = 0
    fields = ["order", "text", "area", "reverse"]


@admin.register(models.Questionnaire)
class QuestionnaireAdmin(ServiceAdmin):
    """Administrators define a questionnaire: its scale (e.g. 1–5 with a label for each
    point), its questions (in areas, some counted in reverse) and the projects it is
    offered in. Caseworkers fill it in on the participant's card."""

    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    filter_horizontal = ["projects"]
    inlines = [ScalePointInline, QuestionInline]
    inline_services = {
        models.ScalePoint: (_point_save, _point_delete),
        models.Question: (_question_save, _question_delete),
    }

    def save_service(self, request, obj, form, change):
        outcome_services.questionnaire_save(
            questionnaire=obj,
            projects=list(form.cleaned_data.get("projects", [])),
            user=request.user,
        )

    def delete_service(self, request, obj):
        outcome_services.questionnaire_delete(questionnaire=obj, user=request.user)


class AnswerInline(ReadOnlyInline):
    model = models.QuestionnaireAnswer
    readonly_fields = fields = ("question", "value")
    note = gettext_lazy(
        "Questionnaires are filled in on the participant's card in the application (the "
        "project's questionnaires at entry and at exit), which checks every answer."
    )


@admin.register(models.QuestionnaireResponse)
class QuestionnaireResponseAdmin(ReadLoggedAdmin, ServiceAdmin):
    """Filled questionnaires are shown here and may be deleted (one filled by mistake);
    they are filled and corrected in the application."""

    list_people = ("enrolment__participant",)

    list_display = ["enrolment", "questionnaire", "moment", "date"]
    list_filter = ["questionnaire", "moment"]
    search_fields = ["enrolment__participant__search_text"]
    list_select_related = ["enrolment__participant", "enrolment__project", "questionnaire"]
    readonly_fields = ["enrolment", "questionnaire", "moment", "date", "note", "filled_by"]
    inlines = [AnswerInline]

    def people_of(self, obj) -> list:
        return [obj.enrolment.participant]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def save_service(self, request, obj, form, change):
        raise PermissionDenied

    def delete_service(self, request, obj):
        outcome_services.questionnaire_response_delete(response=obj, user=request.user)


@admin.register(models.FollowUp)
class FollowUpAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_people = ("enrolment__participant",)
    list_display = ["enrolment", "kind", "exit_date", "date", "situation", "source"]
    list_filter = ["kind", "situation", "source"]
    search_fields = ["enrolment__participant__search_text"]
    list_select_related = ["enrolment__participant", "enrolment__project"]
    date_hierarchy = "date"
    autocomplete_fields = ["enrolment"]
    readonly_fields = ["exit_date", "recorded_by"]

    def get_readonly_fields(self, request, obj=None):
        # A follow-up stays with its enrolment: delete it and record another.
        fields = [str(name) for name in super().get_readonly_fields(request, obj)]
        return [*fields, "enrolment"] if obj is not None else fields

    def people_of(self, obj) -> list:
        return [obj.enrolment.participant]

    def save_service(self, request, obj, form, change):
        outcome_services.follow_up_save(follow_up=obj, user=request.user)

    def delete_service(self, request, obj):
        outcome_services.follow_up_delete(follow_up=obj, user=request.user)


@admin.register(models.ShortContact)
class ShortContactAdmin(ReadLoggedAdmin, ServiceAdmin):
    list_display = ["participant", "date", "kind", "staff", "duration_hours", "project"]
    list_filter = ["kind", "project", "staff"]
    search_fields = ["participant__search_text", "note"]
    date_hierarchy = "date"
    list_select_related = ["participant", "staff", "project"]
    autocomplete_fields = ["participant"]

    def get_readonly_fields(self, request, obj=None):
        # Help recorded for the wrong person is deleted and recorded for the right one.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "participant"] if obj is not None else fields

    def save_service(self, request, obj, form, change):
        data = form.cleaned_data
        fields = {
            name: data.get(name) for name in ("date", "kind", "staff", "duration_hours", "project")
        }
        if change:
            support_services.contact_update(
                contact=obj, note=data.get("note", ""), user=request.user, **fields
            )
        else:
            adopt(
                obj,
                support_services.contact_create(
                    participant=data["participant"],
                    note=data.get("note", ""),
                    user=request.user,
                    **fields,
                ),
            )

    def delete_service(self, request, obj):
        support_services.contact_delete(contact=obj, user=request.user)
