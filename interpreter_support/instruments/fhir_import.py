"""FHIR R4 import: a Questionnaire resource becomes an InstrumentDefinition.

The resource is checked with fhir.resources (fhir_validation.py), then walked once; every
problem is collected with its FHIRPath (0-based indexes, e.g.
"Questionnaire.item[3].answerOption[1]: no ordinalValue or itemWeight extension, cannot
score") and reported together. Errors refuse the file; unsupported constructs refuse it
unless skip_unsupported leaves them out; warnings state a default or a reading and import.
The result is validated by parse_definition. The mapping rules are in instruments/README.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from interpreter_support.vocabulary import RespondentRole, TranslationStatus

from .definition import LANGUAGE_TAG, LINK_ID, NAME, SLUG, DefinitionError, parse_definition
from .fhir_export import (
    EXPORT_DEFAULTS,
    EXT_NOTICE,
    EXT_ROLE,
    HIDDEN,
    KEPT,
    KEPT_ITEM,
    PRESENCE_LINK_ID,
    PRESENCE_QUESTION,
    TRANSLATION,
    foreign_extensions,
    own_url,
)
from .fhir_options import OptionReader
from .fhir_ours import (
    declared_scales,
    declared_statuses,
    declared_subscales,
    extensions,
    scoring_extension,
    translated,
    value,
)
from .fhir_problems import FhirImportError, Problem, Severity, document_order
from .fhir_scoring import Derived, calculated_expression, check_totals, recognise_sum, variables
from .fhir_validation import check_structure
from .model import InstrumentDefinition, Orientation
from .reader import MAX_TEXT

__all__ = ["DEFAULT_SCORING", "FhirImport", "FhirImportError", "import_questionnaire",
           "questionnaire_from_fhir"]

# Without our scoring extension: the sum of the ordinal values (as PHQ-9, GAD-7 and most
# published instruments total), valid only when every scored item is answered.
DEFAULT_SCORING = {"method": "sum", "min_answered": {"fraction": 1}, "prorate": False}
DEFAULT_VERSION = "1"
MAX_VERSION = 32  # the stored column
DEFAULT_LICENCE = "No copyright statement in the imported file; check the licence before use."
_TEXT_TYPES = {"string", "text"}
RESERVED = (f"'{PRESENCE_LINK_ID}' is reserved for the read-only boolean that records whether "
            "an interpreter took part; rename this item in the file")


@dataclass(frozen=True)
class FhirImport:
    definition: InstrumentDefinition
    warnings: tuple[Problem, ...]  # imported with a stated default or reading
    skipped: tuple[Problem, ...]  # left out by skip_unsupported


def import_questionnaire(
    resource: Mapping[str, Any],
    *,
    language: str | None = None,
    skip_unsupported: bool = False,
    default_role: RespondentRole = RespondentRole.CLIENT,
    default_orientation: Orientation = Orientation.LOW_TO_HIGH_INLINE_START,
    default_status: TranslationStatus = TranslationStatus.FORWARD_TRANSLATION,
    default_scoring: Mapping[str, Any] = DEFAULT_SCORING,
) -> FhirImport:
    """Import a Questionnaire, or raise FhirImportError listing every refusal.

    `language` is the language of the file's texts when it has no `language` element. Our
    extensions, when present, win over the defaults. default_status applies to translations
    of unknown provenance: a human translation not yet reviewed here, the lowest human step.
    """
    problems = check_structure(resource)
    if problems and problems[0].path == "Questionnaire.resourceType":
        raise FhirImportError(problems)
    importer = _Importer(resource, language, str(default_orientation), problems)
    try:
        data = importer.document(default_role, default_status, default_scoring)
    except (KeyError, TypeError, AttributeError, ValueError):
        if not any(problem.severity is Severity.ERROR for problem in problems):
            raise
        data = {}  # a malformed element already reported; the walk could not go on
    found = sorted(importer.problems, key=document_order)
    refused = [p for p in found if p.severity is Severity.ERROR
               or (p.severity is Severity.UNSUPPORTED and not skip_unsupported)]
    if refused:
        raise FhirImportError(refused)
    name = f"Questionnaire/{data['id']}"
    try:
        defn = parse_definition(data, name)
    except DefinitionError as exc:
        message = str(exc).removeprefix(name + ": ")
        raise FhirImportError(Problem(name, message)) from exc
    return FhirImport(defn, tuple(p for p in found if p.severity is Severity.WARNING),
                      tuple(p for p in found if p.severity is Severity.UNSUPPORTED))


def questionnaire_from_fhir(
    resource: Mapping[str, Any], *, default_language: str | None = None, **options: Any
) -> InstrumentDefinition:
    """The definition alone; anything unsupported refuses the file."""
    return import_questionnaire(resource, language=default_language, **options).definition


class _Importer:
    """Walks one resource, collects the instrument document and every problem."""

    def __init__(self, resource: Mapping[str, Any], language: str | None, orientation: str,
                 problems: list[Problem]) -> None:
        self.resource = resource
        self.problems = problems
        self.orientation = orientation
        self.source = self._source_language(language)
        self.languages: set[str] = set()
        self.scales: dict[str, dict[str, Any]] = {}
        self.subscales: dict[str, dict[str, Any]] = {}
        self.items: list[dict[str, Any]] = []
        self.link_ids: set[str] = set()
        self.derived: list[Derived] = []
        self.kept_items: dict[str, dict[str, Any]] = {}
        self.kept_totals: list[dict[str, Any]] = []
        self.options = OptionReader(self)

    def report(self, where: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(where, message, severity))

    def _source_language(self, language: str | None) -> str:
        declared = self.resource.get("language")
        if declared and language and declared != language:
            self.report("Questionnaire.language",
                        f"the file says '{declared}' and --language says '{language}'")
        source = declared or language
        if not source:
            self.report("Questionnaire.language",
                        "missing; pass --language with the language of the file's texts")
            return "und"
        if not LANGUAGE_TAG.fullmatch(source):
            self.report("Questionnaire.language", f"'{source}' is not a language tag we store "
                                                  f"({LANGUAGE_TAG.pattern})")
        return source

    def document(self, role: RespondentRole, status: TranslationStatus,
                 scoring: Mapping[str, Any]) -> dict[str, Any]:
        q = self.resource
        data: dict[str, Any] = {
            "id": self._id(),
            "version": self._defaulted("version", DEFAULT_VERSION, MAX_VERSION),
            "source_language": self.source,
            "respondent_role": value(q, EXT_ROLE, "valueCode") or str(role),
            "title": self.texts(q, "title", "Questionnaire"),
            "description": self.texts(q, "description", "Questionnaire", required=False),
            "licence": self._defaulted("copyright", DEFAULT_LICENCE),
            "notice": value(q, EXT_NOTICE, "valueString") or "",
        }
        self._declared_scales_and_subscales()
        self._walk(q.get("item") or [], "Questionnaire", None, None, [q])
        if not self.items:
            left_out = [p for p in self.problems if p.path.startswith("Questionnaire.item[")]
            self.report("Questionnaire.item", "no question or display item to import" +
                        (", once the items named here are left out" if left_out else ""),
                        Severity.UNSUPPORTED if left_out else Severity.ERROR)
        checked = self._derived_scoring(scoring)  # also keeps the calculated totals
        data["scoring"] = scoring_extension(q) or checked
        data["scales"] = {name: spec for name, spec in self.scales.items() if "options" in spec}
        data["subscales"] = self.subscales
        data["items"] = self.items
        data["languages"] = self._languages(status)  # after every text has been read
        kept = self._kept(data["id"])
        return data | ({"fhir": kept} if kept else {})

    def _kept(self, instrument_id: str) -> dict[str, Any]:
        """The source's own elements the model has no place for (see fhir_export.KEPT), unless
        they are what our export writes anyway."""
        q = self.resource
        kept = {key: q[key] for key in KEPT if key in q and q[key] != EXPORT_DEFAULTS.get(key)}
        if kept.get("url") == own_url(instrument_id):
            del kept["url"]
        if unknown := foreign_extensions(q):
            kept["extension"] = unknown
        if self.kept_items:
            kept["items"] = self.kept_items
        if self.kept_totals:
            kept["totals"] = self.kept_totals
        return kept

    def _id(self) -> str:
        found = self.resource.get("id")
        if not found:
            self.report("Questionnaire.id", "missing; the instrument is stored under its id")
        elif not SLUG.fullmatch(found):
            self.report("Questionnaire.id", f"'{found}' cannot be an instrument id here "
                                            f"({SLUG.pattern})")
        return found or ""

    def _defaulted(self, key: str, default: str, longest: int = MAX_TEXT) -> str:
        found = self.resource.get(key)
        if not found:
            self.report(f"Questionnaire.{key}", f"missing; stored as {default!r}",
                        Severity.WARNING)
        elif len(found) > longest:
            self.report(f"Questionnaire.{key}", f"longer than {longest} characters")
        return found or default

    def texts(self, element: Mapping[str, Any], key: str, where: str,
              required: bool = True) -> dict[str, str]:
        """The source text of `key` and its translations from the `_key` extensions."""
        if not element.get(key):
            if required:
                self.report(f"{where}.{key}", "missing")
            return {}
        texts = {self.source: str(element[key])}
        for ext in extensions(element.get("_" + key) or {}, TRANSLATION):
            lang, text = value(ext, "lang", "valueCode"), translated(ext)
            if not lang or not text:
                self.report(f"{where}._{key}",
                            "a translation needs 'lang' (not the source) and 'content'")
                continue
            if lang == self.source:
                self.report(f"{where}._{key}", f"a translation into the source language "
                                               f"'{lang}' itself; left out", Severity.WARNING)
                continue
            texts[lang] = text
            self.languages.add(lang)
        return texts

    def _declared_scales_and_subscales(self) -> None:
        self.scales.update(declared_scales(self.resource))
        subscales = declared_subscales(self.resource)
        for spec in subscales.values():
            self.languages.update(lang for lang in spec["title"] if lang != self.source)
        self.subscales.update(subscales)

    def _derived_scoring(self, default: Mapping[str, Any]) -> dict[str, Any]:
        """The default scoring, checked against each calculated total the file has.

        `max_missing: n` in the default is the rule for missing items: a score needs all but
        n scored items answered, and a sum is then prorated; otherwise there is no score."""
        problems, self.kept_totals = check_totals(self.derived, self.items, self.scales)
        self.problems += problems
        scoring = dict(default)
        if self.derived and scoring.get("method") != "sum":
            self.report(self.derived[0].where, "the file's calculated total is a sum, and the "
                                               f"scoring asked for is {scoring.get('method')!r}")
        missing = scoring.pop("max_missing", None)
        if missing is not None:
            scored = [i for i in self.items if i.get("scale") and i.get("scored", True)]
            scoring["min_answered"] = {"count": max(1, len(scored) - missing)}
            scoring["prorate"] = scoring.get("method") == "sum"
        return scoring

    def _languages(self, default: TranslationStatus) -> dict[str, str]:
        declared = declared_statuses(self.resource)
        languages = {self.source: str(TranslationStatus.SOURCE)}
        for lang in sorted(self.languages | declared.keys()):
            languages.setdefault(lang, declared.get(lang) or str(default))
        return languages

    def _walk(self, items: list[Any], path: str, subscale: str | None,
              condition: str | None, scope: list[Mapping[str, Any]]) -> None:
        for index, raw in enumerate(items):
            where = f"{path}.item[{index}]"
            if not isinstance(raw, Mapping) or not self._new_link_id(raw, where):
                continue
            known, enable_when = self._condition(raw, where)
            if not known:
                continue  # reported; the item and everything under it are left out
            enable_when = enable_when or condition
            if raw.get("type") == "group":
                self._group(raw, where, subscale, enable_when, [*scope, raw])
                continue
            if calculated_expression(raw) is not None:
                self._derived(raw, where, [*scope, raw])
                continue
            if raw.get("repeats"):
                self.report(f"{where}.repeats", f"item '{raw['linkId']}' repeats; repeating "
                                                 "items are not supported",
                            Severity.UNSUPPORTED)
            else:
                self._item(raw, where, subscale, enable_when)
                self._keep(raw)
            if raw.get("item"):  # questions nested under a question follow it
                self._walk(raw["item"], where, subscale, enable_when, [*scope, raw])

    def _new_link_id(self, raw: Mapping[str, Any], where: str) -> bool:
        link_id = raw.get("linkId")
        if link_id == PRESENCE_LINK_ID:
            if not _is_presence_item(raw):
                self.report(f"{where}.linkId", RESERVED)
            elif {"url": HIDDEN, "valueBoolean": True} not in (raw.get("extension") or []):
                self.report(where, f"read-only boolean '{PRESENCE_LINK_ID}' is read as the "
                                   "interpreter-presence flag: recorded with the session, not "
                                   "asked", Severity.WARNING)
            return False  # the condition of other items, never an item itself
        if not isinstance(link_id, str):
            return False  # reported by the structure check
        if link_id in self.link_ids:
            self.report(f"{where}.linkId", f"'{link_id}' is used by an earlier item")
            return False
        self.link_ids.add(link_id)
        if not LINK_ID.fullmatch(link_id):
            self.report(f"{where}.linkId", f"'{link_id}' has white space or is longer than "
                                           "64 characters")
            return False
        return True

    def _condition(self, raw: Mapping[str, Any], where: str) -> tuple[bool, str | None]:
        conditions = raw.get("enableWhen") or []
        if not conditions:
            return True, None
        if len(conditions) == 1 and dict(conditions[0]) == PRESENCE_QUESTION:
            return True, PRESENCE_LINK_ID
        questions = ", ".join(repr(c.get("question")) for c in conditions)
        self.report(f"{where}.enableWhen", f"only enableWhen {PRESENCE_LINK_ID} = true is "
                                           f"supported; item '{raw.get('linkId')}' depends on "
                                           f"the answer to {questions}", Severity.UNSUPPORTED)
        return False, None

    def _group(self, raw: Mapping[str, Any], where: str, subscale: str | None,
               condition: str | None, scope: list[Mapping[str, Any]]) -> None:
        """A coded group is a subscale named by its code; an uncoded one's text is shown."""
        code = ((raw.get("code") or [{}])[0]).get("code")
        if code is not None and not NAME.fullmatch(code):
            self.report(f"{where}.code[0]", f"'{code}' cannot name a subscale ({NAME.pattern})")
            code = None
        elif code is not None and code not in self.subscales:
            title = self.texts(raw, "text", where, required=False) or {self.source: code}
            self.subscales[code] = {"title": title}
        if code is None and raw.get("text"):
            self.items.append(self._display(raw, where, condition))
            self._keep(raw)
        self._walk(raw.get("item") or [], where, code or subscale, condition, scope)

    def _keep(self, raw: Mapping[str, Any]) -> None:
        """An imported item's code, prefix and extensions we do not read, for the export."""
        kept = {key: raw[key] for key in KEPT_ITEM if key in raw}
        if unknown := foreign_extensions(raw):
            kept["extension"] = unknown
        if kept and self.items and self.items[-1]["link_id"] == raw["linkId"]:
            self.kept_items[raw["linkId"]] = kept

    def _derived(self, raw: Mapping[str, Any], where: str,
                 scope: list[Mapping[str, Any]]) -> None:
        """A calculated item is not asked: a recognised sum of scores is the total."""
        index, expression = calculated_expression(raw)
        found = recognise_sum(expression, variables(scope))
        if raw.get("type") not in ("decimal", "integer") or found is None:
            self.report(f"{where}.extension[{index}]",
                        f"item '{raw['linkId']}' is calculated by {expression[:120]!r}, which "
                        "is not recognised as a sum of item scores", Severity.UNSUPPORTED)
            return
        self.derived.append(Derived(where, raw, found, self.items[-1]["link_id"] if self.items
                                    else None))

    def _item(self, raw: Mapping[str, Any], where: str, subscale: str | None,
              condition: str | None) -> None:
        kind = raw.get("type")
        if kind == "display":
            self.items.append(self._display(raw, where, condition))
            return
        common = {"link_id": raw["linkId"], "text": self.texts(raw, "text", where),
                  "required": bool(raw.get("required", False)), "enable_when": condition}
        if kind in _TEXT_TYPES:
            self.items.append(common | {"type": "text", "max_length": raw.get("maxLength")})
        elif kind == "choice" or (kind == "integer" and raw.get("answerOption")):
            choice = self.options.choice(raw, where, subscale)
            if choice is not None:
                self.items.append(common | choice)
        else:
            self.report(f"{where}.type", f"item type '{kind}' is not supported (item "
                                         f"'{raw['linkId']}')", Severity.UNSUPPORTED)

    def _display(self, raw: Mapping[str, Any], where: str, condition: str | None) -> dict[str, Any]:
        text = self.texts(raw, "text", where)
        return {"link_id": raw["linkId"], "type": "display", "text": text, "enable_when": condition}


def _is_presence_item(raw: Mapping[str, Any]) -> bool:
    """The interpreter-presence flag: a read-only boolean (hidden, in our exports), never
    asked. An asked question under the reserved linkId is refused, not dropped."""
    return (raw.get("type") == "boolean" and raw.get("readOnly") is True
            and not raw.get("item") and not raw.get("enableWhen"))
