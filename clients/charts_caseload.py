"""Server-rendered SVG of each therapist's load against capacity.

Readable without colour: paused clients are hatched, capacity is a dashed
line, and every bar carries its numbers in text. The page also shows the same
figures as a table.
"""

from collections.abc import Sequence

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from clients.selectors_caseload import TherapistLoad

# The chart scales to its frame: 16 units of text stay about 14 px at tablet width.
FONT = 16
ROW = 32
LABEL_W = 230
BAR_W = 300
TEXT_W = 390
TOP = 38


def load_chart(loads: Sequence[TherapistLoad], *, chart_id: str = "load-chart") -> SafeString:
    if not loads:
        return mark_safe("")  # noqa: S308 - constant
    scale_max = max(max(ld.capacity, ld.active + ld.paused) for ld in loads) or 1
    unit = BAR_W / scale_max
    width = LABEL_W + BAR_W + TEXT_W
    height = TOP + ROW * len(loads) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="load-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">Active and paused clients against capacity</title>',
        f'<desc id="{chart_id}-desc">One bar per therapist: solid for active clients, '
        "hatched for paused clients, a dashed line at capacity. The table below "
        "gives the same figures.</desc>",
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#495057" stroke-width="3"/>'
        "</pattern></defs>",
        # Legend
        f'<g class="legend" font-size="{FONT}" fill="#212529">'
        f'<rect x="{LABEL_W}" y="6" width="16" height="16" fill="#1f4e79"/>'
        f'<text x="{LABEL_W + 22}" y="20">active</text>'
        f'<rect x="{LABEL_W + 95}" y="6" width="16" height="16" '
        f'fill="url(#{chart_id}-hatch)" stroke="#495057"/>'
        f'<text x="{LABEL_W + 117}" y="20">paused</text>'
        f'<line x1="{LABEL_W + 200}" y1="4" x2="{LABEL_W + 200}" y2="24" stroke="#212529" '
        'stroke-width="2" stroke-dasharray="3 2"/>'
        f'<text x="{LABEL_W + 208}" y="20">capacity</text></g>',
    ]
    for i, ld in enumerate(loads):
        y = TOP + i * ROW
        name = escape(ld.name)
        active_w = ld.active * unit
        paused_w = ld.paused * unit
        cap_x = LABEL_W + ld.capacity * unit
        status = f" — over by {ld.over_by}" if ld.over else ""
        weight = ' font-weight="bold"' if ld.over else ""
        parts.append(
            f'<g font-size="{FONT}" fill="#212529">'
            f'<text x="{LABEL_W - 8}" y="{y + 19}" text-anchor="end">{name}</text>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{BAR_W}" height="20" fill="#f1f3f5"/>'
            f'<rect x="{LABEL_W}" y="{y + 4}" width="{active_w:.1f}" height="20" '
            'fill="#1f4e79"/>'
            f'<rect x="{LABEL_W + active_w:.1f}" y="{y + 4}" width="{paused_w:.1f}" '
            f'height="20" fill="url(#{chart_id}-hatch)" stroke="#495057" stroke-width="0.5"/>'
            f'<line x1="{cap_x:.1f}" y1="{y}" x2="{cap_x:.1f}" y2="{y + 28}" stroke="#212529" '
            'stroke-width="2" stroke-dasharray="3 2"/>'
            f'<text x="{LABEL_W + BAR_W + 10}" y="{y + 19}"{weight}>'
            f"{ld.active} active, {ld.paused} paused / {ld.capacity}{status}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated text is escaped


def load_table(loads: Sequence[TherapistLoad], *, filter_url: str) -> SafeString:
    """The chart's figures as a table (its text alternative), one row per therapist.

    Built here rather than in a template loop: with a hundred therapists the
    loop was most of the caseload page's rendering time.
    """
    rows = format_html_join(
        "",
        '<tr><th scope="row"><a href="{}?therapist={}">{}</a></th>'
        '<td class="text-end">{}</td><td class="text-end">{}</td>'
        '<td class="text-end">{}</td><td class="text-end">{}</td></tr>',
        (
            (
                filter_url,
                ld.pk,
                ld.name,
                ld.active,
                ld.paused,
                ld.capacity,
                format_html("<strong>none: over by {}</strong>", ld.over_by)
                if ld.over
                else ld.free,
            )
            for ld in loads
        ),
    )
    return format_html(
        '<table class="table table-sm align-middle">'
        '<caption class="visually-hidden">Active and paused clients per therapist '
        "against capacity</caption>"
        '<thead><tr><th scope="col">Therapist</th><th scope="col" class="text-end">Active</th>'
        '<th scope="col" class="text-end">Paused</th>'
        '<th scope="col" class="text-end">Capacity</th>'
        '<th scope="col" class="text-end">Free places</th></tr></thead>'
        "<tbody>{}</tbody></table>",
        rows,
    )


def therapist_options(loads: Sequence[TherapistLoad], *, selected: str = "") -> SafeString:
    """<option>s for a therapist select, labelled with each therapist's load."""
    # Built by hand: the caseload renders this for every therapist of the clinic, twice,
    # and only the name is text to escape (the rest are integers).
    return mark_safe(  # noqa: S308
        "".join(
            f'<option value="{int(ld.pk)}"{" selected" if str(ld.pk) == selected else ""}>'
            f"{escape(ld.name)} ({int(ld.active)} of {int(ld.capacity)} active)</option>"
            for ld in loads
        )
    )
