"""A Celery worker process leaves its startup heap out of garbage collection (issue 16)."""

import gc
import weakref

import pytest
from celery.signals import worker_process_init


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_starting_worker_process_freezes_what_it_holds(unfrozen):
    assert gc.get_freeze_count() == 0
    worker_process_init.send(sender=None)  # what a prefork pool sends in each new child
    assert gc.get_freeze_count() > 10_000  # Django, the apps and their modules


def test_objects_made_after_the_freeze_are_still_collected(unfrozen):
    worker_process_init.send(sender=None)

    class Node:
        pass

    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector frees it
    alive = weakref.ref(a)
    del a, b
    gc.collect()
    assert alive() is None
