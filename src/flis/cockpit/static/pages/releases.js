// Releases with change logs and datasets to download; the municipality's subscriptions.
import { api, ctx, currentMunicipality, el, number, setupHeader, showError, status, t, table } from "../api.js";

const muni = currentMunicipality();
const READS_DETAIL = ["analyst", "data-admin"].includes(ctx.role);
const MANAGES = ["analyst", "data-admin", "operator"].includes(ctx.role);

function datasetLinks(release) {
  const visible = release.datasets.filter((d) => d.level !== "detail" || (READS_DETAIL && d.municipality_code === muni));
  return el("ul", { class: "datasets" }, visible.map((d) => {
    const base = `/api/v1/releases/${release.release_id}/datasets/${d.dataset}`;
    const who = d.level === "detail" ? `municipality=${d.municipality_code}&` : "";
    const label = `${d.dataset}${d.level === "detail" ? ` – ${t("detail_dataset")}` : ""} (${number(d.rows, 0)} ${t("rows")})`;
    return el("li", { "data-level": d.level }, `${label}: `,
      ["parquet", "csv-da", "xlsx"].map((f, i) => [i ? " · " : "", el("a", { href: `${base}?${who}format=${f}`, download: true, text: f === "csv-da" ? "CSV (da)" : f.toUpperCase(), "aria-label": `${d.dataset} ${f}` })]));
  }));
}

async function drawRelease(summary, open) {
  const r = await api(`/releases/${summary.release_id}`);
  const changes = r.changes.length
    ? el("ul", {}, r.changes.map((c) => el("li", { text: Object.values(c).filter((v) => v !== null && typeof v !== "object").join(" · ") })))
    : el("p", { text: t("no_changes") });
  const statusText = Object.entries(r.value_status).map(([k, v]) => `${k}: ${number(v, 0)}`).join(", ");
  return el("details", { class: "release", open, id: `release-${r.release_id}` },
    el("summary", { text: `${r.release_id} (${r.period}) – ${r.created_at}` }),
    el("h3", { text: t("release_changes") }), changes,
    el("p", { text: `${t("release_status")}: ${statusText}` }),
    el("h3", { text: t("release_datasets") }), datasetLinks(r));
}

async function drawSubscriptions() {
  const subs = await api(`/subscriptions?municipality=${muni}`);
  const rows = subs.map((s) => [s.dataset, s.formats.join(", "), MANAGES
    ? el("button", { type: "button", text: t("unsubscribe"), "aria-label": `${t("unsubscribe")} ${s.dataset}`, onclick: () => unsubscribe(s.dataset) })
    : ""]);
  document.getElementById("subscriptions").replaceChildren(subs.length
    ? table(null, [t("dataset"), t("formats"), ""], rows, { class: "data", id: "subscription-table" })
    : el("p", { text: t("no_subscriptions") }));
}

async function unsubscribe(dataset) {
  const note = document.getElementById("sub-status");
  try {
    await api(`/subscriptions/${dataset}?municipality=${muni}`, { method: "DELETE" });
    await drawSubscriptions();
  } catch (err) { note.textContent = `${t("error_prefix")}: ${err.message}`; }
}

async function main() {
  const header = setupHeader();
  const releases = (await api("/releases")).reverse();
  const box = document.getElementById("releases");
  for (const [i, r] of releases.entries()) box.append(await drawRelease(r, i === 0));
  if (releases[0]) document.getElementById("release-note").textContent = `${t("releases_title")}: ${releases[0].release_id}`;
  await drawSubscriptions();
  const form = document.getElementById("subscription-form");
  const note = document.getElementById("sub-status");
  if (MANAGES) form.hidden = false;
  else note.textContent = t("subscriptions_read_only");
  if (!READS_DETAIL && ctx.role !== "operator") form.querySelector("option[value=detail]").remove();
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const formats = [...form.querySelectorAll("input[name=formats]:checked")].map((b) => b.value);
    try {
      await api("/subscriptions", { method: "POST", body: { dataset: form.elements.dataset.value, formats, municipality: muni } });
      note.textContent = "";
      await drawSubscriptions();
    } catch (err) { note.textContent = `${t("error_prefix")}: ${err.message}`; }
  });
  status("");
  await header;
}

main().catch(showError);
