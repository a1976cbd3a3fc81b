"""Perantara: thin router. Shared filters (language, province, year, role) live here so they survive
page changes; the navigation is built per role; pages outside the role stay reachable by URL only to
show a refusal."""

from __future__ import annotations

import streamlit as st

from analytics import auth, queries, settings
from analytics.i18n import LANGS
from pages import _ui as ui

st.set_page_config(page_title="Perantara", layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = settings.get("default_lang")
db = ui.get_db()
ui.ensure_static()
demo_mode = settings.get_bool("demo_mode")

with st.sidebar:
    st.markdown(f"### {ui.t('app.title')}\n{ui.t('app.tagline')}")
    st.segmented_control(ui.t("sidebar.lang"), LANGS, key="lang", format_func=str.upper, required=True)
    if demo_mode:
        st.session_state.setdefault("demo_role", "perencana")
        st.selectbox(ui.t("sidebar.role"), auth.ROLES, key="demo_role",
                     format_func=lambda r: ui.t(f"role.{r}"))
        st.session_state["role"] = st.session_state["demo_role"]
        st.session_state["user"] = None
        st.caption(ui.t("demo.banner"))
    elif st.session_state.get("role"):
        st.caption(ui.t("sidebar.user", user=st.session_state.get("user"),
                        role=ui.t(f"role.{st.session_state['role']}")))
        if st.button(ui.t("sidebar.logout"), key="logout"):
            st.session_state.pop("role", None)
            st.session_state.pop("user", None)
            st.rerun()
    provs = queries.provinces(db)
    st.selectbox(ui.t("sidebar.province"), provs["kode"].tolist(), key="prov",
                 format_func=lambda k: provs.set_index("kode").loc[k, "nama"])
    years = queries.years(db) or [2024]
    if st.session_state.get("year") not in years:
        st.session_state["year"] = years[-1]
    st.selectbox(ui.t("sidebar.year"), years, key="year")

role = ui.role()
sections: dict[str, list[st.Page]] = {}
for spec in auth.PAGES:
    allowed = auth.can_view(role, spec.id)
    page = st.Page(spec.path, title=ui.t(spec.title_key), icon=spec.icon, url_path=spec.id,
                   default=(spec.id == "beranda" and role is not None),
                   visibility="visible" if allowed else "hidden")
    sections.setdefault(ui.t(spec.section_key) if allowed else "", []).append(page)
if role is None:
    sections.setdefault(ui.t("section.masuk"), []).insert(
        0, st.Page("pages/masuk.py", title=ui.t("page.masuk"), icon=":material/login:", url_path="masuk",
                   default=True))
st.navigation(sections).run()
