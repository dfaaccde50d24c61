import secrets

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.auth.models import ROLES, ApiToken, User
from tracker.db import utcnow
from tracker.errors import InvalidInput

MIN_PASSWORD = 12


class AccountError(InvalidInput):
    pass


def normalise_email(raw: str) -> str:
    if not isinstance(raw, str) or any(c in raw for c in "\r\n"):
        raise AccountError("That is not a valid e-mail address.")
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"That is not a valid e-mail address: {exc}") from None


def create_user(session: Session, email: str, password: str, role: str, name: str = "") -> User:
    email = normalise_email(email)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: choose admin, editor or viewer.")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Password must be at least {MIN_PASSWORD} characters.")
    if session.scalar(select(User).where(User.email == email)):
        raise AccountError(f"An account for {email} already exists.")
    user = User(email=email, role=role, name=name.strip()[:120])
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, email: str) -> User | None:
    try:
        email = normalise_email(email)
    except AccountError:
        return None
    return session.scalar(select(User).where(User.email == email))


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    if user is None or not user.active or not user.check_password(password):
        return None
    return user


def issue_token(session: Session, user: User) -> str:
    raw = "cop_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=ApiToken.hash(raw)))
    session.flush()
    return raw


def user_for_token(session: Session, raw: str) -> User | None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(raw),
                                                  ApiToken.revoked.is_(False)))
    if token is None or not token.user.active:
        return None
    token.last_used_at = utcnow()
    return token.user


def set_role(session: Session, user: User, role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: choose admin, editor or viewer.")
    user.role = role
    session.flush()
