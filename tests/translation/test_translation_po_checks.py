"""A .po file is imported only where its headers say it belongs, and its headers say what it
is: instrument, version, language, translator and revision, no Babel placeholders."""

from io import BytesIO

from app_support import run_cli
from babel.messages.pofile import read_po
from translation_support import all_texts, language_rows

from interpreter_support.extensions import db
from interpreter_support.instruments.store import version_by_instrument

PATH = "items.safe-1.text"


def _changed(body: bytes) -> bytes:
    """The file with one translation changed, so a wrongly accepted file changes a text."""
    lines = body.decode().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith('msgstr "')
                 and line != 'msgstr ""')
    lines[first] = 'msgstr "texte changé"'
    return "\n".join(lines).encode() + b"\n"


def _upload(web, version_id, language, body):
    return web.post(f"/translations/{version_id}/{language}/po",
                    data={"po": (BytesIO(body), "upload.po")}, content_type="multipart/form-data")


def test_a_file_for_another_language_is_refused_and_changes_nothing(admin, app, trust_version):
    french = _changed(admin["web"].get(f"/translations/{trust_version}/fr.po").data)
    before = all_texts(app)
    response = _upload(admin["web"], trust_version, "uk", french)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "trust-safety 1.0 in fr" in page and "Nothing was changed" in page
    assert all_texts(app) == before


def test_a_file_for_another_instrument_is_refused_and_changes_nothing(admin, app,
                                                                      trust_version):
    with app.app_context():
        alliance = version_by_instrument("alliance-client").id
        db.session.commit()
    other = _changed(admin["web"].get(f"/translations/{alliance}/ar.po").data)
    before = all_texts(app)
    response = _upload(admin["web"], trust_version, "ar", other)
    assert response.status_code == 400
    assert "alliance-client 1.0 in ar" in response.get_data(as_text=True)
    assert all_texts(app) == before


def test_a_file_for_the_page_is_imported(admin, app, trust_version):
    arabic = _changed(admin["web"].get(f"/translations/{trust_version}/ar.po").data)
    assert _upload(admin["web"], trust_version, "ar", arabic).status_code == 302
    assert "texte changé" in {row.text for row in language_rows(app, trust_version,
                                                                 "ar").values()}


def test_the_cli_refuses_a_language_that_contradicts_the_header(app, tmp_path, trust_version):
    path = tmp_path / "fr.po"
    assert run_cli(app, "instruments", "export-po", "trust-safety", "fr", "-o",
                   str(path)).exit_code == 0
    path.write_bytes(_changed(path.read_bytes()))
    before = all_texts(app)
    result = run_cli(app, "instruments", "import-po", str(path), "--language", "uk")
    assert result.exit_code == 1 and "for language fr" in result.output
    assert all_texts(app) == before


def test_headers_name_the_instrument_language_translator_and_revision(admin, app,
                                                                      trust_version):
    row = language_rows(app, trust_version, "ar")[PATH]
    admin["web"].post(f"/translations/{trust_version}/ar",
                      data={f"text-{row.id}": row.text + " اليوم"})
    body = admin["web"].get(f"/translations/{trust_version}/ar.po").data
    catalog = read_po(BytesIO(body))
    headers = dict(catalog.mime_headers)
    assert headers["Project-Id-Version"] == "trust-safety 1.0"
    assert headers["Language"] == "ar"
    assert headers["Last-Translator"] == "admin 1 <admin@example.org>"
    assert "X-Revision: " in body.decode()
    for placeholder in ("FULL NAME", "EMAIL@ADDRESS", "YEAR", "ORGANIZATION", "LL@li.org",
                        "FIRST AUTHOR"):
        assert placeholder not in body.decode()


def test_a_file_proposes_but_does_not_approve(admin, app, trust_version):
    body = admin["web"].get(f"/translations/{trust_version}/ar.po").data.decode()
    body = body.replace("#. status: machine_draft\n#, fuzzy\n", "#. status: approved\n")
    assert _upload(admin["web"], trust_version, "ar", body.encode()).status_code == 302
    assert {row.status for row in language_rows(app, trust_version, "ar").values()} == {
        "reviewed"}
