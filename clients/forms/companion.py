"""The client's companion account: the clinician's invitation and the client's first use."""

from django import forms
from django.contrib.auth import password_validation

from attachment_app.models import User
from clients.forms.common import DATE


class CompanionInviteForm(forms.Form):
    email = forms.EmailField(
        label="The client's email address",
        help_text="They sign in with it. The link is e-mailed there and shown to you once.",
    )


class CompanionBirthForm(forms.Form):
    date_of_birth = forms.DateField(
        label="Your date of birth",
        widget=DATE,
        help_text="So that only you can use this link.",
    )


class CompanionPasswordForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters; not a common password.",
    )
    password2 = forms.CharField(
        label="The same password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password2(self):
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("The two passwords are not the same.")
        if first:
            password_validation.validate_password(first, user=User(email=self.email))
        return second
