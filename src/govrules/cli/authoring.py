"""`govrules compile`, `fmt`, `lint` and `init`: tools for policy authors."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click

from govrules.cli.main import cli
from govrules.errors import Bilingual, InputError, Location


def _read(path: str) -> str:
    name = "<stdin>" if path == "-" else path
    try:
        return sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        line = err.object[: err.start].count(b"\n") + 1
        raise InputError(
            Bilingual(
                f"规则文件不是 UTF-8 编码（第 {err.start} 字节为 0x{err.object[err.start]:02x}）；"
                "请另存为 UTF-8",
                f"the rule file is not UTF-8 (byte 0x{err.object[err.start]:02x} at offset "
                f"{err.start}); save it as UTF-8",
            ),
            Location(name, line),
            code="encoding",
        ) from None
    except OSError as err:
        reason = err.strerror or str(err)
        raise InputError(
            Bilingual(f"无法读取规则文件：{reason}", f"cannot read rule file: {reason}"),
            Location(name),
            code="unreadable",
        ) from None


def owning_policy(files: tuple[str, ...], policy: Path | None) -> Path:
    """The policy rule files belong to: --policy when given, else the folder holding
    policy.toml above the first named file, else the bundled policy (a file on its own)."""
    from govrules.policy_files import policy_root
    from govrules.resources import bundled_policy_dir

    if policy is not None:
        return policy
    for f in files:
        if f != "-":
            found = policy_root(Path(f).parent)
            if found is not None:
                return found
            break
    return bundled_policy_dir()


def _with_vocabulary(files: tuple[str, ...], policy: Path | None) -> dict[str, str]:
    """The named files, preceded by their policy's vocabulary unless it is among them."""
    sources: dict[str, str] = {}
    vocabulary = owning_policy(files, policy) / "vocabulary.rules"
    named = {Path(f).resolve() for f in files if f != "-"}
    if vocabulary.is_file() and vocabulary.resolve() not in named:
        sources[str(vocabulary)] = vocabulary.read_text(encoding="utf-8")
    for f in files:
        sources["<stdin>" if f == "-" else f] = _read(f)
    return sources


@cli.command("compile")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--policy",
    type=click.Path(path_type=Path),
    default=None,
    help="取其词汇表 / take the vocabulary from this policy",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def compile_(files: tuple[str, ...], policy: Path | None, lang: str) -> None:
    """规则文件编译成的 ASP 程序 / the ASP program FILES compile to."""
    from govrules.compiler import compile_sources
    from govrules.policy_text import article_labels

    labels = article_labels(owning_policy(files, policy))
    compiled = compile_sources(_with_vocabulary(files, policy), labels)
    click.echo(compiled.emitted.text, nl=False)


@cli.command("fmt")
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--to",
    "to_lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="改用另一种关键词 / rewrite with the other keyword set",
)
@click.option("--write", "-w", is_flag=True, help="就地改写 / rewrite the files in place")
@click.option("--check", is_flag=True, help="未格式化时退出码为 1 / exit 1 if not formatted")
@click.option(
    "--policy",
    type=click.Path(path_type=Path),
    default=None,
    help="翻译时所用的词汇表 / the vocabulary used to translate terms",
)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def fmt(
    files: tuple[str, ...],
    to_lang: str | None,
    write: bool,
    check: bool,
    policy: Path | None,
    lang: str,
) -> None:
    """规范格式化规则文件 / format rule FILES canonically."""
    from govrules.compiler import compile_policy
    from govrules.lang.fmt import format_rules
    from govrules.lang.syntax import parse_rules

    # Translating keywords also renames terms (中文名称 ↔ identifier) from the vocabulary.
    vocabulary = compile_policy(owning_policy(files, policy)).program if to_lang else None
    outputs = {}
    for f in files:
        text = _read(f)
        outputs[f] = (text, format_rules(parse_rules(text, f), to_lang, vocabulary))
    unformatted = [f for f, (old, new) in outputs.items() if old != new]
    if check:
        for f in unformatted:
            click.echo(f, err=True)
        sys.exit(1 if unformatted else 0)
    if write:
        for f in unformatted:
            if f == "-":
                continue
            target = Path(f)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=target.parent, delete=False
            ) as tmp:
                tmp.write(outputs[f][1])
            os.replace(tmp.name, target)
        return
    for _, new in outputs.values():
        click.echo(new, nl=False)


@cli.command("lint")
@click.argument("files", nargs=-1)
@click.option("--policy", type=click.Path(path_type=Path), default=None)
@click.option("--format", "fmt_", type=click.Choice(["text", "json"]), default="text")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def lint(files: tuple[str, ...], policy: Path | None, fmt_: str, lang: str) -> None:
    """检查规则文件：未知或未用的词、缺少条文的规则 / lint rule files."""
    import json

    from govrules.compiler import policy_rule_files
    from govrules.lang.lint import lint as run_lint
    from govrules.lang.syntax import parse_rules
    from govrules.policy_text import article_labels
    from govrules.resources import bundled_policy_dir

    if files:
        directory = owning_policy(files, policy)
        sources = _with_vocabulary(files, policy)
    else:
        directory = policy or bundled_policy_dir()
        sources = {str(p): _read(str(p)) for p in policy_rule_files(directory)}
    parsed = [parse_rules(text, name) for name, text in sources.items()]
    findings = run_lint(parsed, None, labels=article_labels(directory))
    if fmt_ == "json":
        records = [
            {
                "code": f.code,
                "severity": f.severity,
                "file": f.location.file,
                "line": f.location.line,
                "column": f.location.column,
                "message": f.message(lang),
            }
            for f in findings
        ]
        click.echo(json.dumps(records, ensure_ascii=False, sort_keys=True, indent=2))
    else:
        for f in findings:
            click.echo(f.render(lang))
        if not findings:
            click.echo("无问题。" if lang == "zh" else "No problems.")
    sys.exit(1 if any(f.severity == "error" for f in findings) else 0)


@cli.command("init")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def init(directory: Path, lang: str) -> None:
    """新建策略目录（须为新的或空的目录）/ scaffold a new policy in DIRECTORY (new or empty)."""
    from govrules.scaffold import scaffold

    written = scaffold(directory)
    for path in written:
        click.echo(str(path))
    shown = str(directory)
    if lang == "en":
        click.echo(
            f"A new policy, with one article, one rule and two test cases: "
            f"`govrules test {shown}` passes now; then edit articles.toml, "
            f"vocabulary.rules and rules/, and keep `govrules lint --policy {shown}` clean."
        )
    else:
        click.echo(
            f"已新建策略（一条条文、一条规则、两个用例）：`govrules test {shown}` 现在即可通过；"
            "然后改写 articles.toml、vocabulary.rules 与 rules/，"
            f"并保持 `govrules lint --policy {shown}` 无问题。"
        )
