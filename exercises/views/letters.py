from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app.audit import audit
from attachment_app.autosave import autosave_rejected, autosave_saved, is_autosave
from clients.access import with_client
from clients.models import Client
from exercises.forms.letters import ReparentingLetterForm
from exercises.models import LetterRevision, ReparentingLetter
from exercises.scaffolds import writing_aids
from exercises.selectors import letter_version_changes
from exercises.services import letter_restore as restore_version
from exercises.services import letter_save
from exercises.views.common import Action


def _letter(client: Client, letter_id) -> ReparentingLetter:
    return get_object_or_404(
        ReparentingLetter.objects.select_related("session"), pk=letter_id, client=client
    )


def _edit(request: HttpRequest, client: Client, letter: ReparentingLetter | None) -> HttpResponse:
    kind = request.GET.get("kind")
    form = ReparentingLetterForm(request.POST or None, instance=letter, client=client, kind=kind)
    if request.method == "POST":
        autosaving = is_autosave(request)
        if form.is_valid():
            saved = form.unsaved_letter(therapist=request.user)
            letter_save(letter=saved, author=request.user, autosave=autosaving, request=request)
            if autosaving:
                return autosave_saved(url=saved.get_edit_url())
            messages.success(request, "Letter saved. Every saved version is kept.")
            return redirect(saved.get_edit_url())
        if autosaving:
            return autosave_rejected(form)
    elif letter is not None:
        audit(
            request=request,
            action=Action.VIEW,
            client_id=client.pk,
            obj=letter,
            summary="Reparenting letter",
        )
    context = {
        "client": client,
        "letter": letter,
        "form": form,
        **writing_aids(form["kind"].value()),
    }
    context["revision_count"] = letter.revisions.count() if letter else 0
    return render(request, "exercises/letter_form.html", context)


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def letter_new(request: HttpRequest, client: Client) -> HttpResponse:
    return _edit(request, client, None)


# The letter's only page: its supervisor reads it here.
@with_client(care=True, supervisor_reads=True)
@require_http_methods(["GET", "POST"])
def letter_edit(request: HttpRequest, client: Client, letter_id) -> HttpResponse:
    return _edit(request, client, _letter(client, letter_id))


@with_client(care=True)
@require_http_methods(["GET"])
def letter_revisions(request: HttpRequest, client: Client, letter_id) -> HttpResponse:
    letter = _letter(client, letter_id)
    revisions = list(
        LetterRevision.objects.filter(letter=letter).select_related("author").order_by("-number")
    )
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=letter,
        summary="Reparenting letter versions",
    )
    return render(
        request,
        "exercises/letter_revisions.html",
        {"client": client, "letter": letter, "revisions": revisions},
    )


@with_client(care=True)
@require_http_methods(["GET"])
def letter_revision(
    request: HttpRequest, client: Client, letter_id, letter_version_id
) -> HttpResponse:
    """One version, with what changed since the version before it."""
    letter = _letter(client, letter_id)
    revision = get_object_or_404(LetterRevision, pk=letter_version_id, letter=letter)
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=letter,
        summary="Reparenting letter version",
    )
    return render(
        request,
        "exercises/letter_revision.html",
        {
            "client": client,
            "letter": letter,
            "revision": revision,
            **letter_version_changes(revision),
        },
    )


@with_client(care=True)
@require_POST
def letter_restore(
    request: HttpRequest, client: Client, letter_id, letter_version_id
) -> HttpResponse:
    """Bring an earlier version back as the newest one; every version stays in the history."""
    letter = _letter(client, letter_id)
    revision = get_object_or_404(LetterRevision, pk=letter_version_id, letter=letter)
    restored = restore_version(letter=letter, revision=revision, author=request.user)
    if restored is None:
        messages.info(request, f"The letter already reads as version {revision.number}.")
    else:
        audit(
            request=request,
            action=Action.CHANGE,
            client_id=client.pk,
            obj=letter,
            summary=f"Reparenting letter: version {revision.number} restored",
        )
        messages.success(
            request,
            f"Version {revision.number} restored as version {restored.number}. "
            "The versions in between are kept.",
        )
    return redirect(letter.get_edit_url())


@with_client(care=True)
@require_http_methods(["GET"])
def letter_copy(request: HttpRequest, client: Client, letter_id) -> HttpResponse:
    """The client's copy: the letter alone, laid out to print. No therapist's reflection."""
    letter = _letter(client, letter_id)
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=letter,
        summary="Reparenting letter, client's copy",
    )
    return render(request, "exercises/letter_copy.html", {"client": client, "letter": letter})
