"""Translators' round trips: .po files and FHIR translation extensions keep text and status."""

import json
from io import BytesIO

import pytest
import sqlalchemy as sa
from app_support import run_cli
from babel.messages.pofile import read_po, write_po
from test_translation_workflow import arabic_rows

from interpreter_support.extensions import db
from interpreter_support.models import InstrumentText


def export(app, tmp_path, language="ar"):
    path = tmp_path / f"trust-{language}.po"
    result = run_cli(app, "instruments", "export-po", "trust-safety", language, "-o", str(path))
    assert result.exit_code == 0, result.output
    return path


def test_po_round_trip_keeps_text_status_and_back_translation(app, tmp_path, trust_version):
    path = export(app, tmp_path)
    with path.open("rb") as f:
        catalog = read_po(f)
    entry = catalog.get("I felt safe here today.", context="items.safe-1.text") or next(
        m for m in catalog if m.context == "items.safe-1.text")
    assert entry.fuzzy and "status: machine_draft" in entry.auto_comments
    entry.string = "شعرت بالأمان هنا اليوم (مراجعة)"
    entry.auto_comments = ["status: reconciled"]
    entry.user_comments = ["back-translation: I felt safe here today"]
    with path.open("wb") as f:
        write_po(f, catalog, width=0)
    result = run_cli(app, "instruments", "import-po", str(path))
    assert result.exit_code == 0 and "1 texts changed" in result.output
    row = arabic_rows(app, trust_version)["items.safe-1.text"]
    assert row[1:] == ("شعرت بالأمان هنا اليوم (مراجعة)", "reconciled")
    again = export(app, tmp_path)
    with again.open("rb") as f:
        entry = next(m for m in read_po(f) if m.context == "items.safe-1.text")
    assert entry.string == "شعرت بالأمان هنا اليوم (مراجعة)"
    assert "status: reconciled" in entry.auto_comments
    assert "back-translation: I felt safe here today" in entry.user_comments
    assert run_cli(app, "instruments", "import-po", str(again)).output.startswith("0 texts")


@pytest.mark.parametrize("change, message", [
    (lambda text: "this is not a po file \x00\x01", "not a readable .po file"),
    (lambda text: text.replace("Project-Id-Version: trust-safety 1.0",
                               "Project-Id-Version: trust-safety 9.9"), "no instrument"),
    (lambda text: text.replace('msgctxt "items.safe-1.text"', 'msgctxt "items.nope.text"'),
     "not a text of this instrument version"),
    (lambda text: text.replace("Language: ar", "Language: en"), "source language"),
])
def test_broken_po_files_fail_clearly_and_change_nothing(app, tmp_path, trust_version,
                                                         change, message):
    path = export(app, tmp_path)
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines() if line.startswith('msgstr "') and
                 line != 'msgstr ""')
    text = text.replace(first, 'msgstr "تغيير"', 1)  # a change that must not land
    path.write_text(change(text), encoding="utf-8")
    before = arabic_rows(app, trust_version)
    result = run_cli(app, "instruments", "import-po", str(path))
    assert result.exit_code == 1 and message in result.output
    assert arabic_rows(app, trust_version) == before


def test_review_page_offers_po_download_and_upload(admin, app, trust_version):
    response = admin["web"].get(f"/translations/{trust_version}/ar.po")
    assert response.mimetype == "text/x-gettext-translation"
    body = response.data
    bad = admin["web"].post(f"/translations/{trust_version}/ar/po",
                            data={"po": (BytesIO(b"garbage\x00"), "x.po")},
                            content_type="multipart/form-data")
    assert bad.status_code == 400 and "Nothing was changed" in bad.get_data(as_text=True)
    good = admin["web"].post(f"/translations/{trust_version}/ar/po",
                             data={"po": (BytesIO(body), "x.po")},
                             content_type="multipart/form-data")
    assert good.status_code == 302


def test_fhir_translations_round_trip(app, tmp_path, trust_version):
    path = tmp_path / "trust.json"
    assert run_cli(app, "instruments", "export", "trust-safety", "-o", str(path)).exit_code == 0
    resource = json.loads(path.read_text(encoding="utf-8"))
    item = next(i for i in resource["item"] if i.get("linkId") == "safe-1")
    for extension in item["_text"]["extension"]:
        parts = {part["url"]: part for part in extension["extension"]}
        if parts["lang"]["valueCode"] == "ar":
            parts["content"]["valueString"] = "نص عربي جديد"
    path.write_text(json.dumps(resource, ensure_ascii=False), encoding="utf-8")
    result = run_cli(app, "instruments", "import-translations", str(path))
    assert result.exit_code == 0 and "1 texts changed" in result.output, result.output
    assert arabic_rows(app, trust_version)["items.safe-1.text"][1] == "نص عربي جديد"
    item["text"] = item["text"] + " (changed source)"
    path.write_text(json.dumps(resource, ensure_ascii=False), encoding="utf-8")
    before = arabic_rows(app, trust_version)
    result = run_cli(app, "instruments", "import-translations", str(path))
    assert result.exit_code == 1 and "content differs" in result.output
    assert arabic_rows(app, trust_version) == before


def test_i18n_report_lists_every_locale_and_instrument(app):
    result = run_cli(app, "i18n-report")
    assert result.exit_code == 0
    for code in ("ar", "fa_AF", "ckb", "zh_Hans", "ti"):
        assert f"\n  {code} " in result.output
    assert "trust-safety" in result.output and "machine_dr" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(InstrumentText)) > 0


def test_overview_page_for_admins(admin):
    page = admin["web"].get("/translations/").get_data(as_text=True)
    assert "trust-safety" in page and "العربية" in page
