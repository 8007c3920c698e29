"""A mail server for tests, on loopback, from the standard library only: it speaks enough SMTP
(RFC 5321) for Django's smtp backend and keeps every message it accepted.

It can also be told to stall the next message at one of two points, so that a test can kill
the sender mid-send and know exactly what the server had done by then:

- ``Hold.BEFORE_ACCEPT``: the message has been transmitted, and the server never answers the
  end of its data. An SMTP server takes responsibility for a message only by that answer
  (250), so this message is not delivered.
- ``Hold.AFTER_ACCEPT``: the server has answered 250 (the message is delivered) and then never
  answers the client's QUIT: the sender cannot tell it was.

``holding`` is set when the sink stalls; it lets go (closing the connection) when the sink
stops.
"""

import enum
import re
import socketserver
import threading
from dataclasses import dataclass
from email import message_from_bytes, policy


class Hold(enum.Enum):
    BEFORE_ACCEPT = "before the server accepted the message"
    AFTER_ACCEPT = "after the server accepted the message"


@dataclass(frozen=True)
class Accepted:
    recipients: tuple[str, ...]  # the envelope's, as given by RCPT TO
    subject: str
    message_id: str
    body: str


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True  # a held connection must not keep the test from ending
    allow_reuse_address = True
    sink: "SmtpSink"


class _Session(socketserver.StreamRequestHandler):
    """One client's connection: a reply to each command, until QUIT, a hold, or the end."""

    server: _Server

    def _reply(self, *lines: str) -> None:
        for n, line in enumerate(lines, start=1):
            separator = " " if n == len(lines) else "-"  # a multi-line reply: 250-... 250 ...
            self.wfile.write(f"{line[:3]}{separator}{line[4:]}\r\n".encode("ascii"))

    def handle(self) -> None:
        self.recipients: list[str] = []
        self._reply("220 sink.test ESMTP")
        commands = {
            "EHLO": self._ehlo,
            "HELO": self._ok,
            "NOOP": self._ok,
            "MAIL": self._rset,
            "RSET": self._rset,
            "RCPT": self._rcpt,
            "DATA": self._data,
            "QUIT": self._quit,
        }
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            handler = commands.get(command[:4].upper())
            if handler is None:
                self._reply("502 Command not implemented")
            elif handler(command) is False:
                return

    def _ehlo(self, command: str) -> None:
        self._reply("250 sink.test", "250 8BITMIME")

    def _ok(self, command: str) -> None:
        self._reply("250 OK")

    def _rset(self, command: str) -> None:
        """RSET, or MAIL FROM starting a message: forget the last one's recipients."""
        self.recipients = []
        self._reply("250 OK")

    def _rcpt(self, command: str) -> None:
        address = re.search(r"<([^>]*)>", command)
        if address is None:
            self._reply("501 Syntax: RCPT TO:<address>")
            return
        self.recipients.append(address.group(1))
        self._reply("250 OK")

    def _data(self, command: str) -> bool:
        """Read the message; False when the sink holds it (the connection is then closed)."""
        self._reply("354 End data with <CR><LF>.<CR><LF>")
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b".") else line)  # undo dot-stuffing
        sink = self.server.sink
        if sink.take_hold(Hold.BEFORE_ACCEPT):
            return False
        sink.accept(self.recipients, b"".join(lines))
        self._reply("250 OK: queued")
        return not sink.take_hold(Hold.AFTER_ACCEPT)

    def _quit(self, command: str) -> bool:
        self._reply("221 Bye")
        return False


class SmtpSink:
    """Start with ``start()``, stop with ``stop()``; ``port`` is where it listens."""

    def __init__(self) -> None:
        self.accepted: list[Accepted] = []
        self.holding = threading.Event()
        self._release = threading.Event()
        self._hold: Hold | None = None
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.sink = self
        self.port: int = self._server.server_address[1]

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def hold_next(self, point: Hold) -> None:
        """Stall the next message at ``point``, until the sink stops."""
        with self._lock:
            self._hold = point

    def take_hold(self, point: Hold) -> bool:
        with self._lock:
            if self._hold is not point:
                return False
            self._hold = None
        self.holding.set()
        self._release.wait()
        return True

    def accept(self, recipients: list[str], data: bytes) -> None:
        message = message_from_bytes(data, policy=policy.default)
        body = message.get_body(preferencelist=("plain",))
        with self._lock:
            self.accepted.append(
                Accepted(
                    recipients=tuple(recipients),
                    subject=str(message["Subject"]),
                    message_id=str(message["Message-ID"]),
                    body=body.get_content() if body is not None else "",
                )
            )

    def received(self) -> list[Accepted]:
        with self._lock:
            return list(self.accepted)
