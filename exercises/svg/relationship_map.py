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

ROLE_LABELS = dict(FigureRole.choices)
KIND_LABELS = dict(TieKind.choices)


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


def _render_tie(tie: dict, figures: dict[str, dict], names: dict[str, str], offset: float) -> str:
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
    parts = [
        f'<g class="map-tie" data-tie-id="{esc(tie["id"])}">',
        f"<title>{esc(describe_tie(tie, names))}</title>",
        # A wide invisible line makes the tie easy to click in the editor.
        _line(
            x1, y1, x2, y2, stroke=INK, stroke_opacity="0", stroke_width="14", class_="map-tie-hit"
        ),
        *tie_strokes(tie["kind"], x1, y1, end_x, end_y),
    ]
    if one_way:
        parts.append(_arrowhead(x2, y2, ux, uy))
    mx, my = (x1 + x2) / 2 + nx * 24, (y1 + y2) / 2 + ny * 24
    mx, my = min(max(mx, 41), CANVAS_WIDTH - 41), min(max(my, 18), CANVAS_HEIGHT - 18)
    # A white plate under the ratings keeps them legible over lines (also in PDF renderers
    # without paint-order support). Each rating says what it is: "closeness 3 of 5".
    lines = rating_lines(tie)
    parts.append(
        f'<rect class="map-tie-label" x="{num(mx - 40)}" y="{num(my - 17)}" width="80" '
        'height="33" rx="2" fill="#fff" fill-opacity="0.9"/>'
        f'<text x="{num(mx)}" y="{num(my - 7)}" font-size="9" text-anchor="middle" fill="{INK}">'
        + "".join(
            f'<tspan x="{num(mx)}" dy="{0 if i == 0 else 10}">{esc(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        + "</text>"
    )
    parts.append("</g>")
    return "".join(parts)


def _render_figure(fig: dict, mark: str) -> str:
    x, y = int(fig["x"]), int(fig["y"])  # already kept inside the drawing
    is_client = fig["role"] == FigureRole.CLIENT
    role = ROLE_LABELS.get(fig["role"], fig["role"])
    title = f"{fig['label']} ({role}{', deceased' if fig.get('deceased') else ''})"
    parts = [
        f'<g class="map-figure" data-figure-id="{esc(fig["id"])}" transform="translate({x} {y})">',
        f"<title>{esc(title)}</title>",
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
            f'<text y="{-RADIUS - 10}" font-size="10" text-anchor="middle" '
            f'font-weight="bold" fill="{INK}">{esc(mark)}</text>'
        )
    # A plate under the name keeps it readable where ties pass; its width is estimated from
    # the text length, which keeps the output a pure function of the data.
    short = _short(fig["label"])
    plate = max(len(short) * 7, len(role) * 6) + 8
    parts.append(
        f'<rect x="{-plate // 2}" y="{RADIUS + 3}" width="{plate}" height="28" rx="3" '
        'fill="#fff" fill-opacity="0.85"/>'
    )
    parts.append(
        f'<text y="{RADIUS + 14}" font-size="12" text-anchor="middle" fill="{INK}" '
        f'font-weight="{"bold" if is_client else "normal"}">{esc(short)}</text>'
        f'<text y="{RADIUS + 27}" font-size="10" text-anchor="middle" fill="{MUTED}">'
        f"{esc(role)}{' · deceased' if fig.get('deceased') else ''}</text>"
        "</g>"
    )
    return "".join(parts)


def _legend(top: int) -> str:
    parts = [
        f'<g class="map-legend" transform="translate(0 {top})">',
        f'<rect width="{CANVAS_WIDTH}" height="{LEGEND_HEIGHT}" fill="#f8f9fa" '
        f'stroke="{MUTED}" stroke-width="1"/>',
        f'<text x="12" y="18" font-size="12" font-weight="bold" fill="{INK}">Legend</text>',
    ]
    kinds = list(TieKind.choices)
    for i, (kind, label) in enumerate(kinds):
        col, row = i % 4, i // 4
        x, y = 12 + col * 196, 38 + row * 26
        parts.extend(tie_strokes(kind, x, y, x + 56, y))
        if kind == TieKind.FOCUSED_ON:
            parts.append(_arrowhead(x + 64, y, 1.0, 0.0))
        parts.append(
            f'<text x="{x + 72}" y="{y + 4}" font-size="11" fill="{INK}">{esc(label)}</text>'
        )
    y = 100
    parts.append(
        f'<line x1="12" y1="{y}" x2="60" y2="{y}" stroke="{INK}" stroke-width="1.6"/>'
        + _arrowhead(68, y, 1.0, 0.0)
        + f'<text x="84" y="{y + 4}" font-size="11" fill="{INK}">One way (from → to)</text>'
        f'<circle cx="240" cy="{y}" r="9" fill="#fff" stroke="{INK}" stroke-width="2"/>'
        f'<circle cx="240" cy="{y}" r="5" fill="none" stroke="{INK}" stroke-width="1.5"/>'
        f'<text x="256" y="{y + 4}" font-size="11" fill="{INK}">Client</text>'
        f'<circle cx="320" cy="{y}" r="9" fill="#fff" stroke="{INK}" stroke-width="2"/>'
        + _line(314, y - 6, 326, y + 6, stroke=INK, stroke_width="1.5")
        + _line(314, y + 6, 326, y - 6, stroke=INK, stroke_width="1.5")
        + f'<text x="336" y="{y + 4}" font-size="11" fill="{INK}">Deceased</text>'
        f'<text x="430" y="{y + 4}" font-size="11" fill="{INK}">Ratings on a tie: '
        "closeness, trust, tension, each 0–5</text>"
        f'<text x="12" y="{y + 34}" font-size="10" fill="{MUTED}">A picture of the '
        "client's relationships as named in therapy; an exploration aid, not an assessment."
        "</text></g>"
    )
    return "".join(parts)


def render_map_svg(
    map_data: dict, *, marks: dict[str, str] | None = None, dom_id: str = "map"
) -> str:
    """Render a map's data (see exercises.maps.map_data) as a standalone SVG document string.

    marks labels figures (e.g. "new" in a comparison); dom_id keeps element ids unique when
    two maps share a page.
    """
    marks = marks or {}
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
    for t in ties:
        group = pairs[frozenset((t["source"], t["target"]))]
        offset = (group.index(str(t["id"])) - (len(group) - 1) / 2) * 12 if len(group) > 1 else 0
        # Keep the offset side stable whichever way round the tie points.
        if str(t["source"]) > str(t["target"]):
            offset = -offset
        parts.append(_render_tie(t, by_id, names, offset))
    parts.append('</g><g class="map-figures">')
    parts.extend(_render_figure(f, marks.get(str(f["id"]), "")) for f in figures)
    parts.append("</g>")
    parts.append(_legend(CANVAS_HEIGHT + LEGEND_GAP))
    parts.append("</svg>")
    return "".join(parts)
