# storyline — every set-up step lives here, so a fresh clone needs only `make`.
#   make demo    install, then analyse the bundled example corpus
#   make test    install, then run the test suite (what .ci/run calls)
#   make bench   install, run the benchmarks on ../shared/bench, rewrite BENCHMARKS.md
#                (one benchmark: make bench BENCH=extraction)
#   make screenshots  the README's screenshots of the web pages (headless chromium)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian's chromium for the browser tests (Playwright cannot download its own here).
CHROMIUM := /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser demo test bench lint lock clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

browser: $(CHROMIUM)

demo: install
	$(BIN)/storyline analyze examples/corpus --output out/demo.json
	$(BIN)/storyline analyze examples/corpus --format md --output out/demo.md
	$(BIN)/storyline analyze examples/corpus --format html --output out/demo.html
	$(BIN)/storyline analyze examples/bilingual --format html --output out/bilingual.html
	$(BIN)/storyline ingest examples/corpus --store out/demo.db
	@echo "Open out/demo.html in a browser to read the report (out/demo.md as text, out/demo.json for scripts;"
	@echo "out/bilingual.html is one story told in Spanish and English),"
	@echo "or browse the stories: $(BIN)/storyline serve --store out/demo.db  then open http://127.0.0.1:8000/"

test: install browser
	STORYLINE_REQUIRE_BROWSER=1 $(BIN)/python -m pytest

screenshots: install browser
	$(BIN)/python scripts/screenshots.py

bench: install
	$(BIN)/python benchmarks/run.py $(BENCH)
	$(BIN)/python benchmarks/report.py

lint: install
	$(BIN)/ruff check storyline tests benchmarks scripts

# Re-pin the whole dependency tree from pyproject.toml in a throw-away venv.
lock:
	rm -rf /tmp/storyline-lock && $(PYTHON) -m venv /tmp/storyline-lock
	/tmp/storyline-lock/bin/python -m pip install --quiet --upgrade pip
	/tmp/storyline-lock/bin/python -m pip install --quiet ".[dev,bench]"
	/tmp/storyline-lock/bin/python -m pip freeze --exclude-editable | grep -v '^storyline' > requirements.lock

clean:
	rm -rf $(VENV) out .pytest_cache
