"""Clinic pages: the dashboard, clients and their episodes of care."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from interpreter_support import audit
from interpreter_support.clinic import queries
from interpreter_support.clinic.alerts import alerts, estimated_threshold
from interpreter_support.clinic.blueprint import bp
from interpreter_support.clinic.charts import client_charts
from interpreter_support.clinic.continuity import same_interpreter_as_previous
from interpreter_support.clinic.forms import (
    ClientForm,
    EndEpisodeForm,
    EpisodeForm,
)
from interpreter_support.clinic.link_views import link_form
from interpreter_support.clinic.operations import (
    InvalidRecord,
    end_episode,
    open_episode,
    save_client,
)
from interpreter_support.forms import attach_errors
from interpreter_support.labels import INTERPRETING_LABELS, LINK_PROGRESS_LABELS
from interpreter_support.models import Client
from interpreter_support.questionnaires.links import links_of_client
from interpreter_support.vocabulary import OUTSTANDING_LINKS, Role


@bp.get("/")
def dashboard():
    mine = current_user.role == Role.CLINICIAN
    clients = queries.clients_of_clinician(current_user.id) if mine else []
    found = _alerts()
    if mine:
        seen = {client.id for client in clients}
        found = [alert for alert in found if alert.client_id in seen]
    return render_template(
        "clinic/dashboard.html", clients=clients, alerts=found,
        sessions=queries.recent_sessions(clinician_id=current_user.id if mine else None),
    )


def _alerts():
    config = current_app.config["APP_CONFIG"]
    site_ids = current_user.site_ids
    threshold = config.alert_drop_threshold
    if threshold is None:
        threshold = estimated_threshold(site_ids)
    return alerts(site_ids, threshold=threshold, cutoff=config.alert_score_cutoff)


@bp.get("/clients")
def client_list():
    """The caseload, paged, most recently seen first; filters by code, language and
    interpreting travel in the query string (bookmarkable, no JavaScript)."""
    chosen = queries.ClientFilter(term=request.args.get("q", "")[:32],
                                  language=request.args.get("language", "")[:16],
                                  interpreting=request.args.get("interpreting", ""))
    page = request.args.get("page", 1, type=int)
    if chosen.interpreting not in ("", *INTERPRETING_LABELS) or page < 1:
        abort(400)
    listing = queries.list_clients(chosen, page)
    if page > listing.pages:
        abort(404)
    return render_template("clinic/client_list.html", listing=listing, chosen=chosen,
                           languages=queries.client_languages(),
                           filtered=chosen != queries.ClientFilter())


def _client_form(client: Client | None) -> ClientForm:
    form = ClientForm(obj=client)
    form.site_id.choices = [SelectChoice(site.id, site.name) for site in current_user.sites]
    if request.method == "GET" and client is not None and client.gender is None:
        form.gender.data = ""
    return form


def _save_client_from(form: ClientForm, client: Client):
    if form.site_id.data not in current_user.site_ids:
        form.site_id.errors = [*form.site_id.errors, _("Choose one of your clinics.")]
        return None
    try:
        return save_client(
            client, site_id=form.site_id.data, code=form.code.data,
            preferred_language=form.preferred_language.data,
            year_of_birth=form.year_of_birth.data, gender=form.gender.data,
        )
    except InvalidRecord as error:
        attach_errors(form, error)
        return None


@bp.route("/clients/new", methods=["GET", "POST"])
def client_new():
    form = _client_form(None)
    if form.validate_on_submit() and (client := _save_client_from(form, Client())) is not None:
        audit.record("client.create", client)
        flash(_("Client saved."))
        return redirect(url_for("clinic.client_list"))
    return render_template("clinic/client_form.html", form=form,
                           client=None), 400 if form.is_submitted() else 200


@bp.route("/clients/<int:client_id>/edit", methods=["GET", "POST"])
def client_edit(client_id: int):
    client = queries.client_or_404(client_id)
    form = _client_form(client)
    if form.validate_on_submit() and _save_client_from(form, client) is not None:
        audit.record("client.update", client)
        flash(_("Client saved."))
        return redirect(url_for("clinic.client_detail", client_id=client.id))
    return render_template("clinic/client_form.html", form=form,
                           client=client), 400 if form.is_submitted() else 200


@bp.get("/clients/<int:client_id>")
def client_detail(client_id: int):
    client = queries.client_or_404(client_id)
    audit.record("client.read", client)
    continuity = {}
    for episode in client.episodes:
        continuity.update(same_interpreter_as_previous(episode.sessions))
    links = links_of_client(client.id)
    return render_template(
        "clinic/client_detail.html", client=client, continuity=continuity,
        charts=client_charts(client),
        between=queries.between_session_answers(client.id), links=links,
        outstanding=[row for row in links if row.progress in OUTSTANDING_LINKS],
        link_progress_labels=LINK_PROGRESS_LABELS, link_form=link_form(client),
        episode_form=EpisodeForm(formdata=None, started_on=datetime.now(UTC).date()),
        end_form=EndEpisodeForm(formdata=None, ended_on=datetime.now(UTC).date()),
    )


@bp.post("/clients/<int:client_id>/episodes")
def episode_new(client_id: int):
    client = queries.client_or_404(client_id)
    form = EpisodeForm()
    if form.validate_on_submit():
        try:
            audit.record("episode.create", open_episode(client, form.started_on.data))
            flash(_("Episode of care opened."))
            return redirect(url_for("clinic.client_detail", client_id=client.id))
        except InvalidRecord as error:
            attach_errors(form, error)
    return render_template("clinic/episode_form.html", form=form, client=client), 400


@bp.post("/episodes/<int:episode_id>/end")
def episode_end(episode_id: int):
    episode = queries.episode_or_404(episode_id)
    form = EndEpisodeForm()
    if form.validate_on_submit():
        try:
            end_episode(episode, form.ended_on.data, form.end_reason.data)
            audit.record("episode.end", episode)
            flash(_("Episode of care ended."))
            return redirect(url_for("clinic.client_detail", client_id=episode.client_id))
        except InvalidRecord as error:
            attach_errors(form, error)
    return render_template("clinic/episode_end.html", form=form, episode=episode), 400
