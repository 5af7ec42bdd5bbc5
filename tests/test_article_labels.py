"""Articles keep their own numbering: articles.toml may give an article a label (一、, 附则),
a rule file's header may name the article by it, and findings cite it by its label."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from govrules.cli.main import cli
from govrules.engine import Policy
from govrules.errors import PolicyError, RuleError
from govrules.lang.fmt import format_rules
from govrules.lang.lint import lint
from govrules.lang.resolve import resolve
from govrules.lang.syntax import parse_rules
from govrules.policy_text import load_policy_text
from govrules.scaffold import scaffold

VOCABULARY = "词汇：\n  角色 经办人 = clerk。\n  行为 撰写 = write。\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _labelled(folder: Path, label: str) -> Path:
    """The scaffold with its one article labelled and its rule file headed by the label."""
    scaffold(folder)
    toml = folder / "articles.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            "[[articles]]\nnumber = 1\n", f'[[articles]]\nnumber = 1\nlabel = "{label}"\n'
        ),
        encoding="utf-8",
    )
    for path in (folder / "rules").glob("*.rules"):
        text = path.read_text(encoding="utf-8").replace("第一条", f"条文 “{label}”")
        path.write_text(text, encoding="utf-8")
    for path in (folder / "tests").glob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("article: 1,", f"article: {label},")
        path.write_text(text.replace("articles: [1]", f"articles: [{label}]"), encoding="utf-8")
    return folder


def _resolve(text: str, labels: dict[int, str]) -> list[tuple[str, int, str | None]]:
    files = [parse_rules(VOCABULARY, "v.rules"), parse_rules(text, "t.rules")]
    return [(r.ident, r.article, r.label) for r in resolve(files, None, labels).rules]


def test_a_header_may_name_its_article_by_label_in_zh_and_en() -> None:
    labels = {1: "总则", 2: "附则"}
    zh = _resolve("条文 “附则”\n  规则 x：禁止 经办人 撰写。\n", labels)
    en = _resolve('article "附则"\n  rule x: forbid clerk write.\n', labels)
    assert zh == en == [("x", 2, "附则")]
    numbered = _resolve("第二条\n  规则 x：禁止 经办人 撰写。\n", labels)
    assert numbered == [("x", 2, "附则")]  # the label comes from articles.toml either way
    assert _resolve("第二条\n  规则 x：禁止 经办人 撰写。\n", {}) == [("x", 2, None)]


def test_an_unknown_label_is_an_error_at_the_label() -> None:
    with pytest.raises(RuleError) as caught:
        _resolve("条文 “付则”\n  禁止 经办人 撰写。\n", {2: "附则"})
    err = caught.value
    assert err.code == "unknown_article" and (err.location.line, err.location.column) == (1, 4)
    assert "附则" in err.message.en  # did you mean


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_labelled_header_survives_formatting(lang: str) -> None:
    text = "条文 “（一）”\n  规则 x：禁止 经办人 撰写。\n"
    out = format_rules(parse_rules(text, "t.rules"), lang)
    assert out.splitlines()[0] == ("条文 “（一）”" if lang == "zh" else 'article "（一）"')
    back = parse_rules(out, "t.rules").articles[0]
    assert back.label is not None and back.label.text == "（一）"


def test_lint_tells_labelled_articles_apart() -> None:
    text = "条文 “一、”\n  禁止 经办人 撰写。\n条文 “二、”\n  禁止 经办人 撰写。\n"
    files = [parse_rules(VOCABULARY, "v.rules"), parse_rules(text, "t.rules")]
    findings = lint(files, None, labels={1: "一、", 2: "二、"})
    assert [f.code for f in findings] == []
    split = text + "条文 “一、”\n  规则 y：禁止 经办人 撰写。\n"
    files = [parse_rules(VOCABULARY, "v.rules"), parse_rules(split, "t.rules")]
    codes = [f.code for f in lint(files, None, labels={1: "一、", 2: "二、"})]
    assert codes == ["split-article"]


def test_findings_cite_a_labelled_article_by_its_label(tmp_path: Path) -> None:
    folder = _labelled(tmp_path / "p", "附则")
    code, out, err = run("test", str(folder), "--format", "json")
    assert code == 0, out + err
    bad = folder / "bad.yaml"
    bad.write_text(
        "document: {id: x, kind: request}\n"
        "trace:\n  - {actor: 李负责人, action: endorse, at: 2024-03-05T09:00}\n",
        encoding="utf-8",
    )
    code, out, _ = run("check", str(bad), "--policy", str(folder), "--format", "json")
    assert code == 1
    [finding] = json.loads(out)["findings"]
    assert finding["article"] == "附则" and finding["rule"] == "a1.1"
    code, out, _ = run("check", str(bad), "--policy", str(folder))
    assert "附则 (a1.1)" in out
    code, out, _ = run("articles", "--policy", str(folder), "--format", "json")
    assert code == 0 and json.loads(out)["articles"][0]["label"] == "附则"


def test_labels_must_be_unique(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    scaffold(folder)
    toml = folder / "articles.toml"
    text = toml.read_text(encoding="utf-8")
    article = text[text.index("[[articles]]") :]
    second = article.replace("number = 1", "number = 2")
    toml.write_text(
        (text + second).replace("chapter = 1\n", 'chapter = 1\nlabel = "一、"\n'),
        encoding="utf-8",
    )
    with pytest.raises(PolicyError, match="unique"):
        load_policy_text(folder)


def test_the_bundled_policy_keeps_integer_articles(policy: Policy) -> None:
    assert all(a.label is None for a in policy.text.articles)
    assert all(r.label is None for r in policy.program.rules)
    assert policy.program.article_of("a29.1") == 29
