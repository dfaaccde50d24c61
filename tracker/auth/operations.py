"""Writes for accounts, sessions and API tokens. Operations only flush; the request or the command commits.

Ending sessions: every session (and remember cookie) carries the account's `session_generation` (see
`User.get_id`); the user loader accepts a session only while the generation still matches. Raising it
ends all of the account's sessions at once, on the server: logout, a password change and deactivation
do so. API tokens are ended by revoking them (a password change and deactivation revoke them all).
"""
import secrets

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tracker.auth.models import DEFAULT_ROLE, ROLES, ApiToken, User, decoy_password_hash, verify_password
from tracker.db import utcnow
from tracker.email_reasons import refusal_reason
from tracker.errors import Conflict, InvalidInput, NotFound

MIN_PASSWORD = 12
MAX_PASSWORD = 200


class AccountError(InvalidInput):
    pass


def normalise_email(raw: str) -> str:
    if not isinstance(raw, str) or any(c in raw for c in "\r\n"):
        raise AccountError(_("That is not a valid e-mail address."), "email")
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(_("That is not a valid e-mail address: %(why)s", why=refusal_reason(exc)), "email") from None


def check_new_password(password: str, field: str = "password") -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccountError(_("Password must be at least %(n)s characters.", n=MIN_PASSWORD), field)
    if len(password) > MAX_PASSWORD:
        raise AccountError(_("Password must be at most %(n)s characters.", n=MAX_PASSWORD), field)
    if any(ord(c) < 32 or ord(c) == 127 for c in password):
        raise AccountError(_("A password may not contain control characters or line breaks."), field)
    return password


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(_("Unknown role %(role)s: choose admin, editor or viewer.", role=repr(role)), "role")
    return role


def create_user(session: Session, email: str, password: str, role: str = DEFAULT_ROLE, name: str = "") -> User:
    email = normalise_email(email)
    _check_role(role)
    check_new_password(password)
    if session.scalar(select(User).where(User.email == email)):
        raise AccountError(_("An account for %(email)s already exists.", email=email), "email")
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


def get_user(session: Session, email: str) -> User:
    user = find_user(session, email)
    if user is None:
        raise NotFound(_("No account for %(email)s.", email=email))
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The account, or None. Always exactly one password verification, so that a failed login for an
    unknown or deactivated account takes as long as one with a wrong password (no enumeration by timing)."""
    user = find_user(session, email)
    usable = user is not None and user.active
    matches = verify_password(user.password_hash if usable else decoy_password_hash(), password)
    return user if usable and matches else None


# ---------------------------------------------------------------- sessions


def user_for_session(session: Session, session_id: str | None) -> User | None:
    """The user loader's check, on every request: the account exists, is active, and the session was
    opened in its current generation (an ended session's cookie, replayed, finds nobody)."""
    user_id, sep, generation = (session_id or "").partition(":")
    if not sep or not user_id.isdigit() or not generation.isdigit() or len(user_id) > 18 or len(generation) > 18:
        return None  # includes sessions from before generations existed: they log in again
    user = session.get(User, int(user_id))
    if user is None or not user.active or user.session_generation != int(generation):
        return None
    return user


def end_sessions(session: Session, user: User) -> None:
    """Every session of this account stops working at its next request."""
    session.execute(update(User).where(User.id == user.id)
                    .values(session_generation=User.session_generation + 1)
                    .execution_options(synchronize_session=False))
    session.refresh(user, ["session_generation"])


# ---------------------------------------------------------------- tokens


def issue_token(session: Session, user: User) -> str:
    if not user.active:
        raise AccountError(_("%(email)s is deactivated: activate the account first.", email=user.email))
    raw = "cop_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=ApiToken.hash(raw)))
    session.flush()
    return raw


def user_for_token(session: Session, raw: str) -> User | None:
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == ApiToken.hash(raw),
                                                  ApiToken.revoked.is_(False)))
    if token is None or not token.user.active:
        return None
    token.last_used_at = utcnow()  # committed with the request (tracker/transactions.py)
    return token.user


def revoke_tokens(session: Session, user: User, token_id: int | None = None) -> int:
    """Revoke one of the account's tokens (by id) or all of them; returns how many were live."""
    if token_id is not None:
        token = session.get(ApiToken, token_id)
        if token is None or token.user_id != user.id:
            raise NotFound(_("%(email)s has no token %(id)s.", email=user.email, id=token_id))
    stmt = update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked.is_(False))
    if token_id is not None:
        stmt = stmt.where(ApiToken.id == token_id)
    result = session.execute(stmt.values(revoked=True, revoked_at=utcnow())
                             .execution_options(synchronize_session=False))
    session.expire_all()  # tokens loaded before see their new state
    return result.rowcount or 0


# ---------------------------------------------------------------- passwords, roles, activation


def _end_access(session: Session, user: User) -> None:
    end_sessions(session, user)
    revoke_tokens(session, user)


def set_password(session: Session, user: User, password: str, field: str = "password") -> None:
    """An admin's reset (or the CLI): the account's sessions and API tokens end."""
    user.set_password(check_new_password(password, field))
    session.flush()
    _end_access(session, user)


def change_own_password(session: Session, user: User, current: str, new: str) -> None:
    """The person's own change: needs the current password. Ends every session and token of the account
    (the route then opens a new session for the person who changed it)."""
    if not verify_password(user.password_hash, current or ""):
        raise AccountError(_("Your current password is not right."), "current_password")
    if new == current:
        raise AccountError(_("Choose a password different from the current one."), "new_password")
    set_password(session, user, new, field="new_password")


def _active_admins(session: Session) -> int:
    # Locked on PostgreSQL, so two admins demoting each other at once cannot leave none.
    return len(session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))
                               .with_for_update()).all())


def _keep_an_admin(session: Session, user: User) -> None:
    if user.role == "admin" and user.active and _active_admins(session) <= 1:
        raise Conflict(_("%(email)s is the last active admin: make someone else admin first.", email=user.email))


def set_role(session: Session, user: User, role: str, *, acting: User | None = None) -> None:
    _check_role(role)
    if role != "admin":
        if acting is not None and acting.id == user.id:
            raise AccountError(_("You cannot remove your own admin role."), "role")
        _keep_an_admin(session, user)
    user.role = role
    session.flush()


def deactivate(session: Session, user: User, *, acting: User | None = None) -> None:
    """The account can no longer log in; its sessions and API tokens stop at once."""
    if acting is not None and acting.id == user.id:
        raise AccountError(_("You cannot deactivate your own account."))
    _keep_an_admin(session, user)
    user.active = False
    session.flush()
    _end_access(session, user)


def activate(session: Session, user: User) -> None:
    """Logging in works again with the same password; revoked tokens stay revoked (issue new ones)."""
    user.active = True
    session.flush()
