"""The command line: ``python -m analytics COMMAND``.

* ``demo [--path P] [--force]``: build the embedded default database (the synthetic demo layer over the
  real region list) if it is absent, or again with ``--force``; the first admin's password is printed once.
* ``migrate [--path P]``: open a database file, apply the missing migrations and print its schema version.
* ``status [--path P]``: print what each data layer holds (rows, sources, synthetic or real, last import).

Messages are in Bahasa Indonesia; a failure prints one line and exits with status 1, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

from analytics.core import settings
from analytics.core.db import Database, DatabaseError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description="Perantara: perintah baris.")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="bangun basis data contoh (sintetis) bila belum ada")
    demo.add_argument("--force", action="store_true", help="bangun ulang walaupun berkas sudah ada")
    sub.add_parser("migrate", help="terapkan migrasi skema yang belum ada")
    sub.add_parser("status", help="tampilkan status lapisan data")
    for p in sub.choices.values():
        p.add_argument("--path", default=settings.get("db_path"), help="berkas basis data DuckDB")
    return parser


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
                print(f"{args.path}: versi skema {db.schema_version()}")
            finally:
                db.close()
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
