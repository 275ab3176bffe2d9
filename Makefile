# Raqib: `make run` and `make test` do all the set-up they need (a .venv built from requirements.lock).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: install run test test-fast test-browser chromium archive lint eval bench bench-scale soak lock clean \
	train-reactions cv-reactions cv-reaction-rules

install: $(STAMP)

# FreeDict's English-Arabic dictionaries (Debian packages): clustering reads them to see one statement's words
# in an Arabic and an English report (reactions/dictd.py)
DICTD := /usr/share/dictd
$(STAMP): requirements.lock pyproject.toml
	@test -f $(DICTD)/freedict-eng-ara.index -a -f $(DICTD)/freedict-ara-eng.index || { \
	  echo "installing Debian's dict-freedict-eng-ara and dict-freedict-ara-eng (apt-get; needs root)"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y dict-freedict-eng-ara dict-freedict-ara-eng; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/raqib run

# every test, on four pytest-xdist workers for two cores: many tests wait (processes, loopback servers,
# backoffs), and the other workers use the CPU meanwhile. --dist loadgroup hands out one test at a time in the
# order tests/conftest.py sets (the longest first), and keeps an xdist_group (tests sharing a costly
# module fixture) on one worker. test-fast leaves out the slow ones (processes, corpora).
XDIST := -n 4 --dist loadgroup
# The tests start Python some hundred times (xdist workers, raqib processes, parse workers): each reads the
# project's compiled modules and pytest's rewritten test modules from __pycache__ instead of compiling them
# again, even where the environment sets PYTHONDONTWRITEBYTECODE (an empty value turns it off).
test test-fast: export PYTHONDONTWRITEBYTECODE =
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q $(XDIST) --ignore=tests/browser

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q $(XDIST) -m "not slow" --ignore=tests/browser

# The archive in a real headless browser: Debian's chromium driven by Playwright (never a downloaded browser).
CHROMIUM ?= /usr/bin/chromium
test-browser: $(STAMP) chromium
	RAQIB_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -q tests/browser

chromium:
	@test -x $(CHROMIUM) || { echo "installing Debian's chromium (apt-get; needs root)"; \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; }
	@test -x $(CHROMIUM) || { echo "no browser at $(CHROMIUM)" >&2; exit 1; }

# The statements archive in a browser (Datasette, read-only) at http://127.0.0.1:8001/
archive: $(STAMP)
	$(BIN)/raqib archive

lint: $(STAMP)
	$(BIN)/ruff check .

eval: $(STAMP)
	@echo "== $(SHARED)/eval/dev.jsonl (development gold) =="
	$(BIN)/python $(SHARED)/eval/score.py $(SHARED)/eval/dev.jsonl --run "$(BIN)/raqib extract --jsonl"
	@# every set in tests/data: challenge*.jsonl (written by hand) and real*.jsonl (real news, annotated
	@# independently); a set below its bar does not stop the others
	@for f in $(sort $(wildcard tests/data/challenge*.jsonl)) $(sort $(wildcard tests/data/real*.jsonl)); do \
	  echo "== $$f =="; \
	  $(BIN)/python $(SHARED)/eval/score.py $$f --run "$(BIN)/raqib extract --jsonl" || true; \
	done
	@echo "== clustering: tests/data/clusters_dev.jsonl (development set; pairwise P/R/F1 over gold statements) =="
	-$(BIN)/python eval/score_clusters.py tests/data/clusters_dev.jsonl --run "$(BIN)/raqib extract --jsonl --cluster"
	@echo "== clustering: tests/data/clusters.jsonl (independent real-news gold; bar: precision >= 0.95, F1 >= 0.85) =="
	-$(BIN)/python eval/score_clusters.py tests/data/clusters.jsonl --run "$(BIN)/raqib extract --jsonl --cluster" \
	  --min-precision 0.95 --min-f1 0.85

bench: $(STAMP)
	$(BIN)/python bench/run.py

# The soak test (issue 10): `raqib run` for SOAK_MINUTES (30 is the specification; every phase scales with it)
# with 200 loopback feeds, 1,000 chats, a Telegram outage, a kill -9 and a held write lock. About 40 minutes.
SOAK_MINUTES ?= 30
soak: $(STAMP)
	$(BIN)/python bench/soak.py --minutes $(SOAK_MINUTES)

# Every command against a generated database of STATEMENTS statements (1,000,000 by default; QUICK=1: 20,000),
# cached under $$RAQIB_BENCH_CACHE (~/.cache/raqib-bench): see bench/bench_scale.py.
STATEMENTS ?= $(if $(QUICK),20000,1000000)
bench-scale: $(STAMP)
	$(BIN)/python bench/bench_scale.py --statements $(STATEMENTS)
	@echo "== push delay at Telegram's rate, 100k subscribers of one speaker (the real sender, virtual time) =="
	$(BIN)/python bench/bench_push_delay.py

lock:
	$(PYTHON) -m venv /tmp/raqib-lock && /tmp/raqib-lock/bin/pip install --quiet -r requirements.in
	( echo "# Exact versions of every package Raqib installs (generated from requirements.in by \`make lock\`)."; \
	  /tmp/raqib-lock/bin/pip freeze ) > requirements.lock

# The reaction-type model (reactions/reaction_model.py: the rules' strong cues decide, else the model): cross-validate
# it against the rules, or retrain its weights (reactions/reaction_model.json); scikit-learn is installed for this only.
# Retrain after changing reactions.toml: the model reads the rules' cues by name.
# PAGES: the development pages set kept outside the repository (third-party text; only weights derived
# from it are written).
PAGES ?= /work/annot/dev_pages_all.gold.jsonl
HELD ?= /work/annot/heldout_H.gold.jsonl
HELD_K ?= /work/annot/heldout_K.gold.jsonl
HELD_L ?= /work/annot/heldout_L.gold.jsonl
REACTION_SETS = real=tests/data/real.jsonl dev=$(SHARED)/eval/dev.jsonl pages=$(PAGES) H=$(HELD) K=$(HELD_K) L=$(HELD_L)
TRAIN_STAMP := $(VENV)/.train-installed

$(TRAIN_STAMP): $(STAMP) requirements-train.lock
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-train.lock
	touch $(TRAIN_STAMP)

cv-reactions: $(TRAIN_STAMP)
	$(BIN)/python eval/train_reactions.py cv --sets $(REACTION_SETS)

# Changes to the reaction-type rules, validated across sets (each held out in turn); no scikit-learn needed.
cv-reaction-rules: $(STAMP)
	$(BIN)/python eval/reaction_rules_cv.py eval/reaction_candidates.py --sets $(REACTION_SETS)

train-reactions: $(TRAIN_STAMP)
	$(BIN)/python eval/train_reactions.py train --sets $(REACTION_SETS)

clean:
	rm -rf $(VENV) .pytest_cache
