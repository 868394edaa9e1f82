"""Sign-in page: shown alone in the navigation until someone signs in."""

from __future__ import annotations

from ui import data
from ui.auth import sign_in_form

sign_in_form(data.engine())
