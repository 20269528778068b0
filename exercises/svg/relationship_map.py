"""The one renderer of a relationship map: map data in, SVG text out.

A pure function of its input, so the page, the snapshot comparison and the
PDF show the same picture, and the same data always gives the same bytes.
Ties are drawn in the genogram/ecomap notation therapists already read
(double line close, triple fused, dashed distant, broken cut off, zigzag
conflict, arrow focused on), and every drawing carries its legend. Nothing
depends on colour: kinds differ by line shape, and ratings are printed.
Every piece of therapist text is escaped.
"""

import math
from dataclasses import dataclass

from clients.charts.svg import INK, MUTED, esc, num
from exercises.models.maps import (
    CANVAS_HEIGHT,
    CANVAS_WIDTH,
    FigureRole,
    TieKind,
    clamp_position,
)

RADIUS = 24
# The legend sits below the drawing, after a gap: figures are kept inside the drawing
# (clamp_position), so nothing drawn can run under the legend.
LEGEND_GAP = 12
LEGEND_HEIGHT = 150
CONFLICT_INK = "#842029"
LABEL_CHARS = 22
# On paper a tie's ratings sit on a plate beside it; past this many ties the plates overlap
# into a tangle no one can read (and half a busy plan's render time went on them), so the
# printed picture leaves them to the list of ties printed under it.
PRINTED_RATED_TIES = 12

ROLE_LABELS = dict(FigureRole.choices)
KIND_LABELS = dict(TieKind.choices)


@dataclass(frozen=True)
class Label:
    """A piece of text on the map: (x, y) is its first line's baseline in map units,
    at the middle of the line or at its start; further lines are `leading` below."""

    x: float
    y: float
    lines: tuple[str, ...]
    size: int
    fill: str = INK
    bold: bool | None = None  # None: no weight given (normal)
    anchor: str = "middle"
    leading: int = 0
    # The white plate drawn under it, in map units: (x, y, width, height, opacity).
    plate: tuple[float, float, float, float, float] | None = None


def svg_text(label: Label, ox: float = 0, oy: float = 0) -> str:
    """The label as an SVG <text>, placed relative to (ox, oy) (a figure's group)."""
    x, y = label.x - ox, label.y - oy
    attrs = (f' x="{num(x)}"' if x else "") + f' y="{num(y)}" font-size="{label.size}"'
    if label.anchor == "middle":
        attrs += ' text-anchor="middle"'
    if label.bold is not None:
        attrs += f' font-weight="{"bold" if label.bold else "normal"}"'
    if len(label.lines) == 1:
        body = esc(label.lines[0])
    else:
        body = "".join(
            f'<tspan x="{num(x)}" dy="{0 if i == 0 else label.leading}">{esc(line)}</tspan>'
            for i, line in enumerate(label.lines)
        )
    return f'<text{attrs} fill="{label.fill}">{body}</text>'


