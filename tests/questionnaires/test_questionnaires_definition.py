"""Schema validation, the loader, the shipped instruments, hashes and missing texts."""

from __future__ import annotations

import hashlib
import json
from importlib.resources import files

import pytest

from interpreter_support.instruments.definition import (
    Condition,
    DefinitionError,
    ItemType,
    Orientation,
    RespondentRole,
    TranslationStatus,
    definition_to_dict,
    load_definition,
    missing_texts,
    parse_definition,
    shipped_definitions,
    wording_hash,
)


def _item(data, link_id):
    return next(item for item in data["items"] if item["link_id"] == link_id)


def _at(data, keys):
    """Walk keys into the document; a string key into the item list picks by link id."""
    for key in keys:
        data = (
            _item({"items": data}, key)
            if isinstance(data, list) and isinstance(key, str)
            else data[key]
        )
    return data


def _set(path, value):
    def change(data):
        _at(data, path[:-1])[path[-1]] = value

    return change


def _delete(path):
    def change(data):
        del _at(data, path[:-1])[path[-1]]

    return change


SCHEMA_ERRORS = [
    (_delete(["licence"]), "sample.json: document: missing field 'licence'"),
    (_set(["titel"], {"en": "x"}), "sample.json: document: unknown field 'titel'"),
    (_set(["id"], "Sample Form"), "sample.json: field 'id': 'Sample Form' does not match"),
    (_set(["version"], ""), "sample.json: field 'version': must be a non-empty string"),
    (
        _set(["languages"], {"ar": "machine_draft"}),
        "sample.json: languages: must be an object that includes the source language 'en'",
    ),
    (
        _set(["languages", "ar"], "done"),
        "sample.json: languages 'ar': unknown translation status 'done'",
    ),
    (
        _set(["languages", "ar"], "source"),
        "sample.json: languages 'ar': status 'source' belongs to the source language only",
    ),
    (
        _set(["respondent_role"], "patient"),
        "sample.json: field 'respondent_role': 'patient' is not one of: client, clinician",
    ),
    (
        _set(["items", "a-1", "text"], {"en": "x", "fr": "y"}),
        "sample.json: item 'a-1': text in undeclared language 'fr'",
    ),
    (
        _set(["items", "a-1", "text"], {"ar": "نص"}),
        "sample.json: item 'a-1': no text in the source language 'en'",
    ),
    (
        _set(["items", "a-1", "text"], {"en": "  "}),
        "sample.json: item 'a-1' [en]: must be a non-empty",
    ),
    (
        _set(["items", "b-1", "scale"], "agree7"),
        "sample.json: item 'b-1': answer scale 'agree7' is not defined",
    ),
    (
        _set(["items", "b-1", "subscale"], "c"),
        "sample.json: item 'b-1': subscale 'c' is not defined",
    ),
    (_set(["items", "b-1", "link_id"], "a-1"), "sample.json: item 'a-1': link id is used twice"),
    (
        _set(["items", "b-1", "link_id"], "b 1"),
        "sample.json: item #4: link_id: 'b 1' does not match",
    ),
    (
        _set(["items", "b-1", "link_id"], "interpreter_present"),
        "sample.json: item 'interpreter_present': this link id is reserved",
    ),
    (
        _set(["items", "b-1", "type"], "radio"),
        "sample.json: item 'b-1': type: 'radio' is not one of: choice, text, display",
    ),
    (_set(["items", "note", "scale"], "agree5"), "sample.json: item 'note': unknown field 'scale'"),
    (
        _set(["items", "intro", "required"], True),
        "sample.json: item 'intro': unknown field 'required'",
    ),
    (_delete(["items", 1, "scale"]), "sample.json: item 'a-1': scale: must be a non-empty string"),
    (
        _set(["items", "a-2", "reverse"], "yes"),
        "sample.json: item 'a-2': 'reverse' must be true or false",
    ),
    (
        _set(["items", "b-2", "enable_when"], "clinician_present"),
        "sample.json: item 'b-2': enable_when: 'clinician_present' is not one of",
    ),
    (
        _set(["items", "note", "max_length"], 0),
        "sample.json: item 'note': max_length must be an integer from 1 to 10000",
    ),
    (
        _set(
            ["scales", "agree5", "options"],
            [{"value": 2, "label": {"en": "x"}}, {"value": 1, "label": {"en": "y"}}],
        ),
        "sample.json: scale 'agree5': option values must be unique and listed in ascending order",
    ),
    (
        _set(
            ["scales", "agree5", "options"],
            [{"value": 1, "label": {"en": "x"}}, {"value": 2.0, "label": {"en": "y"}}],
        ),
        "sample.json: scale 'agree5': option 2: value must be an integer",
    ),
    (
        _set(["scales", "agree5", "options"], [{"value": 1, "label": {"en": "x"}}]),
        "sample.json: scale 'agree5': needs a list of at least two options",
    ),
    (
        _set(
            ["scales", "agree5", "options"],
            [{"value": 1, "label": {"ar": "x"}}, {"value": 2, "label": {"en": "y"}}],
        ),
        "sample.json: scale 'agree5': option 1: no text in the source language 'en'",
    ),
    (
        _set(["scales", "agree5", "orientation"], "rtl"),
        "sample.json: scale 'agree5': orientation: 'rtl' is not one of",
    ),
    (
        _set(
            ["scales", "spare"],
            {
                "orientation": "ltr_fixed",
                "options": [{"value": 1, "label": {"en": "x"}}, {"value": 5, "label": {"en": "y"}}],
            },
        ),
        "sample.json: scale 'spare': is not used by any item",
    ),
    (
        _set(["subscales", "c"], {"title": {"en": "C"}}),
        "sample.json: subscale 'c': is not used by any item",
    ),
    (_set(["subscales", "a"], {"name": {"en": "A"}}), "sample.json: subscale 'a': missing field"),
    (_set(["items"], []), "sample.json: items: must be a non-empty list"),
    (_set(["scoring", "method"], "median"), "sample.json: scoring: method: 'median' is not one"),
    (
        _set(["scoring", "min_answered"], {"fraction": 0.5, "count": 2}),
        "sample.json: scoring: min_answered: must be",
    ),
    (
        _set(["scoring", "min_answered"], {"fraction": 1.5}),
        "sample.json: scoring: min_answered: fraction must be a number above 0 and at most 1",
    ),
    (
        _set(["scoring", "min_answered"], {"count": 0}),
        "sample.json: scoring: min_answered: count must be a positive integer",
    ),
    (
        _set(["scoring", "prorate"], True),
        "sample.json: scoring: prorate applies to the 'sum' method only",
    ),
    (
        _set(["scoring", "method"], "sum"),
        "sample.json: scoring: 'sum' without prorate needs min_answered",
    ),
    (
        _set(["scoring", "total_subscales"], ["z"]),
        "sample.json: scoring: total_subscales: subscale 'z' is not defined",
    ),
]


