"""Signals of the status engine, for apps that keep their own rows in step with the status.

`status_gewijzigd` is sent by `hulpvragen.services._apply`, the one write of a status change,
inside the change's transaction (kwargs `hulpvraag`, `wijziging`): a receiver's writes commit or
roll back with the change. Receivers must not call the engine again.

`hulpvraag_aangemaakt` is sent by `hulpvragen.services.hulpvraag_create` once the new hulpvraag
and its first history row are written, inside the caller's transaction (kwarg `hulpvraag`): the
forms app attaches the type's form here, so the engine needs no import of it.

`reservering_gewijzigd` is sent by `hulpvragen.services.hulpvraag_reservering_zetten` when a
hulpvraag becomes or stops being a date reservation only (kwarg `hulpvraag`), inside the
transaction of the form's Opslaan: the decision clock starts when the request is completed.
"""

from django.dispatch import Signal

status_gewijzigd = Signal()
hulpvraag_aangemaakt = Signal()
reservering_gewijzigd = Signal()
