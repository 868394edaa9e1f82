"""Import (administrators): upload a commune's file, read the validation report, confirm; past imports below."""

from __future__ import annotations

from ui import auth as sign_in
from ui import data, import_page

engine = data.engine()
user = sign_in.current_user(engine)
sign_in.require_page("import", user)
assert user is not None  # require_page stops the page for anyone not signed in
import_page.render_page(engine, user=user)
