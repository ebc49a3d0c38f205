"""Background work: enqueue a Celery task only once the data it needs is committed.

Every caller that wants work done in the background (notifications, relaying the outbox, exports)
goes through `enqueue_on_commit`. Reasons:

- a worker that picks the task up before the transaction commits would not find the rows it was
  given (or would act on a change that is then rolled back); `transaction.on_commit` sends the
  message only after a successful commit, and never after a rollback;
- without REDIS_URL the settings switch Celery to eager mode (CELERY_TASK_ALWAYS_EAGER), so the
  same call runs the task in-process, still after the commit: the embedded demo needs no broker.

Tasks take ids (never model instances), load what they need and call a service. A service names
its task by dotted path ("bijlagen.tasks.scannen_upload"): the tasks module imports the services,
never the other way round, so an app's services and tasks do not import each other.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def enqueue_on_commit(
    task: Task | str, *args: Any, using: str | None = None, **kwargs: Any
) -> None:
    """Queue `task.delay(*args, **kwargs)` to run after the current transaction commits. `task`
    is the task or its dotted path (looked up now, so a wrong name fails at once, not after
    the commit).

    Outside a transaction (autocommit) it is sent at once. The callback is robust: once the data
    is committed, a broker or in-process task failure is logged rather than turned into an error
    page for a change that did succeed; the work itself must be recoverable (the outbox relay
    retries unsent rows on its beat schedule)."""

    taak: Task = import_string(task) if isinstance(task, str) else task

    def send() -> None:
        taak.delay(*args, **kwargs)

    transaction.on_commit(send, using=using, robust=True)
