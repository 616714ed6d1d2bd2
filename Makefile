# Two commands on a fresh machine: `make demo` and `make test`. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Re-install when the project's dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.dev: $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

dev: $(VENV)/.dev

demo: $(VENV)/.installed
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/warta ingest examples --db demo.db
	$(BIN)/warta search "kerja sama" --db demo.db --limit 3
	@echo "Browse it: $(BIN)/pip install -q -e '.[serve]' && $(BIN)/warta serve --db demo.db  (then open http://127.0.0.1:8000)"

test: $(VENV)/.dev
	$(BIN)/python -m pytest -q -rs

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm .pytest_cache
