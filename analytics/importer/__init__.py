"""Importing real data: boundaries, indicator tables and household registers.

Every import runs in two steps: a **preview** (read, check, match areas; nothing is stored) and a
**commit** (one transaction, audited; all rows or none). Problems are reported in Bahasa Indonesia with
the file, row and column they concern (:class:`analytics.importer.problems.Problem`).
"""
