// Comparison groups: similar municipalities per area, user groups (create, edit, share, use).
import { api, ctx, currentMunicipality, el, number, setGroup, setupHeader, showError, status, t, table } from "../api.js";

const muni = currentMunicipality();
const AREAS = ["economy", "citizens", "staff", "school"];

function drawSimilar(groups) {
  const box = document.getElementById("similar");
  const own = groups.filter((g) => g.anchor_municipality === muni);
  const name = ctx.municipalityName ?? muni;
  box.replaceChildren(el("p", { text: t("similar_intro", { name, method: own[0]?.method_version ?? ctx.similarity.method }) }));
  for (const area of AREAS) {
    const g = own.find((x) => x.area === area);
    const vars = (ctx.similarity.variables[area] ?? []).map(([v, w]) => `${v} (${number(w)})`).join(", ");
    box.append(el("section", { class: "similar-area", "aria-labelledby": `similar-${area}` },
      el("h3", { id: `similar-${area}`, text: t(`area_${area}`) }),
      el("p", {}, el("strong", { text: `${t("variables")}: ` }), vars),
      g ? table(null, ["#", t("municipality"), t("distance")],
        g.members.map((m) => [String(m.rank), `${m.name} (${m.municipality_code})`, number(m.distance, 3)]), { class: "data" }) : el("p", { text: "–" })));
  }
}

function shareLink(g) {
  return `${location.origin}/cockpit/?group=${encodeURIComponent(g.group_id)}`;
}

function drawUserGroups(groups, onEdit, onDelete) {
  const rows = groups.map((g) => [
    g.name,
    g.description ?? "",
    g.members.map((m) => m.name).join(", "),
    g.owner ?? "",
    el("span", { class: "actions" },
      el("button", { type: "button", text: t("group_use"), "aria-label": `${t("group_use")} ${g.name}`, onclick: () => setGroup(g.group_id) }),
      el("a", { href: shareLink(g), text: t("group_share"), "aria-label": `${t("group_share")}: ${g.name}` }),
      g.owner === ctx.user || ctx.role === "operator" ? [
        el("button", { type: "button", text: t("edit_group"), "aria-label": `${t("edit_group")} ${g.name}`, onclick: () => onEdit(g) }),
        el("button", { type: "button", text: t("group_delete"), "aria-label": `${t("group_delete")} ${g.name}`, onclick: () => onDelete(g) }),
      ] : null),
  ]);
  document.getElementById("user-groups").replaceChildren(
    table(null, [t("group_name"), t("group_description"), t("members"), t("group_owner"), ""], rows, { class: "data", id: "user-group-table" }));
}

function drawMemberChoice(municipalities, regions) {
  const box = document.getElementById("group-members");
  for (const region of regions) {
    const list = el("div", { class: "checks" });
    for (const code of region.municipality_codes) {
      const m = municipalities.find((x) => x.code === code);
      list.append(el("label", {}, el("input", { type: "checkbox", name: "members", value: code, checked: code === muni }), ` ${m.name}`));
    }
    box.append(el("details", {}, el("summary", { text: region.name }), list));
  }
}

async function main() {
  const header = setupHeader();
  const [similar, municipalities, regions] = await Promise.all([api("/groups?kind=similar"), api("/municipalities"), api("/regions")]);
  drawSimilar(similar);
  drawMemberChoice(municipalities, regions);
  const form = document.getElementById("group-form");
  const formStatus = document.getElementById("form-status");
  let editing = null;
  const refresh = async () => drawUserGroups(await api("/groups?kind=user"), edit, remove);
  const edit = (g) => {
    editing = g;
    form.elements.name.value = g.name.replace(/^user:/, "");
    form.elements.description.value = g.description ?? "";
    const codes = new Set(g.members.map((m) => m.municipality_code));
    for (const box of form.querySelectorAll("input[name=members]")) box.checked = codes.has(Number(box.value));
    document.getElementById("create-title").textContent = t("edit_group");
    form.elements.name.focus();
  };
  const remove = async (g) => {
    try {
      await api(`/groups/${encodeURIComponent(g.group_id)}`, { method: "DELETE" });
      await refresh();
      formStatus.textContent = t("group_deleted", { name: g.name });
    } catch (err) { formStatus.textContent = `${t("error_prefix")}: ${err.message}`; }
  };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {
      name: form.elements.name.value.trim(),
      description: form.elements.description.value.trim() || null,
      members: [...form.querySelectorAll("input[name=members]:checked")].map((b) => Number(b.value)),
    };
    try {
      // Editing replaces the group: the API has create and delete (only the owner deletes).
      if (editing) await api(`/groups/${encodeURIComponent(editing.group_id)}`, { method: "DELETE" });
      const made = await api("/groups", { method: "POST", body });
      editing = null;
      setGroup(made.group_id);
      await refresh();
      formStatus.textContent = t("group_saved", { name: made.name });
    } catch (err) {
      formStatus.textContent = `${t("error_prefix")}: ${err.message}`;
    }
  });
  await refresh();
  status("");
  await header;
}

main().catch(showError);
