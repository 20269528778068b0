"""The client's measures: per measure, its first and last rating, for the discharge summary.

Measures live in several apps (session distress here; rating scales, PHQ-9/GAD-7
check-ins, exploration and practice ratings in exercises). clients never imports
exercises, so each app registers a source here (exercises in its AppConfig.ready).
A source takes the client and returns its measures, each with its ratings oldest
first, in a constant number of queries.

The summary keeps a copy (`as_dict`), so it says what the record said on the day of
discharge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clients.models import Client


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


@dataclass(frozen=True)
class Rating:
    """One administration: its date and score out of the measure's highest."""

    date: dt.date
    score: float
    out_of: int
    band: str = ""  # a published severity band (PHQ-9, GAD-7), else ""

    def __str__(self) -> str:
        text = f"{_number(self.score)} / {self.out_of}"
        return f"{text} ({self.band})" if self.band else text

    def as_dict(self) -> dict:
        return {
            "date": self.date.isoformat(),
            "score": self.score,
            "out_of": self.out_of,
            "band": self.band,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Rating:
        return cls(
            date=dt.date.fromisoformat(data["date"]),
            score=data["score"],
            out_of=data["out_of"],
            band=data.get("band", ""),
        )


@dataclass(frozen=True)
class MeasureRatings:
    """A measure's first and last rating, and how often it was given."""

    measure: str  # "PHQ-9", "Distress before sessions (0–10)"
    first: Rating
    last: Rating
    count: int
    client_reported: bool = False

    def as_dict(self) -> dict:
        return {
            "measure": self.measure,
            "first": self.first.as_dict(),
            "last": self.last.as_dict(),
            "count": self.count,
            "client_reported": self.client_reported,
        }

    @classmethod
    def from_dict(cls, data: dict) -> MeasureRatings:
        return cls(
            measure=data["measure"],
            first=Rating.from_dict(data["first"]),
            last=Rating.from_dict(data["last"]),
            count=data["count"],
            client_reported=data.get("client_reported", False),
        )


def first_and_last(
    measure: str, ratings: Iterable[Rating], *, client_reported: bool = False
) -> MeasureRatings | None:
    """The span of one measure's ratings (any order); None when it was never given."""
    ordered = sorted(ratings, key=lambda r: r.date)
    if not ordered:
        return None
    return MeasureRatings(
        measure=measure,
        first=ordered[0],
        last=ordered[-1],
        count=len(ordered),
        client_reported=client_reported,
    )


_SOURCES: dict[str, Callable[[Client], Iterable[MeasureRatings]]] = {}


def register_measure_source(*, key: str, measures: Callable[[Client], Iterable]) -> None:
    _SOURCES[key] = measures


def client_measures(client: Client) -> list[MeasureRatings]:
    """Every measure the client was rated on, source by source."""
    return [m for source in _SOURCES.values() for m in source(client) if m is not None]
