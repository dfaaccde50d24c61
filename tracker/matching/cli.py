import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from tracker.extensions import db
from tracker.matching.decisions import decisions_as_evaluation_items, dump_evaluation_items

matching_cli = AppGroup("matching", help="The matcher's suggestions and the decisions people made on them.")


@matching_cli.command("export-decisions")
@click.option("--output", "output", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="File to write (default: standard output).")
def export_decisions(output: Path | None):
    """Write every review decision as evaluation items (YAML, split `decisions`)."""
    items, still_waiting = decisions_as_evaluation_items(db.session)
    db.session.rollback()  # read-only: end the transaction before writing files
    text = dump_evaluation_items(items)
    if output is None:
        sys.stdout.write(text)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
    distractors = sum(1 for i in items if not i["expected"])
    click.echo(f"exported {len(items)} items ({distractors} distractors)"
               + (f"; {still_waiting} items left out while suggestions on them wait for review" if still_waiting
                  else "") + (f" to {output}" if output else ""), err=True)
