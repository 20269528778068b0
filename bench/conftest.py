"""The test suite's people and fixtures, for benchmarks run with pytest."""

from tests.conftest import *  # noqa: F403
