from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participants.forms.people import DateInput
from projects.models import BudgetCategory, Expenditure, IndicatorValue


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


class ExpenditureForm(forms.ModelForm):
    """A cost of the project, from its document (an invoice, a payroll, a bill): on the
    project's page, for managers and accountants; saved by `expenditure_save`."""

    class Meta:
        model = Expenditure
        fields = ["date", "document_number", "category", "amount", "source", "description"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Categories no longer in use stay on the costs recorded under them.
        categories = BudgetCategory.objects.filter(is_active=True)
        if self.instance.category_id:
            categories = BudgetCategory.objects.filter(
                Q(is_active=True) | Q(pk=self.instance.category_id)
            )
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = categories
        if self.instance.pk is None and not self.initial.get("date"):
            self.initial["date"] = timezone.localdate()
        self.fields["document_number"].help_text = _("e.g. FV/123/2026: the invoice or bill.")
