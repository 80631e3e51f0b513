"""Users and their roles per municipality."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from portal.core.clock import utcnow
from portal.extensions import db

ROLES = ("editor", "publisher", "moderator", "admin", "verifier")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(120), default="")
    confirmed_at: Mapped[datetime | None]
    is_platform_admin: Mapped[bool] = mapped_column(default=False)
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan")

    def set_password(self, password: str) -> None:
        """Hash with scrypt (werkzeug's default) and invalidate other sessions."""
        self.password_hash = generate_password_hash(password)
        self.end_sessions()

    def end_sessions(self) -> None:
        """Every session and remember cookie issued so far stops working: the version
        is part of the id they carry, and the user loader compares it."""
        self.session_version = (self.session_version or 0) + 1

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        # The session version is part of the id, so changing the password signs out
        # every other session.
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    def roles_in(self, municipality_id: int) -> set[str]:
        return {m.role for m in self.memberships if m.municipality_id == municipality_id}


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "municipality_id", "role"),
        CheckConstraint("role IN ('editor','publisher','moderator','admin','verifier')",
                        name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    municipality = relationship("Municipality")


class Invitation(db.Model):
    """A role offered by e-mail; the signed link works once, until accepted or cancelled."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint("role IN ('editor','publisher','moderator','admin','verifier')",
                        name="role_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    municipality = relationship("Municipality")

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None
