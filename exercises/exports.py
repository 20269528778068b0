"""What exercises adds to exported documents (clients never imports exercises).

- Sections of the treatment-plan PDF: the current relationship map, the
  exploration chart and the current safe-space plan, each a vector SVG from the
  one renderer that also draws it on the page.
- Two take-home documents for the client: the safe-space card and the client's
  copy of a reparenting letter (the letter and the client's own reflection;
  never the therapist's reflection, never the experience field).

Job parameters hold ids only; the text is read when the worker renders.
Registered from ExercisesConfig.ready.
"""

from __future__ import annotations

import base64
import uuid

from attachment_app.models import User
from clients.exports.registry import (
    REPARENTING_LETTER,
    SAFE_SPACE_CARD,
    TREATMENT_PLAN,
    DocumentKind,
    InvalidParameters,
    register_document,
    register_section,
)
from clients.models import Client, ExportJob
from exercises.maps import map_data
from exercises.models import Exploration, RelationshipMap, ReparentingLetter, SafeSpacePlan
from exercises.models.maps import CANVAS_WIDTH
from exercises.selectors import current_safe_space_plan, exploration_plane_points
from exercises.svg.charts import AID, style_plane_svg
from exercises.svg.relationship_map import Label, describe_tie, map_drawing

# Treatment-plan sections ------------------------------------------------------


def svg_image_src(svg: str) -> str:
    """The renderer's SVG as an <img> source: still vector in the PDF, but parsed by the SVG
    reader rather than the HTML parser and cascade (a fifth faster for the map), and tagged
    as a figure with the alt text the template gives it. The fetcher allows this data URL type.
    """
    svg = in_print_font(svg)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


# The family static/pdf/print.css declares with @font-face: the SVG's text is set in the
# document's own font, embedded once, rather than in whatever system font comes first.
PRINT_FONT = "Print Sans"


def in_print_font(svg: str) -> str:
    """The SVG with its text in the print font (the pages keep the web font they inherit)."""
    return svg.replace("<svg ", f'<svg font-family="{PRINT_FONT}" ', 1)


# The map's printed width. Its labels are set as text boxes over the picture (below), sized
# in millimetres from this width: about three quarters of the letter page's text width, so
# the exploration chart and the map fit one page together.
MAP_WIDTH_MM = 135
# Source Sans (the print font): ascent and descent per unit of font size (hhea, 984 and 273
# per 1000), to put a box's first baseline where the SVG puts the text's.
ASCENT, DESCENT = 0.984, 0.273
# A centred label's box, in map units: wider than the longest label (22 characters at 12).
CENTRED_BOX = 240


def _mm(value: float) -> str:
    return f"{value:.2f}mm"


def print_labels(labels: list[Label], width_mm: float = MAP_WIDTH_MM) -> list[dict]:
    """The map's text as boxes placed over the picture: the same words, sizes, weights,
    baselines and white plates as the SVG's <text>, which WeasyPrint lays out one letter at a
    time. For the bench's 40-figure map this renders in about 0.7 of the time (issue 16)."""
    scale = width_mm / CANVAS_WIDTH
    boxes = []
    for label in labels:
        line = label.leading or label.size
        top = label.y - ((line - (ASCENT + DESCENT) * label.size) / 2 + ASCENT * label.size)
        if label.plate:
            # The box is the plate; the text sits in it where the SVG puts it.
            left, plate_top, plate_width, height, opacity = label.plate
            pad = top - plate_top
            box = (
                f"width:{_mm(plate_width * scale)};height:{_mm((height - pad) * scale)};"
                f"padding-top:{_mm(pad * scale)};"
                f"background:rgba(255,255,255,{opacity});"
            )
            top = plate_top
        elif label.anchor == "middle":
            left, box = label.x - CENTRED_BOX / 2, f"width:{_mm(CENTRED_BOX * scale)};"
        else:
            left, box = label.x, ""
        style = (
            f"left:{_mm(left * scale)};top:{_mm(top * scale)};{box}"
            f"font-size:{_mm(label.size * scale)};line-height:{_mm(line * scale)};"
            f"color:{label.fill}"
        )
        boxes.append(
            {
                "text": "\n".join(label.lines),
                "style": style,
                "centred": label.anchor == "middle",
                "bold": bool(label.bold),
            }
        )
    return boxes


def printed_map(data: dict, *, dom_id: str) -> dict:
    """A map's picture on paper (exercises/pdf/_map_picture.html): shapes as SVG images,
    text as boxes over them. Every PDF that shows a map draws it this way."""
    drawing = map_drawing(data, dom_id=dom_id)
    return {
        "src": svg_image_src(drawing.ties_svg),
        "tie_labels": print_labels(drawing.tie_labels),
        # A background: drawn as an artifact, the picture's alt text covers the whole map.
        "figures_src": svg_image_src(drawing.figures_svg),
        "figure_labels": print_labels(drawing.figure_labels),
        "width_mm": MAP_WIDTH_MM,
        "figure_count": len(data["figures"]),
        "tie_count": len(data["ties"]),
    }


