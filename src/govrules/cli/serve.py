"""`govrules serve`: the decision service and the office's web page over HTTP."""

from __future__ import annotations

from pathlib import Path

import click

from govrules.cli.main import cli


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址 / address")
@click.option("--port", type=click.IntRange(0, 65535), default=8181, show_default=True)
@click.option("--policy", type=click.Path(path_type=Path), default=None, help="策略目录 / policy")
@click.option("--org", "org", default=None, help="默认组织文件 / the default organisation file")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="工作进程数 / worker processes",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="每个进程的求解线程 / solver threads per process",
)
@click.option(
    "--queue",
    type=click.IntRange(0, 10_000),
    default=16,
    show_default=True,
    help="排队上限，超过即返回 503 / decisions waiting at most before 503",
)
@click.option(
    "--max-body",
    type=click.IntRange(1, 100_000_000),
    default=1_000_000,
    show_default=True,
    help="请求体字节上限（413）/ request body limit in bytes (413)",
)
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=10.0, show_default=True)
@click.option(
    "--decision-log",
    type=click.Path(dir_okay=False),
    default=None,
    help="决策日志（JSON Lines）/ decision log file (JSON Lines)",
)
@click.option(
    "--log-unmasked",
    is_flag=True,
    help="日志中保留姓名和请假细节 / keep names and leave details in the decision log",
)
@click.option(
    "--max-decisions",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="进程作出 N 个决策后重启（0：不）/ recycle a worker after N decisions (0: never)",
)
@click.option(
    "--max-memory-mb",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="进程内存超过 M MB 后重启（0：不）/ recycle a worker past M MB (0: never)",
)
@click.option(
    "--log-level",
    default="info",
    show_default=True,
    type=click.Choice(["critical", "error", "warning", "info", "debug"]),
)
def serve(
    host: str,
    port: int,
    policy: Path | None,
    org: str | None,
    workers: int,
    threads: int,
    queue: int,
    max_body: int,
    timeout: float,
    decision_log: str | None,
    log_unmasked: bool,
    max_decisions: int,
    max_memory_mb: int,
    log_level: str,
) -> None:
    """HTTP 决策服务和办公网页 / the HTTP decision service and the office's web page."""
    import govrules
    from govrules.inputs import load_org
    from govrules.serve.app import Settings
    from govrules.serve.runner import run

    # Refuse a bad policy or organisation here, with the CLI's message, not in each worker.
    govrules.load_policy(policy)
    if org is not None:
        load_org(org)
    settings = Settings(
        policy=str(policy) if policy else None,
        org=org,
        threads=threads,
        queue=queue,
        max_body=max_body,
        timeout=timeout,
        decision_log=decision_log,
        log_unmasked=log_unmasked,
        max_decisions=max_decisions,
        max_memory_mb=max_memory_mb,
    )
    run(settings, host, port, workers, log_level)
