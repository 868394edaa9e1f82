"""Entry point: page config, (sign-in), the shared filter sidebar, navigation. No business logic here.

Run: `streamlit run app.py`. Each page in pages/ also runs on its own.
"""

from __future__ import annotations

import streamlit as st

from data_access.filters import Scope
from ui import frame
from ui.i18n import t

frame.page_config()

# ---- SIGN-IN GATE (the lead inserts it here; ui/auth.py is written by another helper) -------------------------
# user = auth.require_user()               # stops the script with the sign-in form until someone is signed in
# frame.set_scope(auth.scope_for(user))    # a commune user sees only their commune
# and below: build `pages` from the user's role (the Import page only for admins).
frame.set_scope(Scope.everything())
# ------------------------------------------------------------------------------------------------------------------

pages = {
    t("nav.section.views"): [
        st.Page(
            "pages/overview.py", title=t("nav.overview"), icon=":material/dashboard:", url_path="overview", default=True
        ),
        st.Page(
            "pages/regularity.py", title=t("nav.regularity"), icon=":material/event_available:", url_path="regularity"
        ),
        st.Page(
            "pages/participation.py", title=t("nav.participation"), icon=":material/groups:", url_path="participation"
        ),
    ],
}
page = st.navigation(pages)
frame.sidebar()
with frame.page_running():
    page.run()
