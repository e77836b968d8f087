from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """The login form, with the autocomplete hints password managers expect."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username")
        self.fields["password"].widget.attrs.update(autocomplete="current-password")
