"""A small SMTP server for tests: it keeps every message it receives.

It listens on 127.0.0.1 and a free port, in a thread of the test process (aiosmtpd's
``Controller``), so the test process, its live server and a Celery worker in a subprocess can
all deliver to it through Django's SMTP backend::

    server = SMTPServer().start()
    ...  # something sends to 127.0.0.1:server.port
    [message] = server.wait_for(1, to="personne@example.gouv.fr")
    server.stop()
"""

from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

from aiosmtpd.controller import Controller

HOST = "127.0.0.1"


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class _StoringHandler:
    """aiosmtpd handler: parses each message and hands it to the server."""

    def __init__(self, server: SMTPServer):
        self.server = server

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        message = message_from_bytes(envelope.original_content or envelope.content,
                                     policy=default_policy)
        self.server._store(message, list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


class SMTPServer:
    """An SMTP server storing what it receives in ``messages`` (``EmailMessage`` objects)."""

    def __init__(self, host: str = HOST, port: int | None = None):
        self.host = host
        self.port = port or free_port(host)
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []  # envelope recipients, one list per message
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    # ------------------------------------------------------------ lifecycle

    def start(self) -> SMTPServer:
        if self._controller is None:
            self._controller = Controller(
                _StoringHandler(self), hostname=self.host, port=self.port,
                ready_timeout=10,
            )
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SMTPServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------ messages

    def _store(self, message: EmailMessage, rcpt_tos: list[str]) -> None:
        with self._lock:
            self.messages.append(message)
            self.recipients.append(rcpt_tos)

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()
            self.recipients.clear()

    def received(self, to: str | None = None) -> list[EmailMessage]:
        """The messages received so far, only those sent to ``to`` when given."""
        with self._lock:
            pairs = list(zip(self.messages, self.recipients, strict=True))
        if to is None:
            return [message for message, _ in pairs]
        wanted = to.lower()
        return [
            message for message, rcpt in pairs
            if wanted in {r.lower() for r in rcpt} or wanted in str(message["To"] or "").lower()
        ]

    def wait_for(
        self, count: int = 1, timeout: float = 10, to: str | None = None
    ) -> list[EmailMessage]:
        """Poll until ``count`` messages (sent to ``to`` when given) arrived; return them.

        Raises ``TimeoutError`` with what did arrive when they do not come in time.
        """
        deadline = time.monotonic() + timeout
        while True:
            found = self.received(to)
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                subjects = [str(m["Subject"]) for m in self.received()]
                raise TimeoutError(
                    f"{len(found)} message(s) to {to or 'anybody'} after {timeout}s, "
                    f"expected {count}; received: {subjects}"
                )
            time.sleep(0.05)

    @staticmethod
    def body(message: EmailMessage) -> str:
        """The plain-text body (or the HTML one when there is no plain text)."""
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content() if part is not None else ""
