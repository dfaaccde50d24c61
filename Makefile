VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app tracker
PYTHON ?= python3

.PHONY: install run test bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

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

clean:
	rm -rf $(VENV) instance/*.sqlite3
