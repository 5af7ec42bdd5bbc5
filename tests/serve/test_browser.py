"""The office's web page in a real headless Chromium (Debian's, driven by Playwright): load
it, submit the bundled examples, check what a clerk sees, keep a screenshot of each page.

`make test` installs Debian's Chromium where it can (as root, with apt). A missing browser
fails these tests, saying how to install one: they never skip."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import playwright.sync_api as playwright_api
import pytest
from tests.serve.conftest import live_server

CHROMIUM = os.environ.get("GOVRULES_CHROMIUM", "/usr/bin/chromium")

if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
    pytest.fail(
        f"no Chromium at {CHROMIUM}: apt-get install chromium fonts-noto-cjk (make test does so "
        "as root), or set GOVRULES_CHROMIUM to another",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with live_server() as base, playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        # bypass_csp: Playwright evaluates its waiting predicates as strings (eval).
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, bypass_csp=True)
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.goto(base + "/")
        tab.wait_for_selector("body[data-ready=true]")
        yield tab
        browser.close()


def _shot(page: Any, name: str) -> None:
    folder = Path(os.environ.get("GOVRULES_SCREENSHOTS", "") or page.context.browser.version)
    if not os.environ.get("GOVRULES_SCREENSHOTS"):
        return  # only where asked (CI keeps none): the assertions are the test
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def test_route_draws_the_procedure(page: Any) -> None:
    panel = page.locator("#route")
    assert page.locator("nav button[data-tab=route]").inner_text() == "公文流程"
    panel.locator("select.examples").select_option("doc-outgoing.yaml")
    page.wait_for_function("document.querySelector('#route textarea').value.includes('西府文')")
    panel.locator("button[type=submit]").click()
    panel.locator(".result").wait_for(state="visible")
    assert panel.locator("svg g.step").count() == 5
    assert panel.locator("svg line.edge").count() == 5
    rows = panel.locator(".steps tbody tr")
    assert rows.count() == 5
    assert "王副区长" in panel.locator(".steps").inner_text()
    assert panel.locator(".count").inner_text() == "共 2 种"
    assert panel.locator(".orders li").count() == 2
    assert "审签（赵主任）" in panel.locator(".orders").inner_text()
    _shot(page, "route")


def test_check_puts_findings_next_to_entries(page: Any) -> None:
    page.locator("nav button[data-tab=check]").click()
    panel = page.locator("#check")
    assert panel.locator("select.examples").input_value() == "doc-bad-order.yaml"
    panel.locator("button[type=submit]").click()
    panel.locator(".result").wait_for(state="visible")
    assert panel.locator(".verdict").inner_text() == "发现违规"
    flagged = panel.locator("tr.flagged")
    assert flagged.count() == 1
    assert flagged.get_attribute("data-entry") == "2"
    assert "赵主任" in flagged.inner_text() and "顺序错误" in flagged.inner_text()
    assert "审签" in flagged.inner_text()  # the policy's label of `sign`
    flagged.locator("a.article").click()
    dialog = page.locator("dialog#article")
    dialog.wait_for(state="visible")
    assert dialog.locator(".head").inner_text() == "第29条"
    assert "以区政府党组、区政府名义行文" in dialog.locator(".text").inner_text()
    _shot(page, "check")
    dialog.locator("button").click()


def test_leave_calendar_with_the_suggestion(page: Any) -> None:
    page.locator("nav button[data-tab=leave]").click()
    panel = page.locator("#leave")
    panel.locator("select.examples").select_option("plan.yaml")
    page.wait_for_function("document.querySelector('#leave input[name=month]').value === '2021-03'")
    panel.locator("input[name=suggest]").check()
    panel.locator("button[type=submit]").click()
    panel.locator(".result").wait_for(state="visible")
    assert panel.locator("svg g.day.clash[data-date='2021-03-03']").count() == 1
    assert panel.locator("svg g.day.clash[data-date='2021-03-10']").count() == 0
    assert "孙副主任→钱副主任" in panel.locator("svg g[data-date='2021-03-01']").text_content()
    assert "+钱副主任" in panel.locator("svg g[data-date='2021-03-08']").text_content()
    changes = panel.locator(".changes").inner_text()
    assert "钱副主任：2021-03-01～2021-03-05 改为 2021-03-08～2021-03-12" in changes
    assert panel.locator(".findings li").count() == 2
    _shot(page, "leave")


def test_english_and_a_bad_paste(page: Any) -> None:
    page.locator("#lang").click()
    assert page.locator("nav button[data-tab=leave]").inner_text() == "Leave plan"
    panel = page.locator("#leave")
    page.wait_for_function(
        "document.querySelector('#leave .verdict').textContent === 'Violations found'"
    )
    assert "March 2021" in panel.locator("svg title").first.text_content()
    page.locator("nav button[data-tab=check]").click()
    check = page.locator("#check")
    check.locator("textarea").fill("document: {id: x, kind: outgoing\n")
    check.locator("button[type=submit]").click()
    error = check.locator(".error")
    error.wait_for(state="visible")
    assert error.inner_text().startswith("document:")
    _shot(page, "english-error")
    page.locator("#lang").click()
