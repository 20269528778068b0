"""The client timeline: one chronological view fed by every kind of record.

clients never imports exercises, so each app registers its own source here
(exercises does so in its AppConfig.ready). A source is a function that takes
the client and returns its entries, newest first, in a constant number of
queries.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from clients.models import Client


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # the source's key, used by the filter
    when: dt.datetime
    title: str  # never clinical content beyond a short label
    url: str = ""
    detail: str = ""
    future: bool = False  # dated beyond the clinic's grace: listed last, flagged


@dataclass(frozen=True)
class TimelineSource:
    kind: str
    label: str  # shown in the filter, e.g. "Sessions"
    entries: Callable[[Client], Iterable[TimelineEntry]]


_SOURCES: dict[str, TimelineSource] = {}


def register_timeline_source(*, kind: str, label: str, entries: Callable) -> None:
    _SOURCES[kind] = TimelineSource(kind=kind, label=label, entries=entries)


def timeline_sources() -> list[TimelineSource]:
    return list(_SOURCES.values())
