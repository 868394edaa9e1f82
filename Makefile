# Everyday commands. `make test` is the fast loop; `make test-all` is what CI runs (.ci/run).
# The venv is made from requirements.lock the first time any target needs it.

PYTHON := .venv/bin/python
VENV_STAMP := .venv/.installed-from-lock
# Workers for the parallel run (pytest-xdist); each starts its own PostgreSQL server and template databases.
WORKERS := 2

.PHONY: run test test-all lint typecheck bench lock docs

$(VENV_STAMP): requirements.lock
	python3 -m venv .venv
	.venv/bin/pip install -q -r requirements.lock
	touch $@

run: $(VENV_STAMP)
	.venv/bin/streamlit run app.py

# SQLite, not slow, no browser (the default of pytest in pyproject.toml).
test: $(VENV_STAMP)
	$(PYTHON) -m pytest -q

# Everything: the tests that are not browser tests in parallel (worksteal: a worker that runs out takes tests from
# the other, so one file of long sweeps does not keep one worker busy alone), then the browser tests one at a time
# (each worker would start its own Streamlit server and Chromium; two of them on two cores make page timings flaky).
test-all: $(VENV_STAMP)
	$(PYTHON) -m pytest -q -m "not browser" -n $(WORKERS) --dist worksteal
	$(PYTHON) -m pytest -q -m browser

lint: $(VENV_STAMP)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

typecheck: $(VENV_STAMP)
	.venv/bin/mypy

# The district's pages on SQLite and PostgreSQL (docs/performance.md has the other scales and what they print).
bench: $(VENV_STAMP)
	.venv/bin/pip install -q -r bench/requirements.txt
	$(PYTHON) bench/bench_pages.py --scale district --db both --repeat 5

# docs/cli.md from the command line's --help (tests/test_docs.py fails when it is stale).
docs: $(VENV_STAMP)
	$(PYTHON) -m tests.docs_generated --write

# requirements.lock from requirements-dev.txt (which includes requirements.txt): exact versions of everything.
lock:
	$(PYTHON) -m piptools compile -q --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
		-o requirements.lock requirements-dev.txt
