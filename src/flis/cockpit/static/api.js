// The cockpit's only way to data: the public API with the session cookie (docs/cockpit.md).
export const ctx = JSON.parse(document.getElementById("flis-context").textContent);
const LOCALE = ctx.lang === "en" ? "en-GB" : "da-DK";

export function t(key, vars = {}) {
  let text = ctx.messages[key] ?? key;
  for (const [name, value] of Object.entries(vars)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = "GET", body } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = ctx.csrf;
  const url = path.startsWith("http") ? path : `/api/v1${path}`;
  const response = await fetch(url, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 401) {
    window.location.assign(`/cockpit/signin?next=${encodeURIComponent(location.pathname)}`);
  }
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not JSON */ }
    throw new ApiError(response.status, problem);
  }
  return response.json();
}

/** Every item of a paged list, following `next` links. */
export async function allItems(path) {
  let page = await api(path + (path.includes("?") ? "&" : "?") + "limit=100000");
  const items = [...page.items];
  while (page.next) {
    page = await api(page.next);
    items.push(...page.items);
  }
  return items;
}

export function number(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  return new Intl.NumberFormat(LOCALE, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(value);
}

const SUFFIX = { percent: " %", dkk: " kr.", days: "", per_1000: " ‰", ratio: "", count: "" };
export function fmt(value, unit) {
  if (value === null || value === undefined) return "–";
  const digits = unit === "count" ? 0 : unit === "dkk" ? 0 : 1;
  return number(value, digits) + (SUFFIX[unit] ?? "");
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

/** A table from column headers and rows of cells (strings or nodes). */
export function table(caption, headers, rows, attrs = {}) {
  return el("table", attrs,
    caption ? el("caption", { text: caption }) : null,
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, rows.map((cells) => el("tr", {}, cells.map((c, i) =>
      i === 0 ? el("th", { scope: "row" }, c) : el("td", {}, c))))));
}

export function status(text, isError = false) {
  const node = document.getElementById("status");
  if (!node) return;
  node.textContent = text;
  node.className = isError ? "error" : "done";
}

export function showError(err) {
  const text = err instanceof ApiError && err.status === 403 ? t("not_allowed") : err.message;
  status(`${t("error_prefix")}: ${text}`, true);
}

// The comparison group chosen in the header: kept in localStorage, settable by ?group= (share links).
const GROUP_KEY = "flis.group";
const MUNI_KEY = "flis.municipality";
export function currentGroup() {
  const fromUrl = new URLSearchParams(location.search).get("group");
  if (fromUrl) localStorage.setItem(GROUP_KEY, fromUrl);
  return localStorage.getItem(GROUP_KEY) || "similar";
}
export function setGroup(group) {
  localStorage.setItem(GROUP_KEY, group);
  const select = document.getElementById("group-select");
  if (select) ensureOption(select, group, group).selected = true;
  window.dispatchEvent(new CustomEvent("flis:group", { detail: group }));
}
function ensureOption(select, value, label) {
  let option = [...select.options].find((o) => o.value === value);
  if (!option) { option = el("option", { value, text: label }); select.append(option); }
  return option;
}

/** The municipality the pages are about: own, or for operators the one chosen in the header. */
export function currentMunicipality() {
  return ctx.municipality ?? Number(localStorage.getItem(MUNI_KEY) || 461);
}

export async function setupHeader() {
  latestRelease().catch(() => null);
  const select = document.getElementById("group-select");
  const chosen = currentGroup();
  ensureOption(select, chosen, chosen).selected = true;
  const groups = await api("/groups?kind=user");
  for (const g of groups) ensureOption(select, g.group_id, g.name);
  ensureOption(select, chosen, chosen).selected = true;
  select.addEventListener("change", () => setGroup(select.value));
  const muni = document.getElementById("municipality-select");
  if (muni) {
    // Operators: the page is about the municipality chosen here; its name goes into the heading.
    const all = await api("/municipalities");
    const chosenName = all.find((m) => m.code === currentMunicipality())?.name ?? "";
    const title = document.getElementById("page-title");
    if (title && title.dataset.template) title.textContent = t(title.dataset.template, { name: chosenName });
    for (const m of all) {
      muni.append(el("option", { value: m.code, text: `${m.name} (${m.code})`, selected: m.code === currentMunicipality() }));
    }
    muni.addEventListener("change", () => { localStorage.setItem(MUNI_KEY, muni.value); location.reload(); });
  }
}

export async function latestRelease() {
  const releases = await api("/releases");
  const latest = releases[releases.length - 1] ?? null;
  const note = document.getElementById("release-note");
  if (note && latest) note.textContent = `${t("releases_title")}: ${latest.release_id}`;
  return latest;
}

export function suppressionText(kind) {
  if (!kind) return null;
  if (kind === "member-suppressed") return t("suppressed_member");
  return kind === "primary" ? t("suppressed_primary", { n: 5 }) : t("suppressed_secondary");
}

/** Why a value is missing or what its data status is, in the page's language (else the code). */
export function dataStatusText(code) {
  if (!code) return null;
  const key = `data_status_${code}`;
  return ctx.messages[key] ? t(key) : code;
}

/** Operational messages for this user (GET /messages), above every page; outages as alerts. */
async function showMessages() {
  const box = document.getElementById("messages");
  if (!box) return;
  let items;
  try { items = await api("/messages"); } catch { return; }
  for (const m of items) {
    const div = document.createElement("div");
    div.className = `message message-${m.severity}`;
    div.dataset.messageId = String(m.message_id);
    div.setAttribute("role", m.severity === "outage" ? "alert" : "status");
    const title = document.createElement("strong");
    title.textContent = ctx.lang === "en" ? m.title_en : m.title_da;
    const body = document.createElement("span");
    body.textContent = " " + (ctx.lang === "en" ? m.body_en : m.body_da);
    div.append(title, body);
    box.append(div);
  }
  box.hidden = items.length === 0;
}
showMessages();
