"""The clinic settings page (clinic admins of that clinic only)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from attachment_app.clinic_settings.forms import LABELS, RANGES, ClinicSettingsForm
from attachment_app.clinic_settings.services import clinic_settings_update
from attachment_app.permissions import clinic_admin_required


@clinic_admin_required
@require_http_methods(["GET", "POST"])
def clinic_settings(request: HttpRequest) -> HttpResponse:
    clinic = request.user.clinic
    form = ClinicSettingsForm(request.POST or None, instance=clinic)
    if request.method == "POST":
        if form.is_valid():
            values = {name: form.cleaned_data[name] for name in form.Meta.fields}
            # The form's instance already holds the new values: compare against a fresh copy.
            clinic.refresh_from_db()
            changes = clinic_settings_update(
                clinic=clinic, values=values, labels=LABELS, by=request.user, request=request
            )
            if changes:
                names = ", ".join(c.label.split(" (")[0].lower() for c in changes)
                messages.success(request, f"Saved. Changed: {names}. It applies from now on.")
            else:
                messages.info(request, "Nothing was changed.")
            return redirect("clinic_settings")
        messages.error(request, "Some settings need another look: see the messages beside them.")
        clinic.refresh_from_db()  # the form's failed values must not leak into the page chrome
    return render(
        request,
        "attachment_app/clinic_settings.html",
        {"form": form, "clinic": clinic, "ranges": RANGES},
    )
