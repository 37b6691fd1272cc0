"""Signed-cookie sessions with two lifetimes: staff sessions end after STAFF_IDLE_MINUTES
without a request (PERMANENT_SESSION_LIFETIME); a respondent's session (a client on a
link or on the handed-over device) lasts RESPONDENT_SESSION_LIFETIME, so a client who
takes their time never loses answers to the staff limit."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

RESPONDENT_SESSION_LIFETIME = timedelta(hours=24)
STAFF_KEY = "_user_id"  # Flask-Login's: present only while staff are signed in


class TwoLifetimeSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        longest = max(RESPONDENT_SESSION_LIFETIME, app.permanent_session_lifetime)
        try:
            data = serializer.loads(cookie, max_age=int(longest.total_seconds()))
            if STAFF_KEY in data:
                serializer.loads(cookie, max_age=int(
                    app.permanent_session_lifetime.total_seconds()))
        except BadSignature:  # SignatureExpired included: start afresh
            return self.session_class()
        return self.session_class(data)


def init_app(app: Flask) -> None:
    app.session_interface = TwoLifetimeSessionInterface()
