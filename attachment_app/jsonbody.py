"""The one way the app reads a JSON request body: bounded, strict, checked against a
declared schema.

    OPERATION = {"op": Text("Change", required=True, max_length=40), "x": Whole("X", 0, 800)}
    data = read_json_body(request.body, OPERATION)   # raises JsonBodyError

A body that is too large, not UTF-8, not JSON, nested too deeply, not an object, or
whose fields are unknown, of the wrong type or out of range raises JsonBodyError
with a message that names the field; views answer it with a 400. NaN, Infinity and
numbers too large for a float (1e999) are refused rather than read as floats.
Forms still validate the values' meaning; this module makes sure they are values.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from typing import Any

MAX_BYTES = 64 * 1024


class JsonBodyError(ValueError):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def errors(self) -> dict[str, list[str]]:
        return {self.field: [self.message]} if self.field else {}


class _NotANumber:
    """What NaN and Infinity parse to: refused by every field, which can then say which."""


NOT_A_NUMBER = _NotANumber()


@dataclass(frozen=True)
class Field:
    label: str
    _: KW_ONLY
    required: bool = False

    def fail(self, name: str, why: str) -> JsonBodyError:
        return JsonBodyError(f"{self.label}: {why}", field=name)

    def check(self, name: str, value: Any) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Field):
    max_length: int = 1000

    def check(self, name: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(name, "this value cannot be used; it must be text.")
        if len(value) > self.max_length:
            raise self.fail(name, f"use at most {self.max_length} characters.")
        return value


@dataclass(frozen=True)
class Whole(Field):
    minimum: int = 0
    maximum: int = 2**31 - 1

    def check(self, name: str, value: Any) -> int:
        span = f"use a whole number from {self.minimum} to {self.maximum}."
        # bool is an int in Python, but true is not a coordinate.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, f"this value cannot be used; {span}")
        if isinstance(value, float):
            if not math.isfinite(value) or not value.is_integer():
                raise self.fail(name, span)
            value = int(value)
        if not self.minimum <= value <= self.maximum:
            raise self.fail(name, span)
        return value


@dataclass(frozen=True)
class Flag(Field):
    def check(self, name: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail(name, "this value cannot be used; use true or false.")
        return value


@dataclass(frozen=True)
class Id(Field):
    """The id of a row with a UUID key, as text; `missing` is said when it is not one."""

    missing: str = "this is not the id of anything here."

    def check(self, name: str, value: Any) -> str:
        if isinstance(value, str) and len(value) <= 40:
            try:
                return str(uuid.UUID(value))
            except ValueError:
                pass
        raise JsonBodyError(self.missing, field=name)


def _refuse_constant(name: str) -> _NotANumber:
    return NOT_A_NUMBER


def read_json_body(
    body: bytes, schema: Mapping[str, Field], *, max_bytes: int = MAX_BYTES
) -> dict[str, Any]:
    """The body's fields, each checked by its declared Field (null stays None)."""
    if len(body) > max_bytes:
        raise JsonBodyError("The data is too large to save.")
    try:
        data = json.loads(body.decode("utf-8") or "null", parse_constant=_refuse_constant)
    except RecursionError as exc:
        raise JsonBodyError("The data is nested too deeply to read (not JSON we accept).") from exc
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, too many digits
        raise JsonBodyError("The data could not be read (not JSON).") from exc
    if not isinstance(data, dict):
        raise JsonBodyError("The data must be an object with named fields.")
    cleaned: dict[str, Any] = {}
    for name, value in data.items():
        field = schema.get(name)
        if field is None:
            raise JsonBodyError(f"“{name[:40]}” is not a field that can be saved here.", field=name)
        if value is None and field.required:
            raise field.fail(name, "this field is required.")
        cleaned[name] = None if value is None else field.check(name, value)
    for name, field in schema.items():
        if field.required and cleaned.get(name) is None:
            raise field.fail(name, "this field is required.")
    return cleaned
