"""The `govrules` command's entry point: a route answered from its kit, else the full
command line.

Nothing here imports the command-line framework, the input models or the compiled
program: a `govrules route` whose kit is kept (`quickroute`) answers without them, which
is most of a one-shot route's start. Every other command, and every route the kit's path
declines, goes on to `cli.main` exactly as before.
"""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    # Ctrl-C ends the command at once, even inside grounding or solving (see `cli.main`).
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    if os.environ.get("GOVRULES_ROUTE_KIT", "on") != "off":
        from govrules.quickroute import answer

        code = answer(sys.argv[1:])
        if code is not None:
            sys.exit(code)
    from govrules.cli.main import main as full

    full()
