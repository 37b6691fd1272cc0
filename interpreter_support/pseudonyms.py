"""Stable pseudonyms for records leaving the app (FHIR exports): keyed by the deployment's
SECRET_KEY, so the same client gets the same pseudonym in every export of this clinic,
and neither its code nor its database id can be read back from it."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app

from interpreter_support.models import Client


def client_pseudonym(client: Client) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"fhir-patient:{client.id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
