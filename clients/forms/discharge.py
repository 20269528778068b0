from django import forms
from django.utils import timezone

from clients.future_entries import future_date_error
from clients.models import Client, DischargeReason, DischargeSummary


class DischargeForm(forms.Form):
    reason = forms.ChoiceField(choices=DischargeReason.choices, label="Reason for discharge")
    date = forms.DateField(label="Discharge date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, client: Client, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.client = client
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self):
        date = self.cleaned_data["date"]
        message = future_date_error(clinic=self.client.clinic, date=date)
        if message:
            raise forms.ValidationError(message)
        return date


class DischargeSummaryForm(forms.ModelForm):
    class Meta:
        model = DischargeSummary
        fields = list(DischargeSummary.EDITABLE_FIELDS)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in DischargeSummary.EDITABLE_FIELDS
            if name != "style_hypothesis"
        }


class DischargeSignForm(forms.Form):
    confirm = forms.BooleanField(
        label="I sign this discharge summary. It cannot be changed afterwards.", required=True
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Reason for reopening",
        help_text="Kept with the record and in the audit trail.",
    )
