"""Reviewers' pages: progress per language, the side-by-side review, .po files, MT jobs."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from interpreter_support.downloads import as_attachment
from interpreter_support.extensions import db
from interpreter_support.forms import EmptyForm
from interpreter_support.i18n.locales import LOCALES
from interpreter_support.instruments.po import export_po, import_po
from interpreter_support.instruments.reviewers import languages_of, may_translate
from interpreter_support.instruments.store import base_definition_of, latest_versions
from interpreter_support.instruments.texts import (
    WorkflowError,
    add_text,
    change_text,
    machine_written,
    rows_of,
)
from interpreter_support.labels import JOB_STATE_LABELS
from interpreter_support.models import InstrumentText, InstrumentVersion, TranslationJob
from interpreter_support.translation import machine, mt
from interpreter_support.translation.diffs import word_diff
from interpreter_support.translation.report import ui_coverage, version_progress
from interpreter_support.vocabulary import WORKFLOW_STATUSES, Role

bp = Blueprint("translation", __name__, url_prefix="/translations")


@bp.app_context_processor
def job_labels() -> dict[str, object]:
    return {"job_state_labels": JOB_STATE_LABELS}
LANGUAGE_TAGS = {loc.tag for loc in LOCALES}


@bp.get("/")
def overview():
    versions = latest_versions()
    progress = {version.id: version_progress(version) for version in versions}
    if current_user.role == Role.TRANSLATOR:  # their own languages only
        mine = languages_of(current_user)
        progress = {key: [row for row in rows if row.language in mine]
                    for key, rows in progress.items()}
    return render_template("translation/overview.html", coverage=ui_coverage(),
                           versions=versions, progress=progress,
                           statuses=("source", *WORKFLOW_STATUSES))


def _version_and_language(version_id: int, language: str) -> InstrumentVersion:
    version = db.session.get(InstrumentVersion, version_id)
    if version is None or language not in LANGUAGE_TAGS:
        abort(404)
    if not may_translate(current_user, language):
        abort(403)
    return version


@bp.get("/<int:version_id>/<language>")
def review(version_id: int, language: str):
    version = _version_and_language(version_id, language)
    base = base_definition_of(version)
    rows = rows_of(version)
    sources = {row.path: row for row in rows if row.language == base.source_language}
    targets = {row.path: row for row in rows if row.language == language}
    order = [path for path in sources]
    if request.args.get("sort") == "drift":
        order.sort(key=lambda p: (targets[p].similarity if p in targets
                                  and targets[p].similarity is not None else 101))
    return render_template(
        "translation/review.html", version=version, language=language, base=base,
        order=order, sources=sources, targets=targets, statuses=WORKFLOW_STATUSES,
        machine={path for path, row in targets.items() if machine_written(row)},
        word_diff=word_diff, may_approve=current_user.role == Role.ADMIN,
        form=EmptyForm(), is_source=language == base.source_language,
        mt_problem=None if language == base.source_language
        else machine.route_problem(base.source_language, language),
        jobs=db.session.query(TranslationJob).filter_by(
            instrument_version_id=version.id, language=language)
        .order_by(TranslationJob.id.desc()).limit(3).all(),
    )


@bp.post("/<int:version_id>/<language>")
def save_review(version_id: int, language: str):
    version = _version_and_language(version_id, language)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    reason = _clean(request.form.get("reason")) or None
    rows = rows_of(version)
    targets = {row.path: row for row in rows if row.language == language}
    changed = 0
    try:
        for row in targets.values():
            changed += _save_row(row, reason)
        for path in _untranslated(version, rows, targets):
            text = _clean(request.form.get(f"new-{path}"))
            if text:
                add_text(version, path, language, text, user=current_user, source="review",
                         reason=reason)
                changed += 1
    except WorkflowError as error:
        return _refused(version, language, error)
    return _saved(version, language, changed)


def _save_row(row: InstrumentText, reason: str | None) -> bool:
    """One row of the review form; what the browser sent back unchanged is not a change."""
    status = request.form.get(f"status-{row.id}")
    text = _unless_same(request.form.get(f"text-{row.id}"), row.text)
    back = _unless_same(request.form.get(f"back-{row.id}"), row.back_translation or "")
    if text == "":
        raise WorkflowError(f"{row.path}: a translation cannot be emptied; write the text "
                            "or leave it as it was")
    return change_text(row, text=text, status=status, back_translation=back,
                       user=current_user, source="review", reason=reason)


def _unless_same(posted: str | None, stored: str) -> str | None:
    """The posted text, or None when it equals the stored one once line ends and the
    surrounding space the form adds or drops are set aside."""
    cleaned = _clean(posted)
    return None if cleaned is None or cleaned == _clean(stored) else cleaned


def _untranslated(version: InstrumentVersion, rows: list[InstrumentText],
                  targets: dict[str, InstrumentText]) -> list[str]:
    """Paths of the source texts this language has no row for."""
    source = base_definition_of(version).source_language
    return [row.path for row in rows if row.language == source and row.path not in targets]


def _refused(version: InstrumentVersion, language: str, error: WorkflowError):
    db.session.rollback()
    return render_template("translation/message.html", error=str(error),
                           version=version, language=language), 400


def _saved(version: InstrumentVersion, language: str, changed: int):
    flash(_("%(n)s texts changed.", n=changed))
    return redirect(url_for("translation.review", version_id=version.id, language=language))


def _clean(value: str | None) -> str | None:
    """Form text with browser line endings normalised; the workflow checks the rest."""
    return None if value is None else value.replace("\r\n", "\n").strip()


@bp.get("/<int:version_id>/<language>.po")
def download_po(version_id: int, language: str):
    version = _version_and_language(version_id, language)
    body = export_po(version, language, base_definition_of(version).source_language)
    return as_attachment(Response(body, mimetype="text/x-gettext-translation"),
                         f"{version.instrument_id}-{version.version}-{language}.po")


@bp.post("/<int:version_id>/<language>/po")
def upload_po(version_id: int, language: str):
    version = _version_and_language(version_id, language)
    form = EmptyForm()
    upload = request.files.get("po")
    if not form.validate_on_submit() or upload is None:
        abort(400)
    try:
        changed = import_po(upload.read(), language, current_user, page=version)
    except WorkflowError as error:
        return _refused(version, language, error)
    return _saved(version, language, changed)


@bp.post("/<int:version_id>/<language>/machine/<kind>")
def machine_job(version_id: int, language: str, kind: str):
    version = _version_and_language(version_id, language)
    if kind not in ("draft", "back_translate") or not EmptyForm().validate_on_submit():
        abort(400)
    job = machine.start_job(kind, version, language, current_user.id)
    return redirect(url_for("translation.job", job_id=job.id))


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    job = db.session.get(TranslationJob, job_id) or abort(404)
    if not may_translate(current_user, job.language):
        abort(403)
    response = Response(render_template("translation/job.html", job=job))
    if job.state in ("queued", "running"):
        response.headers["Refresh"] = "2"  # progress without JavaScript
    return response


@bp.get("/machine")
def machine_models():
    try:
        packages, problem = mt.list_packages(), None
    except mt.MTError as error:
        packages, problem = [], str(error)
    return render_template("translation/machine.html", packages=packages, problem=problem)
