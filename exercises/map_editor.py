"""The relationship-map editor's save endpoint: one JSON operation per request.

Every operation is validated by the same forms the keyboard table uses, so the
two editors accept exactly the same data. Bad input raises MapEditError with a
message for the therapist; the view answers 400, never 500.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from attachment_app.jsonbody import Flag, Id, JsonBodyError, Text, Whole, read_json_body
from exercises.forms.maps import FigureForm, TieForm
from exercises.models import Figure, FigureRole, RelationshipMap, Tie
from exercises.models.maps import CANVAS_HEIGHT, CANVAS_WIDTH, MAX_FIGURES, MAX_TIES

MAX_BODY = 20_000


class MapEditError(Exception):
    def __init__(self, message: str, errors: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


NOT_ON_MAP = "That figure is not on this map."
# Every field any editor operation may carry; the forms then check what they mean.
OPERATION = {
    "op": Text("Change", required=True, max_length=40),
    "figure": Id("Figure", missing=NOT_ON_MAP),
    "tie": Id("Tie", missing="That tie is not on this map."),
    "source": Id("From", missing=NOT_ON_MAP),
    "target": Id("To", missing=NOT_ON_MAP),
    "role": Text("Role", max_length=20),
    "label": Text("Label", max_length=Figure._meta.get_field("label").max_length),
    "deceased": Flag("Deceased"),
    "x": Whole("X", 0, CANVAS_WIDTH),
    "y": Whole("Y", 0, CANVAS_HEIGHT),
    "kind": Text("Kind", max_length=20),
    "direction": Text("Direction", max_length=20),
    "closeness": Whole("Closeness", 0, 5),
    "trust": Whole("Trust", 0, 5),
    "tension": Whole("Tension", 0, 5),
    "note": Text("Note", max_length=Figure._meta.get_field("note").max_length),
}


def parse_operation(body: bytes) -> dict:
    try:
        return read_json_body(body, OPERATION, max_bytes=MAX_BODY)
    except JsonBodyError as error:
        raise MapEditError(error.message, error.errors) from error


def _form_errors(form) -> dict[str, list[str]]:
    return {field: [str(e) for e in errs] for field, errs in form.errors.items()}


def _first_error(form) -> str:
    for field, errs in form.errors.items():
        name = form.fields[field].label if field in form.fields else ""
        return f"{name}: {errs[0]}" if name else str(errs[0])
    return "Please check the values."


def _figure(rmap: RelationshipMap, op: dict) -> Figure:
    try:
        return Figure.objects.get(map=rmap, pk=str(op.get("figure", "")))
    except (Figure.DoesNotExist, ValueError, ValidationError) as exc:
        raise MapEditError("That figure is not on this map.") from exc


def _tie(rmap: RelationshipMap, op: dict) -> Tie:
    try:
        return Tie.objects.get(map=rmap, pk=str(op.get("tie", "")))
    except (Tie.DoesNotExist, ValueError, ValidationError) as exc:
        raise MapEditError("That tie is not on this map.") from exc


def _fields(op: dict, names: tuple[str, ...], base: dict) -> dict:
    data = dict(base)
    for name in names:
        if name in op:
            value = op[name]
            # Typed by parse_operation: bool, int, str or None.
            if isinstance(value, bool):
                data[name] = "on" if value else ""
            else:
                data[name] = "" if value is None else str(value)
    return data


# What a freshly drawn tie starts as, before the therapist rates it.
NEW_TIE = {"kind": "close", "direction": "mutual", "closeness": "3", "trust": "3", "tension": "0"}
FIGURE_FIELDS = ("role", "label", "deceased", "x", "y", "note")
TIE_FIELDS = ("source", "target", "kind", "direction", "closeness", "trust", "tension", "note")


def figure_data(fig: Figure) -> dict:
    return {
        "role": fig.role,
        "label": fig.label,
        "deceased": "on" if fig.deceased else "",
        "x": str(fig.x),
        "y": str(fig.y),
        "note": fig.note,
    }


def tie_data(tie: Tie) -> dict:
    return {
        "source": str(tie.source_id),
        "target": str(tie.target_id),
        "kind": tie.kind,
        "direction": tie.direction,
        "closeness": str(tie.closeness),
        "trust": str(tie.trust),
        "tension": str(tie.tension),
        "note": tie.note,
    }


def check_figure_room(rmap: RelationshipMap) -> None:
    if Figure.objects.filter(map=rmap).count() >= MAX_FIGURES:
        raise MapEditError(f"A map holds at most {MAX_FIGURES} figures.")


def check_tie_room(rmap: RelationshipMap) -> None:
    if Tie.objects.filter(map=rmap).count() >= MAX_TIES:
        raise MapEditError(f"A map holds at most {MAX_TIES} ties.")


@transaction.atomic
def apply_operation(rmap: RelationshipMap, op: dict) -> dict:
    """Apply one editor operation; return what the editor needs to know (e.g. a new id)."""
    RelationshipMap.objects.select_for_update().filter(pk=rmap.pk).first()
    kind = op["op"]
    if kind == "add_figure":
        check_figure_room(rmap)
        form = FigureForm(_fields(op, FIGURE_FIELDS, {"role": FigureRole.OTHER}))
        if not form.is_valid():
            raise MapEditError(_first_error(form), _form_errors(form))
        fig = form.save_on(rmap)
        return {"figure": str(fig.pk)}
    if kind in {"move_figure", "update_figure"}:
        fig = _figure(rmap, op)
        names = ("x", "y") if kind == "move_figure" else FIGURE_FIELDS
        form = FigureForm(_fields(op, names, figure_data(fig)), instance=fig)
        if not form.is_valid():
            raise MapEditError(_first_error(form), _form_errors(form))
        form.save()
        return {"figure": str(fig.pk)}
    if kind == "delete_figure":
        fig = _figure(rmap, op)
        if fig.role == FigureRole.CLIENT:
            raise MapEditError("The client stays at the centre of their own map.")
        fig.delete()
        return {}
    if kind == "add_tie":
        check_tie_room(rmap)
        form = TieForm(_fields(op, TIE_FIELDS, NEW_TIE), rmap=rmap)
        if not form.is_valid():
            raise MapEditError(_first_error(form), _form_errors(form))
        form.instance.map = rmap
        tie = form.save()
        return {"tie": str(tie.pk)}
    if kind == "update_tie":
        tie = _tie(rmap, op)
        form = TieForm(_fields(op, TIE_FIELDS, tie_data(tie)), instance=tie, rmap=rmap)
        if not form.is_valid():
            raise MapEditError(_first_error(form), _form_errors(form))
        form.save()
        return {"tie": str(tie.pk)}
    if kind == "delete_tie":
        _tie(rmap, op).delete()
        return {}
    raise MapEditError(f"Unknown change “{kind[:40]}”.")
