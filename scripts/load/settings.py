"""Settings shared by every part of the load run."""

from __future__ import annotations

import sys
from pathlib import Path

HOST = "127.0.0.1"
INSTRUMENT = "alliance-client"
P_DOUBLE_OPEN, P_PARTIAL, P_NO_READ, P_DOUBLE_SUBMIT = 0.15, 0.25, 0.1, 0.25
ENDINGS = ("reset", "close", "half-close")  # how a dropped connection ends
TIMEOUT = 60.0  # seconds; a request still unanswered by then counts as a hang
BIN = Path(sys.executable).parent
