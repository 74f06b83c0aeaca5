// Schools: own public schools against public schools of similar size (institution dataset).
import { allItems, currentMunicipality, el, fmt, latestRelease, setupHeader, showError, status, suppressionText, t, table } from "../api.js";

const muni = currentMunicipality();
const FOLKESKOLE = "1012";
const COLUMNS = [
  ["pupils", "count"], ["class_size", "ratio"], ["special_class_share", "percent"],
  ["absence_pct", "percent"], ["grade_mean", "ratio"], ["sick_days_per_fte", "days"],
];

function suppressedCells(row) {
  const out = {};
  for (const part of (row.suppressed ?? "").split(";").filter(Boolean)) {
    const [column, kind] = part.split("=");
    out[column] = kind;
  }
  return out;
}

function cell(row, column, unit) {
  const why = suppressedCells(row)[column];
  if (why) return el("span", { class: "suppressed", text: suppressionText(why) });
  return fmt(row[column], unit);
}

function median(values) {
  const known = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (!known.length) return null;
  const mid = Math.floor(known.length / 2);
  return known.length % 2 ? known[mid] : (known[mid - 1] + known[mid]) / 2;
}

async function main() {
  const header = setupHeader();
  const [all] = await Promise.all([allItems("/institutions"), latestRelease()]);
  const month = all.map((r) => r.month).sort().pop();
  const schools = all.filter((r) => r.month === month && r.institution_type === FOLKESKOLE);
  const own = schools.filter((r) => r.owner_municipality === muni);
  document.getElementById("schools-intro").textContent = t("schools_intro", { month: month ?? "–" });
  if (!own.length) {
    document.getElementById("schools").replaceChildren(el("p", { text: t("no_schools") }));
    status("");
    return;
  }
  const rows = [];
  for (const school of own) {
    const similar = schools.filter((r) => r.owner_municipality !== muni && r.pupils !== null && school.pupils !== null
      && Math.abs(r.pupils - school.pupils) <= 0.25 * school.pupils);
    rows.push([`${school.name} (${school.institution_number})`, ...COLUMNS.map(([c, u]) => cell(school, c, u))]);
    rows.push([el("span", { class: "similar", text: t("similar_schools", { n: similar.length }) }),
      ...COLUMNS.map(([c, u]) => fmt(median(similar.map((r) => (suppressedCells(r)[c] ? null : r[c]))), u))]);
  }
  document.getElementById("schools").replaceChildren(table(null,
    [t("school"), ...COLUMNS.map(([c]) => t(c))], rows, { class: "data", id: "schools-table" }));
  status("");
  await header;
}

main().catch(showError);
