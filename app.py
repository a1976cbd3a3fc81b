"""Perantara: thin router. Shared filters (language, province, year, role) live here so they survive
page changes; the navigation is built per role; pages outside the role stay reachable by URL only to
show a refusal.

``st.navigation`` is resolved before the sidebar widgets are created: widget identities depend on the
active page, which is only known after it, and widgets made earlier would be reset on the next rerun.
"""

from __future__ import annotations

import streamlit as st

from analytics.core import auth, settings
from analytics.core import store as core_store
from analytics.core.i18n import LANGS
from analytics.poverty import store as poverty_store
from pages import _ui as ui

st.set_page_config(page_title="Perantara", page_icon="🤝", layout="wide")  # an emoji favicon is drawn locally;
# without one, each page's :material: icon becomes a favicon fetched from fonts.gstatic.com


def main() -> None:
    """One run of the app: database, role, navigation, sidebar, then the chosen page."""
    db = ui.get_db()
    ui.ensure_static()
    demo_mode = settings.get_bool("demo_mode")
    st.session_state.setdefault("lang", settings.get("default_lang"))
    if demo_mode:
        if st.session_state.get("demo_role") not in auth.ROLES:  # a role's code, never its label
            st.session_state["demo_role"] = "perencana"
        st.session_state["role"] = st.session_state["demo_role"]
        st.session_state["user"] = None
    else:
        if not st.session_state.get("user"):  # a reload: the signed cookie, if its session is still open
            token = ui.session_cookie()
            if (user := auth.session_user(db, token)) is not None:
                st.session_state.update(user=user, session_token=token)
        if st.session_state.get("user"):  # the account as the database has it now: deactivated = signed out
            st.session_state["role"] = auth.current_role(db, st.session_state["user"])
            if st.session_state["role"] is None:
                auth.end_session(db, st.session_state.pop("session_token", None))
                st.session_state.pop("user")
                st.warning(ui.t("masuk.ended"))

    role = ui.role()
    pages: dict[str, st.Page] = {}
    sections: dict[str, list[st.Page]] = {}
    for spec in auth.PAGES:
        allowed = auth.can_view(role, spec.id)
        pages[spec.id] = st.Page(spec.path, title=ui.t(spec.title_key), icon=spec.icon, url_path=spec.id,
                                 visibility="visible" if allowed else "hidden")
        sections.setdefault(ui.t(spec.section_key) if allowed else "", []).append(pages[spec.id])
    pages["masuk"] = st.Page("pages/masuk.py", title=ui.t("page.masuk"), icon=":material/login:", url_path="masuk",
                             visibility="visible" if role is None else "hidden")
    sections.setdefault(ui.t("section.masuk") if role is None else "", []).insert(0, pages["masuk"])

    def _start() -> None:
        """The app's root URL: Streamlit serves the default page there and nowhere else, so the default is
        this hidden page, which sends the user on to Beranda (or to Masuk), and ``/beranda`` and ``/masuk``
        stay ordinary, addressable pages."""
        st.switch_page(pages["beranda" if role is not None else "masuk"])

    sections.setdefault("", []).insert(0, st.Page(_start, title="Perantara", url_path="mulai", default=True,
                                                  visibility="hidden"))
    current = st.navigation(sections, expanded=True)

    with st.sidebar:
        st.markdown(f"### {ui.t('app.title')}\n{ui.t('app.tagline')}")
        st.segmented_control(ui.t("sidebar.lang"), LANGS, format_func=str.upper, required=True,
                             **ui.persistent("lang", settings.get("default_lang"), list(LANGS)))
        if not demo_mode:
            ui.sync_session_cookie()  # early in the run: a reload right after signing in keeps the sign-in
        if demo_mode:
            st.selectbox(ui.t("sidebar.role"), auth.ROLES, format_func=lambda r: ui.t(f"role.{r}"),
                         **ui.persistent("demo_role", "perencana", list(auth.ROLES)))
            st.caption(ui.t("demo.banner"))
        elif role:
            st.caption(ui.t("sidebar.user", user=st.session_state.get("user"), role=ui.t(f"role.{role}")))
            if st.button(ui.t("sidebar.logout"), key="logout"):
                auth.end_session(db, st.session_state.pop("session_token", None))
                st.session_state.pop("role", None)
                st.session_state.pop("user", None)
                st.switch_page(pages["masuk"])
        provs = core_store.provinces(db)
        st.selectbox(ui.t("sidebar.province"), provs["kode"].tolist(),
                     format_func=lambda k: provs.set_index("kode").loc[k, "nama"],
                     **ui.persistent("prov", "35" if "35" in set(provs["kode"]) else provs["kode"].iloc[0],
                                     provs["kode"].tolist()))
        years = poverty_store.years(db) or [2024]
        st.selectbox(ui.t("sidebar.year"), years, **ui.persistent("year", years[-1], years))

    if current.url_path in pages and current.url_path != "masuk":
        ui.guard(current.url_path)  # the router refuses before the page runs; the page guards itself too
    ui.show_flash()
    ui.house_style()
    ui.boundary(current.run, f"halaman {current.url_path or 'mulai'}")  # the menu and sidebar stay
    ui.warm_maps(ui.prov())


ui.boundary(main, "aplikasi")
