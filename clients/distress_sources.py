"""Distress ratings the client reported themselves, for the clinician's distress chart.

clients never imports exercises, so the companion's practice log registers its source
here (exercises does so in its AppConfig.ready). A source takes the client and a
starting date and returns its rows, oldest first, in a constant number of queries.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DistressRow:
    """One before/after pair on the chart and in its table: a session's, or the client's own."""

    when: dt.datetime
    distress_before: int | None
    distress_after: int | None
    label: str = ""  # a client-reported row's technique, e.g. "Safe-space visualization"
    url: str = ""
    client_reported: bool = False

    @property
    def date(self) -> dt.date:
        return self.when.date()

    @property
    def distress_change(self) -> int | None:
        if self.distress_before is None or self.distress_after is None:
            return None
        return self.distress_after - self.distress_before


_SOURCES: dict[str, Callable] = {}


def register_client_reported_distress(*, kind: str, rows: Callable) -> None:
    """rows(client, since: date | None, limit: int) -> list[DistressRow], oldest first."""
    _SOURCES[kind] = rows


def client_reported_distress(client, *, since: dt.date | None, limit: int) -> list[DistressRow]:
    """Every registered source's rows from `since` on (the latest `limit`), oldest first."""
    rows = [row for source in _SOURCES.values() for row in source(client, since, limit)]
    return sorted(rows, key=lambda row: row.when)[-limit:]
