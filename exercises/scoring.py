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


# Built-in public-domain measures: severity bands as (lowest total, label), ascending.
SEVERITY_BANDS: dict[str, list[tuple[int, str]]] = {
    "phq9": [
        (0, "Minimal"),
        (5, "Mild"),
        (10, "Moderate"),
        (15, "Moderately severe"),
        (20, "Severe"),
    ],
    "gad7": [(0, "Minimal"), (5, "Mild"), (10, "Moderate"), (15, "Severe")],
}
PHQ9_RISK_POSITION = 9  # "Thoughts that you would be better off dead or of hurting yourself"


def total_score(items: Iterable[ItemKey], responses: Mapping[str, int]) -> int | None:
    """The sum of all items; None unless every item is answered (no prorating)."""
    values = [responses.get(str(item.id)) for item in items]
    if not values or any(v is None for v in values):
        return None
    return sum(int(v) for v in values)


def severity_band(builtin: str, total: int | None) -> str:
    """The instrument's published band for a total ("" for clinic scales or no total)."""
    if total is None or builtin not in SEVERITY_BANDS:
        return ""
    return [label for floor, label in SEVERITY_BANDS[builtin] if total >= floor][-1]
