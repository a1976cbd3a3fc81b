"""Pengguna (admin): accounts with roles; create, deactivate, reset a password."""

import streamlit as st

from analytics.core import auth, fmt
from pages import _ui as ui

ui.guard("pengguna")
db = ui.get_db()

st.title(ui.t("pengguna.title"))
st.subheader(ui.t("pengguna.list"))
users = auth.list_users(db, ui.role())
st.dataframe(fmt.display(users.assign(role=users["role"].map(lambda r: ui.t(f"role.{r}"))),
                         {"active": "yesno", "created_at": "time"}, ui.lang(),
                         {"username": ui.t("pengguna.username"), "role": ui.t("pengguna.role"),
                          "active": ui.t("col.aktif"), "created_at": ui.t("col.dibuat")}), hide_index=True)

with st.form("create_user", clear_on_submit=True):
    st.subheader(ui.t("pengguna.create"))
    name = st.text_input(ui.t("pengguna.username"), key="new_username")
    ui.keep("new_role", list(auth.ROLES))
    new_role = st.selectbox(ui.t("pengguna.role"), auth.ROLES, format_func=lambda r: ui.t(f"role.{r}"),
                            key="new_role")
    password = st.text_input(ui.t("pengguna.password"), type="password", key="new_password")
    if st.form_submit_button(ui.t("pengguna.submit")):
        try:
            auth.create_user(db, ui.role(), ui.user(), name.strip(), new_role, password)
            ui.flash(ui.t("pengguna.created", user=name.strip()))
            st.rerun()
        except ValueError as exc:
            st.error(str(exc))

if not users.empty:
    st.subheader(ui.t("pengguna.manage"))
    who = st.selectbox(ui.t("pengguna.pick"), users["username"].tolist(), key="manage_user")
    active = bool(users.set_index("username").loc[who, "active"])
    c1, c2 = st.columns(2)
    if c1.button(ui.t("pengguna.deactivate") if active else ui.t("pengguna.activate"), key="toggle_user"):
        try:
            auth.set_active(db, ui.role(), ui.user(), who, not active)
            ui.flash(ui.t("pengguna.updated", user=who))
            st.rerun()
        except ValueError as exc:
            st.error(str(exc))
    if c2.button(ui.t("pengguna.reset"), key="reset_user"):
        st.info(ui.t("pengguna.newpass", user=who, password=auth.reset_password(db, ui.role(), ui.user(), who)))
