import functools
import hashlib
import json
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import json_script
from django.views.decorators.http import require_http_methods, require_POST

from attachment_app import freshness
from attachment_app.audit import audit
from attachment_app.ids import url_by_ids
from clients.access import with_client
from clients.models import Client
from exercises.forms.maps import (
    FigureForm,
    MapThemeForm,
    RelationshipMapForm,
    SnapshotForm,
    TieForm,
)
from exercises.map_editor import (
    MapEditError,
    apply_operation,
    check_figure_room,
    check_tie_room,
    parse_operation,
)
from exercises.maps import map_comparison, map_data
from exercises.models import Figure, FigureRole, MapSnapshot, MapTheme, RelationshipMap, Tie
from exercises.models.maps import (
    CANVAS_HEIGHT,
    CANVAS_WIDTH,
    FIGURE_INSET_BOTTOM,
    FIGURE_INSET_TOP,
    FIGURE_INSET_X,
)
from exercises.services import (
    relationship_map_create,
    relationship_map_edit_audit,
    relationship_map_snapshot,
)
from exercises.svg.relationship_map import describe_tie, render_map_svg
from exercises.views.common import Action


def _map(client: Client, map_id) -> RelationshipMap:
    return get_object_or_404(
        RelationshipMap.objects.select_related("session"), pk=map_id, client=client
    )


def _tables_context(rmap: RelationshipMap, data: Callable[[], dict]) -> dict:
    """The tables' rows, read only when a template asks for them (callables): the map
    page renders its tables from the per-process cache while the map is unchanged."""

    @functools.cache
    def figures() -> list[Figure]:
        rows = list(Figure.objects.filter(map=rmap).order_by("role", "label", "id"))
        for f in rows:
            f.edit_url = url_by_ids("exercises:figure_edit", rmap.client_id, rmap.pk, f.pk)
        return rows

    @functools.cache
    def ties() -> list[Tie]:
        rows = list(
            Tie.objects.filter(map=rmap)
            .select_related("source", "target")
            .order_by("source__label")
        )
        # One reverse() per table (url_by_ids), not one per row: a 40-figure map has 160 rows.
        for t in rows:
            t.edit_url = url_by_ids("exercises:tie_edit", rmap.client_id, rmap.pk, t.pk)
        return rows

    @functools.cache
    def tie_descriptions() -> dict:
        names = {f["id"]: f["label"] for f in data()["figures"]}
        return {t["id"]: describe_tie(t, names) for t in data()["ties"]}

    return {"figures": figures, "ties": ties, "tie_descriptions": tie_descriptions}


def map_key(rmap: RelationshipMap, script: str) -> str:
    """A digest of everything the map's drawing, tables and add forms show (the map's
    data, as the page's JSON script holds it): the key of their rendered fragments in
    the per-process cache, so a change gives a new key."""
    content = f"{rmap.pk}\n{rmap.client_id}\n{script}"
    return hashlib.sha256(content.encode()).hexdigest()


# The editor clamps a drag to the same box the server clamps to.
MAP_BOUNDS = json.dumps(
    {
        "minX": FIGURE_INSET_X,
        "maxX": CANVAS_WIDTH - FIGURE_INSET_X,
        "minY": FIGURE_INSET_TOP,
        "maxY": CANVAS_HEIGHT - FIGURE_INSET_BOTTOM,
    }
)


def _map_page_parts(rmap: RelationshipMap, data: dict) -> dict:
    script = json_script(data, "map-data")
    return {
        "map_script": script,
        "map_key": map_key(rmap, script),
        "themes": list(rmap.themes.prefetch_related("figures")),
        "snapshots": list(rmap.snapshots.order_by("-taken_on", "-created_at")),
    }


