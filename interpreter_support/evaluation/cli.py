"""`interpreter-support analyze`: the growth model on any CSV, or on the database."""

from __future__ import annotations

import json

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from interpreter_support.analysis.selection import COHORT_BY, PERSPECTIVES, Selection
from interpreter_support.extensions import db
from interpreter_support.models import Site


@click.command("analyze")
@click.option("--input", "input_path", type=click.Path(dir_okay=False),
              help="A CSV file, one row per observation.")
@click.option("--from-db", is_flag=True, help="Use this database's de-identified data.")
@click.option("--subject", help="CSV: the column that identifies the subject.")
@click.option("--time", "time_column", help="CSV: the time column (used as given).")
@click.option("--score", help="CSV: the score column; database: score_total or score_<subscale>.")
@click.option("--group", help="CSV: the column with the cohort.")
@click.option("--reference", help="The reference cohort.")
@click.option("--covariate", "covariates", multiple=True, help="Repeat for several.")
@click.option("--instrument", default="alliance", show_default=True, help="Database only.")
@click.option("--perspective", type=click.Choice(PERSPECTIVES), default="client",
              show_default=True, help="Database only.")
@click.option("--cohort-by", type=click.Choice(COHORT_BY), default="interpreting",
              show_default=True, help="Database only.")
@click.option("--site", "site_codes", multiple=True, help="Database only: site codes.")
@click.option("--ddf", type=click.Choice(["satterthwaite", "kenward-roger"]),
              default="satterthwaite", show_default=True,
              help="CSV only: degrees of freedom as lmerTest (Satterthwaite) or pbkrtest.")
@click.option("--format", "output_format", type=click.Choice(["json", "text"]),
              default="text", show_default=True)
@with_appcontext
def analyze_command(input_path, from_db, subject, time_column, score, group, reference,
                    covariates, instrument, perspective, cohort_by, site_codes, ddf,
                    output_format) -> None:
    """Fit score ~ time x cohort with a random intercept and slope per subject (REML)."""
    from interpreter_support.analysis.csv_model import CsvModelError, analyze_csv, format_text

    if bool(input_path) == from_db:
        raise click.UsageError("give either --input FILE.csv or --from-db")
    if from_db and ddf != "satterthwaite":
        raise click.UsageError("--ddf kenward-roger is for --input FILE.csv; the database "
                               "report uses Satterthwaite, as the evaluator's page does")
    if input_path:
        missing = [name for name, value in (("--subject", subject), ("--time", time_column),
                                            ("--score", score)) if not value]
        if missing:
            raise click.UsageError(f"--input needs {', '.join(missing)}")
        try:
            result = analyze_csv(input_path, subject, time_column, score, group=group,
                                 reference=reference, covariates=covariates, ddf=ddf)
        except (CsvModelError, ValueError) as error:
            raise click.ClickException(str(error)) from None
    else:
        result = _from_database(instrument, perspective, score or "score_total", cohort_by,
                                reference, covariates, site_codes)
    if output_format == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2, allow_nan=False))
    else:
        click.echo(format_text(result))


def _from_database(instrument, perspective, score, cohort_by, reference, covariates,
                   site_codes) -> dict:
    from flask import current_app

    from interpreter_support.analysis.report import run_report
    from interpreter_support.evaluation.extract import load_dataset, new_salt

    sites = db.session.scalars(sa.select(Site).where(Site.code.in_(site_codes))
                               if site_codes else sa.select(Site)).all()
    unknown = set(site_codes) - {site.code for site in sites}
    if unknown:
        raise click.ClickException(f"no site with code {', '.join(sorted(unknown))}")
    try:
        selection = Selection(instrument_id=instrument, score=score, perspective=perspective,
                              cohort_by=cohort_by, reference=reference,
                              covariates=tuple(covariates),
                              k=current_app.config["APP_CONFIG"].small_cell_threshold)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    data = load_dataset(db.session, [site.id for site in sites], new_salt(), instrument)
    if data.empty:
        raise click.ClickException(f"no completed {instrument} questionnaires in these sites")
    growth = run_report(data, selection)["growth"]
    if not growth.get("available"):
        raise click.ClickException(f"the model could not be fitted: {growth.get('reason')}")
    return growth["model"]
