"""gunicorn for Kindkans: the one configuration the image, docker-compose.yml and the production
smoke (deploy/smoke/) start web with (`gunicorn -c deploy/gunicorn.conf.py kindkans.wsgi`).

Each value can be overridden by the environment variable named beside it; docs/operations.md
explains the choices.
"""

from __future__ import annotations

import multiprocessing
import os

# Only the reverse proxy talks to gunicorn. In compose it listens on the internal network only
# (the port is not published); on a single host bind it to 127.0.0.1.
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers: Kindkans's requests are short database round trips; attachments never pass
# through a worker (S3: a presigned URL; local disk: nginx serves them after X-Accel-Redirect).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"

# A request that takes longer than this is killed and logged (the Word export and an upload of
# several 10 MB files stay well below it); nginx's proxy_read_timeout is a little longer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# SIGTERM (a deploy, `docker compose stop`): running requests get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
# Keep-alive connections from nginx's upstream pool.
keepalive = 5

# Recycle a worker after this many requests (with jitter, so they do not all restart at once):
# bounds any slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))

# X-Forwarded-Proto (wsgi.url_scheme) is believed only from these addresses: the proxy. Django
# applies the same list to X-Forwarded-For and -Proto itself (kindkans.proxy, TRUSTED_PROXY_IPS).
forwarded_allow_ips = os.environ.get("TRUSTED_PROXY_IPS", "127.0.0.1,::1")

# The heartbeat file on a tmpfs: a slow disk must not make the arbiter kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# Logs to stdout/stderr (the container runtime or systemd collects them). The access log has the
# path without the query string: a search (?q=) may hold a pupil's name, and logs must not.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
access_log_format = '%({x-forwarded-for}i)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
