"""Gunicorn's settings for Sister City Atlas: `gunicorn -c gunicorn.conf.py` (see README, Deploying).

Command-line options win over these (`--bind 0.0.0.0:8050`, `--workers 4`).
"""

import os

from gunicorn.glogging import CONFIG_DEFAULTS

wsgi_app = "wsgi:server"
bind = "127.0.0.1:8050"
# One worker a core; WEB_CONCURRENCY is gunicorn's own variable for the count.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# Threaded workers: a client sending its request slowly holds one of 32 threads, not a whole worker
# (two such clients took two sync workers out of service). The thread pool waits for a request's
# bytes off the pool (gunicorn's gthread), so slow clients do not even hold a thread for long.
worker_class = "gthread"
threads = 32
# The app and the tables are loaded once, before the workers fork: every worker starts from the same
# version, and each then follows the data directory itself (atlas/live.py).
preload_app = True
# A worker silent for 30 s is restarted; a stopping one gets 30 s to finish its requests; an idle
# kept-alive connection is closed after 5 s.
timeout = 30
graceful_timeout = 30
keepalive = 5
# No gunicornc control socket: every instance on a machine would share its one default path.
control_socket_disable = True
# Requests are logged on stdout; gunicorn's messages and the app's own (a new version served, a change
# refused), each with the worker's pid, on stderr.
logconfig_dict = {
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        **CONFIG_DEFAULTS["loggers"],
        "atlas": {"level": "INFO", "handlers": ["error_console"], "propagate": False, "qualname": "atlas"},
    },
}
