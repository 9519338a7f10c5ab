"""The outbox and `flask worker`: real SMTP (an aiosmtpd sink), real worker processes."""
import email
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import select

from app.config import PROJECT_ROOT
from app.mail.models import OutboxMessage
from app.mail.worker import send_pending


def queue(session, count):
    for n in range(count):
        session.add(OutboxMessage(recipient=f"buyer{n}@example.fr", subject=f"Commande {n}", body_text=f"Corps {n}",
                                  body_html=f"<p>Corps {n}</p>", language="fr_FR", kind="test", reference=str(n)))
    session.commit()


def received_subjects(sink):
    return sorted(email.message_from_bytes(m.content)["Subject"] for m in sink.messages)


def test_the_worker_sends_each_message_through_smtp_and_marks_it(shared_app, shared_session, smtp_sink):
    controller, sink = smtp_sink
    queue(shared_session, 3)
    shared_app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port, MAIL_USE_TLS=False)

    with shared_app.app_context():
        from app.extensions import db
        sent = send_pending(shared_app, db.session)
        again = send_pending(shared_app, db.session)

    assert (sent, again) == (3, 0)
    assert received_subjects(sink) == ["Commande 0", "Commande 1", "Commande 2"]
    first = email.message_from_bytes(sink.messages[0].content)
    assert first["Content-Language"] == "fr-FR" and first.is_multipart()
    shared_session.expire_all()
    assert all(m.sent_at for m in shared_session.scalars(select(OutboxMessage)))


def test_without_a_server_development_writes_eml_files(shared_app, shared_session, tmp_path):
    queue(shared_session, 2)
    shared_app.config.update(MAIL_SERVER=None, MAIL_FILE_DIR=str(tmp_path / "mail"))

    with shared_app.app_context():
        from app.extensions import db
        send_pending(shared_app, db.session)

    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2 and "Commande 0" in files[0].read_text()


def worker(database_url: str, port: int, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, APP_ENV="development", DATABASE_URL=database_url, MAIL_SERVER="127.0.0.1",
               MAIL_PORT=str(port), MAIL_USE_TLS="0", FLASK_OUTBOX_CLAIM_SECONDS="1")
    return subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "worker", *extra],
                            cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def test_a_killed_worker_and_its_successor_send_each_message_once(shared_app, shared_session, smtp_sink):
    controller, sink = smtp_sink
    queue(shared_session, 12)
    url = shared_app.config["SQLALCHEMY_DATABASE_URI"]

    first = worker(url, controller.port, "--pause", "0.3", "--interval", "0.2")
    deadline = time.monotonic() + 30
    while len(sink.messages) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    # Kill it while it waits between two messages, with a claimed batch half sent. (Killed in the
    # instant between the SMTP server's "250 OK" and the commit, a message would be sent again,
    # with the same Message-ID: that window is documented in the README.)
    time.sleep(0.1)
    first.send_signal(signal.SIGKILL)       # no chance to clean up
    first.wait(timeout=10)
    partial = len(sink.messages)
    time.sleep(1.2)                         # its claim on the rest of the batch expires

    second = worker(url, controller.port, "--once")
    output = second.communicate(timeout=60)[0].decode()

    assert second.returncode == 0, output
    assert 3 <= partial < 12
    assert received_subjects(sink) == sorted(f"Commande {n}" for n in range(12))
    shared_session.expire_all()
    assert all(m.sent_at for m in shared_session.scalars(select(OutboxMessage)))


def test_sigterm_lets_the_worker_finish_cleanly(shared_app, shared_session, smtp_sink):
    controller, sink = smtp_sink
    queue(shared_session, 2)
    process = worker(shared_app.config["SQLALCHEMY_DATABASE_URI"], controller.port, "--interval", "0.2")
    deadline = time.monotonic() + 30
    while len(sink.messages) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)

    process.send_signal(signal.SIGTERM)

    assert process.wait(timeout=15) == 0
    assert len(sink.messages) == 2
