from dataclasses import dataclass

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.forms.people import DateInput
from participants.models import (
    FollowUp,
    FollowUpKind,
    Question,
    QuestionnaireResponse,
    ScalePoint,
    Situation,
)
from participants.services.outcomes import answer_field


@dataclass
class QuestionRow:
    """One line of the questionnaire's table: the area's heading when a new area begins."""

    question: Question
    field: forms.BoundField
    area: str = ""


class QuestionnaireForm(forms.Form):
    """A questionnaire on one page: the date, one row of radio buttons per question (the
    scale's points as columns: Tab moves to the next question, the arrow keys change the
    answer), a note."""

    date = forms.DateField(label=_("Date filled"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        help_text=_("e.g. filled in with the help of the career advisor"),
    )

    def __init__(
        self,
        *args,
        questions: list[Question],
        points: list[ScalePoint],
        response: QuestionnaireResponse | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.questions, self.points = questions, points
        saved = {a.question_id: a.value for a in response.answers.all()} if response else {}
        choices = [(point.value, point.label) for point in points]
        for question in questions:
            self.fields[answer_field(question)] = forms.TypedChoiceField(
                label=question.text,
                choices=choices,
                coerce=int,
                widget=forms.RadioSelect,
                initial=saved.get(question.pk),
                error_messages={
                    "required": _("Choose an answer."),
                    "invalid_choice": _("This is not a point of the scale."),
                },
            )
        self.fields["date"].initial = response.date if response else timezone.localdate()
        self.fields["note"].initial = response.note if response else ""
        self.fields["date"].widget.attrs["class"] = "form-control"
        self.fields["note"].widget.attrs.update(
            {"class": "form-control", "aria-describedby": "note-help"}
        )

    def rows(self) -> list[QuestionRow]:
        rows, area = [], None
        for question in self.questions:
            heading = question.area if question.area != area else ""
            area = question.area
            rows.append(QuestionRow(question, self[answer_field(question)], heading))
        return rows

    def answers(self) -> dict[int, int]:
        return {
            question.pk: self.cleaned_data[answer_field(question)]
            for question in self.questions
            if self.cleaned_data.get(answer_field(question)) is not None
        }


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["kind", "date", "situation", "source", "note"]
        widgets = {"date": DateInput(), "situation": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No empty choice: every follow-up has a kind and a situation.
        self.fields["kind"].choices = FollowUpKind.choices
        self.fields["situation"].choices = Situation.choices
        if self.instance.pk is None and not self.initial.get("date"):
            # The instance's empty date would hide the field's initial value.
            self.initial["date"] = timezone.localdate()
