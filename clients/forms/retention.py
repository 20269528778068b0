"""The legal hold and the two steps of a record's destruction."""

from django import forms


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        label="Reason",
        help_text="Kept with the hold and in the audit trail, for example the case or request.",
    )


class DestructionRequestForm(forms.Form):
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Note (optional)",
        help_text="Why now, for example the clinic's yearly retention review.",
    )
    confirm = forms.BooleanField(
        required=True,
        label="I ask for this record's clinical content to be destroyed. "
        "A second person confirms before anything is removed.",
    )


class DestructionConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        required=True,
        label="I confirm the destruction. The clinical content is removed for good; "
        "a tombstone and the audit trail are kept.",
    )
