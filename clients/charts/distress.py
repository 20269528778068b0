"""Server-rendered SVG charts. Readable without colour: shapes, dash patterns, labels."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from clients.distress_sources import DistressRow

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 76
INK, REPORTED = "#1f3b57", "#7a3e00"


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if n == 1 else span * i / (n - 1))


def _y(value: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (10 - value) / 10


def _triangle(x: float, y: float, *, filled: bool) -> str:
    """A client-reported rating: up-pointing triangle, filled before, hollow after."""
    points = f"{x:.1f},{y - 5.5:.1f} {x + 5.5:.1f},{y + 4.5:.1f} {x - 5.5:.1f},{y + 4.5:.1f}"
    fill = REPORTED if filled else "#fff"
    return f'<polygon points="{points}" fill="{fill}" stroke="{REPORTED}" stroke-width="2"/>'


def _session_marker(x: float, y: float, *, shape: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{INK}"/>'
    return (
        f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" '
        f'fill="#fff" stroke="{INK}" stroke-width="2"/>'
    )


def _grid_and_dates(rows: list[DistressRow]) -> list[str]:
    n = len(rows)
    parts = []
    for level in (0, 2, 4, 6, 8, 10):
        y = _y(level)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d0d4d9" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#333">{level}</text>'
        )
    step = max(1, n // 8)
    for i, row in enumerate(rows):
        if i % step == 0 or i == n - 1:
            anchor = "end" if i == n - 1 and n > 1 else "start" if i == 0 and n > 1 else "middle"
            parts.append(
                f'<text x="{_x(i, n):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}" '
                f'font-size="11" fill="#333">{row.date.day} {row.date:%b}</text>'
            )
    return parts


def _series(rows: list[DistressRow]) -> list[str]:
    """Sessions: before joined by a solid line (circles), after by a dashed one (squares).
    Client-reported practice: triangles of their own, never joined to the session lines."""
    n, parts = len(rows), []
    for attr, dash, shape in (
        ("distress_before", "", "circle"),
        ("distress_after", "6 4", "square"),
    ):
        points = [
            (_x(i, n), _y(getattr(row, attr)), row.client_reported)
            for i, row in enumerate(rows)
            if getattr(row, attr) is not None
        ]
        line = [(x, y) for x, y, reported in points if not reported]
        if len(line) > 1:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in line)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{d}" fill="none" stroke="{INK}" stroke-width="2"{dash_attr}/>'
            )
        for x, y, reported in points:
            parts.append(
                _triangle(x, y, filled=shape == "circle")
                if reported
                else _session_marker(x, y, shape=shape)
            )
    return parts


def _legend(*, with_reported: bool) -> str:
    ly = HEIGHT - 34
    legend = (
        f'<g font-size="12" fill="#333">'
        f'<line x1="{LEFT}" x2="{LEFT + 28}" y1="{ly}" y2="{ly}" stroke="{INK}" stroke-width="2"/>'
        f"{_session_marker(LEFT + 14, ly, shape='circle')}"
        f'<text x="{LEFT + 36}" y="{ly + 4}">Before (session)</text>'
        f'<line x1="{LEFT + 160}" x2="{LEFT + 188}" y1="{ly}" y2="{ly}" stroke="{INK}" '
        'stroke-width="2" stroke-dasharray="6 4"/>'
        f"{_session_marker(LEFT + 174, ly, shape='square')}"
        f'<text x="{LEFT + 196}" y="{ly + 4}">After (session)</text>'
    )
    if with_reported:
        ly2 = ly + 22
        legend += (
            f"{_triangle(LEFT + 14, ly2, filled=True)}"
            f'<text x="{LEFT + 36}" y="{ly2 + 4}">Before (client-reported practice)</text>'
            f"{_triangle(LEFT + 264, ly2, filled=False)}"
            f'<text x="{LEFT + 286}" y="{ly2 + 4}">After (client-reported)</text>'
        )
    return legend + "</g>"


def distress_chart(rows: list[DistressRow], *, title_id: str = "distress-title") -> SafeString:
    """Distress before and after, 0–10: sessions as joined lines (circles before, squares
    after); the client's own practice entries as triangles (filled before, hollow after)."""
    if not rows:
        return mark_safe(escape(""))  # noqa: S308
    with_reported = any(row.client_reported for row in rows)
    reported_desc = (
        " Triangles, not joined: the client's own practice entries from the companion"
        " (client-reported), filled before and hollow after."
        if with_reported
        else ""
    )
    parts = [
        f'<svg class="distress-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {title_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Distress before and after, 0 to 10</title>',
        f'<desc id="{title_id}-desc">Solid line with circles: before the session. '
        f"Dashed line with squares: after the session.{reported_desc} "
        "The table below gives every value.</desc>",
        *_grid_and_dates(rows),
        *_series(rows),
        _legend(with_reported=with_reported),
        "</svg>",
    ]
    # Only numbers, dates and fixed words reach the markup.
    return mark_safe("".join(parts))  # noqa: S308
