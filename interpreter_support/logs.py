"""Keep link tokens out of every log: request lines are logged with the token redacted."""

from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"/r/[A-Za-z0-9_-]+")
LOGGERS = ("werkzeug", "gunicorn.access", "gunicorn.error", "interpreter_support")


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = TOKEN_IN_PATH.sub("/r/[token]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
