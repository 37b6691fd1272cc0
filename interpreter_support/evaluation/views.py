"""The evaluator's cohort comparison page and its exports, on de-identified data only.

The statistics (pandas, scipy, statsmodels, lifelines, pingouin) load on the first
evaluator request, inside the functions below, not when the app starts."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, render_template, request
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from interpreter_support import audit
from interpreter_support.analysis.selection import COHORT_LEVELS, FAMILIES, FAMILY_OF, Selection
from interpreter_support.downloads import as_attachment
from interpreter_support.evaluation.forms import SelectionForm
from interpreter_support.evaluation.labels import COHORT_LABELS
from interpreter_support.extensions import db
from interpreter_support.i18n.locales import LOCALES
from interpreter_support.instruments.store import definition_of, latest_versions
from interpreter_support.models import User, user_sites
from interpreter_support.vocabulary import Role

bp = Blueprint("evaluation", __name__, url_prefix="/evaluate")


@bp.app_context_processor
def evaluation_labels() -> dict[str, object]:
    return {"cohort_labels": COHORT_LABELS}


def _form() -> SelectionForm:
    form = SelectionForm(request.args)
    versions = latest_versions()
    families = sorted({FAMILY_OF.get(row.instrument_id, row.instrument_id) for row in versions})
    form.instrument.choices = [SelectChoice(family, family) for family in families]
    subscales = {sub.name for row in versions for sub in definition_of(row).subscales}
    form.score.choices = [SelectChoice("score_total", _("Total score"))] + [
        SelectChoice(f"score_{name}", name) for name in sorted(subscales)]
    form.sites.choices = [SelectChoice(site.id, site.name) for site in current_user.sites]
    form.clinicians.choices = [SelectChoice(user.id, user.display_name)
                               for user in _clinicians()]
    form.languages.choices = [SelectChoice(loc.tag, loc.endonym) for loc in LOCALES]
    if not _asked():
        form.instrument.data = "alliance" if "alliance" in families else families[0]
    return form


def _clinicians() -> list[User]:
    return list(db.session.scalars(
        sa.select(User).join(user_sites).where(
            User.role.in_([Role.CLINICIAN, Role.ADMIN]),
            user_sites.c.site_id.in_(current_user.site_ids)).distinct().order_by(User.id)))


def _selection(form: SelectionForm) -> Selection:
    minimum = current_app.config["APP_CONFIG"].small_cell_threshold
    return Selection(
        instrument_id=form.instrument.data, score=form.score.data or "score_total",
        perspective=form.perspective.data or "client",
        cohort_by=form.cohort_by.data or "interpreting",
        always_threshold=float(form.always_threshold.data or 1),
        date_from=form.date_from.data, date_to=form.date_to.data,
        languages=tuple(form.languages.data or ()),
        translation_statuses=tuple(form.translation_statuses.data or ()),
        covariates=tuple(form.covariates.data or ()),
        k=max(minimum, form.k.data or minimum),  # never below the site's threshold
    )


def _site_ids(form: SelectionForm) -> set[int]:
    return set(form.sites.data or ()) & current_user.site_ids or current_user.site_ids


def _load(form: SelectionForm, salt: bytes, selection: Selection | None = None):
    """The de-identified data; for a report, only the score it shows and the items its
    reliability uses (each client's first administration); exports get everything."""
    from interpreter_support.evaluation.extract import load_dataset

    return load_dataset(db.session, _site_ids(form), salt, instrument_id=form.instrument.data,
                        clinician_ids=form.clinicians.data or (),
                        scores=[selection.score.removeprefix("score_")] if selection else None,
                        items="first" if selection else "all",
                        roles=[selection.perspective] if selection else None)


def _report(form: SelectionForm, selection: Selection) -> dict:
    from interpreter_support.analysis.report import run_report
    from interpreter_support.analysis.suppression import suppress
    from interpreter_support.evaluation.extract import (
        DUPLICATES_LEFT_OUT,
        declined_by_interpreting,
        new_salt,
    )

    data = _load(form, new_salt(), selection)
    # The extraction builds a frame that validates as it is (tests/evaluation checks it):
    # the page does not pay for checking it again.
    report = run_report(data, selection, items=_items(selection), validate=False)
    declined = declined_by_interpreting(db.session, _site_ids(form), form.instrument.data,
                                        form.clinicians.data or ())
    return report | {DUPLICATES_LEFT_OUT: data.attrs[DUPLICATES_LEFT_OUT],
                     "declined": suppress(declined, selection.k)}


def _items(selection: Selection) -> list[str] | None:
    """The item columns behind the selected score, for reliability and ruptures."""
    from interpreter_support.analysis.dataset import safe_column_name, scored_column_name

    forms = FAMILIES.get(selection.instrument_id, (selection.instrument_id,))
    version = next((row for row in latest_versions(selection.perspective)
                    if row.instrument_id in forms), None)
    if version is None:
        return None
    defn = definition_of(version)
    subscale = selection.score.removeprefix("score_")
    if subscale == "total":
        wanted = defn.scoring.total_subscales
        items = [i for i in defn.items if i.scale and (wanted is None or i.subscale in wanted)]
    else:
        items = [i for i in defn.items if i.subscale == subscale]
    names = [(safe_column_name(item.link_id), item.reverse)
             for item in items if item.enable_when is None]
    return [scored_column_name(name) if reverse else name for name, reverse in names]


def _checked(form: SelectionForm):
    """The selection, or None with the problems attached to the form."""
    if not form.validate():
        return None
    if form.date_from.data and form.date_to.data and form.date_from.data > form.date_to.data:
        form.date_to.errors = [*form.date_to.errors,
                               _("The end of the period is before its start.")]
        return None
    try:
        selection = _selection(form)
    except ValueError as error:
        form.instrument.errors = [*form.instrument.errors, str(error)]
        return None
    if selection.score not in _scores_of(selection.instrument_id):
        form.score.errors = [*form.score.errors, _(
            "This questionnaire has no score “%(score)s”.", score=form.score.data)]
        return None
    return selection


def _scores_of(instrument_id: str) -> set[str]:
    """The score columns a questionnaire family has, in any perspective."""
    forms = FAMILIES.get(instrument_id, (instrument_id,))
    return {"score_total"} | {f"score_{sub.name}" for row in latest_versions()
                              if row.instrument_id in forms
                              for sub in definition_of(row).subscales}


def _asked() -> bool:
    """Whether the query holds a selection (?lang= alone only switches the language)."""
    return bool(set(request.args) - {"lang"})


@bp.get("/")
def page():
    form = _form()
    selection = _checked(form) if _asked() else None
    report = charts = None
    if selection is not None:
        audit.record("evaluation.view")
        report = _report(form, selection)
        charts = _charts(report, selection)
    status = 400 if _asked() and selection is None else 200
    return render_template("evaluation/page.html", form=form, report=report, charts=charts,
                           selection=selection, query=request.query_string.decode()), status


@bp.get("/report")
def printable():
    form = _form()
    selection = _checked(form)
    if selection is None:
        return render_template("evaluation/page.html", form=form, report=None, charts=None,
                               selection=None, query=""), 400
    report = _report(form, selection)
    return render_template("evaluation/report.html", report=report, selection=selection,
                           charts=_charts(report, selection), printable=True,
                           generated=datetime.now(UTC))


@bp.get("/export/<kind>")
def export(kind: str):
    """Downloads; each one re-keys every code with a fresh salt."""
    from interpreter_support.analysis import exports
    from interpreter_support.analysis.r_script import read_script
    from interpreter_support.evaluation.deidentify import export_rows
    from interpreter_support.evaluation.extract import describe_items, new_salt

    if kind not in MIMETYPES:
        return Response(status=404)
    form = _form()
    selection = _checked(form)
    if selection is None:
        return render_template("evaluation/page.html", form=form, report=None, charts=None,
                               selection=None, query=""), 400
    audit.record("evaluation.export." + kind)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    if kind == "results.json":
        body = exports.results_json(_report(form, selection))
    else:
        rows, disclosure = export_rows(_load(form, new_salt()), selection)
        info = describe_items(db.session, rows, selection.instrument_id, disclosure.notes())
        if kind == "data.R":  # it reads the CSV under the name that download gets
            body = read_script(rows, info, f"{selection.instrument_id}-{stamp}-data.csv")
        else:
            body = getattr(exports, EXPORTS[kind])(rows, info)
    return as_attachment(Response(body, mimetype=MIMETYPES[kind]),
                         f"{selection.instrument_id}-{stamp}-{kind}")


# The writer in analysis/exports.py for each row-level download (data.R: r_script.py).
EXPORTS = {"data.csv": "dataset_csv", "codebook.csv": "codebook_csv",
           "codebook.json": "codebook_json", "data.dta": "dataset_dta",
           "data.sav": "dataset_sav"}
MIMETYPES = {
    "data.csv": "text/csv", "codebook.csv": "text/csv", "codebook.json": "application/json",
    "data.dta": "application/x-stata-dta", "data.sav": "application/x-spss-sav",
    "data.R": "text/plain", "results.json": "application/json",
}


def _cohort_labels(selection: Selection) -> dict[str, str]:
    return {level: str(COHORT_LABELS.get(level, level))
            for level in COHORT_LEVELS[selection.cohort_by]}


def _charts(report: dict, selection: Selection) -> dict[str, str] | None:
    from interpreter_support.analysis.charts import ChartLabels, km_chart, trajectory_chart

    if "trajectories" not in report:  # nothing left once small groups are taken out
        return None
    fmt = lambda value: format_decimal(value, format="0.##")  # noqa: E731
    cohorts = _cohort_labels(selection)
    return {
        "trajectories": trajectory_chart(report["trajectories"], ChartLabels(
            title=_("Mean score per session, by cohort"),
            description=_("Means per session number with 95 percent confidence intervals; "
                          "dashed "
                          "lines are the growth model's predictions. The table gives the same "
                          "numbers with the number of clients behind each point."),
            x_axis=_("Session number"), y_axis=_("Score"), cohorts=cohorts,
            predicted=_("Growth model")), fmt),
        "retention": km_chart(report["retention"], ChartLabels(
            title=_("Clients still attending, by sessions attended"),
            description=_("Kaplan-Meier estimates with 95 percent bands; dropout is the event."),
            x_axis=_("Sessions attended"), y_axis=_("Share still attending"),
            cohorts=cohorts), fmt),
    }


