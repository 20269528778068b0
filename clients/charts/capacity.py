"""Server-rendered SVG of each therapist's load against capacity.

Readable without colour: paused clients are hatched, capacity is a dashed
line, and every bar carries its numbers in text. The page also shows the same
figures as a table.
"""

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

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

    With a hundred therapists this table was most of the caseload page's rendering
    time; the same figures give the same markup, so it is kept (per process) until a
    figure changes.
    """
    return _load_table(tuple(loads), filter_url)


@functools.lru_cache(maxsize=64)
def _load_table(loads: tuple[TherapistLoad, ...], filter_url: str) -> SafeString:
    context = {"loads": loads, "filter_url": filter_url}
    return render_to_string("clients/_capacity_table.html", context)


def therapist_options(loads: Sequence[TherapistLoad], *, selected: str = "") -> SafeString:
    """<option>s for a therapist select, labelled with each therapist's load (kept per
    process like the table: the caseload shows them for every therapist, twice)."""
    return _therapist_options(tuple(loads), selected)


@functools.lru_cache(maxsize=64)
def _therapist_options(loads: tuple[TherapistLoad, ...], selected: str) -> SafeString:
    context = {"loads": loads, "selected": selected}
    return render_to_string("clients/_therapist_options.html", context)


def load_figures(loads: Sequence[TherapistLoad], *, selected: str, filter_url: str) -> dict:
    """The caseload page's pictures of the loads: the chart, its table, and the therapist
    choices of the filter (`selected` kept) and of the bulk action, each with its load."""
    return {
        "chart": load_chart(loads),
        "load_table": load_table(loads, filter_url=filter_url),
        "filter_options": therapist_options(loads, selected=selected),
        "bulk_options": therapist_options(loads),
    }
