import pytest

from interpreter_support import create_app
from interpreter_support.config import DEFAULT_SECRET_KEY, Config, ConfigError


def test_production_refuses_the_default_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="Set SECRET_KEY"):
        create_app(Config(mode="production", instance_path=str(tmp_path)))


def test_production_refuses_a_short_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="at least 32 characters"):
        create_app(Config(mode="production", secret_key="short", instance_path=str(tmp_path)))


def test_production_accepts_a_real_secret_and_secures_cookies(tmp_path):
    app = create_app(Config(mode="production", secret_key="s" * 40,
                            instance_path=str(tmp_path)))
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_demo_mode_runs_with_the_default_key_and_allows_drafts(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERPRETER_SUPPORT_ENV", "demo")
    monkeypatch.setenv("INTERPRETER_SUPPORT_INSTANCE", str(tmp_path))
    config = Config.from_env()
    assert config.secret_key == DEFAULT_SECRET_KEY and config.allow_draft_translations
    app = create_app(config)
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///" + str(tmp_path))


def test_environment_settings_are_read_and_checked(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://db.internal/clinic")
    monkeypatch.setenv("LINK_EXPIRY_DAYS", "3")
    config = Config.from_env()
    assert config.link_expiry_days == 3
    assert config.sqlalchemy_url("/x") == "postgresql+psycopg://db.internal/clinic"
    monkeypatch.setenv("LINK_EXPIRY_DAYS", "a week")
    with pytest.raises(ConfigError, match="LINK_EXPIRY_DAYS must be a whole number"):
        Config.from_env()


def test_unknown_mode_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="INTERPRETER_SUPPORT_ENV"):
        create_app(Config(mode="staging", instance_path=str(tmp_path)))


def test_security_headers_on_every_response(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    # The origin only: link tokens never leave in a Referer, and HTTPS POSTs pass the
    # CSRF referrer check (tests/deploy runs it through a real TLS proxy and browser).
    assert response.headers["Referrer-Policy"] == "strict-origin"
    assert 'name="referrer"' not in response.get_data(as_text=True)  # no meta tag overriding it
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in response.headers
    secure = client.get("/login", base_url="https://clinic.example")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")


def test_csrf_is_required_on_posts(other_app):
    app = other_app(extra={})
    response = app.test_client().post("/login", data={"email": "a@b.c", "password": "x"})
    assert response.status_code == 400


def test_a_database_outage_answers_a_clean_503(build, login, monkeypatch):
    """While PostgreSQL restarts, requests fail cleanly; the pool reconnects by itself."""
    import sqlalchemy as sa

    from interpreter_support.clinic import queries

    web = login(build.user("clinician", build.site()))

    def unavailable(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    monkeypatch.setattr(queries, "list_clients", unavailable)
    response = web.get("/clinic/clients")
    assert response.status_code == 503
    assert "Please try again in a moment" in response.get_data(as_text=True)
    monkeypatch.undo()
    assert web.get("/clinic/clients").status_code == 200
