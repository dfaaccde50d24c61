"""Reads for accounts. Never writes."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.auth.models import ApiToken, User


def all_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.active.desc(), User.email)))


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The account's tokens, newest first (their values are never stored, so never shown)."""
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))
