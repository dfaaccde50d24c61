"""`flask --app tracker users …`: accounts, passwords, activation and API tokens. One commit per command."""
import secrets
import sys
from functools import wraps

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from tracker.auth import operations, queries
from tracker.auth.models import DEFAULT_ROLE, ROLES, User
from tracker.display import local_time
from tracker.errors import DomainError
from tracker.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


def _one_transaction(command):
    """Commit what the command did, or roll it all back and say why (a domain error is not a traceback)."""
    @wraps(command)
    def wrapped(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
        except DomainError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc.message)) from None
        db.session.commit()
        return result
    return wrapped


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    lines = sys.stdin.read().splitlines()
    if len(lines) < 2:
        raise click.ClickException("Pipe the password twice (password and confirmation), one per line.")
    if lines[0] != lines[1]:
        raise click.ClickException("The password and its confirmation differ.")
    return lines[0]


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default=DEFAULT_ROLE, show_default=True)
@click.option("--name", default="")
@_one_transaction
def create(email: str, role: str, name: str):
    """Create a staff account; the password is prompted (or read from stdin, twice)."""
    user = operations.create_user(db.session, email, _read_password(), role, name)
    click.echo(f"created {user.email} ({user.role})")


@users_cli.command("password")
@click.argument("email")
@_one_transaction
def password(email: str):
    """Set a new password (prompted, or two lines on stdin); ends the account's sessions and API tokens."""
    user = operations.get_user(db.session, email)
    operations.set_password(db.session, user, _read_password())
    click.echo(f"password changed for {user.email}; its sessions and API tokens were ended")


@users_cli.command("deactivate")
@click.argument("email")
@_one_transaction
def deactivate(email: str):
    """Stop an account at once: no login, and its sessions and API tokens stop working."""
    user = operations.get_user(db.session, email)
    operations.deactivate(db.session, user)
    click.echo(f"deactivated {user.email}; its sessions and API tokens were ended")


@users_cli.command("activate")
@click.argument("email")
@_one_transaction
def activate(email: str):
    """Let a deactivated account log in again (revoked tokens stay revoked)."""
    user = operations.get_user(db.session, email)
    operations.activate(db.session, user)
    click.echo(f"activated {user.email}")


@users_cli.command("token")
@click.argument("email")
@_one_transaction
def token(email: str):
    """Print a new personal API token (shown once; only its hash is stored)."""
    click.echo(operations.issue_token(db.session, operations.get_user(db.session, email)))


@users_cli.command("tokens")
@click.argument("email")
def tokens(email: str):
    """List the account's API tokens: id, created, last used, revoked (never their values)."""
    try:
        user = operations.get_user(db.session, email)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    rows = queries.tokens_of(db.session, user)
    if not rows:
        click.echo(f"{user.email} has no API tokens")
        return
    click.echo(f"{'id':>6}  {'created':<19}  {'last used':<19}  revoked")
    for t in rows:
        revoked = (local_time(t.revoked_at, "%Y-%m-%d %H:%M") if t.revoked_at else "yes") if t.revoked else "no"
        click.echo(f"{t.id:>6}  {local_time(t.created_at, '%Y-%m-%d %H:%M'):<19}  "
                   f"{local_time(t.last_used_at, '%Y-%m-%d %H:%M') if t.last_used_at else 'never':<19}  {revoked}")


@users_cli.command("revoke-token")
@click.argument("email")
@click.argument("token_id", type=click.IntRange(min=1, max=2**62), required=False)
@click.option("--all", "revoke_all", is_flag=True, help="Revoke every token of the account.")
@_one_transaction
def revoke_token(email: str, token_id: int | None, revoke_all: bool):
    """Revoke one API token (by the id `users tokens` shows) or, with --all, all of them."""
    if (token_id is None) == (not revoke_all):
        raise click.UsageError("Give a token id (see `users tokens EMAIL`) or --all, not both.")
    user = operations.get_user(db.session, email)
    count = operations.revoke_tokens(db.session, user, token_id)
    click.echo(f"revoked {count} token(s) of {user.email}")


@users_cli.command("ensure-admin")
@click.option("--email", default=None, help="default: TRACKER_ADMIN_EMAIL")
def ensure_admin(email: str | None):
    """Make sure an admin exists; prints the generated password the first time."""
    if db.session.scalar(select(User).where(User.role == "admin", User.active.is_(True))):
        click.echo("admin account exists")
        return
    email = email or current_app.config["TRACKER_ADMIN_EMAIL"]
    chosen = current_app.config["TRACKER_ADMIN_PASSWORD"]
    password = chosen or secrets.token_urlsafe(12)
    try:
        user = operations.create_user(db.session, email, password, "admin", "Administrator")
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    db.session.commit()
    click.echo(f"admin account: {user.email}")
    if not chosen:
        click.echo(f"password: {password}   (shown once; change it with "
                   f"`flask --app tracker users password {user.email}`)")
