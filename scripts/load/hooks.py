"""gunicorn hooks and the bare comparison app (`-c python:load.hooks`)."""

from __future__ import annotations

import os
from pathlib import Path


def post_worker_init(worker) -> None:
    """gunicorn hook (`-c python:load.hooks`): this worker has loaded the app and serves now."""
    (Path(os.environ["LOADTEST_READY_DIR"]) / str(worker.pid)).touch()


def bare_app():
    """The comparison endpoint: a minimal Flask app (gunicorn 'load.hooks:bare_app()')."""
    from flask import Flask

    app = Flask("bare")
    app.add_url_rule("/", "hello", lambda: "ok\n")
    return app
