"""Real, small files of every kind the upload meets, built byte by byte in the test run."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

CT_DOCX = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
CT_XLSX = CT_DOCX.replace("/word/document.xml", "/xl/workbook.xml").replace(
    "wordprocessingml.document.main", "spreadsheetml.sheet.main"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def pdf(tekst: bytes = b"Hallo") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% " + tekst + b"\n"
        b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def jpg() -> bytes:
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        b"\xff\xdb\x00\x43\x00" + bytes(range(1, 65)) + b"\xff\xd9"
    )


def _zip(leden: list[tuple[str, bytes]], *, stored_first: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archief:
        for i, (naam, data) in enumerate(leden):
            method = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            archief.writestr(zipfile.ZipInfo(naam), data, compress_type=method)
    return buffer.getvalue()


def docx(extra: list[tuple[str, bytes]] = ()) -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", CT_DOCX.encode()),
            ("_rels/.rels", RELS.encode()),
            (
                "word/document.xml",
                b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Antwoord</w:t></w:r></w:p>'
                b"</w:body></w:document>",
            ),
            *extra,
        ]
    )


def xlsx() -> bytes:
    return _zip(
        [
            ("[Content_Types].xml", CT_XLSX.encode()),
            ("_rels/.rels", RELS.replace("word/document.xml", "xl/workbook.xml").encode()),
            ("xl/workbook.xml", b'<?xml version="1.0"?><workbook/>'),
            ("xl/worksheets/sheet1.xml", b'<?xml version="1.0"?><worksheet/>'),
        ]
    )


def odt() -> bytes:
    return _zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", b'<?xml version="1.0"?><office:document-content/>'),
            ("META-INF/manifest.xml", b'<?xml version="1.0"?><manifest:manifest/>'),
        ],
        stored_first=True,
    )


def docx_met_macro() -> bytes:
    return docx(extra=[("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 VBA")])


def zip_bom(uitgepakt: int = 60 * 1024 * 1024) -> bytes:
    """A valid DOCX with one member of zeros: ~60 kB on disk, 60 MB unpacked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archief:
        archief.writestr("[Content_Types].xml", CT_DOCX)
        archief.writestr("word/document.xml", "<w:document/>")
        with archief.open("word/media/image1.png", "w") as lid:
            nullen = bytes(1024 * 1024)
            for _ in range(uitgepakt // len(nullen)):
                lid.write(nullen)
    return buffer.getvalue()


def versleuteld() -> bytes:
    """A DOCX whose members carry the "encrypted" flag (what ZipCrypto writes)."""
    data = bytearray(docx())
    for signatuur, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (i := data.find(signatuur, start)) != -1:
            data[i + offset] |= 0x1
            start = i + 4
    return bytes(data)


def beschadigd() -> bytes:
    """A DOCX with its document bytes damaged: the CRC (or inflate) fails."""
    data = bytearray(docx())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for j in range(start + 2, start + 2 + 20):
        data[j] ^= 0xFF
    return bytes(data)


def office_versleuteld() -> bytes:
    """What Office writes for a password-protected .docx: a Compound File container."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(100) + b"PE\x00\x00"


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
