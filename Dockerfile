# Kindkans production image: gunicorn serving Django, static files through whitenoise.
# The same image runs the Celery worker and beat (see docker-compose.yml). Debian 12 (bookworm),
# the release CI tests LibreOffice on.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    KINDKANS_VAR_DIR=/app/var

WORKDIR /app

# LibreOffice Writer, headless, for the PDF of the generated letters and the Word export (the
# worker renders them; `check --deploy` fails without it), with the fonts the letters name;
# Graphviz (dot) lays out the process diagrams in admin (hulpvragen/diagram.py).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libreoffice-writer-nogui fonts-liberation2 fonts-dejavu-core graphviz \
    && rm -rf /var/lib/apt/lists/*

# The unprivileged user everything runs as; its own writable home (LibreOffice and fontconfig
# keep caches there).
# Fixed ids: the proxy service in docker-compose.yml runs nginx in this group (gid 10001) to read
# the attachment volume for X-Accel-Redirect.
RUN groupadd --system --gid 10001 kindkans \
    && useradd --system --uid 10001 --gid kindkans --create-home --home-dir /home/kindkans \
       --shell /usr/sbin/nologin kindkans

# Dependencies first (the hash-pinned runtime lock, `make lock`), so a code change does not
# reinstall them; any file whose hash differs from the lock stops the build.
COPY requirements/base.txt requirements/base.txt
RUN pip install --require-hashes -r requirements/base.txt

COPY . .
# Editable install: settings find templates/ and static/ next to the kindkans package in /app.
RUN pip install --no-deps -e . \
    && mkdir -p /app/var/bijlagen /app/var/mail /app/var/beat \
    && chown -R kindkans:kindkans /app/var

USER kindkans

# Collected at build time with throwaway settings; nothing here is used at run time.
RUN SECRET_KEY=collectstatic-only DEBUG=false python manage.py collectstatic --no-input

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request, sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/gezond/', timeout=4).status == 200 else 1)"]

# Workers, timeouts, max_requests, forwarded_allow_ips: deploy/gunicorn.conf.py.
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py", "kindkans.wsgi:application"]
