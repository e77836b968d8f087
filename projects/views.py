from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from kis.lib.http import SignedInRequest
from participants.selectors.people import project_enrolment_counts
from participants.views.people import add_validation_error
from projects.forms import IndicatorValueForm
from projects.models import Indicator, IndicatorValue, Project
from projects.selectors import budget_execution, organisation_get, project_list, project_team
from projects.services import indicator_value_save


class ProjectListView(PermissionRequiredMixin, ListView):
    permission_required = "projects.view_project"
    template_name = "projects/project_list.html"
    context_object_name = "projects"

    def get_queryset(self):
        return project_list()


class ProjectDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "projects.view_project"
    template_name = "projects/project_detail.html"
    context_object_name = "project"

    def get_queryset(self):
        return project_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        indicators = project.indicators.all()
        if self.request.user.has_perm("projects.view_indicatorvalue"):
            # The history of the values entered by hand, newest first.
            indicators = indicators.prefetch_related(
                Prefetch("values", queryset=IndicatorValue.objects.select_related("recorded_by"))
            )
        context["indicators"] = indicators
        context["team"] = project_team(project)
        # Money is for managers; caseworkers see dates, targets and the team.
        if self.request.user.has_perm("projects.view_budget"):
            context["execution"] = budget_execution(project)
        if self.request.user.has_perm("participants.view_enrolment"):
            context["enrolment_counts"] = project_enrolment_counts(project)
        return context


class IndicatorValueFormView(PermissionRequiredMixin, FormView):
    """Enter the achieved value of an indicator measured by hand (a manager, from the
    project's page), or correct one; back to the project's indicators."""

    form_class = IndicatorValueForm
    template_name = "projects/indicator_value_form.html"
    request: SignedInRequest

    def get_permission_required(self):
        if "value_pk" in self.kwargs:
            return ["projects.change_indicatorvalue"]
        return ["projects.add_indicatorvalue"]

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.project = get_object_or_404(Project, pk=kwargs["pk"])
        manual = Indicator.objects.filter(project=self.project, measure=Indicator.Measure.MANUAL)
        if "value_pk" in kwargs:
            self.value = get_object_or_404(
                IndicatorValue.objects.select_related("indicator__project"),
                pk=kwargs["value_pk"],
                indicator__in=manual,
            )
        else:
            indicator = get_object_or_404(manual, pk=kwargs["indicator_pk"])
            self.value = IndicatorValue(indicator=indicator)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.value}

    def get_success_url(self):
        return reverse("projects:detail", args=[self.project.pk]) + "#h-indicators"

    def get_context_data(self, **kwargs):
        indicator = self.value.indicator
        return {
            **super().get_context_data(**kwargs),
            "project": self.project,
            "indicator": indicator,
            "title": _("Achieved value: %(indicator)s") % {"indicator": indicator.name},
            "history": indicator.values.exclude(pk=self.value.pk).order_by("-date", "-pk"),
            "cancel_url": self.get_success_url(),
        }

    def form_valid(self, form):
        try:
            indicator_value_save(value=form.instance, user=self.request.user)
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("The achieved value has been saved."))
        return redirect(self.get_success_url())


def organisation_logo(request):
    """The centre's logo, served by the app (any signed-in user: it heads every page)."""
    organisation = organisation_get()
    if not organisation or not organisation.logo:
        raise Http404
    return FileResponse(organisation.logo.open("rb"))
