# The two commands a newcomer needs: `make run` and `make test`. Each installs what it needs.
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
ASSETS := static/build/css/app.css
# The demo accounts sign in with the README's password alone: no role needs a second factor.
DEV_ENV := DJANGO_DEBUG=true SCR_MFA_REQUIRED_ROLES=

.PHONY: run test lint check install assets bench bench-load bench-scale clean

# Without a broker, a loop beside the server does what Celery beat does: every minute sends the
# outbox's due emails and renders the PDFs whose try failed, every hour sweeps reminders and
# queues the daily digests (from SCR_DIGEST_HOUR), and at start and every day counts the
# board's quality markers.
run: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py demo_data
	@echo "Serving on http://127.0.0.1:8000/ (stop with Ctrl+C)"
	( n=0; while true; do \
		if [ $$((n % 60)) -eq 0 ]; then $(DEV_ENV) $(PY) manage.py send_reminders; fi; \
		if [ $$((n % 1440)) -eq 0 ]; then $(DEV_ENV) $(PY) manage.py count_quality; fi; \
		$(DEV_ENV) $(PY) manage.py send_outbox; $(DEV_ENV) $(PY) manage.py render_documents; \
		n=$$((n + 1)); sleep 60; done ) & \
		trap "kill $$! 2>/dev/null" EXIT INT TERM; \
		$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: install
	$(VENV)/bin/pytest --create-db

install: $(INSTALLED) $(ASSETS)

$(INSTALLED): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

$(ASSETS): node_modules/.package-lock.json $(wildcard static/scss/*.scss)
	npm run build

assets: $(ASSETS)

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Static checks CI runs beside the tests: ruff, import contracts between apps (pyproject.toml),
# types of the services, selectors and permissions, template lint, then Django's own checks.
check: lint
	$(VENV)/bin/lint-imports
	$(DEV_ENV) $(VENV)/bin/mypy
	$(VENV)/bin/djlint templates --lint
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=false DJANGO_SECRET_KEY=check-deploy-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
		DJANGO_ALLOWED_HOSTS=scr.example.org EMAIL_URL=smtp+tls://mail.example.org:587 \
		$(PY) manage.py check --deploy --fail-level WARNING
	docker-compose config -q

# The scripts migrate one SQLite database and start from a copy of it (benchmarks/_setup.py).
BENCH_SCHEMA := $(CURDIR)/.bench-schema.sqlite3
BENCH_ENV := $(DEV_ENV) SCR_BENCH_SCHEMA=$(BENCH_SCHEMA)
bench: install
	rm -f $(BENCH_SCHEMA)
	$(BENCH_ENV) $(PY) benchmarks/review_list.py
	$(BENCH_ENV) $(PY) benchmarks/review_page.py
	$(BENCH_ENV) $(PY) benchmarks/dashboard.py
	$(BENCH_ENV) $(PY) benchmarks/chronology.py
	$(BENCH_ENV) $(PY) benchmarks/combined_chronology.py
	$(BENCH_ENV) $(PY) benchmarks/reminders.py
	$(BENCH_ENV) $(PY) benchmarks/identifier_check.py
	$(BENCH_ENV) $(PY) benchmarks/pdf.py
	rm -f $(BENCH_SCHEMA)

# 50 people signed in to gunicorn (3 workers, production settings, 127.0.0.1 only) for 60 s,
# a second between clicks, on the demo data in PostgreSQL database scr_load (rebuilt each run;
# PostgreSQL at 127.0.0.1:5432 as user postgres); gunicorn stops by itself. Options:
# `$(PY) benchmarks/load.py --help`.
bench-load: install
	$(PY) benchmarks/load.py

# Issue 15's national scale on PostgreSQL: builds the data set once (a marker table says it is
# there; `make bench-scale BUILD_ARGS=--rebuild` builds it again), then measures every page.
BENCH_SCALE_URL ?= postgres://postgres@127.0.0.1:5432/scr_scale
bench-scale: install
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_SCALE_URL)} $(DEV_ENV) $(PY) benchmarks/scale/build.py $(BUILD_ARGS)
	DATABASE_URL=$${DATABASE_URL:-$(BENCH_SCALE_URL)} $(DEV_ENV) $(PY) benchmarks/scale/measure.py $(MEASURE_ARGS)

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
