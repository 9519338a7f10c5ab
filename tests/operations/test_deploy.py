"""deploy/: install.sh into a throwaway prefix (twice: it is idempotent), its units checked by systemd-analyze,
its nginx site by `nginx -t` and then served for real in front of gunicorn, and release.sh swapping gunicorn's
master under load without a failed request."""
from __future__ import annotations

import gzip
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from app.config import PROJECT_ROOT, DefaultConfig
from app.settings import normalise_database_url

DEPLOY = PROJECT_ROOT / "deploy"
VENV = Path(sys.executable).parent.parent
UNITS = ("refurb-web.service", "refurb-worker.service", "refurb-backup.service", "refurb-backup.timer",
         "refurb-drill.service", "refurb-drill.timer")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def install(prefix: Path, port: int) -> str:
    result = subprocess.run(["bash", str(DEPLOY / "install.sh"), "--prefix", str(prefix), "--venv", str(VENV),
                             "--no-packages", "--domain", "shop.example.test", "--bind", f"127.0.0.1:{port}"],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def settings(env_file: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in env_file.read_text().splitlines() if line and not line.startswith("#"))


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """One install into a throwaway prefix, run twice."""
    prefix = tmp_path_factory.mktemp("root")
    port = free_port()
    install(prefix, port)
    first_key = settings(prefix / "etc/refurb/refurb.env")["SECRET_KEY"]
    output = install(prefix, port)
    return prefix, port, first_key, output


def test_install_twice_keeps_the_environment_file_and_prints_what_is_left(tree):
    prefix, port, first_key, output = tree
    env = settings(prefix / "etc/refurb/refurb.env")
    assert env["SECRET_KEY"] == first_key and len(first_key) >= 48
    assert env["APP_ENV"] == "production" and env["BIND"] == f"127.0.0.1:{port}"
    assert env["DATABASE_URL"] == f"sqlite:///{prefix}/var/lib/refurb/shop.db"
    assert oct((prefix / "etc/refurb/refurb.env").stat().st_mode & 0o777) == "0o640"
    assert "environment file" in output and "kept" in output
    assert "certbot certonly --webroot" in output and "DNS" in output
    app_dir = prefix / "opt/refurb/app"
    assert (app_dir / "wsgi.py").is_file() and not (app_dir / ".git").exists()
    assert (app_dir / "instance").resolve() == (prefix / "var/lib/refurb").resolve()
    assert not list(prefix.glob("opt/refurb/app.*"))       # no half-swapped copy left behind


def test_the_units_pass_systemd_analyze_verify(tree):
    prefix, *_ = tree
    units = [str(prefix / "etc/systemd/system" / unit) for unit in UNITS]

    result = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True, text=True, timeout=60,
                            check=False)

    assert result.returncode == 0 and result.stderr.strip() == "", result.stderr
    web = (prefix / "etc/systemd/system/refurb-web.service").read_text()
    assert f"ExecStart={prefix}/opt/refurb/venv/bin/gunicorn" in web and "NotifyAccess=all" in web


def nginx_conf(prefix: Path, http: int, https: int) -> Path:
    """A main nginx.conf around the generated site, on test ports instead of 80 and 443."""
    site = (prefix / "etc/nginx/sites-enabled/refurb").read_text()
    site = re.sub(r"listen (\[::\]:)?80;", lambda m: "" if m.group(1) else f"listen 127.0.0.1:{http};", site)
    site = re.sub(r"listen (\[::\]:)?443 ssl http2;", lambda m: "" if m.group(1) else f"listen 127.0.0.1:{https} ssl;",
                  site)
    (prefix / "test-site.conf").write_text(site)
    conf = prefix / "test-nginx.conf"
    # The test's temporary folders are private to root; on a server, nginx's www-data is in the shop's group.
    conf.write_text(f"""
user root;
pid {prefix}/nginx.pid;
error_log {prefix}/nginx-error.log;
daemon off;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {prefix}/nginx-body;
    proxy_temp_path {prefix}/nginx-proxy;
    include {prefix}/test-site.conf;
}}
""")
    return conf


