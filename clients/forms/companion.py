"""The client's companion account: the clinician's invitation and the client's first use."""

from django import forms

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
