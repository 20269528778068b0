"""What exercises adds to the release bundle (clients never imports exercises): the
measures and ratings, reparenting letters and relationship maps of a release request's
dates, as PDF sections and as FHIR resources.

Measures: each scale completion (a QuestionnaireResponse, and an Observation per score)
and each exploration's anxiety and avoidance ratings (Observations, marked as an
exploration aid). Letters: the letter and the client's reflection. Maps: the picture
and its ties, as drawn. Registered from ExercisesConfig.ready.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

from clients.exports.registry import RELEASE_BUNDLE, register_fhir_part, register_section
from clients.exports.release import in_range, narrative, release_for
from clients.models import ExportJob, ReleasePart, ReleaseRequest
from exercises.maps import map_data
from exercises.models import Exploration, RelationshipMap, ReparentingLetter, ScaleAdministration
from exercises.scoring import severity_band, subscale_means, total_score
from exercises.svg.charts import AID
from exercises.svg.relationship_map import describe_tie, render_map_svg

# Measures --------------------------------------------------------------------------


@dataclass
class Completion:
    administration: ScaleAdministration
    items: list
    means: dict[str, float | None]
    total: int | None
    band: str


def completions(release: ReleaseRequest) -> list[Completion]:
    administrations = (
        ScaleAdministration.objects.filter(
            client=release.client, date__range=(release.date_from, release.date_to)
        )
        .select_related("scale")
        .prefetch_related("scale__items")
        .order_by("date", "created_at")
    )
    found = []
    for a in administrations:
        scale = a.scale
        items = list(scale.items.all())
        means = subscale_means(
            items, a.responses, min_value=scale.min_value, max_value=scale.max_value
        )
        total = total_score(items, a.responses) if scale.builtin else None
        found.append(Completion(a, items, means, total, severity_band(scale.builtin, total)))
    return found


def explorations(release: ReleaseRequest) -> list[Exploration]:
    return list(
        Exploration.objects.filter(
            client=release.client, date__range=(release.date_from, release.date_to)
        )
        .exclude(anxiety_rating__isnull=True, avoidance_rating__isnull=True)
        .order_by("date", "created_at")
    )


def measures_section(job: ExportJob) -> dict:
    release = release_for(job)
    return {"completions": completions(release), "explorations": explorations(release), "aid": AID}


def _observation(pk: str, *, code: str, on: dt.date, value: float, patient: str, **extra) -> dict:
    return {
        "resourceType": "Observation",
        "id": pk,
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": "survey"}]}],
        "code": {"text": code},
        "subject": {"reference": patient},
        "effectiveDateTime": on.isoformat(),
        "valueQuantity": {"value": value},
        **extra,
    }


CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"


def measures_fhir(job: ExportJob, patient: str) -> list[dict]:
    release = release_for(job)
    resources: list[dict] = []
    for c in completions(release):
        a, scale = c.administration, c.administration.scale
        response = {
            "resourceType": "QuestionnaireResponse",
            "id": str(a.pk),
            "status": "completed",
            "subject": {"reference": patient},
            "authored": a.date.isoformat(),
            "source": {"reference": patient} if a.client_reported else None,
            "item": [
                {
                    "linkId": str(item.id),
                    "text": item.text,
                    "answer": [{"valueInteger": int(a.responses[str(item.id)])}],
                }
                for item in c.items
                if a.responses.get(str(item.id)) is not None
            ],
            "text": narrative([scale.name]),
        }
        resources.append({k: v for k, v in response.items() if v is not None})
        derived = {"derivedFrom": [{"reference": f"urn:uuid:{a.pk}"}]}
        scores = [("total", c.total)] + [(k, v) for k, v in sorted(c.means.items())]
        for n, (name, value) in enumerate(scores):
            if value is None:
                continue
            label = f"{scale.name}: {'total' if name == 'total' else name + ' (mean)'}"
            if name == "total" and c.band:
                derived = {**derived, "interpretation": [{"text": c.band}]}
            resources.append(
                _observation(
                    _derived_id(a.pk, n),
                    code=label,
                    on=a.date,
                    value=value,
                    patient=patient,
                    **derived,
                )
            )
            derived = {"derivedFrom": derived["derivedFrom"]}
    for e in explorations(release):
        for n, (name, value) in enumerate(
            (("anxiety", e.anxiety_rating), ("avoidance", e.avoidance_rating))
        ):
            if value is not None:
                resources.append(
                    _observation(
                        _derived_id(e.pk, n),
                        code=f"Exploration rating: {name} (1–7)",
                        on=e.date,
                        value=value,
                        patient=patient,
                        note=[{"text": AID}],
                    )
                )
    return resources


def _derived_id(pk, n: int) -> str:
    """A stable id for the n-th resource drawn from one row (same job, same bytes)."""
    return str(pk)[:-4] + f"{n:04x}"


# Letters and maps ------------------------------------------------------------------


def letters(release: ReleaseRequest) -> list[ReparentingLetter]:
    # The letter and the client's reflection, as on the client's copy.
    rows = (
        ReparentingLetter.objects.filter(client=release.client)
        .only(
            "id",
            "client",
            "kind",
            "title",
            "younger_age",
            "letter",
            "client_reflection",
            "created_at",
        )
        .order_by("created_at")
    )
    return [r for r in rows if in_range(release, r.created_at.date())]


def letters_section(job: ExportJob) -> dict:
    return {"letters": letters(release_for(job))}


def letters_fhir(job: ExportJob, patient: str) -> list[dict]:
    resources = []
    for letter in letters(release_for(job)):
        title = letter.title or letter.get_kind_display()
        text = letter.letter + (
            f"\n\nClient's reflection:\n{letter.client_reflection}"
            if letter.client_reflection
            else ""
        )
        resources.append(
            _document(
                str(letter.pk),
                "Reparenting letter",
                title,
                letter.created_at,
                patient,
                "text/plain; charset=utf-8",
                text.encode(),
            )
        )
    return resources


def maps(release: ReleaseRequest) -> list[dict]:
    found = []
    rmaps = RelationshipMap.objects.filter(
        client=release.client, date__range=(release.date_from, release.date_to)
    ).order_by("date", "created_at")
    for rmap in rmaps:
        data = map_data(rmap)
        names = {f["id"]: f["label"] for f in data["figures"]}
        found.append(
            {
                "map": rmap,
                "data": data,
                "dom_id": f"release-map-{rmap.pk.hex[:8]}",
                "ties": [describe_tie(t, names) for t in data["ties"]],
                "themes": [th["name"] for th in data["themes"]],
            }
        )
    return found


def maps_section(job: ExportJob) -> dict:
    from exercises.exports import printed_map

    found = maps(release_for(job))
    for m in found:
        m["picture"] = printed_map(m["data"], dom_id=m["dom_id"])
    return {"maps": found}


def maps_fhir(job: ExportJob, patient: str) -> list[dict]:
    return [
        _document(
            str(m["map"].pk),
            "Relationship map",
            m["map"].title,
            m["map"].date,
            patient,
            "image/svg+xml",
            render_map_svg(m["data"], dom_id=m["dom_id"]).encode(),
            description="; ".join(m["ties"])[:1000],
        )
        for m in maps(release_for(job))
    ]


def _document(pk, kind, title, when, patient, content_type, data: bytes, description="") -> dict:
    when = when if isinstance(when, dt.datetime) else dt.datetime.combine(when, dt.time(12), dt.UTC)
    document = {
        "resourceType": "DocumentReference",
        "id": pk,
        "status": "current",
        "type": {"text": kind},
        "subject": {"reference": patient},
        "date": when.isoformat(),
        "content": [
            {
                "attachment": {
                    "contentType": content_type,
                    "title": title,
                    "data": base64.b64encode(data).decode("ascii"),
                }
            }
        ],
    }
    if description:
        document["description"] = description
    return document


def register() -> None:
    for part, template, build in (
        (ReleasePart.MEASURES, "exercises/pdf/_release_measures.html", measures_section),
        (ReleasePart.LETTERS, "exercises/pdf/_release_letters.html", letters_section),
        (ReleasePart.MAPS, "exercises/pdf/_release_maps.html", maps_section),
    ):
        register_section(RELEASE_BUNDLE, key=part.value, template=template, build_context=build)
    register_fhir_part(ReleasePart.MEASURES.value, measures_fhir)
    register_fhir_part(ReleasePart.LETTERS.value, letters_fhir)
    register_fhir_part(ReleasePart.MAPS.value, maps_fhir)
