"""Test support shipped with the package: the real-browser harness (:mod:`analytics.testing.harness`) that
the browser tests and ``bench/run.py`` both use. Nothing else in ``analytics`` imports it."""
