"""The import wizard's forms: the file, its columns, the values of its catalogue
columns (participants/importing.py)."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from participants.importing import EMPTY_VALUE, TARGETS
from participants.models import Activity, Participant
from projects.models import Project

MAX_FILE_BYTES = 10 * 1024 * 1024


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (XLSX or CSV)"),
        help_text=_(
            "The first sheet of an Excel workbook, or a CSV file (separated by ; or ,). "
            "Dates as 22.11.2026 or 2026-11-22. KIS's own list of participants and the "
            "EU monitoring export are recognised."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("Choose an Excel (XLSX) or CSV file."))
        return upload


def target_choices(*, sensitive: bool) -> list[tuple[str, str]]:
    choices = [("", str(_("— do not import —")))]
    for key, target in TARGETS.items():
        if target.sensitive and not sensitive:
            continue
        choices.append((key, capfirst(str(target.label))))
    return choices


class ImportMappingForm(forms.Form):
    """One choice per column of the file, and what applies to every row."""

    project = forms.ModelChoiceField(
        label=_("Enrol everybody in the project"),
        queryset=Project.objects.none(),
        required=False,
        help_text=_("Unless a column names the project. Leave empty to import people only."),
    )
    legal_basis = forms.ChoiceField(
        label=_("Legal basis for processing of the new people"),
        choices=[("", "—"), *Participant.LegalBasis.choices],
        required=False,
        help_text=_("Unless a column gives it."),
    )
    legal_basis_date = forms.DateField(
        label=_("Date of the consent or basis"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(
        self,
        *args: Any,
        headers: list[str],
        samples: list[list[str]],
        projects: Any,
        sensitive: bool,
        caseworker: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.caseworker = caseworker
        choices = target_choices(sensitive=sensitive)
        self.columns = []
        for number, header in enumerate(headers):
            name = f"column_{number}"
            seen = dict.fromkeys(s[number] for s in samples if number < len(s) and s[number])
            example = ", ".join(seen)[:80]
            self.fields[name] = forms.ChoiceField(
                label=header or _("column %(number)s") % {"number": number + 1},
                choices=choices,
                required=False,
                help_text=_("e.g. %(values)s") % {"values": example} if example else "",
            )
            self.columns.append(name)

    def column_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.columns]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen: dict[str, str] = {}
        for name in self.columns:
            key = data.get(name)
            if not key:
                continue
            if key in chosen:
                self.add_error(
                    name,
                    _("“%(field)s” is already chosen for the column “%(other)s”.")
                    % {"field": TARGETS[key].label, "other": self.fields[chosen[key]].label},
                )
            chosen[key] = name
        has_person = {"participant.pesel", "participant.last_name"} & set(chosen)
        if not has_person:
            raise forms.ValidationError(
                _("Choose at least the columns with the last name or the PESEL.")
            )
        if self.caseworker and not data.get("project") and "enrolment.project" not in chosen:
            self.add_error(
                "project",
                _("A caseworker imports people into one of his or her projects: choose it."),
            )
        return data

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("column_"): self.cleaned_data[name]
            for name in self.columns
            if self.cleaned_data.get(name)
        }


class ImportValuesForm(forms.Form):
    """For each catalogue column, each value found in it → a stored value."""

    def __init__(self, *args: Any, suggested: dict[str, dict], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups: list[tuple[str, list[str]]] = []
        self.keys: dict[str, tuple[str, str]] = {}
        for key, values in suggested.items():
            target = TARGETS[key]
            assert target.choices is not None
            choices = [("", str(_("— unknown: the row is an error —")))]
            choices += [(value, label) for value, label in target.choices()]
            if key == "participant.disability":
                choices.insert(1, (EMPTY_VALUE, str(_("none / not stated"))))
            names = []
            for number, (raw, chosen) in enumerate(values.items()):
                name = f"v_{len(self.keys)}_{number}"
                self.fields[name] = forms.ChoiceField(
                    label=raw, choices=choices, required=False, initial=chosen or ""
                )
                self.keys[name] = (key, raw)
                names.append(name)
            self.groups.append((capfirst(str(target.label)), names))

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[name] for name in names]) for label, names in self.groups]

    def value_mapping(self) -> dict[str, dict[str, str]]:
        mapping: dict[str, dict[str, str]] = {}
        for name, (key, raw) in self.keys.items():
            mapping.setdefault(key, {})[raw] = self.cleaned_data.get(name) or ""
        return mapping


class AttendanceImportForm(ImportUploadForm):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())

    def __init__(self, *args: Any, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["file"].help_text = _(
            "A row per person (columns Nazwisko, Imię, optionally PESEL), a column per "
            "session headed by its date (22.11.2026, or 22.11.2026 16:00 where a day has "
            "two), marks ✓ / ✗ / U or obecny / nieobecny / usprawiedliwiony. The "
            "activity's grid exported to Excel has this layout."
        )
        self.order_fields(["activity", "file"])
