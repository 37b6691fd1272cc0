"""The app's use of the offline MT engine: database memory, background jobs, free text.

Machine translation only drafts and helps reading: drafts are stored as "machine_draft"
and never over a person's translation; back-translations are review aids.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError

from interpreter_support.extensions import db
from interpreter_support.instruments.store import base_definition_of
from interpreter_support.instruments.texts import (
    change_text,
    machine_written,
    rows_of,
    sync_texts,
)
from interpreter_support.models import (
    InstrumentText,
    InstrumentVersion,
    TranslationJob,
    TranslationMemoryEntry,
)
from interpreter_support.models.base import utcnow
from interpreter_support.translation import mt
from interpreter_support.vocabulary import JobState

COMMIT_EVERY = 10


class DatabaseMemory:
    """mt.TranslationMemory in the database, shared by every worker process."""

    def get(self, key: mt.MemoryKey) -> str | None:
        return db.session.scalar(sa.select(TranslationMemoryEntry.translation).where(
            TranslationMemoryEntry.model_id == key.model_id,
            TranslationMemoryEntry.from_code == key.from_code,
            TranslationMemoryEntry.to_code == key.to_code,
            TranslationMemoryEntry.source_sha256 == key.source_sha256))

    def put(self, key: mt.MemoryKey, translation: str) -> None:
        entry = TranslationMemoryEntry(model_id=key.model_id, from_code=key.from_code,
                                       to_code=key.to_code, source_sha256=key.source_sha256,
                                       translation=translation)
        try:
            with db.session.begin_nested():
                db.session.add(entry)
        except IntegrityError:
            pass  # stored meanwhile by another worker: same key, same output


def configure(app: Flask) -> None:
    """Point the engine at this instance's package folder (cheap; imports nothing)."""
    config = app.config["APP_CONFIG"]
    folder = config.mt_package_dir or str(Path(app.instance_path) / "argos-packages")
    app.config["MT_PACKAGE_DIR"] = folder
    mt.configure(folder)


def locale_code(tag: str) -> str:
    """An instrument's BCP 47 tag ("fa-AF") as the engine's locale ("fa_AF")."""
    return tag.replace("-", "_")


def route_problem(source: str, target: str) -> str | None:
    """Why no machine translation is possible between two languages, or None."""
    if source == target:
        return None
    try:
        mt.find_route(locale_code(source), locale_code(target))
    except mt.NoRoute as error:
        return str(error)
    except (mt.MTUnavailable, mt.MTNotConfigured) as error:
        return str(error)
    return None


def start_job(kind: str, version: InstrumentVersion, language: str, user_id: int | None,
              run: Callable[[Flask, int], None] | None = None) -> TranslationJob:
    """Queue a job and run it on a background thread after this request commits."""
    job = TranslationJob(kind=kind, instrument_version_id=version.id, language=language,
                         created_by_id=user_id)
    db.session.add(job)
    db.session.flush()
    app = current_app._get_current_object()
    job_id = job.id
    sa.event.listen(db.session(), "after_commit", lambda _session: threading.Thread(
        target=run or run_job, args=(app, job_id), name=f"translation-job-{job_id}",
        daemon=True).start(), once=True)
    return job


def run_job(app: Flask, job_id: int,
            on_progress: Callable[[int, int], None] | None = None) -> None:
    with app.app_context():
        job = db.session.get(TranslationJob, job_id)
        job.state = JobState.RUNNING
        db.session.commit()
        try:
            (draft if job.kind == "draft" else back_translate)(job, _progress(job, on_progress))
            job.state, job.finished_at = JobState.DONE, utcnow()
        except mt.MTError as error:
            db.session.rollback()
            job = db.session.get(TranslationJob, job_id)
            job.state, job.message, job.finished_at = JobState.FAILED, str(error), utcnow()
        db.session.commit()


def _progress(job: TranslationJob, also: Callable[[int, int], None] | None):
    """Record progress on the job (committed now and then, for the page to show)."""
    def report(done: int, total: int) -> None:
        job.done, job.total = done, total
        if done % COMMIT_EVERY == 0 or done == total:
            db.session.commit()
        if also is not None:
            also(done, total)
    return report


def draft(job: TranslationJob, progress: Callable[[int, int], None]) -> None:
    """Machine drafts for texts that have no translation, or only a machine draft that no
    person has touched since: a person's text is never replaced, whatever its status."""
    version = db.session.get(InstrumentVersion, job.instrument_version_id)
    base = base_definition_of(version)
    sync_texts(version, base)
    rows = {(row.path, row.language): row for row in rows_of(version)}
    sources = [(path, row.text) for (path, lang), row in rows.items()
               if lang == base.source_language]
    todo = [(path, text) for path, text in sources
            if (path, job.language) not in rows
            or machine_written(rows[(path, job.language)])]
    job.total = len(todo)
    results = mt.translate_many([text for _, text in todo], locale_code(base.source_language),
                                locale_code(job.language), memory=DatabaseMemory(),
                                progress=progress)
    for (path, _), result in zip(todo, results, strict=True):
        row = rows.get((path, job.language))
        if row is None:
            row = InstrumentText(instrument_version_id=version.id, path=path,
                                 language=job.language, text=result.text,
                                 status="machine_draft")
            db.session.add(row)
        change_text(row, text=result.text, status="machine_draft", source="machine")


def back_translate(job: TranslationJob, progress: Callable[[int, int], None]) -> None:
    """Back-translate every text of the language, scoring how close it comes (chrF)."""
    version = db.session.get(InstrumentVersion, job.instrument_version_id)
    base = base_definition_of(version)
    rows = {(row.path, row.language): row for row in rows_of(version)}
    pairs = [(rows[(path, base.source_language)], row) for (path, lang), row in rows.items()
             if lang == job.language and (path, base.source_language) in rows]
    job.total = len(pairs)
    backs = mt.translate_many([row.text for _, row in pairs], locale_code(job.language),
                              locale_code(base.source_language), memory=DatabaseMemory(),
                              progress=progress)
    for (source, row), back in zip(pairs, backs, strict=True):
        row.machine_back_translation = back.text
        row.similarity = mt.similarity(back.text, source.text)


def translate_free_text(text: str, from_tag: str, to_tag: str) -> mt.Translation:
    return mt.translate(text, locale_code(from_tag), locale_code(to_tag),
                        memory=DatabaseMemory())


def translate_answers(texts: dict[str, str], source: str,
                      target: str) -> tuple[dict[str, str], str | None]:
    """Machine translations of free-text answers (shown labelled, beside the original),
    or the reason there are none."""
    if source == target:
        return {}, None
    problem = route_problem(source, target)
    if problem:
        return {}, problem
    try:
        return {key: translate_free_text(text, source, target).text
                for key, text in texts.items()}, None
    except mt.MTError as error:
        return {}, str(error)
