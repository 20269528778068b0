"""Reading a relationship map as plain data, and comparing two of them.

map_data() is the single shape the renderer, the snapshots and the editor
speak, so a snapshot is simply this data frozen on a date.
"""

import math
from dataclasses import dataclass

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from attachment_app.dates import format_date
from exercises.models import Figure, MapTheme, RelationshipMap, Tie
from exercises.models.maps import (
    CANVAS_HEIGHT,
    CANVAS_WIDTH,
    FIGURE_INSET_BOTTOM,
    FIGURE_INSET_TOP,
    FIGURE_INSET_X,
    FigureRole,
    TieKind,
)
from exercises.svg.relationship_map import render_map_svg

# Centres this far apart leave room for both circles and their name plates.
ROOM = 130
RING = 220
GRID = 20


# Ids as text from PostgreSQL (the same form as str(uuid)): 800 UUID objects a map less.
TEXT_ID = Cast("id", TextField())


def map_data(rmap: RelationshipMap) -> dict:
    """The map as data, in three queries whatever its size."""
    # Plain values, not model instances: a map may hold 200 figures and 600 ties.
    figures = Figure.objects.filter(map=rmap).order_by("id")
    ties = Tie.objects.filter(map=rmap).order_by("id")
    themes = list(MapTheme.objects.filter(map=rmap).prefetch_related("figures"))
    return {
        "title": rmap.title,
        "date": rmap.date.isoformat(),
        "figures": [
            {
                "id": pk,
                "role": role,
                "label": label,
                "deceased": deceased,
                "x": x,
                "y": y,
                "note": note,
            }
            for pk, role, label, deceased, x, y, note in figures.annotate(
                text_id=TEXT_ID
            ).values_list("text_id", "role", "label", "deceased", "x", "y", "note")
        ],
        "ties": [
            {
                "id": pk,
                "source": source,
                "target": target,
                "closeness": closeness,
                "trust": trust,
                "tension": tension,
                "direction": direction,
                "kind": kind,
                "note": note,
            }
            for pk, source, target, closeness, trust, tension, direction, kind, note in (
                ties.annotate(
                    text_id=TEXT_ID,
                    text_source=Cast("source_id", TextField()),
                    text_target=Cast("target_id", TextField()),
                ).values_list(
                    "text_id",
                    "text_source",
                    "text_target",
                    "closeness",
                    "trust",
                    "tension",
                    "direction",
                    "kind",
                    "note",
                )
            )
        ],
        "themes": [
            {
                "name": th.name,
                "note": th.note,
                "figures": sorted(str(f.id) for f in th.figures.all()),
            }
            for th in themes
        ],
    }


@dataclass(frozen=True)
class MapChange:
    what: str  # "figure added", "closer", ...
    subject: str  # a readable name of the figure or tie
    detail: str = ""


def _pair_name(tie: dict, names: dict[str, str]) -> str:
    return f"{names.get(tie['source'], '?')} – {names.get(tie['target'], '?')}"


def _step(before: int, after: int, up: str, down: str) -> str:
    return up if after > before else down


def compare_maps(before: dict, after: dict) -> list[MapChange]:
    """What changed between two map data: figures, ties closer or more distant, trust, tension."""
    changes: list[MapChange] = []
    old_figs = {f["id"]: f for f in before.get("figures", [])}
    new_figs = {f["id"]: f for f in after.get("figures", [])}
    names = {
        **{k: f["label"] for k, f in old_figs.items()},
        **{k: f["label"] for k, f in new_figs.items()},
    }
    for fid in sorted(new_figs.keys() - old_figs.keys(), key=lambda k: names[k]):
        changes.append(MapChange("Figure added", names[fid]))
    for fid in sorted(old_figs.keys() - new_figs.keys(), key=lambda k: names[k]):
        changes.append(MapChange("Figure no longer on the map", names[fid]))
    for fid in sorted(old_figs.keys() & new_figs.keys(), key=lambda k: names[k]):
        if not old_figs[fid].get("deceased") and new_figs[fid].get("deceased"):
            changes.append(MapChange("Now marked deceased", names[fid]))

    def by_pair(data: dict) -> dict[tuple, dict]:
        return {
            (t["source"], t["target"])
            if t["source"] < t["target"]
            else (t["target"], t["source"]): t
            for t in data.get("ties", [])
        }

    old_ties, new_ties = by_pair(before), by_pair(after)
    kinds = dict(TieKind.choices)
    for pair in sorted(
        new_ties.keys() | old_ties.keys(), key=lambda p: (names.get(p[0], ""), names.get(p[1], ""))
    ):
        old, new = old_ties.get(pair), new_ties.get(pair)
        if old is None:
            changes.append(
                MapChange("Tie added", _pair_name(new, names), kinds.get(new["kind"], ""))
            )
            continue
        if new is None:
            changes.append(MapChange("Tie removed", _pair_name(old, names)))
            continue
        subject = _pair_name(new, names)
        if old["kind"] != new["kind"]:
            what = "Now cut off" if new["kind"] == TieKind.CUT_OFF else "Kind of tie changed"
            changes.append(
                MapChange(what, subject, f"{kinds.get(old['kind'])} → {kinds.get(new['kind'])}")
            )
        for field, up, down in (
            ("closeness", "Closer", "More distant"),
            ("trust", "More trust", "Less trust"),
            ("tension", "Tension up", "Tension down"),
        ):
            if old[field] != new[field]:
                changes.append(
                    MapChange(
                        _step(old[field], new[field], up, down),
                        subject,
                        f"{field} {old[field]} → {new[field]}",
                    )
                )
    return changes


