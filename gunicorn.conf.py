"""gunicorn settings for `make serve`: `gunicorn -c gunicorn.conf.py 'planner:create_app()'`.

The environment overrides: HOST and PORT (127.0.0.1:8000), WEB_CONCURRENCY (worker
processes), GUNICORN_THREADS (threads per worker) and GUNICORN_TIMEOUT. `make bench-web`
uses the same file with its own address and database.
"""

from __future__ import annotations

import os

CORES = os.cpu_count() or 1

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"

# gthread workers, one more process than cores, four threads each. Measured with
# `make bench-web` (400 voters, 16 client threads) on the 2-core machine, in runs where
# nothing else used the CPU, ballot requests/s and p99 of all ballot requests:
#   gthread, 3 workers x 4 threads   239-320 req/s   p99 275-472 ms   /healthz 1,800-2,100/s
#   gthread, 5 workers x 2 threads   234-261 req/s   p99 257-345 ms   /healthz 1,100-1,500/s
#   sync, 5 workers (2 x cores + 1)  240-287 req/s   p99 547-660 ms   /healthz 1,000-1,600/s
# The ballot path is CPU-bound (both cores busy, 5-7 ms of CPU per request), so throughput
# hardly depends on the choice, and more processes than cores add memory, not speed. Threads
# cover the waits (SQLite's write lock, the fsync of every vote), so a vote does not queue
# behind another's commit: p99 is a third to a half lower. They also keep a phone's
# connection alive between its page and its marks; sync workers close every connection.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", CORES + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))

# gthread's main thread reports to the arbiter while requests run, so this only restarts a
# worker that hangs as a whole. Solves run beside the requests (planner/jobs.py: a thread of
# the worker, or `planner worker` with REDIS_URL), never inside one. A worker that restarts
# loses a solve running in its thread, so there is no max_requests.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5  # seconds a phone's idle connection stays open for its next tap

# Each worker builds its own app and database engine: no connections shared across fork.
preload_app = False

# gunicorn 27's control socket sits at one path in the home folder, so a second server (the
# benchmark, another checkout) would take it over; nothing here uses it.
control_socket_disable = True

accesslog = None  # the reverse proxy logs requests; errors go to stderr
errorlog = "-"