def _put(parts: list[str], labels: list[Label] | None, label: Label, ox=0.0, oy=0.0) -> None:
    """Draw the label (on its plate) as SVG, or, when the caller sets the text itself, hand
    both over: the plate goes with the text so that a later label still covers an earlier."""
    if labels is None:
        if label.plate:
            x, y, width, height, opacity = label.plate
            rx, extra = (2, ' class="map-tie-label"') if label.leading else (3, "")
            parts.append(
                f'<rect{extra} x="{num(x - ox)}" y="{num(y - oy)}" width="{num(width)}" '
                f'height="{num(height)}" rx="{rx}" fill="#fff" fill-opacity="{opacity}"/>'
            )
        parts.append(svg_text(label, ox, oy))
    else:
        labels.append(label)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def _line(x1: float, y1: float, x2: float, y2: float, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<line x1="{num(x1)}" y1="{num(y1)}" x2="{num(x2)}" y2="{num(y2)}"{extra}/>'


def _zigzag(x1: float, y1: float, x2: float, y2: float, nx: float, ny: float) -> str:
    length = math.hypot(x2 - x1, y2 - y1)
    steps = max(2, int(length // 8))
    points = []
    for i in range(steps + 1):
        t = i / steps
        offset = 0 if i in (0, steps) else (5 if i % 2 else -5)
        points.append(
            f"{num(x1 + (x2 - x1) * t + nx * offset)},{num(y1 + (y2 - y1) * t + ny * offset)}"
        )
    return (
        f'<polyline points="{" ".join(points)}" fill="none" stroke="{CONFLICT_INK}" '
        'stroke-width="1.6"/>'
    )


def tie_strokes(kind: str, x1: float, y1: float, x2: float, y2: float) -> list[str]:
    """The line pattern of one tie kind between two points."""
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    nx, ny = -uy, ux
    ink = {"stroke": INK, "stroke_width": "1.6"}

    def parallel(offsets: tuple[float, ...]) -> list[str]:
        return [_line(x1 + nx * o, y1 + ny * o, x2 + nx * o, y2 + ny * o, **ink) for o in offsets]

    if kind == TieKind.CLOSE:
        return parallel((-2.5, 2.5))
    if kind == TieKind.FUSED:
        return parallel((-4, 0, 4))
    if kind == TieKind.DISTANT:
        return [_line(x1, y1, x2, y2, stroke_dasharray="6 5", **ink)]
    if kind == TieKind.CUT_OFF:
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        bars = [
            _line(
                mx + ux * d - nx * 8,
                my + uy * d - ny * 8,
                mx + ux * d + nx * 8,
                my + uy * d + ny * 8,
                stroke=INK,
                stroke_width="2",
            )
            for d in (-4, 4)
        ]
        return [
            _line(x1, y1, mx - ux * 4, my - uy * 4, **ink),
            _line(mx + ux * 4, my + uy * 4, x2, y2, **ink),
            *bars,
        ]
    if kind == TieKind.CONFLICT:
        return [_zigzag(x1, y1, x2, y2, nx, ny)]
    if kind == TieKind.CLOSE_CONFLICTED:
        return [*parallel((-2.5, 2.5)), _zigzag(x1, y1, x2, y2, nx, ny)]
    if kind == TieKind.FOCUSED_ON:
        return [_line(x1, y1, x2, y2, stroke=INK, stroke_width="3")]
    return [_line(x1, y1, x2, y2, **ink)]


def _arrowhead(x2: float, y2: float, ux: float, uy: float) -> str:
    nx, ny = -uy, ux
    bx, by = x2 - ux * 11, y2 - uy * 11
    return (
        f'<polygon points="{num(x2)},{num(y2)} {num(bx + nx * 5)},{num(by + ny * 5)} '
        f'{num(bx - nx * 5)},{num(by - ny * 5)}" fill="{INK}"/>'
    )


def rating_lines(tie: dict) -> list[str]:
    """What a tie's three ratings mean, in words: "closeness 3 of 5"."""
    return [f"{name} {tie[name]} of 5" for name in ("closeness", "trust", "tension")]


def describe_tie(tie: dict, names: dict[str, str]) -> str:
    arrow = "→" if tie["direction"] == "one_way" or tie["kind"] == TieKind.FOCUSED_ON else "↔"
    return (
        f"{names.get(tie['source'], '?')} {arrow} {names.get(tie['target'], '?')}: "
        f"{KIND_LABELS.get(tie['kind'], tie['kind'])}; {', '.join(rating_lines(tie))}"
    )


def _render_tie(
    tie: dict,
    figures: dict[str, dict],
    names: dict[str, str],
    offset: float,
    labels: list[Label] | None,
    rated: bool,
) -> str:
    a, b = figures[tie["source"]], figures[tie["target"]]
    ax, ay, bx, by = float(a["x"]), float(a["y"]), float(b["x"]), float(b["y"])
    length = math.hypot(bx - ax, by - ay)
    if length < 2 * RADIUS + 4:
        return ""  # overlapping figures: the table still lists the tie
    ux, uy = (bx - ax) / length, (by - ay) / length
    nx, ny = -uy, ux
    x1, y1 = ax + ux * RADIUS + nx * offset, ay + uy * RADIUS + ny * offset
    x2, y2 = bx - ux * RADIUS + nx * offset, by - uy * RADIUS + ny * offset
    one_way = tie["direction"] == "one_way" or tie["kind"] == TieKind.FOCUSED_ON
    end_x, end_y = (x2 - ux * 9, y2 - uy * 9) if one_way else (x2, y2)
    printed = labels is not None  # on paper: no group to pick, no hover title, no click target
    parts = (
        []
        if printed
        else [
            f'<g class="map-tie" data-tie-id="{esc(tie["id"])}">',
            f"<title>{esc(describe_tie(tie, names))}</title>",
            # A wide invisible line makes the tie easy to click in the editor.
            _line(
                x1,
                y1,
                x2,
                y2,
                stroke=INK,
                stroke_opacity="0",
                stroke_width="14",
                class_="map-tie-hit",
            ),
        ]
    )
    parts.extend(tie_strokes(tie["kind"], x1, y1, end_x, end_y))
    if one_way:
        parts.append(_arrowhead(x2, y2, ux, uy))
    if rated:
        mx, my = (x1 + x2) / 2 + nx * 24, (y1 + y2) / 2 + ny * 24
        mx, my = min(max(mx, 41), CANVAS_WIDTH - 41), min(max(my, 18), CANVAS_HEIGHT - 18)
        # A white plate under the ratings keeps them legible over lines (also in PDF
        # renderers without paint-order support). Each rating says what it is: "closeness 3 of 5".
        ratings = tuple(rating_lines(tie))
        plate = (mx - 40, my - 17, 80, 33, 0.9)
        _put(parts, labels, Label(mx, my - 7, ratings, 9, leading=10, plate=plate))
    if not printed:
        parts.append("</g>")
    return "".join(parts)


def _render_figure(fig: dict, mark: str, labels: list[Label] | None) -> str:
    x, y = int(fig["x"]), int(fig["y"])  # already kept inside the drawing
    is_client = fig["role"] == FigureRole.CLIENT
    role = ROLE_LABELS.get(fig["role"], fig["role"])
    title = f"{fig['label']} ({role}{', deceased' if fig.get('deceased') else ''})"
    parts = [
        f'<g class="map-figure" data-figure-id="{esc(fig["id"])}" transform="translate({x} {y})">',
        "" if labels is not None else f"<title>{esc(title)}</title>",
        f'<circle r="{RADIUS}" fill="#fff" stroke="{INK}" stroke-width="2"/>',
    ]
    if is_client:
        # Genogram convention: the index person is drawn with a double outline.
        parts.append(f'<circle r="{RADIUS - 5}" fill="none" stroke="{INK}" stroke-width="1.5"/>')
    if fig.get("deceased"):
        d = RADIUS * 0.7
        parts.append(_line(-d, -d, d, d, stroke=INK, stroke_width="1.5"))
        parts.append(_line(-d, d, d, -d, stroke=INK, stroke_width="1.5"))
    if mark:
        parts.append(
            f'<circle r="{RADIUS + 6}" fill="none" stroke="{INK}" stroke-width="1.5" '
            'stroke-dasharray="3 3"/>'
        )
        _put(parts, labels, Label(x, y - RADIUS - 10, (mark,), 10, bold=True), x, y)
    # A plate under the name keeps it readable where ties pass; its width is estimated from
    # the text length, which keeps the output a pure function of the data.
    short = _short(fig["label"])
    plate = max(len(short) * 7, len(role) * 6) + 8
    name = Label(
        x,
        y + RADIUS + 14,
        (short,),
        12,
        bold=is_client,
        plate=(x + (-plate // 2), y + RADIUS + 3, plate, 28, 0.85),
    )
    _put(parts, labels, name, x, y)
    role_line = f"{role}{' · deceased' if fig.get('deceased') else ''}"
    _put(parts, labels, Label(x, y + RADIUS + 27, (role_line,), 10, fill=MUTED), x, y)
    parts.append("</g>")
    return "".join(parts)


def _legend(top: int, labels: list[Label] | None, rated: bool) -> str:
    parts = [
        f'<g class="map-legend" transform="translate(0 {top})">',
        f'<rect width="{CANVAS_WIDTH}" height="{LEGEND_HEIGHT}" fill="#f8f9fa" '
        f'stroke="{MUTED}" stroke-width="1"/>',
    ]

    def put(x: float, y: float, text: str, size: int = 11, **style) -> None:
        _put(parts, labels, Label(x, top + y, (text,), size, anchor="start", **style), 0, top)

    put(12, 18, "Legend", 12, bold=True)
    kinds = list(TieKind.choices)
    for i, (kind, label) in enumerate(kinds):
        col, row = i % 4, i // 4
        x, y = 12 + col * 196, 38 + row * 26
        parts.extend(tie_strokes(kind, x, y, x + 56, y))
        if kind == TieKind.FOCUSED_ON:
            parts.append(_arrowhead(x + 64, y, 1.0, 0.0))
        put(x + 72, y + 4, label)
    y = 100
    parts.append(
        f'<line x1="12" y1="{y}" x2="60" y2="{y}" stroke="{INK}" stroke-width="1.6"/>'
        + _arrowhead(68, y, 1.0, 0.0)
    )
    put(84, y + 4, "One way (from → to)")
    parts.append(
        f'<circle cx="240" cy="{y}" r="9" fill="#fff" stroke="{INK}" stroke-width="2"/>'
        f'<circle cx="240" cy="{y}" r="5" fill="none" stroke="{INK}" stroke-width="1.5"/>'
    )
    put(256, y + 4, "Client")
    parts.append(
        f'<circle cx="320" cy="{y}" r="9" fill="#fff" stroke="{INK}" stroke-width="2"/>'
        + _line(314, y - 6, 326, y + 6, stroke=INK, stroke_width="1.5")
        + _line(314, y + 6, 326, y - 6, stroke=INK, stroke_width="1.5")
    )
    put(336, y + 4, "Deceased")
    if rated:
        put(430, y + 4, "Ratings on a tie: closeness, trust, tension, each 0–5")
    else:
        put(430, y + 4, "Ratings (closeness, trust, tension, each 0–5): in the list of ties")
    put(
        12,
        y + 34,
        "A picture of the client's relationships as named in therapy; "
        "an exploration aid, not an assessment.",
        10,
        fill=MUTED,
    )
    parts.append("</g>")
    return "".join(parts)


def render_map_svg(
    map_data: dict, *, marks: dict[str, str] | None = None, dom_id: str = "map"
) -> str:
    """Render a map's data (see exercises.maps.map_data) as a standalone SVG document string.

    marks labels figures (e.g. "new" in a comparison); dom_id keeps element ids unique when
    two maps share a page.
    """
    return _render(map_data, marks or {}, dom_id, None)


@dataclass(frozen=True)
class MapDrawing:
    """The picture for paper in four layers, painted in this order: the ties' shapes (with
    the map's title and description), the ties' labels, the figures' and legend's shapes
    (no title: a layer, not a picture of its own), their labels. Labels are in map units."""

    ties_svg: str
    tie_labels: list[Label]
    figures_svg: str
    figure_labels: list[Label]


FIGURES_LAYER = '</g><g class="map-figures">'


def map_drawing(
    map_data: dict, *, marks: dict[str, str] | None = None, dom_id: str = "map"
) -> MapDrawing:
    """The same picture as render_map_svg for paper: the SVG without its text (nor what only
    a screen uses: hover titles, click targets), and the text as labels, for a renderer that
    sets text faster as its own boxes over the picture (WeasyPrint lays SVG text out one
    letter at a time: the PDF). Split in layers so that figures still cover tie labels."""
    labels: list[Label] = []
    svg = _render(map_data, marks or {}, dom_id, labels)
    ties, figures = svg.split(FIGURES_LAYER)
    head = svg[: svg.index(">") + 1]
    opening = head.split(" role=")[0] + ">"  # the root without its title: a plain layer
    first_figure_label = next(
        (i for i, label in enumerate(labels) if not label.leading), len(labels)
    )
    return MapDrawing(
        ties_svg=ties + "</g></svg>",
        tie_labels=labels[:first_figure_label],
        figures_svg=opening + '<g class="map-figures">' + figures,
        figure_labels=labels[first_figure_label:],
    )


def _render(map_data: dict, marks: dict[str, str], dom_id: str, labels: list[Label] | None) -> str:
    # Figures saved before positions were kept inside the drawing are drawn pulled in.
    figures = []
    for f in map_data.get("figures", []):
        x, y = clamp_position(float(f["x"]), float(f["y"]))
        figures.append({**f, "x": x, "y": y})
    figures.sort(key=lambda f: str(f["id"]))
    by_id = {str(f["id"]): f for f in figures}
    names = {fid: f["label"] for fid, f in by_id.items()}
    ties = sorted(
        (t for t in map_data.get("ties", []) if t["source"] in by_id and t["target"] in by_id),
        key=lambda t: str(t["id"]),
    )
    # Two ties between the same pair are drawn side by side rather than on top of each other.
    pairs: dict[frozenset, list[str]] = {}
    for t in ties:
        pairs.setdefault(frozenset((t["source"], t["target"])), []).append(str(t["id"]))
    height = CANVAS_HEIGHT + LEGEND_GAP + LEGEND_HEIGHT
    title = map_data.get("title") or "Relationship map"
    when = map_data.get("date") or ""
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CANVAS_WIDTH} {height}" '
        f'width="{CANVAS_WIDTH}" height="{height}" role="img" class="relationship-map" '
        f'aria-labelledby="{esc(dom_id)}-title {esc(dom_id)}-desc">',
        f'<title id="{esc(dom_id)}-title">{esc(title)}{" — " + esc(when) if when else ""}</title>',
        f'<desc id="{esc(dom_id)}-desc">{len(figures)} figures and {len(ties)} ties. '
        "The table of figures and ties gives the same information as text.</desc>",
        f'<rect class="map-canvas" x="0.5" y="0.5" width="{CANVAS_WIDTH - 1}" '
        f'height="{CANVAS_HEIGHT - 1}" fill="#fff" stroke="{MUTED}" stroke-width="1"/>',
        '<g class="map-ties">',
    ]
    rated = labels is None or len(ties) <= PRINTED_RATED_TIES
    for t in ties:
        group = pairs[frozenset((t["source"], t["target"]))]
        offset = (group.index(str(t["id"])) - (len(group) - 1) / 2) * 12 if len(group) > 1 else 0
        # Keep the offset side stable whichever way round the tie points.
        if str(t["source"]) > str(t["target"]):
            offset = -offset
        parts.append(_render_tie(t, by_id, names, offset, labels, rated))
    parts.append(FIGURES_LAYER)
    parts.extend(_render_figure(f, marks.get(str(f["id"]), ""), labels) for f in figures)
    parts.append("</g>")
    parts.append(_legend(CANVAS_HEIGHT + LEGEND_GAP, labels, rated))
    parts.append("</svg>")
    return "".join(parts)
