import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.extensions import db
from tracker.recommendations.seeding import RegisterError, load_register_file, seed_register


@click.command("seed")
@with_appcontext
def seed_command():
    """Load or update the register (and feed sources) from the project's data files."""
    try:
        report = seed_register(db.session, load_register_file())
    except RegisterError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from None
    for hook in current_app.extensions.get("tracker_seed_hooks", ()):
        hook(db.session)
    db.session.commit()
    click.echo(f"register: {len(report.created)} created, {len(report.updated)} updated, "
               f"{len(report.retired)} retired")
