// The office's page over the decision service: plain JavaScript, no library, nothing
// loaded from elsewhere (a government intranet has no internet). Text from answers is
// put in with textContent; only the service's own SVG pictures are inserted as markup.
"use strict";

const TEXT = {
  zh: {
    title: "办文办事规则助手", switch: "English", tab_route: "公文流程", tab_check: "核查记录",
    tab_leave: "请假安排", example: "示例", document_text: "公文（YAML 或 JSON，可粘贴）",
    route_submit: "查询流程", procedure: "审批流程图", steps: "步骤与签批人", col_step: "步骤",
    col_actor: "办理人", col_role: "职务", col_article: "依据", orders: "有效顺序",
    check_submit: "核查", col_action: "办理", col_time: "时间", col_opinion: "意见",
    col_findings: "问题", month: "月份", suggest: "给出最小调整",
    plan_text: "请假安排（YAML 或 JSON，可粘贴）", leave_submit: "核查安排",
    legend_clash: "冲突", legend_acting: "代理（代理人→缺勤人）", legend_moved: "建议移出",
    legend_new: "建议移入", findings: "问题", changes: "建议的调整", close: "关闭",
    compliant: "合规", violations: "发现违规", none: "没有问题", count: (n) => `共 ${n} 种`,
    article: (n) => `第${n}条`, move: (c) => `${c.who}：${c.from}～${c.to} 改为 ${c.new_from}～${c.new_to}（移动 ${c.days} 天）`,
    report: (c) => `${c.who}：${c.on} 前补报 ${c.recipient}`, busy: "服务繁忙，请稍后重试",
    revision: "规则版本",
  },
  en: {
    title: "Office rules assistant", switch: "中文", tab_route: "Route", tab_check: "Check a record",
    tab_leave: "Leave plan", example: "Example", document_text: "Document (YAML or JSON, paste allowed)",
    route_submit: "Route", procedure: "Approval procedure", steps: "Steps and signers", col_step: "Step",
    col_actor: "Who", col_role: "Post", col_article: "Basis", orders: "Valid orders",
    check_submit: "Check", col_action: "Action", col_time: "Time", col_opinion: "Opinion",
    col_findings: "Findings", month: "Month", suggest: "Suggest the smallest change",
    plan_text: "Leave plan (YAML or JSON, paste allowed)", leave_submit: "Check plan",
    legend_clash: "clash", legend_acting: "acting (acting→absent)", legend_moved: "moved out",
    legend_new: "moved in", findings: "Findings", changes: "Suggested changes", close: "Close",
    compliant: "Compliant", violations: "Violations found", none: "No findings", count: (n) => `${n} in all`,
    article: (n) => `Art. ${n}`, move: (c) => `${c.who}: ${c.from}–${c.to} moved to ${c.new_from}–${c.new_to} (${c.days} days)`,
    report: (c) => `${c.who}: report to ${c.recipient} by ${c.on}`, busy: "The service is busy; retry shortly",
    revision: "policy",
  },
};

let lang = new URLSearchParams(location.search).get("lang") === "en" ? "en" : "zh";
const t = (key) => TEXT[lang][key];

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (cls) node.className = cls;
  return node;
}

function translate() {
  document.documentElement.lang = lang === "en" ? "en" : "zh-CN";
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
}

async function call(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ ...body, lang }),
  });
  const data = await response.json();
  if (!response.ok) {
    const error = data.error || {};
    throw new Error(response.status === 503 ? t("busy") : error.message || response.statusText);
  }
  document.getElementById("revision").textContent = `${t("revision")} ${data.policy_revision}`;
  return data;
}

function articleLink(number) {
  const link = el("a", t("article")(number), "article");
  link.href = "#";
  link.dataset.article = number;
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    const response = await fetch(`/v1/articles/${number}?lang=${lang}`);
    const data = await response.json();
    const dialog = document.getElementById("article");
    dialog.querySelector(".head").textContent = t("article")(number);
    dialog.querySelector(".text").textContent = lang === "en" && data.text_en ? data.text_en : data.text;
    dialog.showModal();
  });
  return link;
}

function findingItem(finding) {
  const item = el("li", null, `finding ${finding.severity}`);
  item.append(el("span", finding.message), articleLink(finding.article));
  return item;
}

function showError(panel, error) {
  const box = panel.querySelector(".error");
  box.textContent = error.message;
  box.hidden = false;
  panel.querySelector(".result").hidden = true;
}

function picture(panel, svg) {
  const holder = panel.querySelector(".picture");
  holder.replaceChildren();
  // The service draws the SVG and escapes every text in it.
  holder.insertAdjacentHTML("afterbegin", svg || "");
}

