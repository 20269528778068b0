"""Filters for the exported documents' typesetting."""

import re

from django import template

register = template.Library()

LAST_GAP = re.compile(r"\s+(\S{1,20})\s*$")


@register.filter(is_safe=True)
def no_widow(value):
    """Join a heading's last two words with a no-break space, so its last line is never one
    word alone (WeasyPrint has no `text-wrap: balance`). A long last word may still wrap."""
    return LAST_GAP.sub(lambda m: "\u00a0" + m.group(1), str(value).strip())
