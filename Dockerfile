FROM python:3.11-slim-bookworm

# WeasyPrint needs Pango; fonts ship with the image, never fetched at run time.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=attachment_app.settings.production \
    XDG_CACHE_HOME=/tmp/cache
WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir -e .
COPY . .
RUN SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --create-home --uid 1000 app \
    && mkdir -p /app/private_media /app/audit_anchors /tmp/cache \
    && chown -R app /app/private_media /app/audit_anchors /tmp/cache
USER app
EXPOSE 8000
CMD ["gunicorn", "attachment_app.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
