"""What a record's destruction removes, fed by every app that keeps clinical content.

clients never imports exercises, so each app registers here a function that deletes
its own rows of one client (exercises does so in its AppConfig.ready). The destruction
service (clients/services/retention.py) runs them all, in one transaction, before the
clinic's own content and the client row; a row a function forgot keeps the client row
from being deleted (its foreign keys protect it), and the whole destruction rolls back.

A destroyer deletes even signed rows: it goes through the model's base manager, past
the lock that keeps signed work from being changed by anything else.
"""

from collections.abc import Callable

from clients.models import Client

Destroyer = Callable[[Client], None]

_DESTROYERS: dict[str, Destroyer] = {}


def register_clinical_content(*, key: str, destroy: Destroyer) -> None:
    """Name one app's content of a client, and how to delete all of it."""
    _DESTROYERS[key] = destroy


def clinical_content_destroyers() -> list[tuple[str, Destroyer]]:
    return list(_DESTROYERS.items())
