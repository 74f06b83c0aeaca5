# Entry points a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
FLIS := $(VENV)/bin/flis
export FLIS_HOME ?= $(CURDIR)/flis-home
DEMO_SCALE ?= 0.05
DEMO_MONTHS ?= 2023-10:2024-10

.PHONY: env demo test bench lint docs clean

env: $(VENV)/.synced

$(VENV)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen --all-groups --compile-bytecode
	@touch $@

demo: env
	bash scripts/demo.sh

test: env
	$(VENV)/bin/pytest -n auto -q

bench: env
	$(VENV)/bin/python -m bench

lint: env
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy

docs: env
	$(FLIS) docs render

clean:
	rm -rf $(VENV) flis-home .pytest_cache .mypy_cache .ruff_cache
