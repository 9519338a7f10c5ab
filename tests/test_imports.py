"""Every module of the application imports on its own, first, in a fresh interpreter: no import
cycle hides behind the order in which the application factory happens to import things."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A bare interpreter loads the libraries once (they are not ours, and cost most of an import), then
# forks one child per module of `app`: each child starts with no module of ours imported.
PROBE = r"""
import importlib, os, sys, traceback
for library in ("flask", "sqlalchemy", "sqlalchemy.orm", "numpy", "flask_sqlalchemy", "flask_babel", "flask_wtf",
                "flask_login", "flask_migrate", "wtforms", "babel", "jinja2", "werkzeug", "alembic"):
    try:
        importlib.import_module(library)
    except ImportError:
        pass
assert not any(name == "app" or name.startswith("app.") for name in sys.modules)
failed = 0
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            importlib.import_module(name)
        except BaseException:
            print(f"{name}: {traceback.format_exc().strip().splitlines()[-1]}", flush=True)
            os._exit(1)
        os._exit(0)
    _pid, status = os.waitpid(pid, 0)
    failed += status != 0
sys.exit(1 if failed else 0)
"""


def modules() -> list[str]:
    found = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def test_every_module_imports_first_in_a_fresh_interpreter():
    names = modules()
    assert "app.sites.routing" in names and len(names) > 50

    probe = subprocess.run([sys.executable, "-c", PROBE, *names], cwd=ROOT, capture_output=True, text=True,
                           timeout=600)

    assert probe.stdout.splitlines() == [], probe.stderr[-2000:]
    assert probe.returncode == 0, probe.stderr[-2000:]
