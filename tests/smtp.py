"""A real SMTP server for the email tests (aiosmtpd), on 127.0.0.1, that the portal's SMTP
backend talks to: it keeps what it receives, can refuse (4xx) a number of messages, and
can be stopped and started again (a server that is down)."""

import email
import email.policy
import socket
import threading

import pytest
from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    """The handler: messages received, in order, as email.message.EmailMessage."""

    def __init__(self):
        self.received = []
        self.refuse_next = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            if self.refuse_next:
                self.refuse_next -= 1
                return "451 4.3.0 Serveur occupé, réessayez plus tard"
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append(message)
        return "250 2.0.0 Reçu"

    def to(self, address):
        return [m for m in self.received if m["To"] == address]

    def clear(self):
        with self.lock:
            self.received.clear()


class SmtpServer:
    def __init__(self):
        self.sink = Sink()
        self.port = free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def received(self):
        return self.sink.received

    def to(self, address):
        return self.sink.to(address)


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server, and the portal's settings pointing at it."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def subject(message):
    """The decoded subject (a folded encoded header starts with the fold's space)."""
    return str(message["Subject"]).strip()
