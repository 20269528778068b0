"""Helpers every clients form uses: therapist choices with their load, service errors."""

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest

from attachment_app.ids import ModelChoiceField
from attachment_app.models import User
from clients.models import Client
from clients.services.caseload import (
    CapacityExceeded,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal beside the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class TherapistChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.full_name or obj.email
        if hasattr(obj, "n_active"):
            return f"{name} ({obj.n_active} of {obj.caseload_capacity} active)"
        return name


def with_load(therapists):
    """Therapist choices labelled with their current load, so the admin chooses knowingly."""
    return therapists.annotate(
        n_active=Count("primary_clients", filter=Q(primary_clients__status=Client.Status.ACTIVE))
    )


def confirmed_for(form, therapist: User | None) -> bool:
    """The admin has seen the capacity warning for exactly this therapist."""
    return bool(therapist) and form.cleaned_data.get("confirm_over_capacity") == str(therapist.pk)


def ask_to_confirm(form_class, request: HttpRequest, exc: CapacityExceeded, **kwargs):
    """Rebind the form with what was typed plus the confirmation for this therapist."""
    data = request.POST.copy()
    data["confirm_over_capacity"] = str(exc.load.therapist.pk)
    form = form_class(data, **kwargs)
    form.is_valid()
    return form


class NewPasswordForm(forms.Form):
    """A first password, typed twice, checked by the password validators against the
    person it will belong to (an invited clinician, a client's companion account)."""

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

    def __init__(self, *args, email: str, full_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.person = User(email=email, full_name=full_name)

    def clean_password2(self):
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data["password2"]
        if first and first != second:
            raise forms.ValidationError("The two passwords are not the same.")
        if first:
            password_validation.validate_password(first, user=self.person)
        return second
