// Charts drawn as SVG from the API's JSON; each carries a text alternative (role=img + label).
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children.flat(Infinity)) if (child) node.append(child);
  return node;
}

let marked = false;
/** Mark the first drawn chart of a page load, for the browser tests and `make bench`. */
export function chartDrawn() {
  if (marked) return;
  marked = true;
  performance.mark("flis:chart-drawn");
}

/** A small trend line (no axes); label says the points in words. */
export function sparkline(points, label) {
  const width = 120, height = 32, pad = 3;
  const known = points.filter((p) => p.value !== null);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "sparkline", role: "img", "aria-label": label });
  if (known.length === 0) return root;
  const values = known.map((p) => p.value);
  const lo = Math.min(...values), hi = Math.max(...values);
  const x = (i) => pad + (points.length === 1 ? (width - 2 * pad) / 2 : (i * (width - 2 * pad)) / (points.length - 1));
  const y = (v) => (hi === lo ? height / 2 : height - pad - ((v - lo) * (height - 2 * pad)) / (hi - lo));
  const coords = points.map((p, i) => (p.value === null ? null : `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`)).filter(Boolean);
  root.append(svg("polyline", { points: coords.join(" "), class: "line own", fill: "none" }));
  const last = known[known.length - 1];
  root.append(svg("circle", { cx: x(points.indexOf(last)), cy: y(last.value), r: 2.5, class: "dot own" }));
  return root;
}

/**
 * All municipalities as bars, best first for the figure's direction (highest first when
 * neutral); municipalities without a value come last as short grey stubs.
 * rows: [{code, name, value, own, member}]
 */
export function rankingChart(rows, { direction, label, format }) {
  const lowFirst = direction === "lower_is_better";
  const sorted = [...rows].sort((a, b) => {
    if (a.value === null) return b.value === null ? a.code - b.code : 1;
    if (b.value === null) return -1;
    return lowFirst ? a.value - b.value : b.value - a.value;
  });
  const width = 980, height = 260, top = 10, bottom = 20;
  const gap = 1, barWidth = (width - gap * sorted.length) / sorted.length;
  const values = sorted.filter((r) => r.value !== null).map((r) => r.value);
  const hi = Math.max(0, ...values), lo = Math.min(0, ...values);
  const span = hi - lo || 1;
  const y = (v) => top + ((hi - v) * (height - top - bottom)) / span;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "ranking", role: "img", "aria-label": label, preserveAspectRatio: "none" });
  root.append(svg("line", { x1: 0, x2: width, y1: y(0), y2: y(0), class: "axis" }));
  sorted.forEach((r, i) => {
    const x = i * (barWidth + gap);
    const kind = r.own ? "own" : r.member ? "member" : "other";
    const missing = r.value === null;
    const y0 = missing ? y(0) - 2 : Math.min(y(0), y(r.value));
    const h = missing ? 2 : Math.max(1, Math.abs(y(r.value) - y(0)));
    const bar = svg("rect", {
      x: x.toFixed(2), y: y0.toFixed(2), width: barWidth.toFixed(2), height: h.toFixed(2),
      class: `bar ${kind}${missing ? " missing" : ""}`, "data-code": r.code,
    }, svg("title", {}, document.createTextNode(`${r.name}: ${format(r.value)}`)));
    root.append(bar);
  });
  return root;
}

/** Lines over periods: series [{name, kind, points: [{period, value}]}]. */
export function lineChart(series, periods, { label, format }) {
  const width = 640, height = 220, left = 60, right = 40, top = 10, bottom = 30;
  const all = series.flatMap((s) => s.points.map((p) => p.value)).filter((v) => v !== null);
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "lines", role: "img", "aria-label": label });
  if (all.length === 0 || periods.length === 0) return root;
  let lo = Math.min(...all), hi = Math.max(...all);
  if (hi === lo) { lo -= 1; hi += 1; }
  const x = (i) => left + (periods.length === 1 ? (width - left - right) / 2 : (i * (width - left - right)) / (periods.length - 1));
  const y = (v) => top + ((hi - v) * (height - top - bottom)) / (hi - lo);
  for (const v of [lo, hi]) {
    root.append(svg("text", { x: left - 6, y: y(v) + 4, class: "tick", "text-anchor": "end" }, document.createTextNode(format(v))));
  }
  periods.forEach((p, i) => {
    if (periods.length <= 12 || i % Math.ceil(periods.length / 12) === 0) {
      root.append(svg("text", { x: x(i), y: height - 8, class: "tick", "text-anchor": "middle" }, document.createTextNode(p)));
    }
  });
  for (const s of series) {
    const coords = s.points.map((p) => (p.value === null ? null : `${x(periods.indexOf(p.period)).toFixed(1)},${y(p.value).toFixed(1)}`)).filter(Boolean);
    root.append(svg("polyline", { points: coords.join(" "), class: `line ${s.kind}`, fill: "none" }));
    for (const c of coords) {
      const [cx, cy] = c.split(",");
      root.append(svg("circle", { cx, cy, r: 3, class: `dot ${s.kind}` }));
    }
  }
  return root;
}
