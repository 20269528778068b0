"""The kinds of document the app can export, and the sections other apps add to them.

A document kind is a template under templates/pdf/ and a context builder (or,
for a CSV, a function that writes rows). clients registers its own kinds in
clients.exports.documents. clients never imports exercises, so exercises
registers its kinds (the safe-space card, the reparenting letter) and its
treatment-plan sections (relationship map, exploration chart, safe-space plan)
from its AppConfig.ready:

    from clients.exports.registry import (
        SAFE_SPACE_CARD, DocumentKind, register_document, register_section,
    )
    register_document(DocumentKind(key=SAFE_SPACE_CARD, label="Safe-space card",
                                   template="exercises/pdf/safe_space_card.html",
                                   build_context=..., clean_parameters=...,
                                   parameter_names=("plan_id",)))
    register_section("treatment_plan", key="relationship_map",
                     template="exercises/pdf/_plan_relationship_map.html",
                     build_context=lambda job: {...})

Parameters saved on a job say what to render (ids, dates, include_drafts), never
clinical text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from attachment_app.models import User
    from clients.models import Client, ExportJob

# Kinds owned by clients.
TREATMENT_PLAN = "treatment_plan"
SESSION_SUMMARY = "session_summary"
CASELOAD_PDF = "caseload_pdf"
CONSENT = "consent"
DISCHARGE_SUMMARY = "discharge_summary"
# The release bundle: the designated record of a release request, as a PDF and as FHIR.
RELEASE_BUNDLE = "release_bundle"
RELEASE_FHIR = "release_fhir"
# Kinds that exercises registers; a job of one not (yet) registered fails politely.
SAFE_SPACE_CARD = "safe_space_card"
REPARENTING_LETTER = "reparenting_letter"


class InvalidParameters(ValueError):
    """The request names something outside the client's scope, or nothing at all."""


def wants_drafts(params: dict) -> bool:
    """The clinician's explicit choice of a draft copy (a form's checkbox, or True)."""
    return params.get("include_drafts") in (True, "1", "on", "true")


def no_parameters(client: Client | None, by: User, params: dict) -> dict:
    return {}


@dataclass(frozen=True)
class DocumentKind:
    key: str
    label: str  # "Treatment plan": shown on buttons, job pages and the timeline
    filename: str  # the server-chosen download name's stem, e.g. "treatment-plan"
    template: str = ""  # a PDF template under templates/pdf/ (or the app's pdf/ folder)
    build_context: Callable[[ExportJob], dict] | None = None
    # For non-PDF formats: produce the bytes directly.
    produce: Callable[[ExportJob], bytes] | None = None
    format: Literal["pdf", "csv", "json"] = "pdf"
    # client: the client's clinical content scope; clinic: clinic admins of the clinic.
    scope: Literal["client", "clinic"] = "client"
    # Check and normalise the request's parameters (ids within the client's scope).
    clean_parameters: Callable[[Client | None, User, dict], dict] = no_parameters
    # POST fields passed to clean_parameters (e.g. ("letter_id",) for a reparenting letter).
    parameter_names: tuple[str, ...] = ()
    description: str = ""
    # Offered as a one-click button on the client page (no parameters needed).
    one_click: bool = True
    # Shows only signed content unless the clinician asks for a draft copy
    # (job parameter include_drafts), which is marked as a draft on every page.
    has_drafts: bool = False

    @property
    def content_type(self) -> str:
        return {
            "pdf": "application/pdf",
            "csv": "text/csv; charset=utf-8",
            "json": "application/fhir+json",
        }[self.format]


@dataclass(frozen=True)
class DocumentSection:
    key: str
    template: str
    build_context: Callable[[ExportJob], dict] = field(default=lambda job: {})


_DOCUMENTS: dict[str, DocumentKind] = {}
_SECTIONS: dict[str, dict[str, DocumentSection]] = {}
# The release bundle's FHIR resources for a part of the record that another app owns
# (measures): part -> build(job, patient_reference) -> [resource dicts].
_FHIR_PARTS: dict[str, Callable[[ExportJob, str], list[dict]]] = {}


def register_document(kind: DocumentKind) -> None:
    _DOCUMENTS[kind.key] = kind


def register_section(
    document: str, *, key: str, template: str, build_context: Callable[[ExportJob], dict]
) -> None:
    """Add a block to a document, rendered where its template leaves room for sections."""
    _SECTIONS.setdefault(document, {})[key] = DocumentSection(key, template, build_context)


def register_fhir_part(part: str, build: Callable[[ExportJob, str], list[dict]]) -> None:
    """Add the FHIR resources of one release part (the same content as its PDF section)."""
    _FHIR_PARTS[part] = build


def fhir_parts() -> dict[str, Callable[[ExportJob, str], list[dict]]]:
    return dict(_FHIR_PARTS)


def get_document(key: str) -> DocumentKind | None:
    return _DOCUMENTS.get(key)


def documents(scope: str) -> list[DocumentKind]:
    return [d for d in _DOCUMENTS.values() if d.scope == scope]


def sections_for(document: str) -> list[DocumentSection]:
    return list(_SECTIONS.get(document, {}).values())


def label_for(key: str) -> str:
    document = get_document(key)
    return document.label if document else key.replace("_", " ").capitalize()
