# One image for web, worker and beat. Stage 1 builds the GOV.UK/MoJ front end with Sass.
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/scss static/scss
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
# WeasyPrint's libraries, and an Arial-compatible font for PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 scr
WORKDIR /app
COPY . .
COPY --from=assets /build/static/build static/build
RUN pip install --no-cache-dir . \
    && DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown scr:scr /app/media
USER scr
EXPOSE 8000
CMD ["gunicorn", "scr.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30"]