def new_figure_marks(before: dict, after: dict) -> dict[str, str]:
    old = {f["id"] for f in before.get("figures", [])}
    return {f["id"]: "new" for f in after.get("figures", []) if f["id"] not in old}


def client_figure_label(rmap: RelationshipMap) -> str:
    return rmap.client.preferred_name or rmap.client.legal_first_name or FigureRole.CLIENT.label


def free_spot(taken: list[tuple[int, int]]) -> tuple[int, int]:
    """Where a new figure goes: on a ring around the centre (where the client sits), the
    first spot clockwise from the top that leaves room around every figure already drawn;
    on a crowded map, the emptiest spot there is. Deterministic: the same map always
    offers the same spot."""
    cx, cy = CANVAS_WIDTH // 2, CANVAS_HEIGHT // 2

    def room(x: int, y: int) -> float:
        # Name plates hang below a figure, so vertical neighbours need more space.
        return min((math.hypot(x - tx, (y - ty) * 1.4) for tx, ty in taken), default=math.inf)

    def ring_order(c: tuple[int, int]) -> tuple[int, float]:
        band = round(abs(math.hypot(c[0] - cx, (c[1] - cy) * 1.4) - RING) / GRID)
        clockwise_from_top = math.atan2(c[0] - cx, cy - c[1]) % math.tau
        return band, round(clockwise_from_top, 3)

    candidates = [
        (x, y)
        for x in range(FIGURE_INSET_X, CANVAS_WIDTH - FIGURE_INSET_X + 1, GRID)
        for y in range(FIGURE_INSET_TOP, CANVAS_HEIGHT - FIGURE_INSET_BOTTOM + 1, GRID)
    ]
    roomy = [c for c in candidates if room(*c) >= ROOM]
    if roomy:
        return min(roomy, key=lambda c: (ring_order(c), c))
    return max(candidates, key=lambda c: (room(*c), -c[1], -c[0]))


def map_comparison(rmap: RelationshipMap, *, a: str, b: str, asked: bool) -> dict:
    """Two moments of the map side by side (`a`, `b`: a snapshot's id or "current"), the
    earlier first: both drawings, what changed, and the pair the selectors show; or the
    reason there is nothing to compare yet (`asked`: the page was sent with a choice)."""
    # Newest first, in both selectors alike.
    ordered = list(rmap.snapshots.order_by("-taken_on", "-created_at"))
    snapshots = {str(s.pk): s for s in ordered}

    def pick(value: str) -> tuple[str, dict, str] | None:
        if value == "current":
            return (f"Now ({format_date(timezone.localdate())})", map_data(rmap), value)
        snap = snapshots.get(value)
        return (f"{snap} ({format_date(snap.taken_on)})", snap.data, value) if snap else None

    before, after = pick(a), pick(b)
    context = {"snapshots": ordered, "compare_a": a, "compare_b": b}
    if before and after and before[2] == after[2]:
        context["choose_error"] = (
            "Choose two different moments: a snapshot cannot be compared with itself."
        )
    elif before and after:
        if before[1].get("date", "") > after[1].get("date", ""):
            before, after = after, before
        context.update(
            # The selectors show the pair on the page, earlier moment first.
            compare_a=before[2],
            compare_b=after[2],
            before_label=before[0],
            after_label=after[0],
            before_svg=render_map_svg(before[1], dom_id="map-before"),
            after_svg=render_map_svg(
                after[1], marks=new_figure_marks(before[1], after[1]), dom_id="map-after"
            ),
            changes=compare_maps(before[1], after[1]),
        )
    elif asked:
        context["choose_error"] = "Choose two moments of the map to compare."
    return context
