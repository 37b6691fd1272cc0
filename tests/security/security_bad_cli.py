"""The catalogue of malformed command lines and input files: each must end with a non-zero
exit and a message that says what is wrong, and change nothing.

Arguments are formatted with the world's ids, `{file}` (the case's file, written to a
temporary folder) and `{folder}` (that folder). `message` is a fragment the output must
contain. New codes and emails are unique per case, and each command gets its own injection
string, so that a case wrongly accepted cannot make a later one fail for another reason.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from security_forms import BIDI, NUL, SCRIPT, SQL
from security_world import CLIENT_CODES, SITE_CODES

import interpreter_support

PASSWORD_LINE = "long enough password\n"
SITE_SQL = "x' OR '1'='1"
ANALYZE_SQL = "y'; DROP TABLE sites; --"
ORTHODONT = Path(__file__).parents[1] / "analysis_growth" / "data" / "orthodont.csv"
SHIPPED = (Path(interpreter_support.__file__).parent / "instruments" / "shipped"
           / "trust-safety.json")


@dataclass(frozen=True)
class CliCase:
    id: str
    args: tuple[str, ...]
    message: str
    stdin: str | None = None
    file: bytes | None = None  # written to {file}
    file_name: str = "input"


def _tag(name: str) -> str:
    """Short and unique per case: a wrongly accepted case cannot block a later one."""
    return hashlib.sha256(name.encode()).hexdigest()[:8]


def cli(name: str, message: str, *args: str, stdin: str | None = None) -> CliCase:
    return CliCase(name, args, message, stdin)


def site(name: str, message: str, code: str | None = None, site_name: str = "Clinic"
         ) -> CliCase:
    code = f"SEC-{_tag(name)}" if code is None else code
    return CliCase(f"create-site-{name}", ("create-site", code, site_name), message)


def user(name: str, message: str, *args: str, stdin: str = PASSWORD_LINE) -> CliCase:
    """create-user with a valid account, changed by option/value pairs ("EMAIL" changes the
    email argument); the password comes from standard input."""
    base = ["create-user", f"new-{_tag(name)}@security.example", "--role", "clinician",
            "--site", SITE_CODES["site_a"], "--password-stdin"]
    for option, value in zip(args[::2], args[1::2], strict=True):
        if option in base:
            base[base.index(option) + 1] = value
        elif option == "EMAIL":
            base[1] = value
        else:
            base += [option, value]
    return CliCase(f"create-user-{name}", tuple(base), message, stdin)


def link(name: str, message: str, **options: str) -> CliCase:
    """issue-link for client A, with these options (base_url is --base-url) added."""
    values = {"--client": CLIENT_CODES["client_a"], "--instrument": "alliance-client",
              "--site": SITE_CODES["site_a"], **{f"--{k.replace('_', '-')}": v
                                                 for k, v in options.items()}}
    args = [part for option, value in values.items() for part in (option, value)]
    return CliCase(f"issue-link-{name}", ("issue-link", *args), message)


COMMAND_CASES = [
    site("code-sql", "code", code=SITE_SQL),
    site("code-script", "code", code=SCRIPT),
    site("code-bidi", "code", code="SEC" + BIDI),
    site("code-too-long", "code", code="C" * 40),
    site("code-empty", "code", code=""),
    site("code-taken", "already used", code=SITE_CODES["site_a"]),
    site("name-empty", "name", site_name=""),
    site("name-nul", "name", site_name=NUL),
    site("name-bidi", "name", site_name="Clinic " + BIDI),
    site("name-too-long", "name", site_name="n" * 121),
    user("role-unknown", "Invalid value for '--role'", "--role", "root"),
    user("site-unknown", "no site with code NOWHERE", "--site", "NOWHERE"),
    user("site-sql", "no site with code", "--site", SQL),
    user("email-not-an-email", "email", "EMAIL", "not-an-email"),
    user("email-sql", "email", "EMAIL", SQL),
    user("email-bidi", "email", "EMAIL", f"eve{BIDI}@security.example"),
    user("email-taken", "already has an account", "EMAIL", "admin@security.example"),
    user("name-bidi", "name", "--name", "Eve " + BIDI),
    user("name-nul", "name", "--name", NUL),
    user("name-too-long", "name", "--name", "n" * 121),
    user("password-short", "password", stdin="short\n"),
    user("password-empty", "password", stdin="\n"),
    user("password-too-long", "longer than", stdin="p" * 200 + "\n"),
    link("client-sql", "no client with code", client=SQL),
    link("client-script", "no client with code", client=SCRIPT),
    link("instrument-path", "no client instrument", instrument="../../etc/passwd"),
    link("instrument-of-staff", "no client instrument", instrument="alliance-clinician"),
    link("session-not-a-number", "Invalid value for '--session'", session="abc"),
    link("session-of-another-client", "is not one of", session="{session_b}"),
    link("language-bidi", "unknown language", language="ar" + BIDI),
    link("language-script", "unknown language", language=SCRIPT),
    link("base-url-javascript", "base-url", base_url="javascript:alert(1)//"),
    link("base-url-not-a-url", "base-url", base_url="not a url"),
    cli("analyze-format-unknown", "Invalid value for '--format'", "analyze", "--from-db",
        "--format", "xml"),
    cli("analyze-cohort-unknown", "Invalid value for '--cohort-by'", "analyze", "--from-db",
        "--cohort-by", "horoscope"),
    cli("analyze-both-sources", "either --input", "analyze", "--from-db", "--input", "x.csv"),
    cli("analyze-covariate-unknown", "covariate", "analyze", "--from-db", "--covariate",
        "__import__('os')"),
    cli("analyze-site-sql", "no site with code", "analyze", "--from-db", "--site", ANALYZE_SQL),
    cli("seed-demo-clients-too-few", "Invalid value for '--clients'", "seed-demo",
        "--clients", "2"),
    cli("seed-demo-clients-too-many", "Invalid value for '--clients'", "seed-demo",
        "--clients", "100001"),
    cli("seed-demo-clients-not-a-number", "Invalid value for '--clients'", "seed-demo",
        "--clients", "many"),
    cli("seed-demo-seed-not-a-number", "Invalid value for '--seed'", "seed-demo",
        "--seed", SQL),
]


def csv_case(name: str, message: str, content: bytes, *extra: str) -> CliCase:
    return CliCase(f"analyze-csv-{name}", ("analyze", "--input", "{file}", "--subject",
                                           "Subject", "--time", "age", "--score", "distance",
                                           *extra), message, file=content,
                   file_name=f"{name}.csv")


def _orthodont(old: str, new: str) -> bytes:
    text = ORTHODONT.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


CSV_CASES = [
    csv_case("latin1", "not a readable UTF-8 CSV",
             _orthodont('"M01"', '"Mü01"').decode().encode("latin-1")),
    csv_case("utf16", "not a readable UTF-8 CSV", ORTHODONT.read_text().encode("utf-16")),
    csv_case("empty", "the file is empty", b""),
    csv_case("binary", "not a readable UTF-8 CSV", bytes(range(256)) * 8),
    csv_case("column-missing", "no column", _orthodont('"distance"', '"length"')),
    csv_case("header-only", "header-only.csv", ORTHODONT.read_bytes().splitlines()[0]),
    csv_case("score-text", "distance", _orthodont("26,8", "high,8")),
    csv_case("score-infinite", "distance", _orthodont("26,8", "inf,8")),
    csv_case("time-text", "age", _orthodont("26,8", "26,eight")),
    # pandas' C parser cuts a field at a NUL byte: M01 and M02 would become one subject "M".
    csv_case("subject-nul", "subject-nul.csv", ORTHODONT.read_bytes().replace(
        b'"M01"', b'"M\x0001"').replace(b'"M02"', b'"M\x0002"')),
    # One field too many in the first data row makes pandas shift every column silently.
    csv_case("first-row-extra-field", "first-row-extra-field.csv",
             _orthodont('26,8,"M01","Male"', '26,8,"M01","Male","extra"')),
    csv_case("ragged-rows", "not a readable UTF-8 CSV", _orthodont("25,10,", "25,10,1,2,3,")),
    csv_case("group-unknown-reference", "Female", ORTHODONT.read_bytes(), "--group", "Sex",
             "--reference", "Female' OR 1=1 --"),
    CliCase("analyze-csv-directory", ("analyze", "--input", "{folder}", "--subject", "s",
                                      "--time", "t", "--score", "y"), "is a directory"),
]


def probe_definition(instrument_id: str = "security-probe") -> dict:
    """A shipped instrument under a new id: importing it unchanged succeeds."""
    data = json.loads(SHIPPED.read_text(encoding="utf-8"))
    data["id"] = instrument_id
    return data


def import_case(name: str, message: str, content: bytes | None = None, change=None
                ) -> CliCase:
    """An import of this content, or of the probe instrument (with its own id) changed."""
    if change is not None:
        data = copy.deepcopy(probe_definition(f"security-probe-{_tag(name)}"))
        change(data)
        content = json.dumps(data).encode("utf-8")
    return CliCase(f"instruments-import-{name}", ("instruments", "import", "{file}"), message,
                   file=content, file_name=f"{name}.json")


def _set(path: tuple, value):
    def change(data):
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return change


IMPORT_CASES = [
    import_case("not-json", "not UTF-8 JSON", b"this is not json"),
    import_case("empty", "not UTF-8 JSON", b""),
    import_case("latin1", "not UTF-8 JSON",
                json.dumps(probe_definition(), ensure_ascii=False).encode("latin-1", "replace")),
    import_case("utf16", "not UTF-8 JSON", json.dumps(probe_definition()).encode("utf-16")),
    import_case("array", "must be an object", b"[]"),
    import_case("number", "must be an object", b"42"),
    import_case("deeply-nested", "deeply-nested.json", b"[" * 100_000 + b"]" * 100_000),
    import_case("id-bidi", "field 'id'", change=_set(("id",), "probe" + BIDI)),
    import_case("id-sql", "field 'id'", change=_set(("id",), SQL)),
    import_case("link-id-nul", "safe-1", change=_set(("items", 0, "link_id"), "safe-1\x00")),
    import_case("item-type-unknown", "'file' is not one of",
                change=_set(("items", 0, "type"), "file")),
    import_case("option-value-nan", "agree5",
                change=_set(("scales", "agree5", "options", 0, "value"), float("nan"))),
    import_case("title-nul", "title", change=_set(("title", "en"), "Feeling" + NUL)),
    import_case("item-text-bidi", "safe-1",
                change=_set(("items", 0, "text", "en"), "I felt " + BIDI)),
    import_case("item-text-too-long", "safe-1",
                change=_set(("items", 0, "text", "en"), "t" * 20_000)),
    import_case("fhir-patient", "Questionnaire", b'{"resourceType": "Patient"}'),
    import_case("fhir-resource-type-number", "Questionnaire", b'{"resourceType": 42}'),
    import_case("fhir-empty-questionnaire", "Questionnaire", b'{"resourceType": "Questionnaire"}'),
    import_case("fhir-items-not-a-list", "item", json.dumps({
        "resourceType": "Questionnaire", "status": "active", "url": "urn:x", "version": "1",
        "name": "probe", "item": "not a list"}).encode()),
    CliCase("instruments-import-missing-file", ("instruments", "import", "{folder}/nope.json"),
            "does not exist"),
]

CLI_CASES = [*COMMAND_CASES, *CSV_CASES, *IMPORT_CASES]
