"""Emergency access ("break the glass"): the reason asked for."""

from django import forms


class EmergencyAccessForm(forms.Form):
    reason = forms.CharField(
        label="Why do you need this record now?",
        min_length=10,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "For example: the client's therapist is unavailable and the client is in crisis. "
            "Your clinic's admins see this reason; every page you open is recorded."
        ),
    )
