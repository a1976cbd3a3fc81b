"""Importing real data: boundaries, indicator tables and household registers, each in two steps (a
preview that stores nothing, then an all-or-nothing commit). Problems name the file, row and column
(:class:`analytics.core.problems.Problem`). May use every stage; no stage imports it."""
