VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app tracker
PYTHON ?= python3

.PHONY: install fonts run test bench clean translations compile-translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# The catalogues are compiled here, never committed (*.mo is ignored).
install: $(VENV)/.installed compile-translations static/fonts/urdu-font.css

compile-translations: $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -d tracker/translations

# Re-extract every _()/_l()/ngettext string from tracker/ and templates/ and merge it into each catalogue
# (new strings arrive untranslated; strings gone from the code are dropped), then compile.
translations: $(VENV)/.installed
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _nl:1,2 --sort-output --no-location \
	  --project cop-tracker --copyright-holder NCRC -o tracker/translations/messages.pot .
	$(VENV)/bin/pybabel update -i tracker/translations/messages.pot -d tracker/translations \
	  --ignore-obsolete --ignore-pot-creation-date
	$(MAKE) compile-translations

# The Urdu web font (Noto Nastaliq Urdu from its Fontsource npm package, subset to Urdu with fontTools) into
# static/fonts/. Without npm it says why and the pages fall back to the reader's fonts: never a failed install.
# Subsetting takes a few minutes on a busy machine, so it is redone only when the build step changes.
fonts static/fonts/urdu-font.css: tracker/typeface.py | $(VENV)/.installed
	-@$(PY) -m tracker.typeface build

run: install
	$(FLASK) db upgrade
	$(FLASK) seed
	$(FLASK) users ensure-admin
	$(PY) -m tracker.devserver

# SQLite always; PostgreSQL too when TRACKER_TEST_DATABASE_URL is set.
test: install
	$(PY) -m pytest -q -p no:cacheprovider
	@if [ -n "$$TRACKER_TEST_DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL: $$TRACKER_TEST_DATABASE_URL"; \
	  TRACKER_TEST_BACKEND=postgres $(PY) -m pytest -q -p no:cacheprovider -m "not browser"; \
	fi

# The benches in bench/, one after the other; each prints its figures and ratios against a reference
# measured in the same run (never timed tests). Smaller runs for a quick look:
#   BENCH_DIGESTS=1000 BENCH_FEEDS=50 BENCH_DURATION=3s make bench
BENCH_DIGESTS ?= 10000
bench: install
	$(PY) bench/digests_bench.py $(BENCH_DIGESTS)
	$(PY) bench/feeds_bench.py
	$(PY) bench/urdu_first_load.py
	@if command -v wrk >/dev/null; then $(PY) bench/scorecard_bench.py; \
	else echo "bench/scorecard_bench.py skipped: it needs wrk (apt-get install wrk)"; fi

clean:
	rm -rf $(VENV) instance/*.sqlite3 static/fonts build/fonts
