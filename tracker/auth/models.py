import hashlib
import secrets
from datetime import datetime
from functools import lru_cache

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.db import Base, UTCDateTime, utcnow

ROLES = ("admin", "editor", "viewer")
ROLE_LABELS = {"admin": _l("admin"), "editor": _l("editor"), "viewer": _l("viewer")}  # as pages name them
DEFAULT_ROLE = "viewer"  # least privilege: an admin raises it deliberately


def hash_password(password: str) -> str:
    # Werkzeug's scrypt, a memory-hard KDF; tests configure cheap parameters (never production).
    method = current_app.config.get("TRACKER_PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


@lru_cache(maxsize=1)
def decoy_password_hash() -> str:
    """A hash no password matches, made like the real ones: a failed login for an unknown (or deactivated)
    account verifies against it, so it costs exactly what a wrong password for a real account costs."""
    return hash_password(secrets.token_urlsafe(32))


class User(UserMixin, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    role: Mapped[str] = mapped_column(String(10), default="viewer")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Sessions carry the generation they were opened in; raising it ends every session of this account
    # on the server (logout, password change, deactivation), however old the cookie that is replayed.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        # What Flask-Login keeps in the session (and a remember cookie): id and generation together.
        return f"{self.id}:{self.session_generation}"

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    def can(self, action: str) -> bool:
        return action in PERMISSIONS.get(self.role, ())


PERMISSIONS: dict[str, tuple[str, ...]] = {
    "admin": ("view_staff", "edit", "review", "manage_users", "manage_feeds", "preview_digests"),
    "editor": ("view_staff", "edit", "review"),
    "viewer": ("view_staff",),
}


class ApiToken(Base):
    """Personal API token; only its SHA-256 is stored (tokens are 256-bit random, so no KDF is needed)."""
    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
