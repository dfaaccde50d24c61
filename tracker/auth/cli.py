import secrets
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from tracker.auth.models import ROLES, User
from tracker.auth.operations import AccountError, create_user, find_user, issue_token
from tracker.extensions import db

users_cli = AppGroup("users", help="Manage staff accounts.")


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
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", default="")
def create(email: str, role: str, name: str):
    """Create a staff account; the password is prompted (or read from stdin, twice)."""
    password = _read_password()
    try:
        user = create_user(db.session, email, password, role, name)
    except AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"created {user.email} ({user.role})")


@users_cli.command("token")
@click.argument("email")
def token(email: str):
    """Print a new personal API token (shown once; only its hash is stored)."""
    user = find_user(db.session, email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    raw = issue_token(db.session, user)
    db.session.commit()
    click.echo(raw)


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
        user = create_user(db.session, email, password, "admin", "Administrator")
    except AccountError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"admin account: {user.email}")
    if not chosen:
        click.echo(f"password: {password}   (shown once; change it by setting TRACKER_ADMIN_PASSWORD on a new database)")
