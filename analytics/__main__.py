"""The command line: ``python -m analytics COMMAND``.

* ``demo [--path P] [--force]``: build the embedded default database (the synthetic demo layer over the
  real region list) if it is absent, or again with ``--force``; the first admin's password is printed once.
* ``migrate [--path P]``: open a database file, apply the missing migrations and print its schema version.
* ``copy SOURCE TARGET [--replace]``: copy a whole database from a DuckDB file into PostgreSQL
  (``postgresql://…``) or back, all or nothing, with every table's rows counted and hashed on both sides.
* ``status [--path P]``: print what each data layer holds (rows, sources, synthetic or real, last import).
* ``import boundaries|table|register FILE [--source S] [--period Y] [--layer L] [--province P]
  [--mapping M] [--accept-suggestions] [--dry-run] [--json] [--path P]``: the Import page's preview and
  store, for a data officer's monthly files; a table is read the way the mapping saved for its source (or
  ``--mapping``: another source's saved mapping, or a JSON file) says. Exit status 0 (stored, or a clean
  dry run), 1 (refused), 2 (usage).

Messages are in Bahasa Indonesia; a failure prints one line and exits with status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from analytics.core import settings
from analytics.core.db import Database, DatabaseError
from analytics.core.fmt import number
from analytics.core.pg import redact


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="Perantara: perintah baris.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="bangun basis data contoh (sintetis) bila belum ada")
    demo.add_argument("--force", action="store_true", help="bangun ulang walaupun berkas sudah ada")
    sub.add_parser("migrate", help="terapkan migrasi skema yang belum ada")
    sub.add_parser("status", help="tampilkan status lapisan data")
    cp = sub.add_parser("copy", help="salin seluruh basis data: berkas DuckDB ke PostgreSQL atau sebaliknya")
    cp.add_argument("source", help="berkas DuckDB atau URL postgresql://…")
    cp.add_argument("target", help="URL postgresql://… atau berkas DuckDB")
    cp.add_argument("--replace", action="store_true", help="ganti seluruh isi tujuan yang sudah berisi data")
    imp = sub.add_parser("import", help="pratinjau dan simpan berkas batas wilayah, tabel indikator atau register")
    imp.add_argument("kind", choices=["boundaries", "table", "register"], help="jenis berkas")
    imp.add_argument("file", help="berkas yang diimpor")
    imp.add_argument("--source", help="nama sumber (mis. BPS, DTKS); wajib untuk tabel dan register")
    imp.add_argument("--period", type=int, help="tahun data (tabel: bila kolomnya tidak menyebut tahun)")
    imp.add_argument("--layer", help="lapisan di dalam GeoPackage")
    imp.add_argument("--province", default="35", help="kode provinsi tempat Anda bekerja: nama wilayah yang ada di "
                                                       "beberapa provinsi dibaca di provinsi ini, nomor kabupaten dua "
                                                       "angka juga (baris provinsi lain tetap disimpan)")
    imp.add_argument("--mapping", help="pemetaan kolom tabel: nama sumber yang pemetaannya tersimpan, atau berkas "
                                       "JSON; tanpa ini dipakai pemetaan tersimpan untuk --source")
    imp.add_argument("--accept-suggestions", action="store_true",
                     help="terima saran terbaik (skor ≥ 0,7) untuk fitur yang belum pasti")
    imp.add_argument("--dry-run", action="store_true", help="hanya pratinjau, tidak menyimpan")
    imp.add_argument("--json", action="store_true", help="cetak hasil sebagai satu objek JSON")
    for name, p in sub.choices.items():
        if name != "copy":
            p.add_argument("--path", default=settings.database(),
                           help="berkas basis data DuckDB atau URL postgresql://…")
    return parser


def _import(args: argparse.Namespace) -> int:
    """Preview (and unless ``--dry-run`` store) one file, as the Import page does; print the report."""
    import json
    from pathlib import Path

    from analytics.core import store as core_store
    from analytics.core.problems import ImportRejected
    from analytics.io import boundaries, context, indicator_tables, mappings, pipeline, read, registers, report
    from analytics.poverty import targeting

    path = Path(args.file)
    if not path.is_file():
        print(f"Berkas '{path.name}' tidak ada.", file=sys.stderr)
        return 2
    if args.kind in ("table", "register") and not args.source and not args.dry_run:
        print("Sebutkan sumbernya dengan --source (mis. BPS, DTKS).", file=sys.stderr)
        return 2
    if args.kind == "register" and args.period is None and not args.dry_run:
        print("Sebutkan tahun registernya dengan --period.", file=sys.stderr)
        return 2
    data, name, actor = path.read_bytes(), path.name, "baris-perintah"
    db = Database(args.path)
    try:
        try:
            if args.kind == "boundaries":
                gdf = boundaries.read(name, data, args.layer)
                pv = boundaries.preview(name, gdf, context.resolver(db, args.province),
                                        core_store.province_bounds(db),
                                        args.layer, province=args.province)
                if args.accept_suggestions:
                    pv = boundaries.accept_suggestions(pv)
                store, build = (lambda: boundaries.commit(db, "admin", actor, pv)), report.boundaries
            elif args.kind == "table":
                mapping, mapping_name, mapping_source = None, "", args.source
                if args.mapping:
                    given = Path(args.mapping)
                    if given.is_file():
                        mapping, mapping_name = mappings.read_file(given.name, given.read_bytes()), given.name
                    elif core_store.column_mapping(db, args.mapping) is None:
                        print(f"Tidak ada berkas atau pemetaan tersimpan bernama '{args.mapping}'.", file=sys.stderr)
                        return 2
                    else:
                        mapping_source = args.mapping
                pv = pipeline.table_preview(db, name, data, args.period, source=mapping_source, mapping=mapping,
                                            mapping_name=mapping_name, prov=args.province)
                store = lambda: indicator_tables.commit(db, "admin", actor, pv, args.source)  # noqa: E731
                build = report.table
            else:
                pv = registers.preview(name, read.read_cells(name, data), context.resolver(db, args.province),
                                       sectors=targeting.sector_mapping(db))
                store = lambda: registers.commit(db, "admin", actor, pv, args.source, args.period)  # noqa: E731
                build = report.register
        except ImportRejected as exc:
            out = report.refused(exc.problems)
            print(json.dumps(out, ensure_ascii=False) if args.json else report.text(out))
            return 1
        status = "refused" if not pv.ok else "clean" if args.dry_run else "stored"
        if status == "stored":
            try:
                store()
            except (ImportRejected, ValueError) as exc:
                print(str(exc), file=sys.stderr)
                status = "refused"
        out = build(pv, status)
        print(json.dumps(out, ensure_ascii=False) if args.json else report.text(out))
        return 0 if status in ("stored", "clean") else 1
    finally:
        db.close()


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "demo":
            from analytics.demo import build

            build.build(args.path, force=args.force)
        elif args.command == "migrate":
            db = Database(args.path)
            try:
                print(f"{redact(args.path)}: versi skema {db.schema_version()}")
            finally:
                db.close()
        elif args.command == "copy":
            from analytics.core import transfer

            done = transfer.copy(args.source, args.target, replace=args.replace)
            print(f"Disalin: {len(done.rows)} tabel, {number(done.total)} baris; jumlah baris dan isi setiap "
                  "tabel sama di kedua sisi.")
        elif args.command == "import":
            return _import(args)
        elif args.command == "status":
            from analytics.poverty import overview

            db = Database(args.path, read_only=True)
            try:
                print(overview.status_table(db).to_string(index=False))
            finally:
                db.close()
    except DatabaseError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except Exception as exc:  # a clear message, not a traceback, for the set-up command
        print(f"Gagal menjalankan '{args.command}': {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
