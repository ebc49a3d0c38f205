"""Signals of the status engine, for apps that keep their own rows in step with the status.

`status_gewijzigd` is sent by `hulpvragen.services._apply`, the one write of a status change,
inside the change's transaction (kwargs `hulpvraag`, `wijziging`): a receiver's writes commit or
roll back with the change. Receivers must not call the engine again.
"""

from django.dispatch import Signal

status_gewijzigd = Signal()