def test_the_generated_site_passes_nginx_t(tree):
    prefix, *_ = tree
    conf = prefix / "nginx-t.conf"
    conf.write_text(f"pid {prefix}/nginx-t.pid;\nerror_log {prefix}/nginx-t-error.log;\nevents {{}}\n"
                    f"http {{ include /etc/nginx/mime.types; include {prefix}/etc/nginx/sites-enabled/*; }}\n")

    result = subprocess.run(["nginx", "-t", "-c", str(conf)], capture_output=True, text=True, timeout=30, check=False)

    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_nginx_takes_uploads_as_large_as_the_app_does():
    site = (DEPLOY / "install.sh").read_text()
    megabytes = int(re.search(r"^MAX_BODY=(\d+)m$", site, re.M).group(1))
    assert DefaultConfig.MEDIA_MAX_UPLOAD_BYTES < megabytes * 2**20 <= DefaultConfig.MEDIA_MAX_UPLOAD_BYTES + 2 * 2**20
    assert DefaultConfig.LISTING_IMPORT_MAX_BYTES < megabytes * 2**20


def test_the_environment_template_names_every_setting_of_the_readme():
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme.split("## Configuration", 1)[1].split("\n#", 1)[0]
    first_column = "".join(line.split("|")[1] for line in section.splitlines() if line.startswith("| `"))
    names = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_column))
    template = (DEPLOY / "refurb.env.example").read_text()
    assert names and {name for name in names if not re.search(rf"^#? ?{name}=", template, re.M)} == set()


class Gunicorn:
    """`gunicorn wsgi:app` with the project's gunicorn.conf.py and an environment file's settings."""

    def __init__(self, app_dir: Path, env: dict[str, str], pidfile: Path, log: Path):
        self.pidfile = pidfile
        self.process = subprocess.Popen(
            [str(VENV / "bin/gunicorn"), "--config", str(app_dir / "gunicorn.conf.py"), "--pid", str(pidfile),
             "wsgi:app"], cwd=app_dir, env={**os.environ, **env}, stdout=log.open("ab"), stderr=subprocess.STDOUT)
        # The old master exits during a release: reap it, so that it does not linger as a zombie.
        threading.Thread(target=self.process.wait, daemon=True).start()

    def stop(self):
        for pidfile in (self.pidfile, Path(f"{self.pidfile}.2")):
            if pidfile.exists():
                try:
                    os.kill(int(pidfile.read_text()), signal.SIGTERM)
                except (ProcessLookupError, ValueError):
                    pass
        try:
            os.kill(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and any(p.exists() for p in (self.pidfile, Path(f"{self.pidfile}.2"))):
            time.sleep(0.1)


def wait_until_up(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except OSError:           # refused while it starts, or too slow to answer on a busy machine
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.fixture(scope="module")
def database_url(tree):
    """The installed SQLite file, or in the PostgreSQL run a new database on the test cluster."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield settings(tree[0] / "etc/refurb/refurb.env")["DATABASE_URL"]
        return
    from sqlalchemy import create_engine, text
    name = f"deploy_{uuid.uuid4().hex[:8]}"
    admin = create_engine(normalise_database_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="module")
def served(tree, database_url):
    """The installed tree's shop: migrated, markets synced, a photo on disk, gunicorn as refurb-web runs it."""
    prefix, port, *_ = tree
    app_dir, env_file = prefix / "opt/refurb/app", prefix / "etc/refurb/refurb.env"
    lines = [line for line in env_file.read_text().splitlines() if not line.startswith("DATABASE_URL=")]
    env_file.write_text("\n".join(lines + [f"DATABASE_URL={database_url}", "WEB_CONCURRENCY=2"]) + "\n")
    env = settings(env_file)
    flask = [str(VENV / "bin/flask"), "--app", "wsgi"]
    for command in (["db", "upgrade"], ["sites", "sync"]):
        subprocess.run(flask + command, cwd=app_dir, env={**os.environ, **env}, check=True, capture_output=True,
                       timeout=120)
    photo = prefix / "var/lib/refurb/media/products/1/abc-600.webp"
    photo.parent.mkdir(parents=True, exist_ok=True)
    photo.write_bytes(b"RIFF\x00\x00\x00\x00WEBPVP8 photo")
    server = Gunicorn(app_dir, env, prefix / "gunicorn.pid", prefix / "gunicorn.log")
    try:
        wait_until_up(f"http://127.0.0.1:{port}/readyz")
        yield prefix, port, env_file
    finally:
        server.stop()


def test_nginx_serves_the_shop_static_and_media_files_and_limits_sign_in_attempts(served):
    prefix, _port, _env = served
    http, https = free_port(), free_port()
    nginx = subprocess.Popen(["nginx", "-c", str(nginx_conf(prefix, http, https))], stderr=subprocess.PIPE)
    try:
        import ssl
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE     # the self-signed placeholder
        base = f"https://127.0.0.1:{https}"

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None
        opener = urllib.request.build_opener(Stay, urllib.request.HTTPSHandler(context=context))

        def get(path, data=None, headers=None):
            request = urllib.request.Request(base + path, data=data, headers={"Host": "shop.example.test",
                                                                            **(headers or {})})
            try:
                return opener.open(request, timeout=10)
            except urllib.error.HTTPError as answer:
                return answer

        deadline = time.monotonic() + 20
        while True:
            try:
                home = get("/en-gb/", headers={"Accept-Encoding": "gzip"})
                break
            except urllib.error.URLError:
                assert time.monotonic() < deadline, nginx.stderr.read1().decode() if nginx.stderr else ""
                time.sleep(0.2)
        # the app behind it, HTML gzipped by nginx, nginx's request id passed through to the app
        assert home.status == 200 and home.headers["Content-Encoding"] == "gzip", home.read()[:3000]
        assert "<html" in gzip.decompress(home.read()).decode()
        assert re.fullmatch(r"[0-9a-f]{32}", home.headers["X-Request-ID"])
        # plain HTTP is sent to HTTPS (the redirect is read, not followed: that name is nowhere)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            urllib.request.build_opener(Stay).open(urllib.request.Request(
                f"http://127.0.0.1:{http}/en-gb/", headers={"Host": "shop.example.test"}), timeout=10)
        assert redirect.value.code == 301 and redirect.value.headers["Location"] == "https://shop.example.test/en-gb/"
        # static files and photos from disk, with their long cache
        css = get("/static/css/site.css")
        assert css.status == 200 and "immutable" in css.headers["Cache-Control"]
        photo = get("/media/products/1/abc-600.webp")
        assert photo.status == 200 and photo.read() == b"RIFF\x00\x00\x00\x00WEBPVP8 photo"
        assert "max-age=31536000" in photo.headers["Cache-Control"]
        assert get("/media/../../etc/refurb/refurb.env").status in (400, 404)
        # sign-in attempts from one address: a burst, then 429 from nginx before the app is even asked
        codes = [get("/en-gb/account/sign-in", data=b"email=a%40b.example&password=x").status for _ in range(10)]
        assert 429 in codes and codes[0] != 429
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=20)


