"""Upload handling with bounded memory and bounded disk use.

Django's MemoryFileUploadHandler keeps a whole request of at most FILE_UPLOAD_MAX_MEMORY_SIZE
(2 MB) in memory; anything larger streams to a temporary file in 64 kB chunks through the handler
below, which additionally stops writing a file once it passes the bijlage limit: a 2 GB upload
costs 10 MB of temporary disk, not 2 GB, and is then refused with the manual's advice.
"""

from __future__ import annotations

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from bijlagen.checks import MAX_BYTES


class TeGrootBestand(UploadedFile):
    """Stands in for a file that passed the limit: name and (real) size, no content."""

    def __init__(self, name: str, size: int, content_type: str | None) -> None:
        super().__init__(io.BytesIO(b""), name=name, content_type=content_type, size=size)


class BegrensdeUploadHandler(TemporaryFileUploadHandler):
    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.ontvangen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.ontvangen += len(raw_data)
        if self.ontvangen > MAX_BYTES:
            # Keep counting for the message, stop writing; the part already written is dropped
            # in file_complete.
            return None
        return super().receive_data_chunk(raw_data, start)

    def file_complete(self, file_size: int) -> UploadedFile:
        if self.ontvangen > MAX_BYTES:
            name, content_type = self.file.name, self.file.content_type
            self.file.close()  # a NamedTemporaryFile: closing removes it
            return TeGrootBestand(name, self.ontvangen, content_type)
        return super().file_complete(file_size)
