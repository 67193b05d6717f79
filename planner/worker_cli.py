"""`planner worker`: run solve jobs from the RQ queue (REDIS_URL), on this or any machine
that shares the database and Redis with the web processes."""

from __future__ import annotations

import sys

import click

from .cli import with_app

EXIT_NO_QUEUE = 2


@click.command("worker", short_help="Run solve jobs from Redis (RQ), on any machine.")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then exit.")
@click.option(
    "--simple",
    is_flag=True,
    help="Run each job in this process instead of a forked one (for debugging).",
)
@with_app
def worker_command(burst: bool, simple: bool) -> None:
    """Run an RQ worker for solve jobs (needs REDIS_URL and the rq package)."""
    from flask import current_app

    from .jobs import queue, redis_url

    app = current_app._get_current_object()
    if not redis_url(app):
        click.echo("Error: set REDIS_URL to the Redis server the web app uses.", err=True)
        sys.exit(EXIT_NO_QUEUE)
    from rq import SimpleWorker, Worker

    jobs = queue(app)
    kind = SimpleWorker if simple else Worker
    kind([jobs], connection=jobs.connection).work(burst=burst, with_scheduler=False)
