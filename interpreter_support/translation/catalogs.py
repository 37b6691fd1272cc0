"""The UI message catalogs: deterministic extraction, update, compile, staleness check.

Extraction writes no source locations and does not wrap lines, so the committed
`translations/messages.pot` changes only when a message changes.
"""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

KEYWORDS = ("_", "gettext", "ngettext:1,2", "lazy_gettext", "_l", "lazy_ngettext:1,2")
_CREATION_DATE = re.compile(r'^"POT-Creation-Date: .*\\n"$', re.MULTILINE)


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(root: Path, output: Path) -> None:
    keyword_args = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    _pybabel(
        "extract", "-F", str(root / "babel.cfg"), "--no-location", "--no-wrap",
        "--sort-output", "--add-comments=TRANSLATORS:", "--project=interpreter-support",
        "--msgid-bugs-address=translators@interpreter-support.invalid",
        "--copyright-holder=the interpreter-support contributors",
        *keyword_args, "-o", str(output), str(root / "interpreter_support"),
        str(root / "templates"),
    )


def update(root: Path) -> None:
    """Merge the POT into every locale's .po (new strings arrive untranslated)."""
    translations = root / "translations"
    _pybabel("update", "-i", str(translations / "messages.pot"), "-d", str(translations),
             "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching")


def compile_all(root: Path) -> None:
    _pybabel("compile", "-d", str(root / "translations"), "--statistics")


def without_creation_date(pot_text: str) -> str:
    return _CREATION_DATE.sub("", pot_text)


def pot_is_current(root: Path, scratch: Path) -> bool:
    fresh = scratch / "messages.pot"
    extract(root, fresh)
    committed = (root / "translations" / "messages.pot").read_text(encoding="utf-8")
    return without_creation_date(committed) == without_creation_date(
        fresh.read_text(encoding="utf-8"))




def main(argv: list[str] | None = None) -> int:
    """`python -m interpreter_support.translation.catalogs extract|update|compile|check`."""
    import sys
    import tempfile

    action = (argv if argv is not None else sys.argv[1:] or ["check"])[0]
    root = Path(__file__).resolve().parents[2]
    if action == "extract":
        extract(root, root / "translations" / "messages.pot")
    elif action == "update":
        update(root)
    elif action == "compile":
        compile_all(root)
    elif action == "check":
        with tempfile.TemporaryDirectory() as scratch:
            if not pot_is_current(root, Path(scratch)):
                print("translations/messages.pot is stale: run "
                      "`python -m interpreter_support.translation.catalogs extract`")
                return 1
    else:
        print(f"unknown action {action!r}: use extract, update, compile or check")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
