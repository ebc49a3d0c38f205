"""The refusal every besluiten write raises with what exactly is missing."""

from __future__ import annotations

from hulpvragen.services import (
    ControleMislukt,
)


class BesluitOnvolledig(ControleMislukt):
    """The decision cannot be recorded: `ontbrekend` says exactly what is missing or wrong.
    Nothing was changed (a ControleMislukt, so callers of the engine catch it the same way)."""
