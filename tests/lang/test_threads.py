"""Parsing from several threads at once (issue 15, item 16): each parse keeps its own
comments and keyword uses, so a zh and an en file parsed together come out exactly as they
do alone."""

from __future__ import annotations

import threading
from pathlib import Path

from govrules.lang.syntax import parse_rules
from govrules.resources import bundled_policy_dir

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "en"


def test_parses_in_threads_equal_parses_alone() -> None:
    zh_file = bundled_policy_dir() / "rules" / "a29-documents.rules"
    en_file = FIXTURES / "a29-documents.rules"
    texts = {
        "zh": zh_file.read_text(encoding="utf-8"),
        "en": en_file.read_text(encoding="utf-8"),
    }
    alone = {lang: parse_rules(text, lang) for lang, text in texts.items()}
    assert alone["zh"].lang == "zh" and alone["en"].lang == "en"
    assert alone["zh"].comments != alone["en"].comments
    threads, rounds = 4, 10
    barrier = threading.Barrier(threads)
    wrong: list[str] = []

    def work(index: int) -> None:
        barrier.wait()
        for n in range(rounds):
            lang = "zh" if (index + n) % 2 else "en"
            got = parse_rules(texts[lang], lang)
            if got != alone[lang]:
                wrong.append(f"thread {index}, parse {n} ({lang})")

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert wrong == []
