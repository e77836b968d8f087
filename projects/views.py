from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView, TemplateView

from kis.lib.formats import format_money
from kis.lib.http import SignedInRequest
from participants.selectors.people import project_enrolment_counts
from participants.views.people import add_validation_error
from projects.forms import ExpenditureForm, IndicatorValueForm
from projects.models import BudgetCategory, Expenditure, Indicator, IndicatorValue, Project
from projects.selectors import (
    budget_execution,
    expenditure_documents,
    organisation_get,
    project_list,
    project_team,
)
from projects.services import expenditure_delete, expenditure_save, indicator_value_save


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
            if self.request.user.has_perm("projects.view_expenditure"):
                context["spent_url"] = reverse("projects:expenditure_list", args=[project.pk])
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


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


class ExpenditureListView(PermissionRequiredMixin, TemplateView):
    """The documents behind a "spent" figure of the project's budget execution: the
    project's costs of a year, a category and/or a source (from the query string, as
    the figure's link sets them), with their total; 100 a page."""

    permission_required = ("projects.view_budget", "projects.view_expenditure")
    template_name = "projects/expenditure_list.html"

    def get_context_data(self, **kwargs):
        project = get_object_or_404(Project, pk=self.kwargs["pk"])
        query = self.request.GET
        year = _int_or_none(query.get("year"))
        category_id = _int_or_none(query.get("category"))
        category = BudgetCategory.objects.filter(pk=category_id).first() if category_id else None
        sources = dict(Expenditure.Source.choices)
        source = query.get("source") if query.get("source") in sources else None
        documents = expenditure_documents(
            project, year=year, category_id=category.pk if category else None, source=source
        )
        page = Paginator(documents.rows, 100).get_page(query.get("page"))
        narrowed = "&".join(
            f"{key}={value}"
            for key, value in (
                ("year", year),
                ("category", category.pk if category else None),
                ("source", source),
            )
            if value is not None
        )
        return {
            **super().get_context_data(**kwargs),
            "project": project,
            "documents": documents,
            "page": page,
            "year": year,
            "category": category,
            "source_label": sources.get(source) if source else None,
            "narrowed": narrowed,
        }


class ExpenditureFormView(PermissionRequiredMixin, FormView):
    """Record a cost of the project from its document, or correct one (managers and
    accountants, on the project's page); through `expenditure_save`. An overspent budget
    line is allowed (every real cost is recorded) and said in a warning."""

    form_class = ExpenditureForm
    template_name = "projects/expenditure_form.html"
    request: SignedInRequest

    def get_permission_required(self):
        action = "change" if "expenditure_pk" in self.kwargs else "add"
        return ["projects.view_budget", f"projects.{action}_expenditure"]

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        self.project = get_object_or_404(Project, pk=kwargs["pk"])
        if "expenditure_pk" in kwargs:
            self.expenditure = get_object_or_404(
                Expenditure, pk=kwargs["expenditure_pk"], project=self.project
            )
        else:
            self.expenditure = Expenditure(project=self.project)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.expenditure}

    def get_success_url(self):
        return reverse("projects:detail", args=[self.project.pk]) + "#h-budget"

    def get_context_data(self, **kwargs):
        editing = self.expenditure.pk is not None
        return {
            **super().get_context_data(**kwargs),
            "project": self.project,
            "expenditure": self.expenditure if editing else None,
            "title": _("Correct the expenditure") if editing else _("Record an expenditure"),
            "cancel_url": self.get_success_url(),
        }

    def form_valid(self, form):
        try:
            expenditure, warnings = expenditure_save(
                expenditure=form.instance, user=self.request.user
            )
        except ValidationError as error:
            add_validation_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The expenditure of %(amount)s has been saved.")
            % {"amount": format_money(expenditure.amount)},
        )
        for warning in warnings:
            messages.warning(self.request, warning)
        return redirect(self.get_success_url())


@require_POST
@permission_required(["projects.view_budget", "projects.delete_expenditure"], raise_exception=True)
def expenditure_remove(request: SignedInRequest, pk: int, expenditure_pk: int):
    """Delete a cost entered by mistake (the audit trail keeps it)."""
    expenditure = get_object_or_404(Expenditure, pk=expenditure_pk, project_id=pk)
    expenditure_delete(expenditure=expenditure, user=request.user)
    messages.success(request, _("The expenditure has been deleted."))
    return redirect(reverse("projects:detail", args=[pk]) + "#h-budget")


def organisation_logo(request):
    """The centre's logo, served by the app (any signed-in user: it heads every page)."""
    organisation = organisation_get()
    if not organisation or not organisation.logo:
        raise Http404
    return FileResponse(organisation.logo.open("rb"))
