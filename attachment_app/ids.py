"""Ids from outside, guarded in one place: an integer id the database cannot hold is
"no such thing" (a form error, a 404), never an OverflowError and a 500.

- Forms choose rows with `ModelChoiceField` / `ModelMultipleChoiceField` from here,
  never Django's own (a test walks every form class to hold this).
- URLs take integer ids with the `<id:...>` converter, never `<int:...>`.
"""

from __future__ import annotations

import functools
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.urls import register_converter, reverse

# The widest integer key any backend here stores (BigAutoField on SQLite and PostgreSQL).
LARGEST_ID = 2**63 - 1


def id_in_range(field: models.Field, value: object) -> bool:
    """False if `value` reads as an integer outside what `field`'s column can hold."""
    internal = field.target_field.get_internal_type() if field.is_relation else None
    internal = internal or field.get_internal_type()
    try:
        low, high = connection.ops.integer_field_range(internal)
    except KeyError:
        return True  # not an integer column: the field's own checks apply
    text = str(value).strip()
    try:
        number = int(text)
    except ValueError:
        # Digits past Python's own limit for int() are out of any range; anything
        # else is not a number at all, and Django says "not a valid choice".
        return not text.lstrip("+-").isdigit()
    return (low is None or number >= low) and (high is None or number <= high)


class _GuardedIds:
    def _key_field(self) -> models.Field:
        meta = self.queryset.model._meta
        return meta.get_field(self.to_field_name) if self.to_field_name else meta.pk

    def _refuse_out_of_range(self, value: object) -> None:
        if value in self.empty_values:
            return
        if not id_in_range(self._key_field(), value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:40]},
            )


class ModelChoiceField(_GuardedIds, forms.ModelChoiceField):
    def to_python(self, value):
        self._refuse_out_of_range(value)
        return super().to_python(value)


class ModelMultipleChoiceField(_GuardedIds, forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for one in value if isinstance(value, list | tuple) else []:
            self._refuse_out_of_range(one)
        return super()._check_values(value)


class IdConverter:
    """A positive integer id that fits the database; anything longer is a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_ID:
            raise ValueError("id out of range")  # the URL does not match: 404
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


register_converter(IdConverter, "id")


_MARKER = uuid.UUID(int=0)


@functools.cache
def _url_pattern(name: str, count: int) -> str:
    return reverse(name, args=[_MARKER] * count).replace(str(_MARKER), "{}")


def url_by_ids(name: str, *ids: uuid.UUID | str) -> str:
    """reverse() for a page named by UUIDs alone, resolved once per name and then filled in.

    For list pages, timelines and tables that link hundreds of rows, where a reverse()
    per row was a measurable share of the rendering time. Same URL as reverse().
    """
    return _url_pattern(name, len(ids)).format(*ids)
