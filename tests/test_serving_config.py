"""The server's settings that keep a page switch cheap (`.streamlit/config.toml`, read as Streamlit reads it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config

CONFIG = Path(__file__).resolve().parent.parent / ".streamlit" / "config.toml"


def test_the_file_watcher_is_off_and_the_after_run_collection_kept() -> None:
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert settings["server"]["fileWatcherType"] == "none"
    # kept: gc.freeze() in app.py makes it cheap, and it frees the runs' cyclic garbage at once
    assert settings["runner"]["postScriptGC"] is True
    assert settings["server"]["runOnSave"] is False


def test_streamlit_knows_every_option_the_file_sets() -> None:
    """A misspelt option would be ignored with a warning in the log only: each must be one Streamlit has."""
    settings = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    known = set(config._config_options_template)
    unknown = [
        f"{section}.{name}"
        for section, options in settings.items()
        if not section.startswith("theme")
        for name in options
        if f"{section}.{name}" not in known
    ]
    assert unknown == []
