#!/usr/bin/env bash
# Perantara set-up: `bash dev.sh run` (install, build the demo database if absent, start the app on
# http://localhost:8501) or `bash dev.sh test` (install, then every test: unit, AppTest, real browser, on
# the embedded DuckDB store and again on a PostgreSQL server the run starts itself and stops after).
set -euo pipefail
cd "$(dirname "$0")"

find_python() {
  local c v
  for c in python3.13 python3.12 python3 \
           "$HOME"/.pyenv/versions/3.13*/bin/python3 "$HOME"/.pyenv/versions/3.12*/bin/python3 \
           /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do
    if command -v "$c" >/dev/null 2>&1 || [ -x "$c" ]; then
      # pyenv shims answer for versions that are not selected; run the interpreter to be sure
      if v=$(PYENV_VERSION="" "$c" -c 'import sys; print(sys.version_info >= (3, 12))' 2>/dev/null) \
         && [ "$v" = "True" ]; then
        PYENV_VERSION="" "$c" -c 'import sys; print(sys.executable)'
        return 0
      fi
    fi
  done
  return 1
}

setup() {
  if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
    local py
    if ! py=$(find_python); then
      echo "Python 3.12 atau lebih baru tidak ditemukan (dicari: python3.13, python3.12, python3, pyenv)." >&2
      echo "Pasang Python 3.12+ lalu jalankan lagi. / Python 3.12+ not found; install it and re-run." >&2
      exit 1
    fi
    rm -rf .venv
    "$py" -m venv .venv
  fi
  local want have
  want=$(sha256sum requirements.txt | cut -d' ' -f1)
  have=$(cat .venv/.requirements.sha256 2>/dev/null || true)
  if [ "$want" != "$have" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
    echo "$want" > .venv/.requirements.sha256
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "Memasang Chromium (Debian) untuk uji peramban..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "Chromium tidak ada: pasang paket Debian 'chromium' (uji peramban akan dilewati)." >&2
    fi
  fi
}

ensure_postgres() {
  if ! .venv/bin/python -c 'import sys; from analytics.testing import pgserver; sys.exit(pgserver.bin_dir() is None)'; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      echo "Memasang PostgreSQL (Debian) untuk uji penyimpanan bersama..."
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    else
      echo "PostgreSQL tidak ada: pasang paket Debian 'postgresql' lalu jalankan lagi." >&2
      exit 1
    fi
  fi
}

case "${1:-}" in
  run)
    setup
    .venv/bin/python -m analytics demo
    exec .venv/bin/python serve.py --server.port 8501 --server.address localhost
    ;;
  test)
    setup
    ensure_chromium
    echo "ruff check ."
    .venv/bin/ruff check .
    ensure_postgres
    set +e
    echo "== semua uji pada DuckDB (berkas)"
    .venv/bin/python -m pytest
    rc=$?
    echo "== semua uji pada PostgreSQL (server sementara dari paket mesin ini, dihentikan sesudahnya)"
    pgout=$(mktemp)
    .venv/bin/python -m analytics.testing.pgserver > "$pgout" &
    pgpid=$!
    for _ in $(seq 1 120); do [ -s "$pgout" ] && break; sleep 0.5; done
    export PERANTARA_TEST_PG_URL
    PERANTARA_TEST_PG_URL=$(head -n1 "$pgout")
    # the page and unit tests on both cores, then the real-browser tests one at a time (as on DuckDB)
    PERANTARA_TEST_STORE=postgres .venv/bin/python -m pytest -n 2 -m "not browser"
    rc_pg=$?
    PERANTARA_TEST_STORE=postgres .venv/bin/python -m pytest -m browser
    rc_pg_browser=$?
    kill "$pgpid"; wait "$pgpid" 2>/dev/null; rm -f "$pgout"
    if [ "$rc_pg" = "0" ]; then rc_pg=$rc_pg_browser; fi
    set -e
    if [ "$rc" = "5" ] || [ "$rc_pg" = "5" ]; then echo "Tidak ada uji yang dijalankan." >&2; exit 1; fi
    if [ "$rc" != "0" ]; then exit "$rc"; fi
    exit "$rc_pg"
    ;;
  *)
    echo "Pemakaian: bash dev.sh run | bash dev.sh test" >&2
    exit 2
    ;;
esac
