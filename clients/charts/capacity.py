"""Server-rendered SVG of each therapist's load against capacity.

Readable without colour: paused clients are hatched, capacity is a dashed
line, and every bar carries its numbers in text. The page also shows the same
figures as a table.
"""

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from clients.selectors.caseload import TherapistLoad

# The chart scales to its frame: 16 units of text stay about 14 px at tablet width.
FONT = 16
ROW = 32
LABEL_W = 230
BAR_W = 300
TEXT_W = 390
TOP = 38


@dataclass(frozen=True)
class Bar:
    """One therapist's row of the chart: positions in chart units, figures as text."""

    load: TherapistLoad
    y: int
    text_y: int
    track_y: int
    line_y2: int
    active_w: str
    paused_x: str
    paused_w: str
    capacity_x: str


@dataclass(frozen=True)
class CapacityChart:
    """What templates/clients/_capacity_chart.svg draws; only numbers, no markup."""

    id: str
    width: int
    height: int
    bars: list[Bar]
    key: str = ""  # a digest of the figures: the rendered SVG is cached under it
    font: int = FONT
    label_w: int = LABEL_W
    label_x: int = LABEL_W - 8
    bar_w: int = BAR_W
    figures_x: int = LABEL_W + BAR_W + 10
    legend_active_x: int = LABEL_W + 22
    legend_paused_x: int = LABEL_W + 95
    legend_paused_text_x: int = LABEL_W + 117
    legend_capacity_x: int = LABEL_W + 200
    legend_capacity_text_x: int = LABEL_W + 208


def load_chart(
    loads: Sequence[TherapistLoad], *, chart_id: str = "load-chart"
) -> CapacityChart | None:
    """The chart's geometry; the markup is the template's."""
    if not loads:
        return None
    scale_max = max(max(ld.capacity, ld.active + ld.paused) for ld in loads) or 1
    unit = BAR_W / scale_max
    bars = []
    for i, ld in enumerate(loads):
        y = TOP + i * ROW
        active_w = ld.active * unit
        bars.append(
            Bar(
                load=ld,
                y=y,
                text_y=y + 19,
                track_y=y + 4,
                line_y2=y + 28,
                active_w=f"{active_w:.1f}",
                paused_x=f"{LABEL_W + active_w:.1f}",
                paused_w=f"{ld.paused * unit:.1f}",
                capacity_x=f"{LABEL_W + ld.capacity * unit:.1f}",
            )
        )
    return CapacityChart(
        id=chart_id,
        width=LABEL_W + BAR_W + TEXT_W,
        height=TOP + ROW * len(loads) + 8,
        bars=bars,
        key=hashlib.sha256(repr((chart_id, tuple(loads))).encode()).hexdigest(),
    )


def load_table(loads: Sequence[TherapistLoad], *, filter_url: str) -> SafeString:
    """The chart's figures as a table (its text alternative), one row per therapist.

    Built here rather than in a template loop: with a hundred therapists the
    loop was most of the caseload page's rendering time. The same figures give the
    same markup, so it is kept (per process) until a figure changes.
    """
    return _load_table(tuple(loads), filter_url)


@functools.lru_cache(maxsize=64)
def _load_table(loads: tuple[TherapistLoad, ...], filter_url: str) -> SafeString:
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
    return _therapist_options(tuple(loads), selected)


@functools.lru_cache(maxsize=64)
def _therapist_options(loads: tuple[TherapistLoad, ...], selected: str) -> SafeString:
    # Built by hand: the caseload renders this for every therapist of the clinic, twice,
    # and only the name is text to escape (the rest are integers).
    return mark_safe(  # noqa: S308
        "".join(
            f'<option value="{int(ld.pk)}"{" selected" if str(ld.pk) == selected else ""}>'
            f"{escape(ld.name)} ({int(ld.active)} of {int(ld.capacity)} active)</option>"
            for ld in loads
        )
    )


def load_figures(loads: Sequence[TherapistLoad], *, selected: str, filter_url: str) -> dict:
    """The caseload page's pictures of the loads: the chart, its table, and the therapist
    choices of the filter (`selected` kept) and of the bulk action, each with its load."""
    return {
        "chart": load_chart(loads),
        "load_table": load_table(loads, filter_url=filter_url),
        "filter_options": therapist_options(loads, selected=selected),
        "bulk_options": therapist_options(loads),
    }
