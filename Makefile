# The README's two commands: `make run` serves the API, `make test` runs every check.
# Both build .venv from the lock files first (only when the locks change).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check

.PHONY: run test lint lock clean

run: $(VENV)/.runtime
	$(BIN)/newsmeta db upgrade
	$(BIN)/newsmeta serve

test: $(VENV)/.dev
	$(BIN)/ruff check app tests bench scripts migrations/env.py
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check app tests bench scripts migrations/env.py
	$(BIN)/ruff format --check app tests bench scripts migrations/env.py

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "newsmeta needs Python 3.11 or newer; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# A known pip first: older ones mis-resolve extras of pinned packages under --require-hashes.
$(VENV)/.pip: requirements-pip.lock | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes -r requirements-pip.lock
	touch $@

$(VENV)/.runtime: requirements.lock pyproject.toml $(VENV)/.pip
	$(PIP) install --quiet --require-hashes -r requirements.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev: requirements-dev.lock pyproject.toml $(VENV)/.pip
	$(PIP) install --quiet --require-hashes -r requirements-dev.lock
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@ $(VENV)/.runtime

# Re-pin every dependency after editing pyproject.toml (needs uv: pip install uv).
lock:
	uv pip compile pyproject.toml --generate-hashes --no-header --no-emit-index-url --no-emit-find-links \
		--python-version 3.11 --python-platform x86_64-manylinux_2_28 -o requirements.lock
	uv pip compile pyproject.toml --extra dev --generate-hashes --no-header --no-emit-index-url \
		--no-emit-find-links --python-version 3.11 --python-platform x86_64-manylinux_2_28 \
		-o requirements-dev.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
