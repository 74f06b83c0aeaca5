// Deliveries (data administrators, operators): the municipality × source × month matrix, findings.
import { api, ctx, currentMunicipality, el, number, setupHeader, showError, status, t, table } from "../api.js";

const muni = currentMunicipality();

async function showFindings(id) {
  const d = await api(`/deliveries/${id}`);
  const box = document.getElementById("findings");
  const rows = d.findings.map((f) => [f.code ?? "", f.severity ?? "", f.message ?? "", String(f.line ?? ""), String(f.value ?? "")]);
  box.replaceChildren(el("p", { text: `${d.file_name}: ${d.status}` }), rows.length
    ? table(null, ["code", "severity", "message", "line", "value"], rows, { class: "data", id: "findings-table" })
    : el("p", { text: t("no_findings") }));
  document.getElementById("findings-title").focus();
}

async function main() {
  const header = setupHeader();
  const scope = ctx.role === "operator" ? `?municipality=${muni}` : "";
  const answer = await api(`/deliveries${scope}`);
  const months = [...new Set(answer.matrix.map((c) => c.month))].sort();
  const contracts = [...new Set(answer.matrix.map((c) => c.contract))].sort();
  const rows = contracts.map((contract) => [contract, ...months.map((m) => {
    const c = answer.matrix.find((x) => x.contract === contract && x.month === m && x.municipality_code === muni);
    if (!c) return "–";
    const label = el("span", { class: `cell ${c.status}`, text: c.status });
    return c.delivery_id
      ? el("button", { type: "button", class: "link", onclick: () => showFindings(c.delivery_id).catch(showError) },
        label, el("span", { class: "sr-only", text: ` – ${t("show_findings", { id: c.delivery_id })}` }))
      : label;
  })]);
  document.getElementById("matrix").replaceChildren(
    table(`${ctx.municipalityName ?? muni}`, [t("source"), ...months], rows, { class: "data", id: "matrix-table" }),
    table(null, ["id", t("file"), t("month"), t("status"), t("errors"), t("warnings")],
      answer.deliveries.map((d) => [String(d.delivery_id), d.file_name, d.month ?? "", d.status, number(d.errors, 0), number(d.warnings, 0)]),
      { class: "data" }));
  status("");
  await header;
}

main().catch(showError);
