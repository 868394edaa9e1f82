"""A minimal app with the sign-in gate of app.py, for the browser test of the session cookie."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st

from ui.auth import current_user, default_engine, sign_in_form, sign_out_button

engine = default_engine()
user = current_user(engine)
if user is None:
    sign_in_form(engine)
    st.stop()
sign_out_button(engine, user)
st.markdown(f"signed in as {user.username}")
