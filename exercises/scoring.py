"""Scoring a clinic-defined scale: reverse-key, then the mean of each subscale.

An exploration aid, not a validated instrument: the app only does arithmetic
on the clinic's own items.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemKey:
    id: int
    subscale: str
    reverse_keyed: bool


def keyed_value(value: int, *, reverse: bool, min_value: int, max_value: int) -> int:
    return (min_value + max_value - value) if reverse else value


def subscale_means(
    items: Iterable[ItemKey], responses: Mapping[str, int], *, min_value: int, max_value: int
) -> dict[str, float | None]:
    """Mean per subscale of the answered items, after reverse-keying; None if none answered."""
    totals: dict[str, list[int]] = {}
    for item in items:
        totals.setdefault(item.subscale, [])
        raw = responses.get(str(item.id))
        if raw is None:
            continue
        totals[item.subscale].append(
            keyed_value(
                int(raw), reverse=item.reverse_keyed, min_value=min_value, max_value=max_value
            )
        )
    return {
        key: (round(sum(vals) / len(vals), 2) if vals else None)
        for key, vals in sorted(totals.items())
    }
