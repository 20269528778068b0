"""The pieces every server-rendered SVG shares: ink colours, escaped text, fixed-precision numbers.

Here in clients so that both apps' pictures use them (exercises may import
clients; clients never imports exercises).
"""

from html import escape

INK = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"


def esc(text: object) -> str:
    """Therapist or client text, escaped for an SVG element or attribute."""
    return escape(str(text), quote=True)


def num(value: float) -> str:
    """One decimal, without a trailing ".0": the same data always gives the same bytes."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