def _detail_context(request: HttpRequest, client: Client, rmap: RelationshipMap, **forms) -> dict:
    # Read and encoded once until the records change (a 200-figure map: 800 rows); the
    # data itself only when a fragment keyed by its digest is drawn afresh.
    key = f"map:{request.user.pk}:{rmap.pk}"
    data = functools.cache(lambda: freshness.kept(f"{key}:data", lambda: map_data(rmap)))
    parts = freshness.kept(key, lambda: _map_page_parts(rmap, data()))
    return {
        "client": client,
        "map": rmap,
        **parts,
        "svg": functools.cache(lambda: render_map_svg(data())),
        "map_bounds": MAP_BOUNDS,
        "figure_form": forms.get("figure_form") or FigureForm(),
        "tie_form": forms.get("tie_form") or TieForm(rmap=rmap),
        "theme_form": forms.get("theme_form") or MapThemeForm(rmap=rmap),
        "snapshot_form": forms.get("snapshot_form")
        or SnapshotForm(initial={"taken_on": timezone.localdate()}),
        "role_choices": [c for c in FigureRole.choices if c[0] != FigureRole.CLIENT],
        **_tables_context(rmap, data),
    }


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def map_new(request: HttpRequest, client: Client) -> HttpResponse:
    form = RelationshipMapForm(
        request.POST or None, client=client, initial={"date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        rmap = relationship_map_create(
            client=client,
            therapist=request.user,
            title=form.cleaned_data["title"],
            date=form.cleaned_data["date"],
            session=form.cleaned_data["session"],
            notes=form.cleaned_data["notes"],
        )
        audit(
            request=request,
            action=Action.CREATE,
            client_id=client.pk,
            obj=rmap,
            summary="Relationship map",
        )
        return redirect(rmap.get_absolute_url())
    return render(request, "exercises/map_form.html", {"client": client, "form": form, "map": None})


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def map_edit(request: HttpRequest, client: Client, map_id) -> HttpResponse:
    rmap = _map(client, map_id)
    form = RelationshipMapForm(request.POST or None, instance=rmap, client=client)
    if request.method == "POST" and form.is_valid():
        form.save()
        audit(
            request=request,
            action=Action.CHANGE,
            client_id=client.pk,
            obj=rmap,
            summary="Relationship map details",
        )
        messages.success(request, "Map details saved.")
        return redirect(rmap.get_absolute_url())
    return render(request, "exercises/map_form.html", {"client": client, "form": form, "map": rmap})


@with_client(care=True)
@require_http_methods(["GET"])
def map_detail(request: HttpRequest, client: Client, map_id) -> HttpResponse:
    rmap = _map(client, map_id)
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=rmap,
        summary="Relationship map",
    )
    return render(request, "exercises/map_detail.html", _detail_context(request, client, rmap))


@with_client(care=True)
@require_POST
def map_save(request: HttpRequest, client: Client, map_id) -> JsonResponse:
    """The browser editor's endpoint: one JSON change in, the freshly rendered map out."""
    rmap = _map(client, map_id)
    try:
        op = parse_operation(request.body)
        result = apply_operation(rmap, op)
    except MapEditError as error:
        return JsonResponse({"error": error.message, "errors": error.errors}, status=400)
    relationship_map_edit_audit(rmap=rmap, by=request.user, request=request)
    data = map_data(rmap)
    tables = render_to_string(
        "exercises/_map_tables.html",
        {"client": client, "map": rmap, **_tables_context(rmap, lambda: data)},
        request=request,
    )
    return JsonResponse(
        {"ok": True, **result, "svg": render_map_svg(data), "tables": tables, "data": data}
    )


@with_client(care=True)
@require_POST
def figure_add(request: HttpRequest, client: Client, map_id) -> HttpResponse:
    rmap = _map(client, map_id)
    form = FigureForm(request.POST)
    try:
        check_figure_room(rmap)
    except MapEditError as error:
        form.add_error(None, error.message)
    return _add_part(request, client, rmap, form, what="figure", anchor="figures")


def _edit_part(
    request: HttpRequest, client: Client, rmap: RelationshipMap, form, *, what: str, anchor: str
) -> HttpResponse:
    """Edit or remove one figure, tie or theme of a map: the same flow for each."""
    part, label = form.instance, what.capitalize()
    back = rmap.get_absolute_url() + "#" + anchor
    if request.method == "POST":
        if request.POST.get("delete") == "1":
            part.delete()
            audit(
                request=request,
                action=Action.CHANGE,
                client_id=client.pk,
                obj=rmap,
                summary=f"{label} removed from relationship map",
            )
            messages.success(request, f"{label} removed.")
            return redirect(back)
        if form.is_valid():
            form.save()
            audit(
                request=request,
                action=Action.CHANGE,
                client_id=client.pk,
                obj=rmap,
                summary=f"{label} edited on relationship map",
            )
            messages.success(request, f"{label} saved.")
            return redirect(back)
    return render(
        request,
        "exercises/map_part_form.html",
        {"client": client, "map": rmap, "form": form, "part": part, "what": what},
    )


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def figure_edit(request: HttpRequest, client: Client, map_id, figure_id) -> HttpResponse:
    rmap = _map(client, map_id)
    figure = get_object_or_404(Figure, pk=figure_id, map=rmap)
    if request.POST.get("delete") == "1" and figure.role == FigureRole.CLIENT:
        messages.error(request, "The client stays at the centre of their own map.")
        return redirect(rmap.get_absolute_url())
    form = FigureForm(request.POST or None, instance=figure)
    return _edit_part(request, client, rmap, form, what="figure", anchor="figures")


