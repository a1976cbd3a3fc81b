"""A throw-away PostgreSQL server for the tests and the bench, from the machine's own packages.

``initdb`` refuses to run as root, so as root the data folder is handed to the ``postgres`` user (Debian's
package creates it) or ``nobody`` and the server runs as that user. The server listens on 127.0.0.1 on a
free port and on a socket in its own folder, with fsync off (a test server: speed over durability).

Run as a script it starts a server, prints its URL and waits: ``python -m analytics.testing.pgserver``.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def bin_dir() -> Path | None:
    """The folder of ``initdb``/``postgres``: ``pg_config --bindir``, else Debian's newest
    ``/usr/lib/postgresql/<n>/bin``, else wherever ``initdb`` is on the PATH."""
    candidates: list[Path] = []
    if shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.CalledProcessError):
            candidates.append(Path(subprocess.check_output(["pg_config", "--bindir"], text=True).strip()))
    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                           key=lambda p: int(Path(p).parent.name), reverse=True)]
    if shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).resolve().parent)
    for c in candidates:
        if (c / "initdb").exists() and (c / "postgres").exists():
            return c
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run_as() -> tuple[list[str], int | None, int | None]:
    """Prefix and uid/gid to run the server's commands as a non-root user."""
    if os.geteuid() != 0:
        return [], None, None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pw = pwd.getpwnam(name)
            return ["runuser", "-u", name, "--"], pw.pw_uid, pw.pw_gid
    raise RuntimeError("no non-root user to run PostgreSQL as")


@dataclass
class PgServer:
    """A running server: its folder, port, and the URL of its ``postgres`` database."""

    folder: Path
    port: int
    bindir: Path
    prefix: list[str]

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://perantara@127.0.0.1:{self.port}/{dbname}"

    def stop(self) -> None:
        subprocess.run([*self.prefix, str(self.bindir / "pg_ctl"), "-D", str(self.folder / "data"), "-m",
                        "immediate", "-w", "stop"], capture_output=True, check=False)
        shutil.rmtree(self.folder, ignore_errors=True)


def start(max_connections: int = 200) -> PgServer:
    """Start a new server in a temporary folder; :meth:`PgServer.stop` stops it and removes the folder."""
    bindir = bin_dir()
    if bindir is None:
        raise RuntimeError("PostgreSQL (initdb, postgres) is not installed: install Debian's 'postgresql'")
    prefix, uid, gid = _run_as()
    folder = Path(tempfile.mkdtemp(prefix="perantara-pg-"))
    os.chmod(folder, 0o755)
    data = folder / "data"
    data.mkdir()
    if uid is not None:
        os.chown(folder, uid, gid)
        os.chown(data, uid, gid)
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "perantara", "-A", "trust",
                    "-E", "UTF8", "--locale=C", "--no-sync"], check=True, capture_output=True)
    port = _free_port()
    opts = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
            f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            f"-c max_connections={max_connections} -c shared_buffers=256MB")
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l",
                    str(folder / "server.log"), "-w", "-t", "60", "start"], check=True, capture_output=True)
    return PgServer(folder, port, bindir, prefix)


@contextlib.contextmanager
def running() -> Iterator[PgServer]:
    """A server for the length of a ``with`` block."""
    server = start()
    try:
        yield server
    finally:
        server.stop()


def main() -> None:  # pragma: no cover - a manual helper and dev.sh's
    """Start a server, print its URL, and keep it until interrupted or terminated (then stop it)."""
    import signal
    import sys

    def stop(*_: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second signal must not cut the shutdown short
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    with running() as srv:
        print(srv.url(), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)
    sys.stdout.flush()


if __name__ == "__main__":  # pragma: no cover
    main()
