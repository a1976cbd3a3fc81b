"""One-call imports (read → check → match → store), for scripts and tests; the Import page runs the
same steps one at a time so the user sees the preview before storing."""

from __future__ import annotations

from analytics.core import store as core_store
from analytics.core.db import Database
from analytics.core.problems import reject_if_errors
from analytics.io import boundaries, indicator_tables, mappings, read, registers
from analytics.io.context import known_units, resolver
from analytics.io.indicator_tables import ValueColumn
from analytics.poverty import targeting


def table_columns(db: Database, proposed: list[ValueColumn], source: str | None,
                  mapping: list[ValueColumn] | None = None,
                  mapping_name: str = "") -> tuple[list[ValueColumn], mappings.MappingChanges | None]:
    """The columns to read a table with: ``mapping`` if given, else the mapping saved for ``source``,
    applied over the proposed columns; with what changed (None when no mapping applies)."""
    if mapping is None and source:
        saved = core_store.column_mapping(db, source)
        if saved is not None:
            mapping = mappings.from_records(source, saved["columns"])
            mapping_name = mapping_name or f"{source} ({saved['file']})"
    if mapping is None:
        return proposed, None
    return mappings.apply(proposed, mapping, mapping_name or (source or ""))


def table_preview(db: Database, file_name: str, data: bytes, default_period: int | None = None,
                  columns: list[ValueColumn] | None = None, sheet: str | None = None, source: str | None = None,
                  mapping: list[ValueColumn] | None = None, mapping_name: str = "",
                  prov: str = "35") -> indicator_tables.TablePreview:
    """Preview an indicator table with the proposed columns (or ``columns``, by header label), read the
    way the mapping saved for ``source`` (or ``mapping``) says where it knows a column."""
    res = resolver(db, prov)
    cells = read.read_cells(file_name, data, sheet)
    layout = indicator_tables.detect_layout(file_name, cells, res)
    changes = None
    if columns is None:
        columns, changes = table_columns(db, indicator_tables.propose_columns(layout, cells, known_units(db)),
                                         source, mapping, mapping_name)
    pv = indicator_tables.preview(file_name, cells, layout, columns, res, default_period)
    pv.mapping = changes
    return pv


def import_table(db: Database, role: str | None, actor: str, file_name: str, data: bytes, source: str,
                 default_period: int | None = None, columns: list[ValueColumn] | None = None,
                 sheet: str | None = None, prov: str = "35") -> indicator_tables.TablePreview:
    """Preview and store an indicator table (all or nothing); raises ImportRejected on any error."""
    pv = table_preview(db, file_name, data, default_period, columns, sheet, source, prov=prov)
    reject_if_errors(pv.problems)
    indicator_tables.commit(db, role, actor, pv, source)
    return pv


def boundary_preview(db: Database, file_name: str, data: bytes, layer: str | None = None,
                     prov: str = "35") -> boundaries.BoundaryPreview:
    """Preview a boundary file."""
    gdf = boundaries.read(file_name, data, layer)
    return boundaries.preview(file_name, gdf, resolver(db, prov), core_store.province_bounds(db), layer,
                              province=prov)


def import_boundaries(db: Database, role: str | None, actor: str, file_name: str, data: bytes,
                      layer: str | None = None, prov: str = "35") -> boundaries.BoundaryPreview:
    """Preview and store official boundaries; raises ImportRejected on any error."""
    pv = boundary_preview(db, file_name, data, layer, prov)
    boundaries.commit(db, role, actor, pv)
    return pv


def import_crosswalk(db: Database, role: str | None, actor: str, file_name: str, data: bytes) -> int:
    """Store the BPS-Kemendagri pairs of a crosswalk file (planners and admins; all or nothing)."""
    from analytics.core import auth
    from analytics.io import crosswalk

    auth.require(role, "import_data")
    areas = core_store.area_table(db)
    pairs = crosswalk.read_csv(file_name, data, set(areas.loc[areas["level"] == "desa", "kode"]))
    return db.write(actor, "import.crosswalk", f"{file_name}: {len(pairs)} pasangan",
                    lambda cur: core_store.save_crosswalk(cur, pairs, f"tabel: {file_name}"))


def import_register(db: Database, role: str | None, actor: str, file_name: str, data: bytes, source: str,
                    period: int, prov: str = "35") -> registers.RegisterPreview:
    """Preview and store a household register; raises ImportRejected on any error."""
    pv = registers.preview(file_name, read.read_cells(file_name, data), resolver(db, prov),
                           sectors=targeting.sector_mapping(db))
    registers.commit(db, role, actor, pv, source, period)
    return pv