async function route(panel, text) {
  const data = await call("/v1/route", { document: text, picture: true });
  picture(panel, data.svg);
  const body = panel.querySelector(".steps tbody");
  body.replaceChildren();
  for (const step of data.steps) {
    const row = el("tr");
    const cell = el("td");
    cell.append(articleLink(step.article));
    row.append(el("td", step.action_label || step.action), el("td", step.actor),
      el("td", step.role_label || step.role), cell);
    body.append(row);
  }
  panel.querySelector(".count").textContent = t("count")(data.order_count);
  const orders = panel.querySelector(".orders");
  orders.replaceChildren();
  const names = Object.fromEntries(data.steps.map((s) => [s.id, `${s.action_label || s.action}（${s.actor}）`]));
  for (const order of data.orders) orders.append(el("li", order.map((s) => names[s] || s).join(" → ")));
}

async function check(panel, text) {
  const data = await call("/v1/check", { document: text, echo: true });
  verdict(panel, data.compliant);
  const byEntry = new Map();
  const general = panel.querySelector(".general");
  general.replaceChildren();
  for (const finding of data.findings) {
    const entry = finding.facts && finding.facts.entry;
    if (Number.isInteger(entry)) {
      if (!byEntry.has(entry)) byEntry.set(entry, []);
      byEntry.get(entry).push(finding);
    } else {
      general.append(findingItem(finding));
    }
  }
  const body = panel.querySelector(".trace tbody");
  body.replaceChildren();
  // The policy's labels of the actions it knows (审核, sign…), from the route's steps.
  const labels = Object.fromEntries((data.steps || []).map((s) => [s.action, s.action_label || s.action]));
  (data.input.trace || []).forEach((entry, index) => {
    const found = byEntry.get(index + 1) || [];
    const row = el("tr", null, found.length ? "flagged" : "");
    row.dataset.entry = index + 1;
    const cell = el("td");
    const list = el("ul");
    found.forEach((f) => list.append(findingItem(f)));
    cell.append(list);
    row.append(el("td", index + 1), el("td", entry.actor), el("td", labels[entry.action] || entry.action),
      el("td", entry.at), el("td", entry.opinion), cell);
    body.append(row);
  });
}

function verdict(panel, compliant) {
  const node = panel.querySelector(".verdict");
  node.textContent = compliant ? t("compliant") : t("violations");
  node.className = `verdict ${compliant ? "ok" : "bad"}`;
}

async function leave(panel, text, form) {
  const suggest = form.elements.suggest.checked;
  const data = await call("/v1/leave", { plan: text, month: form.elements.month.value, suggest });
  verdict(panel, data.compliant);
  picture(panel, data.svg);
  const list = panel.querySelector(".findings");
  list.replaceChildren();
  data.findings.forEach((f) => list.append(findingItem(f)));
  if (!data.findings.length) list.append(el("li", t("none")));
  const box = panel.querySelector(".suggestion");
  box.hidden = !suggest;
  const changes = panel.querySelector(".changes");
  changes.replaceChildren();
  for (const change of (data.suggestion && data.suggestion.changes) || []) {
    changes.append(el("li", change.kind === "move" ? t("move")(change) : t("report")(change), `change ${change.kind}`));
  }
}

const HANDLERS = { route, check, leave };

async function loadExample(select, panel) {
  const response = await fetch(`/v1/examples/${encodeURIComponent(select.value)}`);
  const text = await response.text();
  panel.querySelector("textarea").value = text;
  const month = panel.querySelector("input[name=month]");
  const first = text.match(/from:\s*(\d{4}-\d{2})-\d{2}/g);
  if (month && first) {
    const absences = text.match(/absences:[\s\S]*?from:\s*(\d{4}-\d{2})/);
    month.value = absences ? absences[1] : first[0].slice(-10, -3);
  }
}

async function start() {
  translate();
  document.getElementById("lang").addEventListener("click", () => {
    lang = lang === "en" ? "zh" : "en";
    translate();
    for (const panel of document.querySelectorAll(".panel")) {
      if (!panel.querySelector(".result").hidden) panel.querySelector("form").requestSubmit();
    }
  });
  for (const tab of document.querySelectorAll("nav button")) {
    tab.addEventListener("click", () => {
      for (const other of document.querySelectorAll("nav button")) other.classList.toggle("active", other === tab);
      for (const panel of document.querySelectorAll(".panel")) panel.classList.toggle("active", panel.id === tab.dataset.tab);
    });
  }
  const names = (await (await fetch("/v1/examples")).json()).examples;
  for (const panel of document.querySelectorAll(".panel")) {
    const select = panel.querySelector("select.examples");
    const kind = select.dataset.kind;
    for (const name of names.filter((n) => n.startsWith(kind))) select.append(el("option", name));
    if (panel.id === "check" && names.includes("doc-bad-order.yaml")) select.value = "doc-bad-order.yaml";
    select.addEventListener("change", () => loadExample(select, panel));
    await loadExample(select, panel);
    panel.querySelector("form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const form = event.target;
      panel.querySelector(".error").hidden = true;
      try {
        await HANDLERS[panel.id](panel, form.elements.text.value, form);
        panel.querySelector(".result").hidden = false;
      } catch (error) {
        showError(panel, error);
      }
    });
  }
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
