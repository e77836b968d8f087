from typing import cast

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """The login form, with the autocomplete hints password managers expect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        username = cast(forms.CharField, self.fields["username"])
        # AuthenticationForm sets max_length after the field was built, so it only
        # reaches the HTML: check it too (no such user exists anyway).
        username.validators.append(MaxLengthValidator(username.max_length))
        username.widget.attrs.update(autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")


class SearchForm(forms.Form):
    """The search box of the pages that find a person to pick (enrolment, family)."""

    q = forms.CharField(label=_("Name or PESEL"), max_length=100, required=False)

    def query(self) -> str:
        """The text to search for: empty when there is none or it is not valid."""
        return self.cleaned_data["q"] if self.is_valid() else ""
