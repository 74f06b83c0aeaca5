// Key figure: all 98 ranked, own vs group vs nation over time, definition, data status, downloads.
import { api, allItems, ctx, currentGroup, currentMunicipality, dataStatusText, el, fmt, latestRelease, setupHeader, showError, status, suppressionText, t, table } from "../api.js";
import { chartDrawn, lineChart, rankingChart } from "../charts.js";

const muni = currentMunicipality();
const id = ctx.keyfigure;
let rows = [];
let kf = null;

function latestPeriod() {
  const own = rows.filter((r) => r.area_id === String(muni));
  const withValue = own.filter((r) => r.value !== null);
  return (withValue.length ? withValue : own).map((r) => r.period).sort().pop();
}

function drawRanking(period, members) {
  const at = rows.filter((r) => r.kind === "municipality" && r.period === period);
  const bars = at.map((r) => ({
    code: Number(r.area_id), name: r.name, value: r.value,
    own: Number(r.area_id) === muni, member: members.has(Number(r.area_id)),
  }));
  const format = (v) => fmt(v, kf.unit);
  const ownName = at.find((r) => Number(r.area_id) === muni)?.name ?? muni;
  document.getElementById("ranking-title").textContent = t("ranking_title", { period });
  document.getElementById("ranking-chart").replaceChildren(
    rankingChart(bars, { direction: kf.direction, format, label: t("ranking_label", { count: bars.length, own: ownName }) }));
  const sorted = [...at].sort((a, b) => (a.value === null) - (b.value === null) || (kf.direction === "lower_is_better" ? a.value - b.value : b.value - a.value));
  document.getElementById("ranking-table").replaceChildren(table(null,
    [t("municipality"), t("value"), t("value_status"), t("data_status"), t("suppressed")],
    sorted.map((r) => [
      `${r.name} (${r.area_id})${members.has(Number(r.area_id)) ? " ●" : ""}`,
      format(r.value), r.value_status ?? "–", dataStatusText(r.data_status) ?? "–", suppressionText(r.suppressed) ?? "–",
    ]), { class: "data", id: "ranking-data" }));
  const ownRow = document.querySelector(`#ranking-data tbody tr:nth-child(${sorted.findIndex((r) => Number(r.area_id) === muni) + 1})`);
  if (ownRow) ownRow.classList.add("own");
}

async function drawOverTime(periods, benchmarks) {
  const series = (area, name, kind) => ({ name, kind, points: periods.map((p) => ({ period: p, value: rows.find((r) => r.area_id === area && r.period === p)?.value ?? null })) });
  const own = series(String(muni), t("own_value"), "own");
  const nation = series("nation", t("nation_value"), "nation");
  const group = { name: t("group_value"), kind: "group", points: periods.map((p, i) => ({ period: p, value: benchmarks[i]?.group?.value ?? null })) };
  const format = (v) => fmt(v, kf.unit);
  const summary = [own, group, nation].map((s) => `${s.name}: ${s.points.map((p) => `${p.period} ${format(p.value)}`).join(", ")}`).join(". ");
  const chart = lineChart([nation, group, own], periods, { format, label: t("over_time_label", { summary }) });
  const legend = el("ul", { class: "legend" }, [own, group, nation].map((s) => el("li", {}, el("span", { class: `swatch ${s.kind}` }), s.name)));
  document.getElementById("time-chart").replaceChildren(chart, legend);
}

function drawDefinition(d) {
  const ref = (m) => (m ? `${m.measure}${m.filters.length ? ` (${t("filters")}: ${m.filters.join(", ")})` : ""}` : "–");
  document.getElementById("definition").replaceChildren(
    el("p", { text: d.description[ctx.lang] }),
    el("dl", { class: "definition" },
      el("dt", { text: t("numerator") }), el("dd", { text: ref(d.numerator) }),
      el("dt", { text: t("denominator") }), el("dd", { text: ref(d.denominator) }),
      el("dt", { text: t("scale") }), el("dd", { text: String(d.scale) }),
      el("dt", { text: t("level") }), el("dd", { text: d.level }),
      el("dt", { text: t("aggregation") }), el("dd", { text: d.aggregation }),
      el("dt", { text: t("direction") }), el("dd", { text: t(`direction_${d.direction}`) })),
    d.caveats.length ? el("div", {}, el("h3", { text: t("caveats") }), el("ul", {}, d.caveats.map((c) => el("li", { text: c[ctx.lang] })))) : null,
    el("details", {}, el("summary", { text: t("sql") }), el("pre", {}, el("code", { text: d.sql }))));
}

async function groupDependent(periods, period) {
  const group = encodeURIComponent(currentGroup());
  const benchmarks = await Promise.all(periods.map((p) =>
    api(`/benchmark/${muni}/${id}?period=${p}&group=${group}`).catch(() => null)));
  const latest = benchmarks[periods.indexOf(period)];
  const members = new Set((latest?.members ?? []).map((m) => m.municipality_code));
  drawRanking(period, members);
  await drawOverTime(periods, benchmarks);
}

async function main() {
  const header = setupHeader();
  const [definition, values] = await Promise.all([api(`/keyfigures/${id}`), allItems(`/values?keyfigure=${id}`), latestRelease()]);
  kf = definition;
  rows = values;
  const period = latestPeriod();
  const periods = [...new Set(rows.map((r) => r.period))].sort().slice(-24);
  drawRanking(period, new Set());
  chartDrawn();
  drawDefinition(definition);
  await groupDependent(periods, period);
  status("");
  window.addEventListener("flis:group", () => groupDependent(periods, period).catch(showError));
  await header;
}

main().catch(showError);
