"""The score charts on a client's page, with the labels in the reader's language."""

from __future__ import annotations

from flask_babel import gettext as _

from interpreter_support.clinic.alerts import ALLIANCE, score_points
from interpreter_support.clinic.client_chart import Series, SessionMark, client_chart
from interpreter_support.clinic.continuity import same_interpreter_as_previous
from interpreter_support.labels import INTERPRETING_CODES, INTERPRETING_LABELS
from interpreter_support.models import Client

CHARTS = (
    ("alliance", ALLIANCE),
    ("trust", {"client": "trust-safety"}),
    ("interpreter", {"client": "interpreter-experience"}),
)


def client_charts(client: Client) -> list[dict]:
    """One chart per construct that has scores: its SVG and the same numbers as a table."""
    sessions = [s for episode in client.episodes for s in episode.sessions]
    position = {session.id: index for index, session in enumerate(sessions, start=1)}
    changed = {}
    for episode in client.episodes:
        changed.update(same_interpreter_as_previous(episode.sessions))
    marks = [SessionMark(position[s.id], str(INTERPRETING_CODES[s.interpreting]),
                         changed.get(s.id) is False) for s in sessions]
    points = score_points(client_ids=[client.id],
                          instruments=[i for _, forms in CHARTS for i in forms.values()])
    titles = {"alliance": _("Alliance"), "trust": _("Trust and safety"),
              "interpreter": _("Experience of the interpreter")}
    perspectives = {"client": _("Client"), "clinician": _("Clinician"),
                    "interpreter": _("Interpreter")}
    charts = []
    for key, forms in CHARTS:
        series = [Series(perspectives[role], [(position[p.session_id], p.score)
                                              for p in points if p.instrument_id == instrument])
                  for role, instrument in forms.items()]
        series = [line for line in series if line.points]
        if not series:
            continue
        svg = client_chart(
            series, marks, title=titles[key], y_range=(1, 5), legend_title=_("Views:"),
            description=_("Scores from 1 to 5 across %(n)s sessions. Under each session "
                          "number: %(legend)s. A ring marks a change of interpreter.",
                          n=len(sessions), legend=_legend()),
        )
        charts.append({"key": key, "title": titles[key], "svg": svg, "series": series,
                       "positions": sorted({x for line in series for x, _ in line.points})})
    return charts


def _legend() -> str:
    return "; ".join(f"{INTERPRETING_CODES[key]} = {INTERPRETING_LABELS[key]}"
                     for key in INTERPRETING_CODES)