def _add_part(request, client, rmap, form, *, what: str, anchor: str) -> HttpResponse:
    """Add a figure, a tie or a theme from the map's page; a refusal shows the page again,
    with the message beside the form and what was typed kept."""
    if form.is_valid():
        form.save_on(rmap)
        audit(
            request=request,
            action=Action.CHANGE,
            client_id=client.pk,
            obj=rmap,
            summary=f"{what.capitalize()} added to relationship map",
        )
        messages.success(request, f"{what.capitalize()} added.")
        return redirect(rmap.get_absolute_url() + f"#{anchor}")
    context = _detail_context(request, client, rmap, **{f"{what}_form": form})
    return render(request, "exercises/map_detail.html", context, status=400)


@with_client(care=True)
@require_POST
def tie_add(request: HttpRequest, client: Client, map_id) -> HttpResponse:
    rmap = _map(client, map_id)
    form = TieForm(request.POST, rmap=rmap)
    try:
        check_tie_room(rmap)
    except MapEditError as error:
        form.add_error(None, error.message)
    return _add_part(request, client, rmap, form, what="tie", anchor="ties")


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def tie_edit(request: HttpRequest, client: Client, map_id, tie_id) -> HttpResponse:
    rmap = _map(client, map_id)
    tie = get_object_or_404(Tie, pk=tie_id, map=rmap)
    form = TieForm(request.POST or None, instance=tie, rmap=rmap)
    return _edit_part(request, client, rmap, form, what="tie", anchor="ties")


@with_client(care=True)
@require_POST
def theme_add(request: HttpRequest, client: Client, map_id) -> HttpResponse:
    rmap = _map(client, map_id)
    form = MapThemeForm(request.POST, rmap=rmap)
    return _add_part(request, client, rmap, form, what="theme", anchor="themes")


@with_client(care=True)
@require_http_methods(["GET", "POST"])
def theme_edit(request: HttpRequest, client: Client, map_id, theme_id: int) -> HttpResponse:
    rmap = _map(client, map_id)
    theme = get_object_or_404(MapTheme, pk=theme_id, map=rmap)
    form = MapThemeForm(request.POST or None, instance=theme, rmap=rmap)
    return _edit_part(request, client, rmap, form, what="theme", anchor="themes")


@with_client(care=True)
@require_POST
def snapshot_create(request: HttpRequest, client: Client, map_id) -> HttpResponse:
    rmap = _map(client, map_id)
    form = SnapshotForm(request.POST, clinic=client.clinic)
    if form.is_valid():
        relationship_map_snapshot(
            rmap=rmap,
            user=request.user,
            taken_on=form.cleaned_data["taken_on"],
            label=form.cleaned_data["label"],
            request=request,
        )
        messages.success(request, "Snapshot saved: the map as it is today is kept.")
        return redirect(rmap.get_absolute_url() + "#snapshots")
    # The message beside the date, with what was typed kept.
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=rmap,
        summary="Relationship map",
    )
    context = _detail_context(request, client, rmap, snapshot_form=form)
    return render(request, "exercises/map_detail.html", context, status=400)


@with_client(care=True)
@require_http_methods(["GET"])
def snapshot_detail(request: HttpRequest, client: Client, map_id, snapshot_id) -> HttpResponse:
    rmap = _map(client, map_id)
    snapshot = get_object_or_404(MapSnapshot, pk=snapshot_id, map=rmap)
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=snapshot,
        summary="Relationship map snapshot",
    )
    data = snapshot.data
    names = {f["id"]: f["label"] for f in data.get("figures", [])}
    return render(
        request,
        "exercises/snapshot_detail.html",
        {
            "client": client,
            "map": rmap,
            "snapshot": snapshot,
            "svg": render_map_svg(data),
            "figures": data.get("figures", []),
            "ties": [describe_tie(t, names) for t in data.get("ties", [])],
        },
    )


@with_client(care=True)
@require_http_methods(["GET"])
def map_compare(request: HttpRequest, client: Client, map_id) -> HttpResponse:
    """Two moments of the map side by side: two snapshots, or a snapshot and the map now."""
    rmap = _map(client, map_id)
    a, b = request.GET.get("a", ""), request.GET.get("b", "")
    context = {"client": client, "map": rmap}
    context |= map_comparison(rmap, a=a, b=b, asked=bool(request.GET))
    audit(
        request=request,
        action=Action.VIEW,
        client_id=client.pk,
        obj=rmap,
        summary="Relationship map comparison",
    )
    return render(request, "exercises/map_compare.html", context)
