"""Enumerate every URL pattern of the project, so access tests cover new URLs by themselves."""

import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the route text when unnamed
    route: str
    converters: dict[str, str]  # kwarg -> converter class name
    pattern: URLPattern

    def fill(self, values: dict[str, object]) -> str:
        path = self.route
        for kwarg, converter in self.converters.items():
            path = path.replace(f"<{converter}:{kwarg}>", str(values[kwarg]))
            path = path.replace(f"<{kwarg}>", str(values[kwarg]))
        return "/" + path.lstrip("^").rstrip("$")


def _converter_names(pattern) -> dict[str, str]:
    converters = getattr(pattern.pattern, "converters", {}) or {}
    names = {}
    for kwarg, conv in converters.items():
        names[kwarg] = {
            "UUIDConverter": "uuid",
            "IntConverter": "int",
            "IdConverter": "id",
            "SlugConverter": "slug",
            "StringConverter": "str",
            "PathConverter": "path",
        }.get(type(conv).__name__, "str")
    return names


def all_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str, converters: dict[str, str]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(
                    p.url_patterns,
                    prefix + str(p.pattern),
                    ns,
                    {**converters, **_converter_names(p)},
                )
            elif isinstance(p, URLPattern):
                name = f"{namespace}{p.name}" if p.name else prefix + str(p.pattern)
                routes.append(
                    Route(
                        name=name,
                        route=prefix + str(p.pattern),
                        converters={**converters, **_converter_names(p)},
                        pattern=p,
                    )
                )

    walk(get_resolver().url_patterns, "", "", {})
    return routes


PLACEHOLDERS = {"uuid": uuid.UUID(int=1), "int": 1, "id": 1, "slug": "x", "str": "x", "path": "x"}


def placeholder_values(route: Route) -> dict[str, object]:
    return {kwarg: PLACEHOLDERS[conv] for kwarg, conv in route.converters.items()}
