"""Duplicates: the list of likely pairs and the merge screen (managers)."""

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from kis.audit import access_log, access_log_people
from kis.lib.http import SignedInRequest
from kis.lib.models import model_field
from kis.models import AccessLog
from participants.models import Participant
from participants.selectors.merge import duplicate_pairs, merge_pair, record_counts
from participants.selectors.people import can_see_sensitive
from participants.services.merge import MERGE_FIELDS, SENSITIVE_MERGE_FIELDS, participant_merge
from participants.services.people import untouchable
from participants.views.people import log_refusal

KEPT, MERGED = "kept", "merged"


class DuplicateListView(PermissionRequiredMixin, TemplateView):
    permission_required = "participants.merge_participants"
    template_name = "participants/duplicate_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        page = Paginator(duplicate_pairs(self.request.user), 30).get_page(
            self.request.GET.get("page")
        )
        people = [p for pair in page for p in (pair.first, pair.second)]
        access_log_people(self.request, AccessLog.Action.VIEW, people, "likely duplicates")
        return {**super().get_context_data(**kwargs), "page": page, "pairs": list(page)}


def shown_value(person: Participant, name: str) -> str:
    """A field's value as the card shows it."""
    if name == "groups":
        return ", ".join(sorted(g.name for g in person.groups.all())) or "—"
    value = getattr(person, name)
    if model_field(Participant, name).choices:
        value = getattr(person, f"get_{name}_display")() if value else ""
    elif isinstance(value, date):
        value = value.strftime("%d.%m.%Y")
    return str(value) if value not in (None, "") else "—"


class MergeForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked that both records are the same person."),
        error_messages={"required": gettext_lazy("Confirm that both records are one person.")},
    )

    def __init__(
        self, *args: Any, kept: Participant, merged: Participant, sensitive: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows: list[dict[str, Any]] = []
        for name in MERGE_FIELDS:
            label = str(model_field(Participant, name).verbose_name)
            hidden = name in SENSITIVE_MERGE_FIELDS and not sensitive
            ours, theirs = shown_value(kept, name), shown_value(merged, name)
            row = {"name": name, "label": label, "kept": ours, "merged": theirs, "hidden": hidden}
            if ours != theirs and not hidden:
                self.fields[name] = forms.ChoiceField(
                    label=label,
                    choices=[(KEPT, ours), (MERGED, theirs)],
                    widget=forms.RadioSelect,
                    required=False,  # not chosen: the kept record's value
                    initial=MERGED if ours == "—" else KEPT,
                )
                row["field"] = name
            self.rows.append(row)
        self.order_fields([*(r["name"] for r in self.rows if "field" in r), "confirm"])

    def taken(self) -> list[str]:
        return [name for name in MERGE_FIELDS if self.cleaned_data.get(name) == MERGED]


class MergeView(PermissionRequiredMixin, FormView):
    """Merge the second record into the first, field by field."""

    permission_required = "participants.merge_participants"
    template_name = "participants/merge_form.html"
    form_class = MergeForm
    request: SignedInRequest

    def dispatch(self, request, *args, **kwargs):
        if kwargs["kept"] == kwargs["merged"]:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def people(self) -> tuple[Participant, Participant]:
        if not hasattr(self, "_people"):
            found = {
                p.pk: p
                for p in merge_pair(
                    self.request.user, self.kwargs["kept"], self.kwargs["merged"]
                ).prefetch_related("groups")
            }
            if len(found) != 2:
                raise Http404
            self._people = (found[self.kwargs["kept"]], found[self.kwargs["merged"]])
        return self._people

    def get_form_kwargs(self) -> dict[str, Any]:
        kept, merged = self.people()
        return {
            **super().get_form_kwargs(),
            "kept": kept,
            "merged": merged,
            "sensitive": can_see_sensitive(self.request.user),
        }

    def get(self, request, *args, **kwargs):
        access_log_people(request, AccessLog.Action.VIEW, self.people(), "merge of duplicates")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kept, merged = self.people()
        context = super().get_context_data(**kwargs)
        form = context["form"]
        for row in form.rows:
            if "field" in row:
                row["selected"] = form[row["name"]].value()
        return {
            **context,
            "kept": kept,
            "merged": merged,
            "sides": [
                {
                    "title": _("Records of the kept one (no. %(pk)s)") % {"pk": kept.pk},
                    "counts": record_counts(kept),
                },
                {
                    "title": _("Records moving from no. %(pk)s") % {"pk": merged.pk},
                    "counts": record_counts(merged),
                },
            ],
            "frozen": untouchable([kept, merged]),
            "swap_url": reverse("participants:merge", args=[merged.pk, kept.pk]),
        }

    def form_valid(self, form):
        kept, merged = self.people()
        try:
            result = participant_merge(
                kept=kept, merged=merged, take_from_merged=form.taken(), user=self.request.user
            )
        except ValidationError as error:
            log_refusal(self.request, error)
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        access_log(self.request, AccessLog.Action.VIEW, result.kept, "merge of duplicates")
        moved = ", ".join(f"{what}: {count}" for what, count in sorted(result.moved.items()))
        summary = _("Moved: %(moved)s.") % {"moved": moved} if moved else ""
        messages.success(
            self.request,
            " ".join(
                [
                    _(
                        "The records are merged: the other record is deleted and its "
                        "history is kept in the audit trail."
                    ),
                    summary,
                ]
            ).strip(),
        )
        for note in result.notes:
            messages.info(self.request, note)
        return redirect("participants:detail", pk=result.kept.pk)
