"""Delivering outbox messages: SMTP from settings, or .eml files in development."""
from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import Flask

from .models import OutboxMessage


def build(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    # One Message-ID per outbox row: a message sent twice is recognisably the same message.
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}", domain=sender.rsplit("@", 1)[-1].strip(">"))
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    email["Content-Language"] = message.language.replace("_", "-")   # after the body: set_content drops Content-*
    return email


class Sender:
    """Sends through one SMTP connection per batch, or writes files when no server is configured."""

    def __init__(self, app: Flask):
        config = app.config
        self.server = config.get("MAIL_SERVER")
        self.port = int(config.get("MAIL_PORT") or 25)
        self.use_tls = bool(config.get("MAIL_USE_TLS"))
        self.use_ssl = bool(config.get("MAIL_USE_SSL"))
        self.username = config.get("MAIL_USERNAME")
        self.password = config.get("MAIL_PASSWORD")
        self.sender = config["MAIL_FROM"]
        self.folder = Path(config["MAIL_FILE_DIR"])
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> Sender:
        if self.server:
            if self.use_ssl:
                self.connection = smtplib.SMTP_SSL(self.server, self.port, timeout=30,
                                                   context=ssl.create_default_context())
            else:
                self.connection = smtplib.SMTP(self.server, self.port, timeout=30)
                if self.use_tls:
                    self.connection.starttls(context=ssl.create_default_context())
            if self.username:
                self.connection.login(self.username, self.password or "")
        else:
            self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except smtplib.SMTPException:
                self.connection.close()

    def send(self, message: OutboxMessage) -> None:
        email = build(message, self.sender)
        if self.connection is not None:
            self.connection.send_message(email)
        else:
            (self.folder / f"{message.id:08d}-{message.kind}.eml").write_bytes(bytes(email))
