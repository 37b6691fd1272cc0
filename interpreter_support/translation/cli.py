"""`interpreter-support i18n-report`: translation coverage of the screens and instruments."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from interpreter_support.extensions import db
from interpreter_support.translation.report import instrument_progress, ui_coverage
from interpreter_support.vocabulary import WORKFLOW_STATUSES


@click.command("i18n-report")
@with_appcontext
def i18n_report_command() -> None:
    """Coverage of the UI per locale, and instrument texts per language and status."""
    click.echo("User interface")
    for row in ui_coverage():
        click.echo(f"  {row.locale:<8} {row.translated:>4}/{row.total:<4} {row.share:6.1%}")
    click.echo("\nInstruments (texts per status)")
    header = "".join(f"{status[:10]:>11}" for status in ("source", *WORKFLOW_STATUSES))
    click.echo(f"  {'instrument':<24}{'lang':<8}{header}{'missing':>9}")
    for row in instrument_progress():
        cells = "".join(f"{row.counts[s]:>11}" for s in ("source", *WORKFLOW_STATUSES))
        click.echo(f"  {row.instrument_id:<24}{row.language:<8}{cells}{row.missing:>9}")
    db.session.commit()


COMMANDS = (i18n_report_command,)
