"""Site-scoped reads of administrations: another site's ids answer 404."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from interpreter_support.extensions import db
from interpreter_support.models import Administration


def administration_or_404(administration_id: int) -> Administration:
    administration = db.session.get(Administration, administration_id)
    if administration is None or administration.client.site_id not in current_user.site_ids:
        abort(404)
    return administration
