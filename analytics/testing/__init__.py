"""Test support shipped with the package: the real-browser harness (:mod:`analytics.testing.harness`) that
the browser tests and ``bench/run.py`` both use. Nothing else in ``analytics`` imports it."""

TEST_DEMO_PROVINCES = "35,21,81"
"""The provinces whose demo data the test database holds (``PERANTARA_DEMO_DATA`` of the test session):
Jawa Timur and two island provinces outside it (Kepulauan Riau, Maluku); every other province has its
regions and areas only. The mutation bench builds its test database the same way."""
