"""The demo's tickets are placed relative to "now": run these tests on a fixed working Monday so they never
depend on whether today's year (or the next one) has calendar data yet."""

from jiesu.tickets.tests.conftest import fixed_clock  # noqa: F401  (autouse fixture, reused)
