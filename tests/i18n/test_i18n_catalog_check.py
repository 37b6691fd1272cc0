"""The stale-catalog check compares messages, not the headers a Babel release writes."""

from pathlib import Path

from interpreter_support.i18n.catalogs import messages_of

HEADER = '''msgid ""
msgstr ""
"POT-Creation-Date: {date}\\n"
"Generated-By: Babel {babel}\\n"

'''


def _pot(tmp_path: Path, name: str, body: str, date="2026-01-01 00:00+0000", babel="2.18.0"):
    path = tmp_path / name
    path.write_text(HEADER.format(date=date, babel=babel) + body, encoding="utf-8")
    return path


def test_headers_alone_do_not_make_a_template_stale(tmp_path):
    body = '#. TRANSLATORS: a button\nmsgid "Save"\nmsgstr ""\n'
    old = _pot(tmp_path, "old.pot", body)
    new = _pot(tmp_path, "new.pot", body, date="2026-12-03 10:00+0000", babel="2.19.0")
    assert messages_of(old) == messages_of(new)


def test_a_changed_message_or_comment_makes_it_stale(tmp_path):
    old = _pot(tmp_path, "old.pot", 'msgid "Save"\nmsgstr ""\n')
    renamed = _pot(tmp_path, "renamed.pot", 'msgid "Save answers"\nmsgstr ""\n')
    commented = _pot(tmp_path, "commented.pot",
                     '#. TRANSLATORS: a button\nmsgid "Save"\nmsgstr ""\n')
    assert messages_of(old) != messages_of(renamed)
    assert messages_of(old) != messages_of(commented)
