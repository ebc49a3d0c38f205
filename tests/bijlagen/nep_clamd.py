"""A small clamd for tests: a real TCP server in a thread that speaks clamd's protocol (PING,
VERSION and INSTREAM with 4-byte big-endian chunk lengths and a zero-length end, in both the
"n…\\n" and "z…\\0" command forms) and answers as clamd does. Its "signature database" is the
EICAR test string, found anywhere in the stream. Not a mock of our code: the application talks
to it through clamav-client over a socket, exactly as it would to clamd.
"""

from __future__ import annotations

import socket
import socketserver
import struct
import threading

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
STREAM_MAX_LENGTH = 25 * 1024 * 1024  # clamd.conf's default StreamMaxLength


def _read_exact(rfile, n: int) -> bytes:
    data = rfile.read(n)
    if data is None or len(data) != n:
        raise ConnectionError("client closed mid-stream")
    return data


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server: NepClamd = self.server.nep  # type: ignore[attr-defined]
        first = self.rfile.read(1)
        if first == b"z":
            command, end = b"", b"\0"
            while (c := self.rfile.read(1)) not in (b"\0", b""):
                command += c
        elif first == b"n":
            command, end = self.rfile.readline().rstrip(b"\n"), b"\n"
        else:
            self.wfile.write(b"UNKNOWN COMMAND\n")
            return
        if command == b"PING":
            self.wfile.write(b"PONG" + end)
        elif command == b"VERSION":
            self.wfile.write(b"ClamAV 1.0.0 (nep)" + end)
        elif command == b"INSTREAM":
            received = bytearray()
            while True:
                (length,) = struct.unpack("!L", _read_exact(self.rfile, 4))
                if length == 0:
                    break
                received += _read_exact(self.rfile, length)
                if len(received) > STREAM_MAX_LENGTH:
                    self.wfile.write(b"INSTREAM size limit exceeded. ERROR" + end)
                    return
            server.gescand.append(bytes(received))
            if EICAR in received:
                self.wfile.write(b"stream: Eicar-Signature FOUND" + end)
            else:
                self.wfile.write(b"stream: OK" + end)
        else:
            self.wfile.write(b"UNKNOWN COMMAND" + end)


class NepClamd:
    """Start with `with NepClamd() as clamd:`; `clamd.port`; `clamd.gescand` holds every stream."""

    def __init__(self) -> None:
        self.gescand: list[bytes] = []
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.nep = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> NepClamd:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


def vrije_poort() -> int:
    """A port on which nothing listens (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
