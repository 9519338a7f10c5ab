"""Sending e-mail: SMTP when MAIL_SERVER is set, otherwise .eml files under instance/mail (development).

Messages are rendered in the recipient's language from templates in `app/templates/mail/`.
Callers send after their transaction commits, so a rolled-back change never mails anyone.
"""
from __future__ import annotations

import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale


def compose(to: str, template: str, language: str, **context) -> EmailMessage:
    """An e-mail from `mail/<template>.txt`: the first line is the subject, the rest the body."""
    with force_locale(language):
        text = render_template(f"mail/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject.strip()
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="refurb.local")
    message["Content-Language"] = language
    message.set_content(body.strip() + "\n")
    return message


def deliver(message: EmailMessage) -> None:
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        folder = Path(cfg["MAIL_FILE_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{uuid.uuid4().hex}.eml").write_bytes(bytes(message))
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=cfg["MAIL_TIMEOUT"]) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(message)


def send(to: str, template: str, language: str, **context) -> None:
    deliver(compose(to, template, language, **context))
