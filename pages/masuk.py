"""Masuk: sign in with a local account (when demo mode is off)."""

import streamlit as st

from analytics.core import auth
from pages import _ui as ui

db = ui.get_db()
st.title(ui.t("masuk.title"))
with st.form("login"):
    username = st.text_input(ui.t("masuk.username"), key="login_user")
    password = st.text_input(ui.t("masuk.password"), type="password", key="login_password")
    submitted = st.form_submit_button(ui.t("masuk.submit"))
if submitted:
    result = auth.login(db, username, password, ui.client_id())
    if result.locked_until is not None:
        st.error(ui.t("masuk.locked", minutes=auth.LOCK_MINUTES, until=result.locked_until.strftime("%H:%M")))
    elif result.role is None:
        st.error(ui.t("masuk.failed"))
    else:
        user = auth.normalise_username(username)
        st.session_state.update(role=result.role, user=user, session_token=auth.start_session(db, user))
        st.switch_page("pages/beranda.py")
st.caption(ui.t("masuk.hint"))
