# storyline — every set-up step lives here, so a fresh clone needs only `make`.
#   make demo    install, then analyse the bundled example corpus
#   make test    install, then run the test suite (what .ci/run calls)
#   make bench   install, run the benchmarks on ../shared/bench, rewrite BENCHMARKS.md
#                (one benchmark: make bench BENCH=extraction)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test bench lint lock clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/storyline analyze examples/corpus --output out/demo.json
	$(BIN)/storyline analyze examples/corpus --format md --output out/demo.md
	$(BIN)/storyline analyze examples/corpus --format html --output out/demo.html
	@echo "Open out/demo.html in a browser to read the report (out/demo.md as text, out/demo.json for scripts)."

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python benchmarks/run.py $(BENCH)
	$(BIN)/python benchmarks/report.py

lint: install
	$(BIN)/ruff check storyline tests benchmarks

# Re-pin the whole dependency tree from pyproject.toml in a throw-away venv.
lock:
	rm -rf /tmp/storyline-lock && $(PYTHON) -m venv /tmp/storyline-lock
	/tmp/storyline-lock/bin/python -m pip install --quiet --upgrade pip
	/tmp/storyline-lock/bin/python -m pip install --quiet ".[dev,bench]"
	/tmp/storyline-lock/bin/python -m pip freeze --exclude-editable | grep -v '^storyline' > requirements.lock

clean:
	rm -rf $(VENV) out .pytest_cache
