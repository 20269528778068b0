"""Small server-rendered charts: the anxiety/avoidance plane and lines over time.

Readable without colour: points carry their dates, series differ by marker shape
and dash pattern, quadrants carry their names as text, and every chart on a
page sits next to a table with the same numbers.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from clients.charts.svg import GRID, INK, MUTED, esc, num

AID = "An exploration aid, not a validated instrument."


@dataclass(frozen=True)
class PlanePoint:
    label: str  # e.g. the date
    anxiety: int
    avoidance: int


def style_plane_svg(points: Sequence[PlanePoint], *, size: int = 360) -> str:
    """Avoidance across, anxiety up, 1–7 each; the path of positions in date order, each
    point labelled with its date (the latest in bold). The aid note is the page's to say."""
    pad = 44
    span = size - 2 * pad

    def px(avoidance: float) -> float:
        return pad + (avoidance - 1) / 6 * span

    def py(anxiety: float) -> float:
        return pad + (7 - anxiety) / 6 * span

    mid = px(4)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" role="img" class="style-plane" '
        'aria-labelledby="plane-title plane-desc">',
        '<title id="plane-title">Anxiety and avoidance ratings over time</title>',
        f'<desc id="plane-desc">{len(points)} ratings, each labelled with its date, joined in '
        "date order. The table beside the chart gives the same numbers.</desc>",
        f'<rect x="{pad}" y="{pad}" width="{span}" height="{span}" fill="#fff" stroke="{INK}"/>',
        f'<line x1="{num(mid)}" y1="{pad}" x2="{num(mid)}" y2="{pad + span}" stroke="{MUTED}" '
        'stroke-dasharray="4 3"/>',
        f'<line x1="{pad}" y1="{num(mid)}" x2="{pad + span}" y2="{num(mid)}" stroke="{MUTED}" '
        'stroke-dasharray="4 3"/>',
    ]
    quadrants = [
        ("Anxious", pad + 6, pad + 16, "start"),
        ("Disorganized", pad + span - 6, pad + 16, "end"),
        ("Secure", pad + 6, pad + span - 8, "start"),
        ("Avoidant", pad + span - 6, pad + span - 8, "end"),
    ]
    for name, x, y, anchor in quadrants:
        parts.append(
            f'<text x="{num(x)}" y="{num(y)}" font-size="12" fill="{MUTED}" '
            f'text-anchor="{anchor}" font-style="italic">{name}</text>'
        )
    for v in range(1, 8):
        parts.append(
            f'<text x="{num(px(v))}" y="{pad + span + 14}" font-size="10" text-anchor="middle" '
            f'fill="{INK}">{v}</text>'
            f'<text x="{pad - 8}" y="{num(py(v) + 3)}" font-size="10" text-anchor="end" '
            f'fill="{INK}">{v}</text>'
        )
    parts.append(
        f'<text x="{num(pad + span / 2)}" y="{pad + span + 32}" font-size="12" '
        f'text-anchor="middle" fill="{INK}">Avoidance →</text>'
        f'<text transform="translate(14 {num(pad + span / 2)}) rotate(-90)" font-size="12" '
        f'text-anchor="middle" fill="{INK}">Anxiety →</text>'
    )
    coords = [(px(p.avoidance), py(p.anxiety)) for p in points]
    if len(coords) > 1:
        path = " ".join(f"{num(x)},{num(y)}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{INK}" stroke-width="1.5" '
            'stroke-dasharray="5 3"/>'
        )
    for i, (p, (x, y)) in enumerate(zip(points, coords, strict=True), start=1):
        last = i == len(points)
        # Each point says when it was rated; near the right edge the date goes to the left.
        right = x < pad + span * 0.6
        parts.append(
            f"<g><title>{esc(p.label)}: anxiety {p.anxiety}, avoidance {p.avoidance}</title>"
            f'<circle cx="{num(x)}" cy="{num(y)}" r="{6 if last else 5}" '
            f'fill="{INK if last else "#fff"}" stroke="{INK}" stroke-width="1.5"/>'
            f'<text x="{num(x + 9 if right else x - 9)}" y="{num(y + 4)}" font-size="10" '
            f'text-anchor="{"start" if right else "end"}" fill="{INK}" '
            f'font-weight="{"bold" if last else "normal"}">{esc(p.label)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per x label; None leaves a gap


MARKERS = ("circle", "square", "triangle", "diamond")
DASHES = ("", "6 4", "2 3", "8 3 2 3")


def _marker(kind: str, x: float, y: float) -> str:
    if kind == "circle":
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="4" fill="{INK}"/>'
    if kind == "square":
        return (
            f'<rect x="{num(x - 4)}" y="{num(y - 4)}" width="8" height="8" fill="#fff" '
            f'stroke="{INK}" stroke-width="1.5"/>'
        )
    if kind == "triangle":
        return (
            f'<polygon points="{num(x)},{num(y - 5)} {num(x + 5)},{num(y + 4)} {num(x - 5)},'
            f'{num(y + 4)}" fill="{INK}"/>'
        )
    return (
        f'<polygon points="{num(x)},{num(y - 5)} {num(x + 5)},{num(y)} {num(x)},{num(y + 5)} '
        f'{num(x - 5)},{num(y)}" fill="#fff" stroke="{INK}" stroke-width="1.5"/>'
    )


def line_chart_svg(
    *,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    y_min: float,
    y_max: float,
    y_label: str,
    note: str = "",
    width: int = 640,
    height: int = 260,
) -> str:
    left, right, top, bottom = 48, 32, 34, 62
    plot_w, plot_h = width - left - right, height - top - bottom
    n = len(x_labels)
    y_span = (y_max - y_min) or 1

    def px(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))

    def py(v: float) -> float:
        return top + (y_max - v) / y_span * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" class="line-chart">',
        f"<title>{esc(title)}</title>",
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fff" '
        f'stroke="{INK}"/>',
    ]
    step = max(1, round(y_span / 5))
    v = y_min
    while v <= y_max:
        parts.append(
            f'<line x1="{left}" y1="{num(py(v))}" x2="{left + plot_w}" y2="{num(py(v))}" '
            f'stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{num(py(v) + 3)}" font-size="10" text-anchor="end" '
            f'fill="{INK}">{num(v)}</text>'
        )
        v += step
    every = max(1, n // 8)
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == n - 1:
            parts.append(
                f'<text x="{num(px(i))}" y="{top + plot_h + 14}" font-size="10" '
                f'text-anchor="middle" fill="{INK}">{esc(label)}</text>'
            )
    parts.append(
        f'<text transform="translate(12 {num(top + plot_h / 2)}) rotate(-90)" font-size="11" '
        f'text-anchor="middle" fill="{INK}">{esc(y_label)}</text>'
    )
    for s_i, s in enumerate(series):
        marker, dash = MARKERS[s_i % len(MARKERS)], DASHES[s_i % len(DASHES)]
        run: list[str] = []
        runs: list[list[str]] = []
        for i, val in enumerate(s.values):
            if val is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{num(px(i))},{num(py(val))}")
        if run:
            runs.append(run)
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        for r in runs:
            if len(r) > 1:
                parts.append(
                    f'<polyline points="{" ".join(r)}" fill="none" stroke="{INK}" '
                    f'stroke-width="1.5"{dash_attr}/>'
                )
        for i, val in enumerate(s.values):
            if val is not None:
                parts.append(_marker(marker, px(i), py(val)))
        lx = left + s_i * 160
        ly = height - 26
        parts.append(
            f'<line x1="{lx}" y1="{ly}" x2="{lx + 28}" y2="{ly}" stroke="{INK}" '
            f'stroke-width="1.5"{dash_attr}/>'
            + _marker(marker, lx + 14, ly)
            + f'<text x="{lx + 34}" y="{ly + 4}" font-size="11" fill="{INK}">{esc(s.name)}</text>'
        )
    if note:
        parts.append(
            f'<text x="{left}" y="{height - 6}" font-size="10" fill="{MUTED}">{esc(note)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def scale_means_chart(
    *,
    title: str,
    dates: Sequence[str],
    means: Sequence[dict],
    subscales: Sequence[str],
    y_min: float,
    y_max: float,
) -> str:
    """A rating scale's subscale means over time (the first four subscales), with the aid note."""
    if not dates:
        return ""
    return line_chart_svg(
        title=title,
        x_labels=list(dates),
        series=[Series(key, [m.get(key) for m in means]) for key in subscales[:4]],
        y_min=y_min,
        y_max=y_max,
        y_label="Mean",
        note=AID,
    )


def scale_totals_chart(*, title: str, dates: Sequence[str], totals: Sequence, y_max: float) -> str:
    """A built-in measure's totals over time (PHQ-9, GAD-7): a published instrument, so
    no exploration-aid note."""
    if not dates:
        return ""
    return line_chart_svg(
        title=title,
        x_labels=list(dates),
        series=[Series("total", list(totals))],
        y_min=0,
        y_max=y_max,
        y_label="Total",
    )
