"""Streamlit helpers shared by app.py and the pages: the cached database, text, the role guard, labels.

Only widget arrangement lives here; logic is in ``analytics/``.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx

from analytics.core import auth, settings
from analytics.core.db import Database, DatabaseError
from analytics.core.db import exists as db_exists
from analytics.core.i18n import t as _t
from analytics.render import maps

ROOT = Path(__file__).resolve().parent.parent


@st.cache_resource(show_spinner=False)
def _open_db(path: str) -> Database:
    if not db_exists(path):
        from analytics.demo import (
            build as demo_build,  # the build's heavy imports only when there is something to build
        )

        demo_build.build(path)
    db = Database(path)
    from analytics.demo import build as demo_build  # an upgraded file gets the demo parts newer versions add

    added = demo_build.add_missing_provinces(db)
    if added:
        print(f"Basis data diperluas ke seluruh Indonesia: {len(added)} provinsi ditambahkan (daftar wilayah, "
              "perkiraan batas, data contoh bila dipakai); data yang ada tidak diubah.")
    if demo_build.refresh_if_outdated(db):
        print("Data contoh (sintetis) diperbarui untuk versi aplikasi ini; data nyata tidak diubah.")
    if differ := auth.record_keys(db):
        print(f"PERINGATAN: kunci rahasia server ini ({', '.join(differ)}) berbeda dari kunci yang dipakai basis data "
              "ini sebelumnya. Semua server harus memakai berkas kunci yang sama (lihat README).")
    password = auth.ensure_first_admin(db)
    if password:  # printed once, on the server console
        print(f"Akun admin pertama dibuat: admin / {password} (catat sekarang, hanya ditampilkan sekali)")
    return db


def get_db() -> Database:
    """The process-wide database; on failure a clear message and the page stops (no traceback)."""
    path = settings.database()
    try:
        return _open_db(path)
    except DatabaseError as exc:
        logging.getLogger("perantara.db").error("basis data %s tidak dapat dibuka", path, exc_info=exc)
        st.error(f"{t('db.error')} {str(exc).replace(str(Path(path).parent), '…')}")  # no server path shown
        st.stop()
        raise  # unreachable; keeps type checkers quiet


@st.cache_resource(show_spinner=False)
def ensure_static() -> Path:
    """Leaflet assets for offline maps, copied once per process into ``static/leaflet``."""
    return maps.ensure_static_assets(ROOT / "static")


def persistent(key: str, default: object, options: list | None = None) -> dict[str, object]:
    """Widget arguments that keep a shared filter's value in ``st.session_state[key]``.

    The widget itself uses the key ``_w_<key>``; Streamlit may drop a widget's state when the page
    changes, so the value lives in a plain session-state key and re-seeds the widget on every run.
    Use as ``st.selectbox(label, options, **persistent("year", 2024, options))``.
    """
    if key not in st.session_state or (options is not None and st.session_state[key] not in options):
        st.session_state[key] = default
    wkey = f"_w_{key}"
    st.session_state[wkey] = st.session_state[key]  # always: see keep()

    def sync() -> None:
        st.session_state[key] = st.session_state[wkey]
        if key == "demo_role":
            st.session_state["role"] = st.session_state[wkey]

    return {"key": wkey, "on_change": sync}


_UNSET = object()


def keep(key: str, options: list, default: object = _UNSET) -> None:
    """Seed a keyed choice widget (call just before creating it, and give it no ``index``/``default``).

    A selectbox, radio or multiselect sends back the *label* of its choice, and Streamlit knows a keyed
    widget by its key: after the labels change (a language switch, a renamed model) the old label matches
    no option and comes back as the value (``"Perencana (Bappeda)"`` instead of ``"perencana"``). Read
    before the widget is created, the value is still decoded with the previous run's labels; writing it
    back makes it the value the widget starts from. A value no longer among ``options`` gives way to
    ``default`` (or to the widget's own first option)."""
    if key in st.session_state:
        value = st.session_state[key]
        valid = all(v in options for v in value) if isinstance(value, list) else value in options
        if valid:
            st.session_state[key] = value
            return
        del st.session_state[key]
    if default is not _UNSET:
        st.session_state[key] = default


_errors = logging.getLogger("perantara.errors")


def boundary(run: Callable[[], object], where: str) -> None:
    """Run ``run`` so that no traceback reaches the user: an unexpected error shows a Bahasa Indonesia
    (or English) message with a short reference, and the traceback is logged on the server under that
    reference. ``st.stop``/``st.rerun``/``st.switch_page`` pass through (they are not ``Exception``)."""
    try:
        run()
    except Exception as exc:  # noqa: BLE001 - this is the boundary
        ref = secrets.token_hex(3).upper()
        _errors.error("kesalahan %s di %s", ref, where, exc_info=exc)
        try:
            message = t("error.boundary", ref=ref)
        except Exception:  # noqa: BLE001 - even the text may be what failed
            message = f"Maaf, halaman ini gagal ditampilkan. Kode rujukan: {ref}."
        st.error(message, icon=":material/error:")


def client_id() -> str:
    """Who is asking, for login throttling: the client's address as Streamlit sees it (behind a reverse
    proxy, the proxy's, unless it passes ``X-Forwarded-For``)."""
    try:
        forwarded, ip = st.context.headers.get("X-Forwarded-For", ""), st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context: one anonymous client
        return "?"
    first = forwarded.split(",")[0].strip() if isinstance(forwarded, str) else ""
    return (first or (ip if isinstance(ip, str) else "") or "?")[:64]


def flash(message: str) -> None:
    """A success message to show after the ``st.rerun`` that follows a write (shown right away, it
    would vanish with the rerun)."""
    st.session_state["_flash"] = message


def show_flash() -> None:
    """Show (once) the message left by :func:`flash`."""
    if message := st.session_state.pop("_flash", None):
        st.success(message, icon=":material/check_circle:")


def session_cookie() -> str | None:
    """The sign-in cookie the browser sent when this connection opened (None without one)."""
    try:
        value = st.context.cookies.get(auth.SESSION_COOKIE)
    except Exception:  # noqa: BLE001 - no request context (a test run): no cookie
        return None
    return value if isinstance(value, str) else None


def sync_session_cookie() -> None:
    """Make the browser's sign-in cookie match the session: set it while a user is signed in (so a
    reload keeps them signed in), clear it once they are not. The value is the app's own signed token
    (letters, digits, ``-_.``), written as a JSON string."""
    token = st.session_state.get("session_token")
    if token:
        max_age = settings.get_int("session_hours") * 3600
    elif session_cookie():
        token, max_age = "", 0
    else:
        return
    st.html(f"""<script>document.cookie = {json.dumps(auth.SESSION_COOKIE)} + "=" + {json.dumps(token)}
        + "; path=/; max-age={max_age}; SameSite=Strict" + (location.protocol === "https:" ? "; Secure" : "");
        </script>""", unsafe_allow_javascript=True)


def lang() -> str:
    """The chosen interface language."""
    return st.session_state.get("lang", settings.get("default_lang"))


def t(key: str, **kwargs: object) -> str:
    """Interface text in the chosen language."""
    return _t(key, lang(), **kwargs)


def role() -> str | None:
    """The current role (demo role picker or signed-in account), or None."""
    return st.session_state.get("role")


def user() -> str:
    """The current user name for the audit trail."""
    return st.session_state.get("user") or f"demo:{role() or 'tamu'}"


def guard(page_id: str) -> None:
    """Stop the page with a refusal unless the current role may view it (URLs bypass the menu)."""
    r = role()
    if r is None and not auth.can_view(None, page_id):
        st.warning(t("refusal.login"))
        st.page_link("pages/masuk.py", label=t("page.masuk"), icon=":material/login:")
        st.stop()
    if not auth.can_view(r, page_id):
        st.error(t("refusal", role=t(f"role.{r}")))
        st.stop()


def page_start(page_id: str) -> tuple[Database, str, str, int]:
    """The start of every data page: role guard, database, title and intro (``<page_id>.title`` /
    ``<page_id>.intro``); returns (db, language, province, year)."""
    guard(page_id)
    db = get_db()
    st.title(t(f"{page_id}.title"))
    st.write(t(f"{page_id}.intro"))
    return db, lang(), prov(), year()


def plotly(where, fig, key: str | None = None, **kwargs) -> None:  # noqa: ANN001 (a Streamlit container, a figure)
    """Show a plotly figure in ``where`` (``st`` or a column) with its numbers written the reader's way
    (:func:`analytics.render.charts.localise`)."""
    from analytics.render import charts

    where.plotly_chart(charts.localise(fig, lang()), key=key, **kwargs)


def synthetic_label() -> None:
    """The visible label on every screen that shows synthetic data."""
    st.warning(f"**{t('synthetic.label')}** — {t('synthetic.note')}", icon=":material/science:")


def prov() -> str:
    """The selected province code."""
    return st.session_state.get("prov", "35")


def year() -> int:
    """The selected year."""
    return int(st.session_state.get("year", 2024))


@st.cache_resource(show_spinner=False, max_entries=64)
def _geojson(path: str, level: str, prefix: str, version: str) -> str:
    from analytics.core import store as core_store
    return core_store.area_geojson(get_db(), level, prefix)


@st.cache_resource(show_spinner=False)
def _warm(path: str, prov: str, version: str, period: int) -> threading.Thread:
    def work() -> None:
        time.sleep(3)  # let the first page reach the browser before competing for the CPU
        get_db().warm(background=False)  # on PostgreSQL: the rest of the replica (the first page copied its own)
        for level, prefix in (("provinsi", ""), ("kabupaten", prov), ("kecamatan", prov), ("desa", prov)):
            maps.mainland(_geojson(path, level, prefix, version))  # the text and its first view, ready
        try:  # then the leadership page's pockets (kecamatan P0 of the chosen year)
            _pockets(path, version, prov, "kecamatan", "p0", period, None, False, 0.05)
        except ValueError:
            pass  # no P0 for that year: the page says so itself

    thread = threading.Thread(target=work, name="perantara-warm", daemon=True)
    add_script_run_ctx(thread)
    thread.start()
    return thread


def warm_maps(prov: str) -> None:
    """Prepare the province's kecamatan and desa map data and the kecamatan P0 pockets in the background,
    once per process and data version, so the first switch to a finer map (or the leadership page) does
    not wait for it."""
    from analytics.core import store as core_store
    if settings.get_bool("warm_maps"):
        _warm(settings.database(), prov, str(core_store.last_import(get_db())), year())


def cached_geojson(level: str, prefix: str) -> str:
    """Prepared map GeoJSON of a level under a code prefix, built once per process and data version."""
    from analytics.core import store as core_store
    version = str(core_store.last_import(get_db()))
    return _geojson(settings.database(), level, prefix, version)


@st.cache_data(show_spinner=False, max_entries=32)
def _pockets(path: str, version: str, prov: str, level: str, indicator: str, period: int,
             source: str | None, smooth: bool, alpha: float):
    from analytics.poverty import drilldown
    return drilldown.pockets(get_db(), prov, level, indicator, period, source, smooth=smooth, alpha=alpha)


def cached_pockets(prov: str, level: str, indicator: str, period: int, source: str | None = None,
                   smooth: bool = False, alpha: float = 0.05):
    """Significant pockets (:func:`analytics.poverty.drilldown.pockets`), computed once per process and data version."""
    from analytics.core import store as core_store
    return _pockets(settings.database(), str(core_store.last_import(get_db())), prov, level, indicator, period,
                    source, smooth, alpha)


@st.cache_data(show_spinner=False, max_entries=16)
def _trend(path: str, version: str, prov: str, level: str, indicator: str, source: str | None, alpha: float):
    from analytics.poverty import drilldown
    return drilldown.trend_pockets(get_db(), prov, level, indicator, source, alpha)


def cached_trend(prov: str, level: str, indicator: str, source: str | None = None, alpha: float = 0.05):
    """Pocket patterns over the years (:func:`analytics.poverty.drilldown.trend_pockets`), once per process and
    data version."""
    from analytics.core import store as core_store
    return _trend(settings.database(), str(core_store.last_import(get_db())), prov, level, indicator, source,
                  alpha)


def commodity_names(db: Database) -> dict[str, str]:
    """Commodity code → name in the chosen language."""
    from analytics.commodity import store as commodity_store
    coms = commodity_store.commodity_list(db)
    return dict(zip(coms["kode"], coms["nama"] if lang() == "id" else coms["nama_en"], strict=False))


def kabupaten_names(db: Database, prov: str | None = None) -> dict[str, str]:
    """Kabupaten/kota code → name (of one province when ``prov`` is given)."""
    from analytics.core import store as core_store
    kabs = core_store.area_table(db, prov).query("level == 'kabupaten'")
    return dict(zip(kabs["kode"], kabs["nama"], strict=False))


def pick_stored(listed, label: str, key: str, title: str = "title"):  # -> tuple[int, pd.Series]
    """A select box over stored items (a chain, a model …) whose choice survives page changes; labels the
    screen when the chosen item is synthetic. Returns (id, its row)."""
    ids = listed["id"].tolist()
    chosen = st.selectbox(label, ids, format_func=dict(zip(listed["id"], listed[title], strict=False)).get,
                          **persistent(key, ids[0], ids))
    info = listed.set_index("id").loc[chosen]
    if bool(info["is_synthetic"]):
        synthetic_label()
    return chosen, info


def show_errors(exc: Exception) -> None:
    """Every problem of a refused save on its own line (the analytics join them with '; ')."""
    for msg in str(exc).split("; "):
        st.error(msg)


def next_step(key: str, text: str, label: str, page_id: str, action: Callable[[], None] | None = None,
              blocked: str | None = None, allowed: bool = True) -> None:
    """The "Langkah berikutnya" panel at the end of a stage: what comes next, and one button that does it
    (``action``: creates or selects the next record and puts it in session state) and opens ``page_id``.
    ``blocked`` says why the step cannot be taken yet (the button is then disabled); a role that may not
    take the step (``allowed``) or open the next page sees the text without the button."""
    with st.container(border=True, key=f"next_{key}"):
        st.markdown(f"**{t('next.title')}**")
        st.write(text)
        if blocked:
            st.caption(blocked)
        spec = next(p for p in auth.PAGES if p.id == page_id)
        if not allowed or not auth.can_view(role(), page_id):
            return
        if st.button(label, key=f"next_btn_{key}", type="primary", disabled=bool(blocked),
                     icon=":material/arrow_forward:"):
            try:
                if action is not None:
                    action()
            except (ValueError, PermissionError) as exc:
                show_errors(exc)
                return
            st.switch_page(spec.path)


STEP_MARK = {"done": ":green[:material/check_circle:]", "started": ":orange[:material/pending:]",
             "todo": ":gray[:material/radio_button_unchecked:]"}
"""How a programme step's state is marked on Beranda (Streamlit's own icon font: no emoji font needed)."""

_STEP_KEYS = {"lokakarya": "lok_session", "rantai": "vc_chain", "bisnis": "bm_model", "hasil": "rc_chain"}


def step_text(db: Database, step) -> str:  # noqa: ANN001 (a programme.Step)
    """One line for a programme step, names written for the reader (Markdown-safe)."""
    from analytics.core import fmt

    facts = dict(step.facts)
    if facts.get("commodity"):
        facts["commodity"] = fmt.md_text(commodity_names(db).get(facts["commodity"], facts["commodity"]))
    for k in ("n", "actors", "flows", "lines", "realisations", "participants"):
        if k in facts:
            facts[k] = fmt.number(facts[k], 0, lang())
    return t(f"prog.{step.key}.{step.state}", **facts)


def open_programme(prog) -> None:  # noqa: ANN001 (a programme.Programme)
    """Select the programme's records on their pages (and propose its kabupaten for a first workshop)."""
    for s in prog.steps:
        if s.key in _STEP_KEYS and s.ref is not None:
            st.session_state[_STEP_KEYS[s.key]] = s.ref
    if prog.step("lokakarya").ref is None and prog.kabupaten:
        st.session_state["lok_handoff"] = prog.kabupaten


def editor_columns(frame, overrides: dict | None = None, names: dict | None = None) -> dict:  # noqa: ANN001
    """``column_config`` for a data editor, so that no table shows a snake_case header or a raw number: every
    column labelled in the reader's language (``field.<column>``), numbers written in the reader's locale
    (Streamlit's grid formats them in the browser: ``1.234,5`` in an Indonesian browser), flags as check
    boxes. ``overrides`` (select boxes, limits) keep their settings and get the label and locale too;
    ``names`` (column → {value: name}) shows names instead of codes in a select box column."""
    from analytics.core.i18n import catalogue

    out: dict[str, object] = {}
    for col in frame.columns:
        key = f"field.{col}"
        label = t(key) if key in catalogue("id") else str(col)
        cfg = (overrides or {}).get(col)
        if cfg is None:
            kind = frame[col].dtype.kind
            cfg = (st.column_config.CheckboxColumn(label) if kind == "b"
                   else st.column_config.NumberColumn(label, format="localized") if kind in "iuf"
                   else st.column_config.TextColumn(label))
        else:
            cfg = {**cfg, "label": cfg.get("label") or label}
            tc = dict(cfg.get("type_config") or {})
            if tc.get("type") == "number" and not tc.get("format"):
                tc["format"] = "localized"
            if tc.get("type") == "selectbox" and names and col in names:
                values = [o["value"] if isinstance(o, dict) else o for o in tc.get("options") or []]
                tc["options"] = [{"value": v, "label": str(names[col].get(v, v))} for v in values]
            cfg["type_config"] = tc
        out[col] = cfg
    return out


_HOUSE_STYLE = """<style>
/* the map's breadcrumb reads as links: the way back up, not buttons to press */
.st-key-crumbs button[kind="tertiary"] p { color: #1a5fb4; text-decoration: underline; }
.st-key-crumbs button[kind="tertiary"]:hover p { color: #0b3d80; }
.st-key-crumbs button:disabled p { color: inherit; font-weight: 600; text-decoration: none; }
</style>"""


def house_style() -> None:
    """The few style rules Streamlit's theme has no setting for (local, no web font)."""
    st.html(_HOUSE_STYLE)


def unsaved(stored, edited) -> None:  # noqa: ANN001 (two DataFrames)
    """Under an editor: say that its changes are not stored yet (they are lost on another page or a reload)."""
    from analytics.core import edits

    if edits.changed(stored, edited):
        st.warning(t("edits.unsaved"), icon=":material/edit_note:")
