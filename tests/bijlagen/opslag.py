"""A storage backend for tests: a disk that fills up.

`VolleSchijf` is Django's FileSystemStorage with room for `ruimte` bytes in all: the write that
crosses that line writes what still fits and then raises OSError(ENOSPC), as a real full disk
does, leaving the partial file behind (FileSystemStorage does not remove it). Configured through
settings.STORAGES in a test, not a mock of our code."""

from __future__ import annotations

import errno
import os

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage


class VolleSchijf(FileSystemStorage):
    def __init__(self, *, ruimte: int, **kwargs):
        super().__init__(**kwargs)
        self.ruimte = ruimte
        self.geschreven = 0

    def _save(self, name, content):
        schijf = self

        class Vullend(File):
            def chunks(self, chunk_size=None):
                for chunk in content.chunks(chunk_size):
                    over = schijf.ruimte - schijf.geschreven
                    if len(chunk) > over:
                        if over > 0:
                            schijf.geschreven += over
                            yield chunk[:over]
                        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                    schijf.geschreven += len(chunk)
                    yield chunk

        return super()._save(name, Vullend(content, name=content.name))


def bestanden_in(pad) -> list[str]:
    """Every file under the storage's folder (relative paths)."""
    return sorted(
        os.path.relpath(os.path.join(map_, naam), pad)
        for map_, _mappen, namen in os.walk(pad)
        for naam in namen
    )
