"""Core: the database (one connection, one writer, audit, migrations), roles, settings, interface text,
number formats, the region list and geometry, import problems, and the shared store helpers (areas,
data status, child tables). Imports nothing above it."""
