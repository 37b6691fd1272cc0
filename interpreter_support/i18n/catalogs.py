"""The UI message catalogs: deterministic extraction, update, compile, staleness check.

Extraction writes no source locations and does not wrap lines, so the committed
`translations/messages.pot` changes only when a message changes.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

KEYWORDS = ("_", "gettext", "ngettext:1,2", "lazy_gettext", "_l", "lazy_ngettext:1,2")


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


def messages_of(pot_path: Path) -> list[tuple]:
    """What translators see of a template: each message with its context, plural,
    flags and translator comments, in order. Headers (creation date, the Babel
    version that wrote the file) are left out, so a new Babel never makes it stale."""
    with pot_path.open("rb") as pot_file:
        catalog = read_po(pot_file)
    return [(message.id, message.context, sorted(message.flags), message.auto_comments)
            for message in catalog if message.id]


def pot_is_current(root: Path, scratch: Path) -> bool:
    fresh = scratch / "messages.pot"
    extract(root, fresh)
    return messages_of(root / "translations" / "messages.pot") == messages_of(fresh)


def main(argv: list[str] | None = None) -> int:
    """`python -m interpreter_support.i18n.catalogs extract|update|compile|check`."""
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
                      "`python -m interpreter_support.i18n.catalogs extract`")
                return 1
    else:
        print(f"unknown action {action!r}: use extract, update, compile or check")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
