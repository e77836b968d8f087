from django import forms
from django.utils import timezone

from participants.forms.people import DateInput
from projects.models import IndicatorValue


class IndicatorValueForm(forms.ModelForm):
    """The achieved value of an indicator entered by hand: women and men only where its
    target is split by sex."""

    class Meta:
        model = IndicatorValue
        fields = ["date", "value_total", "value_women", "value_men", "source", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        indicator = self.instance.indicator
        if not indicator.by_sex:
            del self.fields["value_women"], self.fields["value_men"]
        else:
            self.fields["value_women"].required = self.fields["value_men"].required = True
        if self.instance.pk is None and not self.initial.get("date"):
            # The instance's empty date would hide the field's initial value.
            self.initial["date"] = timezone.localdate()
        unit = indicator.get_unit_display()
        self.fields["value_total"].help_text = unit