@pytest.mark.parametrize(("change", "message"), SCHEMA_ERRORS)
def test_each_schema_rule_names_file_and_element(sample_data, change, message):
    data = sample_data()
    change(data)
    with pytest.raises(DefinitionError) as raised:
        parse_definition(data, "sample.json")
    assert str(raised.value).startswith(message)


def test_scores_cannot_mix_scale_ranges(sample_data):
    data = sample_data()
    data["scales"]["zero10"] = {
        "orientation": "ltr_fixed",
        "options": [{"value": v, "label": {"en": str(v)}} for v in range(11)],
    }
    _item(data, "b-1")["scale"] = "zero10"
    with pytest.raises(DefinitionError, match="item 'b-1': scale range differs"):
        parse_definition(data, "sample.json")


def test_sample_parses_into_typed_immutable_definition(sample):
    defn = sample()
    assert defn.item("a-2").reverse and defn.item("a-2").type is ItemType.CHOICE
    assert defn.item("b-2").enable_when is Condition.INTERPRETER_PRESENT
    assert defn.item("note").max_length == 50
    assert defn.scale("agree5").orientation is Orientation.LOW_TO_HIGH_INLINE_START
    assert defn.status("ar") is TranslationStatus.MACHINE_DRAFT
    assert defn.respondent_role is RespondentRole.CLIENT
    with pytest.raises(AttributeError):
        defn.version = "2"  # type: ignore[misc]


def test_text_falls_back_to_the_source_language(sample):
    defn = sample()
    assert defn.text(defn.item("a-1").text, "ar") == "شعرت بالأمان."
    assert defn.text(defn.item("a-2").text, "ar") == "I felt tense."
    assert defn.text(defn.item("a-2").text, "fa") == "I felt tense."


def test_dict_form_round_trips(sample):
    defn = sample()
    assert parse_definition(definition_to_dict(defn), "again.json") == defn


def test_loader_names_the_file(tmp_path, sample_data):
    good = tmp_path / "sample.json"
    good.write_text(json.dumps(sample_data()), encoding="utf-8")
    assert load_definition(good).id == "sample"
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"^broken\.json: invalid JSON"):
        load_definition(broken)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(sample_data(version=7)), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"^bad\.json: field 'version'"):
        load_definition(str(bad))


def test_duplicate_json_keys_are_rejected(tmp_path):
    path = tmp_path / "dup.json"
    path.write_text('{"id": "a", "id": "b"}', encoding="utf-8")
    with pytest.raises(DefinitionError, match="^dup.json: invalid JSON: duplicate key 'id'"):
        load_definition(path)


SHIPPED = [
    "alliance-client",
    "alliance-clinician",
    "alliance-interpreter",
    "interpreter-experience",
    "trust-safety",
]