def plan_map_section(job: ExportJob) -> dict:
    rmap = (
        RelationshipMap.objects.filter(client=job.client).order_by("-date", "-created_at").first()
    )
    if rmap is None:
        return {"map": None}
    data = map_data(rmap)
    names = {f["id"]: f["label"] for f in data["figures"]}
    return {
        "map": rmap,
        "picture": printed_map(data, dom_id="plan-map"),
        "ties": [describe_tie(t, names) for t in data["ties"]],
        "themes": [
            {
                "name": th["name"],
                "note": th["note"],
                "figures": [names.get(f, "") for f in th["figures"]],
            }
            for th in data["themes"]
        ],
    }


def plan_chart_section(job: ExportJob) -> dict:
    explorations = list(Exploration.objects.filter(client=job.client))
    points = exploration_plane_points(explorations)
    return {
        "points": points,
        "src": svg_image_src(style_plane_svg(points, size=300)) if points else "",
        "aid": AID,
    }


def plan_safe_space_section(job: ExportJob) -> dict:
    plan = current_safe_space_plan(job.client)
    if plan is None:
        return {"plan": None}
    practices = list(plan.practices.order_by("-date", "-created_at")[:5])
    return {
        "plan": plan,
        "anchors": plan.anchors(),
        "techniques": plan.technique_list(),
        "practices": practices[::-1],
    }


# Take-home documents ------------------------------------------------------------


def _id(params: dict, name: str, message: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(params.get(name) or ""))
    except ValueError as exc:
        raise InvalidParameters(message) from exc


def clean_safe_space_card(client: Client | None, by: User, params: dict) -> dict:
    message = "Choose a safe-space plan of this client."
    plan_id = _id(params, "plan_id", message)
    if not SafeSpacePlan.objects.filter(client=client, pk=plan_id).exists():
        raise InvalidParameters(message)
    return {"plan_id": str(plan_id)}


def safe_space_card_context(job: ExportJob) -> dict:
    plan = SafeSpacePlan.objects.get(client=job.client, pk=job.parameters["plan_id"])
    return {
        "client": job.client,
        "clinic": job.clinic,
        "produced_at": job.requested_at,
        "draft": False,
        "plan": plan,
        "anchors": plan.anchors(),
        "techniques": plan.technique_list(),
        "crisis_line": job.clinic.crisis_line,
        "people": plan.people_list(),
    }


def clean_reparenting_letter(client: Client | None, by: User, params: dict) -> dict:
    message = "Choose a reparenting letter of this client."
    letter_id = _id(params, "letter_id", message)
    if not ReparentingLetter.objects.filter(client=client, pk=letter_id).exists():
        raise InvalidParameters(message)
    return {"letter_id": str(letter_id)}


def reparenting_letter_context(job: ExportJob) -> dict:
    # Only the client's parts are loaded: the therapist's reflection and the
    # experience field never leave the database for this document.
    letter = ReparentingLetter.objects.only(
        "id", "client", "kind", "title", "younger_age", "letter", "client_reflection"
    ).get(client=job.client, pk=job.parameters["letter_id"])
    return {
        "client": job.client,
        "clinic": job.clinic,
        "produced_at": job.requested_at,
        "draft": False,
        "title": letter.title or letter.get_kind_display(),
        "younger_age": letter.younger_age,
        "letter_text": letter.letter,
        "client_reflection": letter.client_reflection,
    }


def register() -> None:
    # Plan order: the exploration chart beside the formulation's hypothesis, then the map,
    # then the safe-space plan; the chart is short, so the tall map starts a page cleanly.
    register_section(
        TREATMENT_PLAN,
        key="exploration_chart",
        template="exercises/pdf/_plan_exploration_chart.html",
        build_context=plan_chart_section,
    )
    register_section(
        TREATMENT_PLAN,
        key="relationship_map",
        template="exercises/pdf/_plan_relationship_map.html",
        build_context=plan_map_section,
    )
    register_section(
        TREATMENT_PLAN,
        key="safe_space_plan",
        template="exercises/pdf/_plan_safe_space.html",
        build_context=plan_safe_space_section,
    )
    register_document(
        DocumentKind(
            key=SAFE_SPACE_CARD,
            label="Safe-space card",
            filename="safe-space-card",
            template="exercises/pdf/safe_space_card.html",
            build_context=safe_space_card_context,
            clean_parameters=clean_safe_space_card,
            parameter_names=("plan_id",),
            description="A take-home card: the safe space, its cue word and grounding.",
            one_click=False,
        )
    )
    register_document(
        DocumentKind(
            key=REPARENTING_LETTER,
            label="Reparenting letter (client's copy)",
            filename="letter",
            template="exercises/pdf/reparenting_letter.html",
            build_context=reparenting_letter_context,
            clean_parameters=clean_reparenting_letter,
            parameter_names=("letter_id",),
            description="The letter and the client's own reflection, to take home.",
            one_click=False,
        )
    )
