"""GET /gezond/: a liveness/readiness answer for load balancers and container health checks.

A middleware placed first, so that it answers before the HTTPS redirect and the ALLOWED_HOSTS
check: a probe from inside the container (http://127.0.0.1:8000) must work without knowing the
public host name. It reveals nothing but "ok" or "database onbereikbaar".
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpResponse

logger = logging.getLogger(__name__)

PATH = "/gezond/"


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path != PATH:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception:
            logger.exception("Health check: database unreachable")
            return HttpResponse("database onbereikbaar", status=503, content_type="text/plain")
        return HttpResponse("ok", content_type="text/plain")
