"""Sites (clinics) and staff users with a role, scoped to sites."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from interpreter_support.models.base import Base, UTCDateTime, utcnow
from interpreter_support.vocabulary import Role, codes

_ROLE_SQL = ", ".join(f"'{role}'" for role in codes(Role))

user_sites = sa.Table(
    "user_sites",
    Base.metadata,
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("site_id", sa.ForeignKey("sites.id", ondelete="CASCADE"), primary_key=True),
)


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    is_demo: Mapped[bool] = mapped_column(default=False)
    # The weakest translation status a client may read alone at this site.
    min_client_status: Mapped[str] = mapped_column(sa.String(24), default="approved")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Site {self.code}>"


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint(f"role IN ({_ROLE_SQL})", name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(16))
    locale: Mapped[str | None] = mapped_column(sa.String(16))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of the id in every session cookie: raising it ends all of this user's sessions.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    sites: Mapped[list[Site]] = relationship(secondary=user_sites, order_by=Site.code)

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.is_active_account

    def get_id(self) -> str:
        """Flask-Login's alternative id: "<id>.<session version>"."""
        return f"{self.id}.{self.session_version}"

    @property
    def site_ids(self) -> set[int]:
        return {site.id for site in self.sites}

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
