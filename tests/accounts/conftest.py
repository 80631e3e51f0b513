"""A real SMTP server (aiosmtpd) for account e-mails, and helpers to read what arrived."""
import re
import socket
from email import message_from_bytes, policy

import pytest

LINK = re.compile(r"https?://\S+")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """What the local SMTP server received, newest last."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]

    def last(self, address):
        found = self.to(address)
        assert found, f"no e-mail arrived for {address}; got {[m['To'] for m in self.messages]}"
        return found[-1]

    @staticmethod
    def body(message):
        return message.get_body(preferencelist=("plain",)).get_content()

    def link(self, address, contains=""):
        for url in LINK.findall(self.body(self.last(address))):
            if contains in url:
                return url
        raise AssertionError(f"no link with {contains!r} in the e-mail to {address}")


@pytest.fixture(scope="session")
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def _point_at(app, controller):
    keys = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USERNAME")
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(MAIL_SERVER=controller.hostname, MAIL_PORT=controller.port,
                      MAIL_USE_TLS=False, MAIL_USERNAME="")
    return saved


@pytest.fixture
def mailbox(app, db, smtp_server):
    """Point the app's mail at the local SMTP server for one test; an empty inbox."""
    smtp_server.handler.messages.clear()
    saved = _point_at(app, smtp_server)
    yield smtp_server.handler
    app.config.update(saved)


@pytest.fixture
def live_mailbox(live_app, smtp_server):
    """The live app's mail goes to the local SMTP server; its rate limits stay off."""
    from portal.extensions import limiter

    smtp_server.handler.messages.clear()
    saved = _point_at(live_app, smtp_server)
    saved_enabled, limiter.enabled = limiter.enabled, False
    yield smtp_server.handler
    limiter.enabled = saved_enabled
    live_app.config.update(saved)


@pytest.fixture
def limits_on(app, db):
    """Rate limits on for one test. The limiter is one shared object and the live app
    (built with limits off) may have switched it off for every app of the session."""
    from portal.extensions import limiter

    saved = limiter.enabled
    limiter.enabled = True
    limiter.reset()
    yield limiter
    limiter.enabled = saved