def test_release_swaps_the_master_for_one_running_the_new_code_without_a_failed_request(served):
    prefix, port, env_file = served
    app_dir = prefix / "opt/refurb/app"
    pidfile = prefix / "gunicorn.pid"
    old = int(pidfile.read_text())
    before = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10))["version"]
    (app_dir / "REVISION").write_text("new-release\n")        # the new code, as install.sh would copy it
    outcomes: list[int | str] = []
    stop = threading.Event()

    def shopper():
        while not stop.is_set():
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                    outcomes.append(response.status)
            except Exception as problem:  # noqa: BLE001 - counted as a failure below
                outcomes.append(repr(problem))

    shoppers = [threading.Thread(target=shopper) for _ in range(2)]
    for thread in shoppers:
        thread.start()
    try:
        result = subprocess.run(["bash", str(app_dir / "deploy/release.sh"), "--env", str(env_file),
                                 "--pidfile", str(pidfile), "--venv", str(VENV)],
                                capture_output=True, text=True, timeout=180, check=False)
        time.sleep(0.5)
    finally:
        stop.set()
        for thread in shoppers:
            thread.join(timeout=30)

    assert result.returncode == 0, result.stdout + result.stderr
    new = int(pidfile.read_text())
    assert new != old
    after = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=10))["version"]
    assert after.endswith("(new-release)") and after != before
    with pytest.raises(ProcessLookupError):
        os.kill(old, 0)
    assert len(outcomes) > 20 and [o for o in outcomes if o != 200] == []
    assert '"status":"ready"' in result.stdout.replace(" ", "")
