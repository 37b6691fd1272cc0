import pytest


@pytest.fixture
def admin(build, login):
    site = build.site()
    user = build.user("admin", site, email="admin@example.org")
    return {"site": site, "user": user, "web": login(user)}


@pytest.fixture
def trust_version(app):
    """The stored trust-safety version (shipped instruments are stored on first use)."""
    from interpreter_support.extensions import db
    from interpreter_support.instruments.store import version_by_instrument

    with app.app_context():
        version = version_by_instrument("trust-safety")
        db.session.commit()
        return version.id
