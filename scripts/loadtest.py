#!/usr/bin/env python3
"""Load and fault test of the app under gunicorn: see scripts/load/run.py for what it runs.

    python scripts/loadtest.py --help
"""

from load.run import main

if __name__ == "__main__":
    raise SystemExit(main())
