"""Start uvicorn for `govrules serve`: one process, or a supervisor and worker processes.

Workers are uvicorn's own (its supervisor restarts a worker that exits); each loads the
policy once. With recycling asked for (`max_decisions`, `max_memory_mb`) a worker stops
itself after that many decisions or that much memory and the supervisor starts a fresh
one, so the supervisor is used even for a single worker.
"""

from __future__ import annotations

import os

from govrules.serve.app import ENV, Settings

__all__ = ["run"]


def run(settings: Settings, host: str, port: int, workers: int, log_level: str = "info") -> None:
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    os.environ[ENV] = settings.to_env()
    config = uvicorn.Config(
        "govrules.serve.app:from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        # Idle keep-alive connections are closed early: an OA system's pool reconnects.
        timeout_keep_alive=5,
        timeout_graceful_shutdown=30,
    )
    recycle = bool(settings.max_decisions or settings.max_memory_mb)
    if workers > 1 or recycle:
        Multiprocess(config, sockets=[config.bind_socket()]).run()
        return
    uvicorn.Server(config).run()
