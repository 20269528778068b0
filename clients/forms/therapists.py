"""Therapist accounts: invitation, acceptance, edit, deactivation."""

from django import forms

from attachment_app.models import User


class TherapistCreateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "email", "credentials", "caseload_capacity", "is_clinic_admin"]
        labels = {
            "full_name": "Full name",
            "caseload_capacity": "Capacity (most active clients)",
            "is_clinic_admin": "Also a clinic admin",
        }

    def __init__(self, *args, clinic_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic_id = clinic_id

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        # Only the admin's own clinic is checked: whether an address has an account
        # elsewhere is never revealed (clients/services/invitations.py).
        if User.objects.filter(email__iexact=email, clinic_id=self.clinic_id).exists():
            raise forms.ValidationError("Someone in your clinic already has this email address.")
        return email

    def validate_unique(self):
        """No uniqueness check across clinics here: the invitation decides, silently."""


class TherapistEditForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "credentials", "caseload_capacity"]
        labels = {"full_name": "Full name", "caseload_capacity": "Capacity (most active clients)"}


class DeactivateForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        help_text="Recorded on each of their clients' assignment history.",
    )
