"""`analyzer review`: the compliance review web app and its database chores (import, users, export)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

REPORTS_HELP = "Folder of report JSON files from `analyzer score` (searched recursively)."
DB_HELP = "Database URL: sqlite:///path/review.sqlite (default: review.sqlite next to the reports) or postgresql://..."


def _url(db: str | None, reports: Path | None) -> str:
    from analyzer.review.db import default_url

    return db or default_url(reports)


def _factory(url: str):  # type: ignore[no-untyped-def]
    from analyzer.review.db import open_database

    try:
        return open_database(url)[1]
    except Exception as error:  # any driver error becomes a clean CLI message (re-raised below)
        raise click.ClickException(f"cannot open the review database: {type(error).__name__}") from error


@click.group("review")
def review_group() -> None:
    """Compliance review: reviewers confirm, reject or correct findings in a browser."""


@review_group.command("import")
@click.option("--reports", type=click.Path(exists=True, file_okay=False, path_type=Path), required=True,
              help=REPORTS_HELP)
@click.option("--db", help=DB_HELP)
def import_command(reports: Path, db: str | None) -> None:
    """Import reports (idempotent; a newer analysis of a conversation keeps earlier decisions)."""
    from analyzer.review.importer import import_folder

    result = import_folder(_factory(_url(db, reports)), reports)
    click.echo(result.summary())


@review_group.command("adduser")
@click.argument("name")
@click.option("--role", type=click.Choice(["reviewer", "lead", "admin"]), required=True)
@click.option("--db", help=DB_HELP)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
def adduser_command(name: str, role: str, db: str | None, password_stdin: bool) -> None:
    """Create a user NAME with ROLE; the password is prompted (or read with --password-stdin)."""
    from analyzer.review.app import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    factory = _factory(_url(db, None))
    try:
        with factory.begin() as session:
            create_user(session, name, role, password)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"user {name} ({role}) created")


@review_group.command("export")
@click.option("--db", required=True, help=DB_HELP)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Gold-format JSON Lines file to write (formats.md).")
@click.option("--all", "include_all", is_flag=True, help="Also conversations nobody has reviewed yet.")
def export_command(db: str, output: Path, include_all: bool) -> None:
    """Write reviewer decisions as a gold set: labels from accepted/added findings, a `review` trail per turn."""
    import json

    from analyzer.report.builder import write_atomic
    from analyzer.review.exporter import export_lines
    from analyzer.review.service import audit

    factory = _factory(db)
    with factory.begin() as session:
        lines = [json.dumps(line, ensure_ascii=False) + "\n" for line in export_lines(session, include_all)]
        audit(session, None, "export", detail=f"conversations={len(lines)} via CLI")
    write_atomic(output, "".join(lines))
    click.echo(f"wrote {len(lines)} conversation(s) to {output}")


@review_group.command("serve")
@click.option("--reports", type=click.Path(exists=True, file_okay=False, path_type=Path), help=REPORTS_HELP)
@click.option("--db", help=DB_HELP)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (keep it local).")
@click.option("--port", default=8765, show_default=True, type=int)
@click.option("--pii-roles", default="lead,admin", show_default=True,
              help="Roles that see personal data unmasked (comma-separated).")
@click.option("--threads", default=4, show_default=True, type=int)
def serve_command(reports: Path | None, db: str | None, host: str, port: int, pii_roles: str, threads: int) -> None:
    """Import REPORTS (when given) and serve the review app until interrupted."""
    from waitress import serve

    from analyzer.review.app import create_app
    from analyzer.review.importer import import_folder

    if reports is None and db is None:
        raise click.UsageError("give --reports, --db or both")
    url = _url(db, reports)
    _configure_logging()
    if reports is not None:
        click.echo(import_folder(_factory(url), reports).summary(), err=True)
    roles = tuple(r.strip() for r in pii_roles.split(",") if r.strip())
    app = create_app(url, pii_roles=roles)
    click.echo(f"review app on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    serve(app, host=host, port=port, threads=threads, ident="analyzer-review")


def _configure_logging() -> None:
    """Access lines on stderr; waitress logs only errors. Neither carries query strings or bodies."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    for name in ("analyzer.review.access", "waitress"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
