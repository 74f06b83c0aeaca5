// Overview: per area the headline key figures with own, group and national value, rank, change.
import { api, allItems, ctx, currentGroup, currentMunicipality, dataStatusText, el, fmt, latestRelease, number, setupHeader, showError, status, suppressionText, t } from "../api.js";
import { chartDrawn, sparkline } from "../charts.js";

const muni = currentMunicipality();
const ids = ctx.headline.flatMap((a) => a.keyfigures);

function changeNode(change, unit) {
  if (change.absolute === null || change.absolute === undefined) {
    return el("span", { class: "change none", text: "–", title: t("change_none", { reason: change.reason ?? "" }) });
  }
  const arrow = change.absolute > 0 ? "▲" : change.absolute < 0 ? "▼" : "▶";
  const word = change.absolute > 0 ? t("change_up") : change.absolute < 0 ? t("change_down") : t("change_unchanged");
  const judged = change.assessment ? t(`change_${change.assessment}`) : null;
  const text = `${word} ${fmt(Math.abs(change.absolute), unit)}` + (judged ? ` (${judged})` : "");
  return el("span", { class: `change ${change.assessment ?? "neutral"}` },
    el("span", { "aria-hidden": "true", text: `${arrow} ` }), text);
}

function card(kf, points) {
  const latest = [...points].reverse().find((p) => p.value !== null) ?? points[points.length - 1];
  const title = kf.title[ctx.lang];
  const words = points.map((p) => `${p.period} ${fmt(p.value, kf.unit)}`).join(", ");
  return el("article", { class: "card", id: `card-${kf.id}`, "data-keyfigure": kf.id, "data-period": latest?.period ?? "" },
    el("h3", {}, el("a", { href: `/cockpit/keyfigures/${kf.id}`, text: title })),
    el("p", { class: "own" }, el("span", { class: "label", text: t("own_value") }),
      el("span", { class: "big", "data-field": "own", text: fmt(latest?.value ?? null, kf.unit) }),
      el("span", { class: "period", text: latest?.period ?? "" })),
    latest && latest.value === null && latest.status && latest.status !== "ok"
      ? el("p", { class: "why", "data-field": "why", text: dataStatusText(latest.status) }) : null,
    el("dl", { class: "facts" },
      el("dt", { text: t("group_value") }), el("dd", { "data-field": "group", text: "…" }),
      el("dt", { text: t("nation_value") }), el("dd", { "data-field": "nation", text: "…" }),
      el("dt", { text: t("rank") }), el("dd", { "data-field": "rank", text: "…" }),
      el("dt", { text: t("change") }), el("dd", { "data-field": "change", text: "…" })),
    sparkline(points, t("trend_label", { name: title, points: words })));
}

/** A group or nation value; suppressed (null with its flag in the release) shown as such. */
function shown(comparison, unit, title) {
  if (comparison.suppressed) return el("span", { class: "suppressed", title, text: suppressionText(comparison.suppressed) });
  return el("span", { title, text: fmt(comparison.value, unit) });
}

async function fillBenchmark(kf, node) {
  const period = node.dataset.period;
  const set = (field, content) => node.querySelector(`[data-field=${field}]`).replaceChildren(content);
  if (!period) {
    for (const field of ["group", "nation", "rank", "change"]) set(field, "–");
    return;
  }
  try {
    const b = await api(`/benchmark/${muni}/${kf.id}?period=${period}&group=${encodeURIComponent(currentGroup())}`);
    set("group", shown(b.group, kf.unit, b.group.name));
    set("nation", shown(b.nation, kf.unit, b.nation.name));
    set("rank", b.ranking.rank
      ? el("span", { title: b.ranking.statement, text: t("rank_of", { rank: b.ranking.rank, of: b.ranking.of }) })
      : b.suppressed ? el("span", { class: "suppressed", title: b.ranking.statement, text: suppressionText(b.suppressed) }) : "–");
    set("change", changeNode(b.change, kf.unit));
    node.querySelector("[data-field=group]").dataset.group = b.group.group_id;
  } catch (err) {
    set("group", err.message);
  }
}

async function main() {
  const header = setupHeader();
  const [catalogue, rows] = await Promise.all([
    api("/keyfigures"),
    allItems(`/values?keyfigure=${ids.join(",")}&municipality=${muni}`),
    latestRelease(),
  ]);
  const byId = Object.fromEntries(catalogue.map((k) => [k.id, k]));
  const container = document.getElementById("areas");
  const cards = [];
  for (const area of ctx.headline) {
    const heading = el("h2", { id: `area-${area.area}`, text: t(`area_${area.area}`) });
    const grid = el("div", { class: "cards" });
    for (const id of area.keyfigures) {
      const points = rows.filter((r) => r.keyfigure === id).map((r) => ({ period: r.period, value: r.value, status: r.data_status }));
      const node = card(byId[id], points);
      cards.push([byId[id], node]);
      grid.append(node);
    }
    container.append(el("section", { "aria-labelledby": heading.id, class: "area" }, heading, grid));
  }
  chartDrawn();
  const fill = () => Promise.all(cards.map(([kf, node]) => fillBenchmark(kf, node)));
  await fill();
  status("");
  window.addEventListener("flis:group", fill);
  await header;
}

main().catch(showError);