def test_shipped_instruments_load_and_files_are_canonical():
    shipped = shipped_definitions()
    assert sorted(shipped) == SHIPPED
    folder = files("interpreter_support").joinpath("instruments", "shipped")
    for name, defn in shipped.items():
        on_disk = json.loads(folder.joinpath(f"{name}.json").read_text(encoding="utf-8"))
        assert definition_to_dict(defn) == on_disk, name
        assert missing_texts(defn, defn.source_language) == []


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_instruments_follow_the_brief(name):
    defn = shipped_definitions()[name]
    choice = [item for item in defn.items if item.type is ItemType.CHOICE]
    assert len(defn.items) <= 12
    assert "CC BY 4.0" in defn.licence
    assert defn.notice.startswith("Not a validated instrument.")
    assert any(item.reverse for item in choice)
    assert all(defn.scale_of(item).values == (1, 2, 3, 4, 5) for item in choice)


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("alliance-client", "client"),
        ("alliance-clinician", "clinician"),
        ("alliance-interpreter", "interpreter"),
    ],
)
def test_alliance_forms_have_goal_task_bond(name, role):
    defn = shipped_definitions()[name]
    assert defn.respondent_role == role
    assert defn.scoring.total_subscales == ("goal", "task", "bond")
    for subscale in ("goal", "task", "bond"):
        members = [item for item in defn.items if item.subscale == subscale]
        assert len(members) == 3, subscale
        assert all(item.enable_when is None for item in members)


def test_client_forms_condition_interpreter_items():
    shipped = shipped_definitions()
    assert shipped["alliance-client"].item("interp-1").enable_when is Condition.INTERPRETER_PRESENT
    experience = shipped["interpreter-experience"]
    scored = [item for item in experience.items if item.type is ItemType.CHOICE]
    assert all(item.enable_when is Condition.INTERPRETER_PRESENT for item in scored)
    assert experience.item("harder-1").reverse
    comments = experience.item("comments")
    assert comments.type is ItemType.TEXT and not comments.required and comments.enable_when is None
    assert 4 <= len(shipped["trust-safety"].items) <= 8


def _independent_content_hash(data):
    """The README's recipe, applied to the JSON document by hand."""
    src = data["source_language"]
    only = lambda texts: {k: v for k, v in texts.items() if k == src}  # noqa: E731
    content = {
        key: data[key]
        for key in ("source_language", "respondent_role", "scales", "subscales", "items", "scoring")
    }
    content["title"], content["description"] = only(data["title"]), only(data["description"])
    for scale in content["scales"].values():
        for option in scale["options"]:
            option["label"] = only(option["label"])
    for sub in content["subscales"].values():
        sub["title"] = only(sub["title"])
    for item in content["items"]:
        item["text"] = only(item["text"])
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def test_content_hash_follows_the_documented_recipe(sample):
    defn = sample()
    assert defn.content_hash == _independent_content_hash(definition_to_dict(defn))


def test_content_hash_ignores_translations_statuses_version_and_key_order(sample, sample_data):
    base = sample().content_hash
    reordered = dict(reversed(list(sample_data().items())))
    assert parse_definition(reordered, "x.json").content_hash == base
    assert sample(version="2", licence="Other", notice="Note").content_hash == base
    assert sample(languages={"en": "source", "ar": "approved"}).content_hash == base
    assert sample(title={"en": "Sample form", "ar": "عنوان آخر"}).content_hash == base


def _change_item(target, **fields):
    def change(data):
        _item(data, target).update(fields)

    return change


CONTENT_CHANGES = [
    _change_item("a-1", text={"en": "I felt safe!", "ar": "شعرت بالأمان."}),
    _change_item("a-1", reverse=True),
    _change_item("a-2", subscale="b"),
    _change_item("a-1", enable_when="interpreter_present"),
    _change_item("a-1", required=True),
    _change_item("note", max_length=51),
    _change_item("b-1", link_id="b-9"),
    _set(["scales", "agree5", "orientation"], "ltr_fixed"),
    _set(["scales", "agree5", "options", 0, "label"], {"en": "Label one"}),
    _set(["scales", "agree5", "options", 0, "value"], 0),
    _set(["subscales", "a", "title"], {"en": "Part Alpha"}),
    _set(["scoring", "min_answered"], {"fraction": 0.6}),
    _set(["title"], {"en": "Sample"}),
    _set(["respondent_role"], "clinician"),
]


@pytest.mark.parametrize("change", CONTENT_CHANGES)
def test_content_hash_changes_with_content(sample_data, change):
    data = sample_data()
    base = parse_definition(data, "x.json").content_hash
    change(data)
    assert parse_definition(data, "x.json").content_hash != base


def test_wording_hash_covers_exactly_what_a_language_shows(sample):
    defn = sample()
    assert wording_hash(defn, "ar") != wording_hash(defn, "en")
    # A language without any text shows the source, so it hashes like the source.
    assert wording_hash(defn, "fa") == wording_hash(defn, "en")
    retitled = sample(title={"en": "Sample form", "ar": "عنوان آخر"})
    assert wording_hash(retitled, "ar") != wording_hash(defn, "ar")
    assert wording_hash(retitled, "en") == wording_hash(defn, "en")


def test_missing_texts_lists_what_a_language_lacks(sample):
    defn = sample()
    assert missing_texts(defn, "ar") == [
        "description",
        "subscales.a.title",
        "subscales.b.title",
        "items.intro.text",
        "items.a-2.text",
        "items.b-1.text",
        "items.b-2.text",
        "items.note.text",
    ]
    assert len(missing_texts(defn, "fa")) == 2 + 5 + 2 + 6
