"""import-translations counts the texts it adds (it used to print 0), and a running server
sees them: the version's texts stamp changes."""

import json

from app_support import run_cli
from fhir_builders import TRANSLATION


def _stamp(app, instrument_id):
    from interpreter_support.extensions import db
    from interpreter_support.instruments.store import version_by_instrument

    with app.app_context():
        stamp = version_by_instrument(instrument_id).texts_stamp
        db.session.rollback()
        return stamp


def test_added_translations_are_counted_and_stamped(app, tmp_path, published):
    resource = published("phq9-lforms.json")
    source = tmp_path / "lhc.json"
    source.write_text(json.dumps(resource), encoding="utf-8")
    imported = run_cli(app, "instruments", "import", str(source), "--language", "en")
    assert imported.exit_code == 0, imported.output
    before = _stamp(app, "44249-1-x")
    for item in resource["item"][:2]:  # a translator's file: two German item texts
        item["_text"] = {"extension": [{"url": TRANSLATION, "extension": [
            {"url": "lang", "valueCode": "de"}, {"url": "content", "valueString": "Deutsch"}]}]}
    translated = tmp_path / "lhc-de.json"
    translated.write_text(json.dumps(resource), encoding="utf-8")
    result = run_cli(app, "instruments", "import-translations", str(translated),
                     "--language", "en")
    assert result.exit_code == 0 and "2 texts changed." in result.output, result.output
    assert _stamp(app, "44249-1-x") != before
