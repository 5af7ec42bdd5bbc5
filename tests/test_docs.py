"""The reference manual (docs/) says what the language does, and cannot drift from it.

- docs/keywords.md is generated from the keyword table, the trait table and the grammar;
  the committed file must equal the generated one (`GOVRULES_UPDATE_DOCS=1 pytest
  tests/test_docs.py` rewrites it).
- docs/language.md has a section for every statement form of the grammar; every rule
  example in it compiles with the bundled policy's vocabulary, and each Chinese example
  compiles to the same program as the English one that follows it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from govrules.compiler import compile_sources
from govrules.engine import Policy
from govrules.inputs import load_calendar_file, load_org
from govrules.lang.keywords import KEYWORDS, LANGS
from govrules.lang.traits import TRAITS
from govrules.policy_tests import load_cases, run_case
from govrules.resources import bundled_policy_dir, grammar_file

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# Where each grammar rule is explained in docs/language.md.
SECTIONS = {
    "start": "Files and articles",
    "_item": "Files and articles",
    "article": "Files and articles",
    "article_header": "Files and articles",
    "statement": "Files and articles",
    "rule_name": "Naming a rule",
    "day_model": "Readings of days, matters and acting",
    "_body": "Files and articles",
    "term_list": "Files and articles",
    "_list": "Files and articles",
    "_comma": "Files and articles",
    "vocabulary": "The vocabulary",
    "vocab_entry": "The vocabulary",
    "vocab_traits": "The vocabulary",
    "vocab_kind": "The vocabulary",
    "guard": "Interpretations",
    "interpretation": "Interpretations",
    "switch": "Interpretations",
    "definition": "Definitions",
    "def_head": "Definitions",
    "conditions": "Definitions",
    "condition": "Definitions",
    "procedure": "Procedures",
    "applies": "Procedures",
    "step_group": "Procedures",
    "step": "Procedures",
    "if_any": "Procedures",
    "doc_conditions": "Procedures",
    "doc_condition": "Procedures",
    "procedure_order": "Order inside a procedure",
    "step_ref": "Order inside a procedure",
    "procedure_extend": "Extending a procedure",
    "power": "Powers",
    "prohibit_action": "Forbidden actions",
    "prohibit_together": "Not away together",
    "report_duty": "Advance reports",
    "recipient_list": "Advance reports",
    "recipient": "Advance reports",
    "deadline_duty": "Deadlines",
    "acting_duty": "Acting for an absent post",
    "meeting_members": "Meetings",
    "meeting_frequency": "Meetings",
    "generally": "Meetings",
    "count": "Meetings",
    "per": "Meetings",
    "meeting_caller": "Meetings",
    "matter_duty": "Matters",
    "necessary": "Matters",
    "matter_act": "Matters",
    "longer": "Advance reports",
    "matter_details": "Matters",
    "detail": "Matters",
    "opinion_duty": "Explicit opinions",
    "explain_duty": "Explaining opinions not adopted",
    "revision_duty": "Revision loops",
    "step_option": "Alternatives and lists in a step",
    "action_order": "Ordering by action",
    "counts_as": "Counts as consent",
    "same_actor_duty": "The same actor at two stages",
    "doc_deadline": "Time limits from the document",
    "doc_requires": "Time limits from the document",
    "modality": "Must, in principle, generally",
}


def grammar_rules() -> dict[str, str]:
    """Each rule of the grammar (lower-case names) and its text."""
    text = grammar_file().read_text(encoding="utf-8")
    text = "\n".join(line.split("//", 1)[0] for line in text.splitlines())
    parts = re.split(r"^(?=[_a-z][a-z_]*\s*:)", text, flags=re.M)
    rules: dict[str, str] = {}
    for part in parts:
        head = re.match(r"([_a-z][a-z_]*)\s*:", part)
        if head:
            rules[head.group(1)] = part[head.end() :]
    return rules


def body_forms() -> list[str]:
    """The statement forms: the alternatives of `_body`."""
    return re.findall(r"[a-z_]+", grammar_rules()["_body"])


def anchor(title: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")


def render_keywords() -> str:
    """docs/keywords.md, from lang/keywords.py, lang/traits.py and the grammar."""
    rules = grammar_rules()
    used: dict[str, list[str]] = {}
    for name, text in rules.items():
        for keyword in re.findall(r"@([A-Z_]+)", text):
            section = SECTIONS[name]
            if section not in used.setdefault(keyword, []):
                used[keyword].append(section)

    def cell(words: str | None) -> str:
        return f"`{words}`" if words else "—"

    out = [
        "# Keywords",
        "",
        "<!-- Generated from src/govrules/lang/keywords.py, src/govrules/lang/traits.py and",
        "     grammar/govrules.lark by tests/test_docs.py; do not edit: run",
        "     GOVRULES_UPDATE_DOCS=1 pytest tests/test_docs.py -->",
        "",
        "Every keyword of the rule language, in its Chinese and its English spelling, and the",
        "statement forms of [language.md](language.md) that use it. A file may use either set;",
        "`govrules fmt --to en|zh` rewrites one into the other, and `govrules lint` reports a",
        "file that mixes them. A spelling of several words may be written with any spacing",
        "(none needed between Chinese words, at least one space between English ones); English",
        "keywords are case-insensitive. A keyword with no spelling in one set (—) is a part of",
        "a phrase the other set words differently. Article headers are `第N条` (Chinese",
        "numerals or digits) or `article N`.",
        "",
        "Three Chinese phrases hold a number (digits or Chinese numerals, any spacing) and are",
        "one token each: `在 N 个工作日 内` ([Deadlines](language.md#deadlines)), `每月 召开 N 次`",
        "and `每周 召开 N 次` ([Meetings](language.md#meetings)), `超过 N 个工作日 的`",
        "([Advance reports](language.md#advance-reports)).",
        "",
        "| keyword | 中文 | English | used in |",
        "| --- | --- | --- | --- |",
    ]
    for kw in KEYWORDS:
        where = ", ".join(
            f"[{s}](language.md#{anchor(s)})" for s in used.get(kw.name, ["Files and articles"])
        )
        out.append(f"| {kw.name} | {cell(kw.zh)} | {cell(kw.en)} | {where} |")
    out += [
        "",
        "## Traits",
        "",
        "The words after `特性` / `traits` in a vocabulary entry: what the engine needs to know",
        "of a word ([vocabulary.md](vocabulary.md)).",
        "",
        "| 中文 | English | for a word of kind | meaning | 含义 |",
        "| --- | --- | --- | --- | --- |",
    ]
    kinds = {"action": "ACTION", "absence": "ABSENCE", "role": "ROLE"}
    kinds |= {"document": "DOCKIND", "flag": "FLAG", "relation": "RELATION"}
    kinds |= {"meeting": "MEETING", "matter": "MATTER"}
    by_name = {kw.name: kw for kw in KEYWORDS}
    for trait in TRAITS:
        kind = by_name[kinds[trait.kind]]
        out.append(
            f"| `{trait.zh}` | `{trait.en}` | `{kind.zh}` / `{kind.en}` | {trait.meaning_en} | "
            f"{trait.meaning_zh} |"
        )
    return "\n".join(out) + "\n"


def test_committed_keywords_page_is_current() -> None:
    path = DOCS / "keywords.md"
    if os.environ.get("GOVRULES_UPDATE_DOCS"):
        path.write_text(render_keywords(), encoding="utf-8")
    assert path.read_text(encoding="utf-8") == render_keywords(), (
        f"{path} is stale: run GOVRULES_UPDATE_DOCS=1 pytest tests/test_docs.py"
    )


def test_every_grammar_rule_has_a_section_in_the_manual() -> None:
    assert set(grammar_rules()) == set(SECTIONS), "map each grammar rule to a section"
    headings = re.findall(r"^## (.+)$", (DOCS / "language.md").read_text(), flags=re.M)
    assert set(SECTIONS.values()) <= set(headings)
    for form in body_forms():
        section = _sections()[SECTIONS[form]]
        assert len(_rule_blocks(section)) >= 2, f"{form}: no zh and en example"


def _sections() -> dict[str, str]:
    text = (DOCS / "language.md").read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def _rule_blocks(text: str) -> list[str]:
    return re.findall(r"^```rules\n(.*?)^```$", text, flags=re.M | re.S)


def _block_lang(block: str) -> str:
    first = next(line.strip() for line in block.splitlines() if line.strip())
    return "en" if re.match(r"(article|vocabulary)\b", first) else "zh"


def _compiled(block: str) -> tuple[str, list[tuple[str, bool]]]:
    sources: dict[str, str] = {}
    if not re.match(r"\s*(词汇|vocabulary)", block):
        vocabulary = bundled_policy_dir() / "vocabulary.rules"
        sources[str(vocabulary)] = vocabulary.read_text(encoding="utf-8")
    sources["example.rules"] = block
    compiled = compile_sources(sources)
    interpretations = [(i.ident, i.default_enabled) for i in compiled.program.interpretations]
    return compiled.emitted.program, interpretations


EXAMPLE_PAIRS = [
    pytest.param(blocks[i], blocks[i + 1], id=f"{title}-{i // 2 + 1}")
    for title, text in _sections().items()
    for blocks in [_rule_blocks(text)]
    for i in range(0, len(blocks), 2)
]


@pytest.mark.parametrize(("zh", "en"), EXAMPLE_PAIRS)
def test_each_example_compiles_and_both_languages_say_the_same(zh: str, en: str) -> None:
    assert (_block_lang(zh), _block_lang(en)) == ("zh", "en")
    assert _compiled(zh) == _compiled(en)


def test_the_examples_use_every_keyword_in_both_languages() -> None:
    blocks = [b for text in _sections().values() for b in _rule_blocks(text)]
    by_lang = {lang: "\n".join(b for b in blocks if _block_lang(b) == lang) for lang in LANGS}
    # 条文 “LABEL” heads an article by a label of articles.toml; the bundled policy has none,
    # so no example can compile with it (docs/language.md shows it in prose).
    for kw in (k for k in KEYWORDS if k.name != "LABELLED"):
        for lang in LANGS:
            words = kw.words(lang)
            if words is None:
                continue
            gap = r"\s*" if lang == "zh" else r"\s+"
            pattern = gap.join(re.escape(w) for w in words.split(" "))
            assert re.search(pattern, by_lang[lang], flags=re.I), (kw.name, lang, words)


def _yaml_blocks(page: str) -> dict[str, str]:
    """The first YAML example under each `## ` heading of a docs page."""
    text = (DOCS / page).read_text(encoding="utf-8")
    parts = re.split(r"^## (.+)$", text, flags=re.M)
    blocks = {}
    for title, body in zip(parts[1::2], parts[2::2], strict=True):
        found = re.search(r"^```yaml\n(.*?)^```$", body, flags=re.M | re.S)
        if found:
            blocks[title] = found.group(1)
    return blocks


def test_the_input_examples_are_valid_inputs(tmp_path: Path, policy: Policy) -> None:
    """Each example of docs/inputs.md is read as its kind of file, and answered."""
    blocks = _yaml_blocks("inputs.md")
    assert set(blocks) == {"The organisation", "A document", "A plan", "A calendar"}
    for title, block in blocks.items():
        (tmp_path / f"{anchor(title)}.yaml").write_text(block, encoding="utf-8")
    org = load_org(tmp_path / "the-organisation.yaml")
    assert {p.name for p in org.people} >= {"张区长", "钱副主任"}
    result = policy.check(tmp_path / "a-document.yaml")
    assert {s.id for s in result.steps} >= {"propose:秘书股", "review:钱副主任"}
    plan = policy.check_leave(tmp_path / "a-plan.yaml")
    assert plan.acting
    calendar = load_calendar_file(tmp_path / "a-calendar.yaml")
    assert calendar.years[2027].provisional


def test_the_test_case_example_passes(tmp_path: Path, policy: Policy) -> None:
    block = re.search(r"^```yaml\n(.*?)^```$", (DOCS / "tests.md").read_text(), re.M | re.S)
    assert block
    (tmp_path / "case.yaml").write_text(block.group(1), encoding="utf-8")
    results = [run_case(policy, case) for case in load_cases(tmp_path / "case.yaml")]
    assert results and all(r.passed for r in results), [r.failures for r in results]


def test_every_finding_kind_of_the_kernel_is_explained() -> None:
    kernel = ROOT / "src" / "govrules" / "kernel"
    kinds = {
        kind
        for path in kernel.glob("*.lp")
        for kind in re.findall(r"^finding\([^,]+,[^,]+,[^,]+,(\w+),", path.read_text(), re.M)
    }
    assert len(kinds) > 15
    table = _sections()["Finding kinds"]
    assert {k for k in kinds if f"`{k}`" not in table} == set()


def test_every_link_between_the_pages_resolves() -> None:
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    broken = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            path, _, fragment = target.partition("#")
            file = (page.parent / path).resolve() if path else page
            if not file.exists():
                broken.append(f"{page.name}: {target}")
            elif fragment and file.suffix == ".md":
                headings = re.findall(r"^#+ (.+)$", file.read_text(encoding="utf-8"), re.M)
                if fragment not in {anchor(h) for h in headings}:
                    broken.append(f"{page.name}: {target}")
    assert not broken


def test_the_readme_yaml_examples_are_valid_inputs(tmp_path: Path, policy: Policy) -> None:
    """The README's plan and calendar examples are read as such (a plan is also answered)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```$", text, flags=re.M | re.S)
    kinds = []
    for i, block in enumerate(blocks):
        path = tmp_path / f"{i}.yaml"
        path.write_text(block, encoding="utf-8")
        if re.search(r"^years:", block, re.M):
            load_calendar_file(path)
            kinds.append("calendar")
        else:
            assert re.search(r"^absences:", block, re.M), block
            assert policy.check_leave(path).acting
            kinds.append("plan")
    assert sorted(kinds) == ["calendar", "plan"]
