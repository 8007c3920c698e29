# One image for web, worker and beat (docker-compose.yml).
#   docker build -t scr-manager .

# Stage 1: the GOV.UK Frontend / MoJ Frontend assets, compiled with Sass into static/build/.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
# No install scripts are needed (the only one, sass's optional file watcher, is a no-op).
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY static/scss static/scss
RUN npm run build

# Stage 2: the Django app.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
# WeasyPrint 70's libraries (it loads Pango, PangoFT2, HarfBuzz and its subsetter, fontconfig
# and GObject; the rest come as their dependencies), and Liberation fonts, metric-compatible
# with Arial, so PDFs match the site's font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 --shell /usr/sbin/nologin scr
WORKDIR /app

# The dependencies first, in their own layer, so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
COPY --from=assets /build/static/build static/build
# The project itself (scr, agencies, reviews, families, publication), then the static files,
# collected with throwaway settings: the real secret key is only given at run time.
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf build *.egg-info \
    && DJANGO_SECRET_KEY=build-only DJANGO_DEBUG=false EMAIL_URL=smtp://build-only.invalid \
        python manage.py collectstatic --noinput \
    && mkdir -p /app/media \
    && chown scr:scr /app/media

USER scr
EXPOSE 8000
CMD ["gunicorn", "scr.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
