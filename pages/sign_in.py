"""Sign-in page: shown alone in the navigation until someone signs in."""

from __future__ import annotations

from ui.auth import default_engine, sign_in_form

sign_in_form(default_engine())
