"""A non-editable install carries everything the app needs: templates, static files,
migrations, instruments and compiled catalogs."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]

CHECK = textwrap.dedent("""
    import sys
    from pathlib import Path
    import interpreter_support
    from interpreter_support import create_app
    from interpreter_support.config import Config
    from flask_migrate import upgrade

    assert interpreter_support.__file__.startswith(sys.argv[1]), interpreter_support.__file__
    app = create_app(Config(mode="development", instance_path=sys.argv[2]))
    with app.app_context():
        upgrade()
    web = app.test_client()
    page = web.get("/login?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page, page[:300]
    print("TRANSLATED" if sys.argv[3] and sys.argv[3] in page else "UNTRANSLATED")
    assert web.get("/static/style.css").status_code == 200
    assert web.get("/health").status_code == 200
    print("OK")
""")


def _arabic(msgid: str) -> str:
    """The Arabic catalog's translation of `msgid`, or "" before there is one."""
    path = ROOT / "translations" / "ar" / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return ""
    with path.open("rb") as po_file:
        message = read_po(po_file).get(msgid)
    return message.string if message else ""


@pytest.mark.slow
def test_non_editable_install_serves_the_app(tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
         "--target", str(target), str(ROOT)],
        check=True, cwd=tmp_path, capture_output=True,
    )
    package = target / "interpreter_support"
    assert (package / "templates" / "base.html").is_file()
    assert list((package / "migrations" / "versions").glob("*.py"))
    mo_files = list((package / "translations").glob("*/LC_MESSAGES/messages.mo"))
    po_files = list((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
    assert len(mo_files) == len(po_files)
    env = {**os.environ, "PYTHONPATH": str(target)}
    expected = _arabic("Sign in")
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(target), str(tmp_path / "instance"), expected],
        cwd=tmp_path, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-1] == "OK"
    if expected:
        assert "TRANSLATED" in result.stdout.split()
    script = subprocess.run(
        [str(target / "bin" / "interpreter-support"), "--help"],
        cwd=tmp_path, env={**env, "INTERPRETER_SUPPORT_ENV": "development",
                           "INTERPRETER_SUPPORT_INSTANCE": str(tmp_path / "instance")},
        capture_output=True, text=True,
    )
    assert script.returncode == 0, script.stderr
    for command in ("run", "db", "create-user", "seed-demo", "demo"):
        assert command in script.stdout
