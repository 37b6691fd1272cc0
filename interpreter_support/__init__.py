"""interpreter-support: alliance and trust questionnaires for interpreter-mediated care."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask, Response, render_template

from interpreter_support.config import Config

PACKAGE_DIR = Path(__file__).resolve().parent


def _resource_dir(name: str) -> str:
    """A folder shipped inside the installed package, or at the top of a source checkout."""
    for candidate in (PACKAGE_DIR / name, PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return str(candidate)
    raise RuntimeError(f"the {name!r} folder is missing beside {PACKAGE_DIR}")


def create_app(config: Config | None = None) -> Flask:
    """Build the app: wiring only. Without `config`, settings come from the environment."""
    config = config or Config.from_env()
    config.check()
    app = Flask(
        __name__,
        template_folder=_resource_dir("templates"),
        instance_path=config.instance_path,
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _apply_config(app, config)
    if config.trusted_proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = config.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    from interpreter_support import database, forms, logs, permissions, security, sessions
    from interpreter_support.extensions import csrf, db, limiter, login_manager, migrate
    from interpreter_support.i18n import languages
    from interpreter_support.i18n import locales as i18n

    logs.install()
    database.init_app(app)
    sessions.init_app(app)
    migrate.init_app(app, db, directory=str(PACKAGE_DIR / "migrations"))
    i18n.init_app(app)
    languages.init_app(app)
    forms.init_app(app)  # before CSRF: it must see the body before anything parses it
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    permissions.init_app(app)
    security.init_app(app)
    _register_blueprints(app)
    _register_error_pages(app)

    from interpreter_support.translation import machine

    machine.configure(app)

    from interpreter_support.cli import register_commands
    from interpreter_support.instruments.sync import warn_if_out_of_sync

    register_commands(app)
    with app.app_context():
        warn_if_out_of_sync()
    return app


def _apply_config(app: Flask, config: Config) -> None:
    app.config.update(
        APP_CONFIG=config,
        SECRET_KEY=config.secret_key,
        TESTING=config.testing,
        SQLALCHEMY_DATABASE_URI=config.sqlalchemy_url(app.instance_path),
        BABEL_DEFAULT_LOCALE=config.default_locale,
        BABEL_DEFAULT_TIMEZONE="UTC",
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=config.staff_idle_minutes),
        SESSION_REFRESH_EACH_REQUEST=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=not config.is_development,
        REMEMBER_COOKIE_HTTPONLY=True,
        RATELIMIT_STORAGE_URI=config.ratelimit_storage_uri,
        RATELIMIT_ENABLED=not config.testing,
        WTF_CSRF_TIME_LIMIT=None,  # the staff session's idle expiry already bounds it
        # On HTTPS a POST must carry a same-origin Referer (the origin, by our referrer
        # policy) besides the token and the SameSite session cookie.
        WTF_CSRF_SSL_STRICT=True,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    app.config.update(config.extra)  # explicit overrides (tests) win


def _register_blueprints(app: Flask) -> None:
    from interpreter_support.accounts.views import bp as accounts_bp
    from interpreter_support.admin.views import bp as admin_bp
    from interpreter_support.clinic import link_views, session_views, views  # noqa: F401 - routes
    from interpreter_support.clinic.blueprint import bp as clinic_bp
    from interpreter_support.evaluation.views import bp as evaluation_bp
    from interpreter_support.interpreter.views import bp as interpreter_bp
    from interpreter_support.questionnaires.views import bp as questionnaires_bp
    from interpreter_support.respond.views import bp as respond_bp
    from interpreter_support.translation.views import bp as translation_bp

    app.register_blueprint(accounts_bp)
    app.register_blueprint(clinic_bp, url_prefix="/clinic")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(questionnaires_bp)
    app.register_blueprint(interpreter_bp, url_prefix="/interpreter")
    app.register_blueprint(respond_bp)
    app.register_blueprint(evaluation_bp)
    app.register_blueprint(translation_bp)

    @app.get("/health")
    def health() -> Response:
        return Response("ok\n", mimetype="text/plain")


def _register_error_pages(app: Flask) -> None:
    from sqlalchemy.exc import OperationalError
    from werkzeug.exceptions import InternalServerError, ServiceUnavailable

    def render_error(error):
        # Our own abort(code, message) says why; Werkzeug's stock English text does not.
        detail = error.description if error.description != type(error).description else None
        return render_template("error.html", error=error, detail=detail), error.code

    def database_unavailable(_error):
        # e.g. PostgreSQL restarting: say so cleanly; the pool reconnects by itself.
        from interpreter_support.extensions import db

        db.session.rollback()
        return render_error(ServiceUnavailable())

    for code in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(code, render_error)
    app.register_error_handler(OperationalError, database_unavailable)
    app.register_error_handler(500, lambda error: render_error(InternalServerError()))
