"""The reliability suite's tools: a throwaway database, `gunicorn wsgi:app` on a free loopback port,
and buyers that use the shop's own forms over HTTP, each with its own cookie jar."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.config import PROJECT_ROOT
from app.settings import normalise_database_url

VENV_BIN = Path(sys.executable).parent
SERVER_TIMEOUT = 30            # gunicorn's own (gunicorn.conf.py): no answer may take longer
ADDRESS = {"email": "lea@example.fr", "phone": "06 12 34 56 78", "first_name": "Léa", "last_name": "Martin",
           "line1": "12 rue de la Paix", "line2": "", "postcode": "75002", "city": "Paris"}
CARD = {"card_number": "4242 4242 4242 4242", "card_expiry": "12/39", "card_cvc": "123"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- the database --------------------------------------------------------------------------------

def fresh_database(folder: Path, name: str) -> tuple[str, callable]:
    """A URL of an empty database of its own, and how to drop it: a SQLite file in `folder`, or a new
    database in the cluster of TEST_DATABASE_URL (the PG run)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        return f"sqlite:///{folder / f'{name}.db'}", lambda: None
    url = make_url(normalise_database_url(base))
    database = f"reliability_{name}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()
    return url.set(database=database).render_as_string(hide_password=False), drop


def shop_environment(database_url: str, folder: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TEST_DATABASE_URL", None)
    env.update({
        "APP_ENV": "development", "SECRET_KEY": "reliability-" + uuid.uuid4().hex,
        "DATABASE_URL": database_url, "MEDIA_ROOT": str(folder / "media"), "MAIL_FILE_DIR": str(folder / "mail"),
        # argon2 at its cheapest: the suite signs in now and then, and measures the shop, not hashing.
        "FLASK_ARGON2_TIME_COST": "1", "FLASK_ARGON2_MEMORY_COST": "8", "FLASK_ARGON2_PARALLELISM": "1",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra)
    return env


def flask(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """`flask --app wsgi …` against the shop's database, as an operator runs it."""
    return subprocess.run([str(VENV_BIN / "flask"), "--app", "wsgi", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout, check=False)


# -- the server ----------------------------------------------------------------------------------

class Server:
    """`gunicorn wsgi:app` (gunicorn.conf.py: sync workers, the app preloaded) with 2 workers."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2):
        self.env, self.log_path, self.workers = env, log, workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Server:
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "wsgi:app", "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
             "--timeout", str(SERVER_TIMEOUT), "--graceful-timeout", "5"],
            cwd=PROJECT_ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.output()}")
            try:
                if requests.get(self.url + "/fr-fr/", timeout=5).status_code == 200 and len(self.worker_pids()) == self.workers:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer in 60 s:\n{self.output()}")

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        except OSError:
            return []
        return sorted(int(pid) for pid in children)

    def wait_for_workers(self, timeout: float = 30) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.worker_pids()) != self.workers:
            time.sleep(0.1)
        return self.worker_pids()

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()


# -- a buyer -------------------------------------------------------------------------------------

class _Forms(HTMLParser):
    """Every form of a page with the values a browser would submit (hidden fields, CSRF token,
    checked boxes, selected options)."""
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        form, name = self._current, attrs.get("name")
        if tag == "form":
            self._current = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                             "fields": {}}
            self.forms.append(self._current)
        elif form is None:
            return
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            if self._select not in form["fields"] or "selected" in attrs:
                form["fields"][self._select] = attrs.get("value") or ""
        elif tag in ("input", "textarea") and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs or kind in ("submit", "button", "file"):
                return
            form["fields"].setdefault(name, attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


class Buyer:
    """One browser: its own cookie jar, following the shop's forms (CSRF tokens included)."""

    def __init__(self, server: Server, edition: str = "fr-fr", record: list | None = None):
        self.base, self.edition = server.url, edition
        self.http = requests.Session()
        if record is not None:       # (seconds, status) of every answer, for the soak's figures
            self.http.hooks["response"].append(
                lambda r, *_a, **_k: record.append((r.elapsed.total_seconds(), r.status_code)))

    def url(self, path: str) -> str:
        return urljoin(self.base, path)

    def get(self, path: str, **kw) -> requests.Response:
        return self.http.get(self.url(path), timeout=SERVER_TIMEOUT + 5, **kw)

    def form(self, page: requests.Response, action: str) -> dict:
        """The form of `page` that posts to `action` (a path ending), with its fields as rendered."""
        for form in forms_of(page.text):
            if form["method"] == "post" and form["action"].split("?")[0].endswith(action):
                return form
        raise AssertionError(f"no form posting to {action} on {page.url} ({page.status_code})")

    def submit(self, page: requests.Response, action: str, data: dict | None = None, **kw) -> requests.Response:
        form = self.form(page, action)
        return self.http.post(urljoin(page.url, form["action"]), data={**form["fields"], **(data or {})},
                              timeout=SERVER_TIMEOUT + 5, allow_redirects=kw.pop("allow_redirects", True), **kw)

    def fill_cart(self, product_slug: str) -> requests.Response:
        """Product page → add to cart → address → delivery → the review page (with its pay form)."""
        e = self.edition
        product = self.get(f"/{e}/p/{product_slug}")
        assert product.status_code == 200, product.status_code
        added = self.submit(product, "/cart/add")
        assert added.status_code == 200, added.status_code
        address = self.submit(self.get(f"/{e}/checkout/address"), "/checkout/address", ADDRESS)
        assert address.url.endswith("/checkout/delivery"), (address.status_code, address.url)
        review = self.submit(address, "/checkout/delivery")
        assert review.url.endswith("/checkout/review") and review.status_code == 200, (review.status_code, review.url)
        return review

    def sign_in(self, email: str, password: str) -> requests.Response:
        page = self.get(f"/{self.edition}/account/sign-in")
        answer = self.submit(page, "/account/sign-in", {"email": email, "password": password})
        assert answer.status_code == 200 and "/account/sign-in" not in answer.url, (answer.status_code, answer.url)
        return answer

    def pay(self, review: requests.Response, card: dict | None = None) -> requests.Response:
        """Posts the review page's form; the answer is not followed (a 303 to the order page)."""
        return self.submit(review, "/checkout/place", card or CARD, allow_redirects=False)


def order_link(answer: requests.Response) -> str | None:
    location = answer.headers.get("Location", "")
    match = re.search(r"/[a-z]{2}-[a-z]{2}/orders/[^/?]+\?token=[\w-]+", location)
    return match.group(0) if match else None


# -- faults --------------------------------------------------------------------------------------

def mount_small_disk(folder: Path, size: str) -> bool:
    """A tmpfs of `size` on `folder` (a disk that fills up), when this machine lets us mount one."""
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(folder)],
                          capture_output=True, check=False)
    return done.returncode == 0


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill_disk(folder: Path) -> Path:
    """Write a ballast file until the file system holding `folder` is full; returns it."""
    ballast = folder / "ballast"
    fd = os.open(ballast, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        for size in (1 << 20, 1 << 12, 1 << 8):                # megabytes, then what is left
            try:
                for _ in range(1 << 14):                       # bounded: 16 GB at most
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)
    return ballast


class Cluster:
    """A PostgreSQL cluster of its own on a free loopback port, which a test may stop and start."""

    def __init__(self):
        import tempfile
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: [int(x) for x in p.parent.name.split(".")])
        self.bin = bins[-1]
        # Not under pytest's folders: those are private to root, and the server runs as postgres.
        self.folder, self.port = Path(tempfile.mkdtemp(prefix="refurb-reliability-pg.")), free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=60)

    def init(self) -> str:
        self._run(str(self.bin / "initdb"), "-D", str(self.folder / "data"), "-U", "postgres", "-A", "trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        self.start()
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-l", str(self.folder / "log"), "-w",
                  "-t", "30", "start", "-o",
                  f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off")

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        try:
            self.stop()
        except subprocess.CalledProcessError:
            pass                                    # already stopped
        shutil.rmtree(self.folder, ignore_errors=True)
