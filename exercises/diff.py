"""Word-level differences between two versions of a text, for the revision view."""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join

TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "added", "removed"
    text: str


def word_diff(before: str, after: str) -> list[Piece]:
    a, b = TOKEN.findall(before or ""), TOKEN.findall(after or "")
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            pieces.append(Piece("removed", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            pieces.append(Piece("added", "".join(b[j1:j2])))
    return [p for p in pieces if p.text]


def diff_html(pieces: list[Piece]) -> str:
    """Inline markup: <ins>/<del> plus hidden words, so changes read without colour or sight."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<ins class="diff-added"><span class="visually-hidden">[added: </span>{}'
                    '<span class="visually-hidden">]</span></ins>',
                    p.text,
                )
                if p.op == "added"
                else format_html(
                    '<del class="diff-removed"><span class="visually-hidden">[removed: </span>{}'
                    '<span class="visually-hidden">]</span></del>',
                    p.text,
                )
                if p.op == "removed"
                else format_html("{}", p.text),
            )
            for p in pieces
        ),
    )
