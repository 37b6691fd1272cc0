"""Start-up stays light: the app and the console script load no numeric or plotting
library, and `--help` needs no configuration."""

import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("pandas", "numpy", "scipy", "statsmodels", "lifelines", "pingouin", "matplotlib",
         "sklearn", "fhir", "segno", "pyreadstat")
CONSOLE_SCRIPT = Path(sys.executable).parent / "interpreter-support"


def _bare_environment() -> dict[str, str]:
    """No setting of ours: production mode, no SECRET_KEY, no database."""
    return {key: value for key, value in os.environ.items()
            if not key.startswith(("INTERPRETER_SUPPORT", "SECRET_KEY", "DATABASE_URL"))}


def test_building_the_app_imports_no_heavy_library(tmp_path):
    code = (
        "import sys\n"
        "from interpreter_support import create_app\n"
        "from interpreter_support.config import Config\n"
        f"create_app(Config(mode='development', instance_path={str(tmp_path)!r}))\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=_bare_environment(), check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_help_works_without_configuration_and_lists_our_commands():
    result = subprocess.run([str(CONSOLE_SCRIPT), "--help"], capture_output=True, text=True,
                            env=_bare_environment())
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    for command in ("demo", "db", "instruments", "issue-link", "analyze", "backup"):
        assert f"  {command} " in result.stdout, command


def test_a_command_that_needs_the_app_says_what_to_set():
    result = subprocess.run([str(CONSOLE_SCRIPT), "instruments", "list"], capture_output=True,
                            text=True, env=_bare_environment())
    assert result.returncode != 0
    assert "Traceback" not in result.stdout + result.stderr
    assert "SECRET_KEY" in result.stderr
