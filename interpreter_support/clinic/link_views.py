"""Self-report links from the clinic's side: issuing one (for a session or for none),
showing it once by post/redirect/get, revoking it and reissuing it."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from interpreter_support import audit
from interpreter_support.clinic import queries
from interpreter_support.clinic.blueprint import bp
from interpreter_support.forms import EmptyForm
from interpreter_support.models import Client, ClinicalSession
from interpreter_support.questionnaires.choices import instrument_choices, version_for
from interpreter_support.questionnaires.forms import IssueLinkForm
from interpreter_support.questionnaires.links import LinkState, issue_link, revoke, state_of

# The token is shown only to the browser that created the link: it is kept in that
# browser's own signed session (never in the database) so a reload shows it again
# instead of issuing another link.
ISSUED_KEY = "issued_link"


def link_form(client: Client, formdata=None) -> IssueLinkForm:
    form = IssueLinkForm(formdata=formdata, prefix="link", language=client.preferred_language)
    form.instrument.choices = instrument_choices("client")
    return form


def _issue(client: Client, clinical_session: ClinicalSession | None):
    form = IssueLinkForm(prefix="link")
    form.instrument.choices = instrument_choices("client")
    if not form.validate_on_submit():
        abort(400)
    return _issued(client, version_for(form.instrument.data, "client"), clinical_session,
                   form.language.data)


def _issued(client: Client, version, clinical_session: ClinicalSession | None,
            language: str | None):
    token, link = issue_link(
        client, version, expiry_days=current_app.config["APP_CONFIG"].link_expiry_days,
        session=clinical_session, language=language, created_by=current_user)
    audit.record("link.issue", link)
    session[ISSUED_KEY] = [link.id, token]
    return redirect(url_for("clinic.link_page", link_id=link.id), code=303)


@bp.post("/sessions/<int:session_id>/links")
def issue_session_link(session_id: int):
    clinical_session = queries.session_or_404(session_id)
    return _issue(clinical_session.episode.client, clinical_session)


@bp.post("/clients/<int:client_id>/links")
def issue_client_link(client_id: int):
    """A link tied to no session: answers between sessions, shown on the client's page."""
    return _issue(queries.client_or_404(client_id), None)


@bp.get("/links/<int:link_id>")
def link_page(link_id: int):
    link = queries.link_or_404(link_id)
    issued = session.get(ISSUED_KEY)
    url = qr_svg = None
    if issued and issued[0] == link.id and state_of(link) is LinkState.OPEN:
        url = url_for("respond.link", token=issued[1], _external=True)
        import segno  # only where a link is shown

        qr_svg = segno.make(url, error="m").svg_inline(scale=4, title=_("QR code of the link"))
    return render_template("questionnaires/link_issued.html", url=url, qr_svg=qr_svg,
                           link=link, state=state_of(link), form=EmptyForm())


@bp.post("/links/<int:link_id>/revoke")
def link_revoke(link_id: int):
    link = queries.link_or_404(link_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if revoke(link):
        audit.record("link.revoke", link)
        flash(_("The link is revoked: it no longer opens the questionnaire."))
    else:
        flash(_("This link was already revoked or answered; nothing was changed."))
    if session.get(ISSUED_KEY, [None])[0] == link.id:
        session.pop(ISSUED_KEY)
    return redirect(url_for("clinic.client_detail", client_id=link.client_id), code=303)


@bp.post("/links/<int:link_id>/reissue")
def link_reissue(link_id: int):
    """A new link for the same questionnaire, session and language; the old one, if it
    still worked, stops working. Answers saved through the old link stay where they are."""
    link = queries.link_or_404(link_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if state_of(link) is LinkState.USED:
        flash(_("This link was answered; nothing was reissued."))
        return redirect(url_for("clinic.client_detail", client_id=link.client_id), code=303)
    if revoke(link):
        audit.record("link.revoke", link)
    return _issued(link.client, link.instrument_version, link.clinical_session, link.language)
