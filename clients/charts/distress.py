"""Server-rendered SVG charts. Readable without colour: shapes, dash patterns, labels."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from clients.models import TherapySession

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 56


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span / 2 if n == 1 else span * i / (n - 1))


def _y(value: int) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (10 - value) / 10


def distress_chart(
    sessions: list[TherapySession], *, title_id: str = "distress-title"
) -> SafeString:
    """Distress before (solid line, circles) and after (dashed line, squares), 0–10."""
    n = len(sessions)
    parts = [
        f'<svg class="distress-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{title_id} {title_id}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{title_id}">Distress before and after sessions, 0 to 10</title>',
        f'<desc id="{title_id}-desc">Solid line with circles: before the session. '
        "Dashed line with squares: after the session. The table below gives every value.</desc>",
    ]
    for level in (0, 2, 4, 6, 8, 10):
        y = _y(level)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#d0d4d9" stroke-width="1"/>'
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="#333">{level}</text>'
        )
    step = max(1, n // 8)
    for i, s in enumerate(sessions):
        if i % step == 0 or i == n - 1:
            anchor = "end" if i == n - 1 and n > 1 else "start" if i == 0 and n > 1 else "middle"
            parts.append(
                f'<text x="{_x(i, n):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="{anchor}" '
                f'font-size="11" fill="#333">{s.date.day} {s.date:%b}</text>'
            )
    for attr, dash, shape in (
        ("distress_before", "", "circle"),
        ("distress_after", "6 4", "square"),
    ):
        points = [
            (_x(i, n), _y(getattr(s, attr)))
            for i, s in enumerate(sessions)
            if getattr(s, attr) is not None
        ]
        if len(points) > 1:
            d = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{d}" fill="none" stroke="#1f3b57" stroke-width="2"{dash_attr}/>'
            )
        for x, y in points:
            if shape == "circle":
                parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="#1f3b57"/>')
            else:
                parts.append(
                    f'<rect x="{x - 4.5:.1f}" y="{y - 4.5:.1f}" width="9" height="9" '
                    'fill="#fff" stroke="#1f3b57" stroke-width="2"/>'
                )
    ly = HEIGHT - 14
    parts.append(
        f'<g font-size="12" fill="#333">'
        f'<line x1="{LEFT}" x2="{LEFT + 28}" y1="{ly}" y2="{ly}" '
        'stroke="#1f3b57" stroke-width="2"/>'
        f'<circle cx="{LEFT + 14}" cy="{ly}" r="4.5" fill="#1f3b57"/>'
        f'<text x="{LEFT + 36}" y="{ly + 4}">Before</text>'
        f'<line x1="{LEFT + 110}" x2="{LEFT + 138}" y1="{ly}" y2="{ly}" stroke="#1f3b57" '
        'stroke-width="2" stroke-dasharray="6 4"/>'
        f'<rect x="{LEFT + 119.5}" y="{ly - 4.5}" width="9" height="9" fill="#fff" '
        'stroke="#1f3b57" stroke-width="2"/>'
        f'<text x="{LEFT + 146}" y="{ly + 4}">After</text></g>'
    )
    parts.append("</svg>")
    # Only numbers and dates reach the markup; escape() guards against a future label.
    return mark_safe("".join(parts) if n else escape(""))  # noqa: S308
