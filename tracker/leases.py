"""Database leases: at most one holder of a named job at a time, across processes and machines.

A second scheduler, or a manual `feeds poll` during a scheduled one, finds the lease held and skips.
A crashed holder's lease expires, so work resumes without a person.
"""
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Engine, String, insert, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from tracker.db import Base, UTCDateTime, utcnow

log = logging.getLogger(__name__)
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Lease(Base):
    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(120), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


def acquire(session: Session, name: str, seconds: float, holder: str = PROCESS_ID, *,
            now: datetime | None = None) -> bool:
    """Take or renew the lease; commits on its own so other processes see it at once."""
    now = now or utcnow()
    until = now + timedelta(seconds=seconds)
    result = session.execute(update(Lease).where(Lease.name == name)
                             .where((Lease.expires_at < now) | (Lease.holder == holder))
                             .values(holder=holder, expires_at=until))
    if result.rowcount == 1:
        session.commit()
        return True
    try:
        session.execute(insert(Lease).values(name=name, holder=holder, expires_at=until))
        session.commit()
        return True
    except IntegrityError:
        session.rollback()
        return False


def release(session: Session, name: str, holder: str = PROCESS_ID) -> None:
    session.execute(update(Lease).where(Lease.name == name, Lease.holder == holder)
                    .values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()


def release_all(session: Session, holder: str = PROCESS_ID) -> int:
    """Free every lease this process holds (a scheduler that is stopping)."""
    result = session.execute(update(Lease).where(Lease.holder == holder, Lease.expires_at >= utcnow())
                             .values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    return result.rowcount or 0


@contextmanager
def held(session: Session, name: str, seconds: float):
    """`with held(...) as got:` — got is False when someone else holds it. While the block runs the lease
    is renewed (see `kept`); at its end the session's open transaction is rolled back and the lease freed."""
    if not acquire(session, name, seconds):
        yield False
        return
    try:
        with kept(session.get_bind(), name, seconds):
            yield True
    finally:
        session.rollback()
        release(session, name)


@contextmanager
def kept(engine: Engine, name: str, seconds: float, holder: str = PROCESS_ID, *,
         clock: Callable[[], datetime] = utcnow, every: float | None = None):
    """Renew a lease this process holds, from a background thread, until the block ends.

    A run longer than the lease (hundreds of slow feeds) keeps it, while a crashed holder still loses it
    within `seconds`. The thread has its own connection: the caller's session may be mid-transaction.
    It renews every `seconds / 3` (tests pass their own clock and pace)."""
    stop = threading.Event()
    interval = seconds / 3 if every is None else every

    def renew() -> None:
        while not stop.wait(interval):
            try:
                with Session(engine) as session:
                    if not acquire(session, name, seconds, holder, now=clock()):
                        log.warning("lease %s was taken by another holder; no longer renewing it", name)
                        return
            except SQLAlchemyError:  # the database is busy or away for a moment: try again next beat
                log.warning("could not renew lease %s; retrying", name, exc_info=True)

    thread = threading.Thread(target=renew, name=f"lease:{name}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
