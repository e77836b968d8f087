from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404
from django.views.generic import DetailView, ListView

from participants.selectors.people import project_enrolment_counts
from projects.selectors import budget_execution, organisation_get, project_list, project_team


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
        context["indicators"] = project.indicators.all()
        context["team"] = project_team(project)
        # Money is for managers; caseworkers see dates, targets and the team.
        if self.request.user.has_perm("projects.view_budget"):
            context["execution"] = budget_execution(project)
        if self.request.user.has_perm("participants.view_enrolment"):
            context["enrolment_counts"] = project_enrolment_counts(project)
        return context


def organisation_logo(request):
    """The centre's logo, served by the app (any signed-in user: it heads every page)."""
    organisation = organisation_get()
    if not organisation or not organisation.logo:
        raise Http404
    return FileResponse(organisation.logo.open("rb"))
