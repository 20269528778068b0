"""Word-level differences between two versions of a text: the one diff for plans and letters.

Added words are marked with <ins> and removed words with <del>, with words for
screen readers, so a change reads without colour or sight.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.utils.html import format_html, format_html_join

# Words and the spacing between them, so a letter's line breaks survive the diff.
TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str  # "same", "added", "removed"
    text: str


def word_diff(old: str, new: str, *, keep_spacing: bool = False) -> list[Segment]:
    """Runs of same, removed and added words from `old` to `new`.

    Without `keep_spacing` the words of each run are joined by single spaces (plan
    fields, shown inline); with it the original spacing is kept (letters, shown as
    written).
    """
    if keep_spacing:
        a, b, joiner = TOKEN.findall(old or ""), TOKEN.findall(new or ""), ""
    else:
        a, b, joiner = (old or "").split(), (new or "").split(), " "
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("same", joiner.join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", joiner.join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", joiner.join(b[j1:j2])))
    return [s for s in segments if s.text]


def diff_html(segments: list[Segment]) -> str:
    """Inline markup: <ins>/<del> plus hidden words, so changes read without colour or sight."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    '<ins class="diff-added"><span class="visually-hidden">[added: </span>{}'
                    '<span class="visually-hidden">]</span></ins>',
                    s.text,
                )
                if s.op == "added"
                else format_html(
                    '<del class="diff-removed"><span class="visually-hidden">[removed: </span>{}'
                    '<span class="visually-hidden">]</span></del>',
                    s.text,
                )
                if s.op == "removed"
                else format_html("{}", s.text),
            )
            for s in segments
        ),
    )
