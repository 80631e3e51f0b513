"""Sending e-mail through SMTP, or to ``instance/outbox/`` when none is configured."""
import smtplib
import time
from email.message import EmailMessage
from pathlib import Path

from flask import current_app


def send(to: str, subject: str, body: str) -> EmailMessage:
    """Send a plain-text message. Without MAIL_SERVER it is logged and written to the outbox."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = " ".join(str(subject).split())  # one line, whatever a name in it holds
    message.set_content(body)
    if config.get("MAIL_SERVER"):
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    else:
        outbox = Path(config["OUTBOX_DIR"])
        outbox.mkdir(parents=True, exist_ok=True)
        path = outbox / f"{time.time_ns()}.eml"
        path.write_bytes(bytes(message))
        current_app.logger.info("E-mail to %s written to %s: %s", to, path, subject)
    return message
