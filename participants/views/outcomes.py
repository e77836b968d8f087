"""Outcomes in the app: a questionnaire filled for an enrolment at entry or at exit,
follow-up contacts after a person left a project, and the list of follow-ups due."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kis.audit import access_log_people
from kis.models import AccessLog
from participants.forms.outcomes import FollowUpForm, QuestionnaireForm
from participants.models import (
    Enrolment,
    FollowUp,
    FollowUpKind,
    Questionnaire,
    QuestionnaireResponse,
)
from participants.selectors.outcomes import follow_up_steps, follow_ups_due
from participants.services.outcomes import follow_up_save, questionnaire_fill
from participants.views.people import ParticipantChildFormView, add_validation_error, log_refusal
from projects.models import Project

Moment = QuestionnaireResponse.Moment


class QuestionnaireFillView(ParticipantChildFormView):
    """A questionnaire of an enrolment at entry or at exit, on one page; the same page
    corrects it once filled."""

    form_class = QuestionnaireForm
    template_name = "participants/questionnaire_form.html"

    def load(self, **kwargs) -> None:
        self.enrolment = get_object_or_404(
            Enrolment.objects.select_related("project"),
            pk=kwargs["pk"],
            participant=self.participant,
        )
        if kwargs["moment"] not in Moment.values:
            raise Http404
        self.moment = kwargs["moment"]
        self.questionnaire = get_object_or_404(
            Questionnaire.objects.prefetch_related("projects"), pk=kwargs["questionnaire_pk"]
        )
        self.response = (
            QuestionnaireResponse.objects.filter(
                enrolment=self.enrolment, questionnaire=self.questionnaire, moment=self.moment
            )
            .prefetch_related("answers")
            .first()
        )
        offered = self.questionnaire.is_active and self.questionnaire.offered_in(
            self.enrolment.project_id
        )
        if self.response is None and not offered:
            raise Http404

    def get_permission_required(self):
        # The record is known only after the permission check (dispatch): adding needs
        # "add", and correcting needs "change" too, checked again by the service.
        return ["participants.add_questionnaireresponse"]

    def read(self) -> str:
        return f"questionnaire {self.response.pk}" if self.response else ""

    @property
    def title(self):
        return _("%(questionnaire)s, %(moment)s: %(project)s") % {
            "questionnaire": self.questionnaire,
            "moment": Moment(self.moment).label,
            "project": self.enrolment.project,
        }

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "questions": list(self.questionnaire.questions.all()),
            "points": list(self.questionnaire.points.all()),
            "response": self.response,
        }

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "questionnaire": self.questionnaire,
            "enrolment": self.enrolment,
            "response": self.response,
        }

    def form_valid(self, form):
        try:
            questionnaire_fill(
                enrolment=self.enrolment,
                questionnaire=self.questionnaire,
                moment=self.moment,
                date=form.cleaned_data["date"],
                answers=form.answers(),
                note=form.cleaned_data["note"],
                user=self.request.user,
            )
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The questionnaire has been saved."))
        return super().form_valid(form)


class FollowUpFormView(ParticipantChildFormView):
    """A contact after the person left a project: new (from the enrolment, the kind
    chosen by ?kind=) or corrected."""

    form_class = FollowUpForm
    template_name = "participants/follow_up_form.html"

    def get_permission_required(self):
        return [
            "participants.change_followup"
            if "follow_up_pk" in self.kwargs
            else "participants.add_followup"
        ]

    def load(self, **kwargs) -> None:
        if "follow_up_pk" in kwargs:
            self.instance = get_object_or_404(
                FollowUp.objects.select_related("enrolment__project"),
                pk=kwargs["follow_up_pk"],
                enrolment__participant=self.participant,
            )
            self.enrolment = self.instance.enrolment
        else:
            self.enrolment = get_object_or_404(
                Enrolment.objects.select_related("project"),
                pk=kwargs["pk"],
                participant=self.participant,
            )
            self.instance = FollowUp(enrolment=self.enrolment)

    def get(self, request, *args, **kwargs):
        if self.instance.pk is None and self.enrolment.end_date is None:
            messages.error(
                request,
                _("The person is still taking part in the project: there is no exit to follow."),
            )
            return redirect(self.get_success_url())
        return super().get(request, *args, **kwargs)

    def read(self) -> str:
        return f"follow-up form {self.instance.pk}" if self.instance.pk else ""

    @property
    def title(self):
        return _("Follow-up after leaving: %(project)s") % {"project": self.enrolment.project}

    def get_initial(self):
        kind = self.request.GET.get("kind", "")
        return {"kind": kind} if kind in FollowUpKind.values else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.instance}

    def get_context_data(self, **kwargs):
        exit_date = self.instance.exit_date if self.instance.pk else self.enrolment.end_date
        steps = (
            follow_up_steps(exit_date, self.enrolment.follow_ups.all(), timezone.localdate())
            if exit_date
            else []
        )
        return {
            **super().get_context_data(**kwargs),
            "exit_date": exit_date,
            "steps": steps,
        }

    def form_valid(self, form):
        try:
            follow_up_save(follow_up=form.instance, user=self.request.user)
        except ValidationError as error:
            log_refusal(self.request, error)
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The follow-up has been recorded."))
        return super().form_valid(form)


@permission_required("participants.view_followup", raise_exception=True)
def follow_up_list(request):
    """People whose participation ended and whose follow-up is to be made now or is
    overdue (participants.selectors.outcomes.follow_ups_due), each follow-up one click
    from its form."""
    projects = Project.objects.filter(follows_up=True).order_by("-start_date", "title")
    project = None
    if request.GET.get("project", "").isdigit():
        project = get_object_or_404(projects, pk=request.GET["project"])
    only_overdue = request.GET.get("overdue") == "1"
    rows = follow_ups_due(request.user, project=project)
    if only_overdue:
        rows = [row for row in rows if row.overdue]
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    access_log_people(
        request, AccessLog.Action.VIEW, [row.participant for row in page], "follow-ups due"
    )
    return render(
        request,
        "participants/follow_up_list.html",
        {
            "page": page,
            "rows": page.object_list,
            "projects": projects,
            "project": project,
            "only_overdue": only_overdue,
            "today": timezone.localdate(),
        },
    )
