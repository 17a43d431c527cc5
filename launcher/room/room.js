// The control room's page: one script, no framework, talking to the control port's JSON API.
"use strict";

const $ = (selector, root = document) => root.querySelector(selector);
const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value !== false && value !== null && value !== undefined) node.setAttribute(name, value);
  }
  node.append(...children.flat().map((c) => (c instanceof Node ? c : String(c ?? ""))));
  return node;
};

// The token comes once in the URL `shop up` printed, then lives in this tab only.
const given = new URLSearchParams(location.search).get("token");
if (given) { sessionStorage.setItem("controlToken", given); history.replaceState(null, "", "/" + location.hash); }
const token = () => sessionStorage.getItem("controlToken") || "";

async function api(method, path, body) {
  const options = { method, headers: { "X-Control-Token": token() } };
  if (body !== undefined) { options.body = JSON.stringify(body); options.headers["Content-Type"] = "application/json"; }
  const answer = await fetch(path, options);
  const text = await answer.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { detail: text }; }
  if (answer.status === 401) showTokenForm();
  return { status: answer.status, ok: answer.ok, json, requestId: answer.headers.get("X-Request-Id") };
}

function notice(text) { $("#notice").textContent = text; }
function showTokenForm() { $("#token-view").hidden = false; }
function problemText(p) { return p ? `${p.status ?? ""} ${p.title ?? ""}: ${p.detail ?? ""} ${p.code ? `(${p.code})` : ""}` : ""; }
const mb = (bytes) => (bytes / 1048576).toFixed(0) + " MB";
const ms = (ns) => (ns / 1e6).toFixed(1) + " ms";

// ---- views and routing
let state = { variants: [] };
function route() {
  const [name, query] = (location.hash.slice(1) || "overview").split("?");
  for (const view of document.querySelectorAll(".view")) view.classList.toggle("shown", view.id === name);
  for (const link of document.querySelectorAll("nav a")) link.classList.toggle("current", link.hash === "#" + name);
  const params = new URLSearchParams(query || "");
  if (name === "traces") { if (params.get("rid")) $("#trace-filter").value = params.get("rid"); loadTraces(true); }
  if (name === "storefront") loadProducts();
  if (name === "experiments") loadExperiments();
}

// ---- overview
const ACTIONS = { stop: ["healthy", "starting", "paused", "unhealthy"], kill: ["healthy", "starting", "unhealthy"],
  pause: ["healthy", "starting", "unhealthy"], resume: ["paused"], start: ["stopped", "exited"] };

async function refreshVariants() {
  const answer = await api("GET", "/api/variants");
  if (!answer.ok) { notice(problemText(answer.json)); return; }
  notice("");
  state.variants = answer.json;
  renderOverview(); fillProcessPickers(); renderFaults();
}

function renderOverview() {
  const focused = document.activeElement?.dataset?.key;
  $("#variants").replaceChildren(...state.variants.map((v) => el("div", { class: "variant", "data-variant": v.name },
    el("h3", {}, v.name, " ", el("a", { href: v.url }, v.url)),
    el("table", {},
      el("thead", {}, el("tr", {}, ["Process", "PID", "Port", "State", "Restarts", "Memory", "CPU", "Actions"].map((h) => el("th", {}, h)))),
      el("tbody", {}, v.processes.map(processRow))))));
  if (focused) document.querySelector(`[data-key="${focused}"]`)?.focus();
}

function processRow(p) {
  const buttons = Object.keys(ACTIONS).map((action) => el("button", {
    "data-key": `${p.name}/${action}`, "aria-label": `${action} ${p.name}`,
    disabled: !ACTIONS[action].includes(p.state), onclick: () => act(p.name, action) }, action));
  return el("tr", { "data-process": p.name },
    el("td", {}, p.name), el("td", { class: "num" }, p.pid ?? "–"), el("td", { class: "num" }, p.port ?? "–"),
    el("td", {}, el("span", { class: "state " + p.state }, p.state)), el("td", { class: "num" }, p.restarts),
    el("td", { class: "num" }, p.rss_bytes ? mb(p.rss_bytes) : "–"),
    el("td", { class: "num" }, p.cpu_percent === null ? "–" : p.cpu_percent + " %"),
    el("td", {}, buttons));
}

async function act(name, action) {
  notice(`${action} ${name}…`);
  const answer = await api("POST", `/api/processes/${name}/${action}`);
  notice(answer.ok ? "" : problemText(answer.json));
  refreshVariants();
}

// ---- logs
let logAfter = 0, logProcess = "";
function fillProcessPickers() {
  const names = state.variants.flatMap((v) => v.processes.map((p) => p.name));
  const picker = $("#log-process");
  if (picker.options.length !== names.length) {
    picker.replaceChildren(...names.map((n) => el("option", {}, n)));
    $("#trace-variant").replaceChildren(el("option", { value: "" }, "all"), ...state.variants.map((v) => el("option", {}, v.name)));
    const shop = $("#shop-variant"), chosen = shop.value;
    shop.replaceChildren(...state.variants.map((v) => el("option", {}, v.name)));
    if (chosen) shop.value = chosen;
  }
}

async function refreshLogs() {
  if (!$("#logs").classList.contains("shown")) return;
  const name = $("#log-process").value, filter = $("#log-filter").value.trim();
  const key = name + "|" + filter;
  if (key !== logProcess) { logProcess = key; logAfter = 0; $("#log-lines").replaceChildren(); }
  if (!name) return;
  const query = new URLSearchParams({ after: logAfter });
  if (filter) query.set("request_id", filter);
  const answer = await api("GET", `/api/logs/${name}?${query}`);
  if (!answer.ok) return;
  const box = $("#log-lines"), atEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  for (const line of answer.json.lines) {
    logAfter = line.n;
    const row = el("div", {}, line.line + " ");
    if (line.request_id) row.append(el("a", { href: `#traces?rid=${encodeURIComponent(line.request_id)}` }, "trace"));
    box.append(row);
  }
  if (atEnd) box.scrollTop = box.scrollHeight;
}

// ---- traces and the waterfall
async function loadTraces(openFirst) {
  const query = new URLSearchParams({ limit: 50 });
  if ($("#trace-variant").value) query.set("variant", $("#trace-variant").value);
  if ($("#trace-filter").value.trim()) query.set("request_id", $("#trace-filter").value.trim());
  const answer = await api("GET", `/api/traces?${query}`);
  if (!answer.ok) return;
  $("#trace-list tbody").replaceChildren(...answer.json.items.map((t) => el("tr", {
    class: "pick", tabindex: 0, "data-trace": t.trace_id,
    onclick: () => showTrace(t.trace_id), onkeydown: (e) => e.key === "Enter" && showTrace(t.trace_id) },
  el("td", {}, t.variant), el("td", {}, t.root), el("td", {}, t.http_status ?? t.status),
  el("td", { class: "num" }, ms(t.duration_ns)), el("td", { class: "num" }, t.span_count), el("td", {}, t.request_id ?? ""))));
  if (openFirst && $("#trace-filter").value && answer.json.items[0]) showTrace(answer.json.items[0].trace_id);
}

function showTrace(id) {
  $("#waterfall").dataset.trace = id;
  followTrace(id, 10, -1);
}

// Spans come from each process on its own schedule (the relay's after the answer): the open
// trace is asked for again each second for a while, and drawn again when it has grown.
async function followTrace(id, tries, shown) {
  if ($("#waterfall").dataset.trace !== id) return;  // another trace was opened since
  const answer = await api("GET", `/api/traces/${id}`);
  if (!answer.ok) return;
  const spans = answer.json.spans;
  if (spans.length !== shown) $("#waterfall").replaceChildren(waterfall(spans));
  if (tries > 1) setTimeout(() => followTrace(id, tries - 1, spans.length), 1000);
}

function kindOf(span) {
  const a = span.attributes;
  if (a["db.system"] || a["db.system.name"] || a["db.statement"] || a["db.query.text"]) return "db";
  if (a["messaging.system"] || span.kind === "producer" || span.kind === "consumer" || a["rpc.service"] === "SQS") return "queue";
  if (a["rpc.system"] === "aws-api") return a["rpc.service"] === "DynamoDB" ? "db" : "queue";
  if (span.kind === "server" || span.kind === "client" || a["http.request.method"] || a["http.method"]) return "http";
  return "internal";
}

function colour(service) {
  let hash = 0;
  for (const c of service) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
  return `hsl(${hash % 360} 60% 45%)`;
}

function tree(spans) {
  const ids = new Set(spans.map((s) => s.span_id)), children = new Map();
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const parent = ids.has(s.parent_id) ? s.parent_id : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(s);
  }
  const rows = [], walk = (parent, depth) => (children.get(parent) || []).forEach((s) => { rows.push([depth, s]); walk(s.span_id, depth + 1); });
  walk(null, 0);
  return rows;
}

// One trace's spans on a time axis; `scale` (ns) puts several traces on one axis.
function waterfall(spans, scale) {
  const start = Math.min(...spans.map((s) => s.start));
  const total = scale || Math.max(1, Math.max(...spans.map((s) => s.end)) - start);
  const services = [...new Set(spans.map((s) => s.service))];
  const details = el("div", { class: "attributes", hidden: true });
  const rows = tree(spans).map(([depth, s]) => {
    const kind = kindOf(s), error = s.status === "error";
    const show = () => {
      details.hidden = false;
      details.replaceChildren(el("strong", {}, `${s.service} · ${s.name}`), el("dl", {},
        Object.entries({ kind: s.kind, status: s.status + (s.status_message ? `: ${s.status_message}` : ""), duration: ms(s.end - s.start), ...s.attributes })
          .flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, typeof v === "object" ? JSON.stringify(v) : v)])));
    };
    return el("div", { class: "row" + (error ? " error" : ""), tabindex: 0, role: "button", "data-span": s.name,
      onclick: show, onkeydown: (e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), show()) },
    el("div", { class: "label", style: `padding-left:${depth}rem`, title: `${s.service} ${s.name}` },
      el("span", { class: "kind" }, kind), `${s.service} · ${s.name}`),
    el("div", { class: "track" }, el("div", { class: `span ${kind}${error ? " error" : ""}`,
      style: `left:${(100 * (s.start - start)) / total}%;width:${(100 * (s.end - s.start)) / total}%;background-color:${colour(s.service)}` })),
    el("div", { class: "num" }, ms(s.end - s.start)));
  });
  const legend = el("div", { class: "legend" }, services.map((s) => el("span", {}, el("i", { style: `background:${colour(s)}` }), s)),
    el("span", {}, "kinds: http · db (striped) · queue (dashed) · ✖ error"));
  return el("div", { class: "waterfall" }, legend, rows, details);
}

// ---- storefront
let cart = new Map();
const shopVariant = () => $("#shop-variant").value || state.variants[0]?.name;
const shopCall = (method, path, body, headers) => api(method, `/api/shop/${shopVariant()}${path}`, body, headers);

async function loadProducts() {
  if (!shopVariant()) return;
  const answer = await shopCall("GET", "/products");
  if (!answer.ok) { $("#order").replaceChildren(problemBox(answer)); return; }
  $("#products tbody").replaceChildren(...answer.json.items.map((p) => el("tr", { "data-sku": p.sku },
    el("td", {}, p.sku), el("td", {}, p.name), el("td", { class: "num" }, (p.price_cents / 100).toFixed(2)),
    el("td", { class: "num" }, p.stock),
    el("td", {}, el("button", { "aria-label": `add ${p.sku}`, disabled: p.stock < 1,
      onclick: () => { cart.set(p.sku, (cart.get(p.sku) || 0) + 1); renderCart(); } }, "Add")))));
  if (!$("#compare-sku").value && answer.json.items[0]) $("#compare-sku").value = answer.json.items[0].sku;
}

function renderCart() {
  $("#cart").replaceChildren(...[...cart].map(([sku, quantity]) => el("li", {}, `${quantity} × ${sku} `,
    el("button", { "aria-label": `remove ${sku}`, onclick: () => { cart.delete(sku); renderCart(); } }, "remove"))));
}

function problemBox(answer) {
  const box = el("div", { class: "problem", role: "alert" }, el("strong", {}, `${answer.status} ${answer.json?.title ?? ""}`),
    el("p", {}, answer.json?.detail ?? ""), answer.json?.code ? el("p", {}, "code: ", el("code", {}, answer.json.code)) : "");
  if (answer.requestId) box.append(traceLink(answer.requestId));
  return box;
}
const traceLink = (rid) => el("p", {}, el("a", { href: `#traces?rid=${encodeURIComponent(rid)}` }, `trace of request ${rid}`));

async function checkout(event) {
  event.preventDefault();
  if (!cart.size) { $("#order").replaceChildren(el("p", {}, "The cart is empty.")); return; }
  $("#order").replaceChildren(el("p", {}, "Placing the order…"));  // never the last one's answer
  const order = { customer_email: $("#email").value, payment_method: $("#payment").value,
    items: [...cart].map(([sku, quantity]) => ({ sku, quantity })) };
  const answer = await api("POST", `/api/shop/${shopVariant()}/orders`, order);
  if (!answer.ok) { $("#order").replaceChildren(problemBox(answer)); loadProducts(); return; }
  cart = new Map(); renderCart();
  showOrder(answer.json, answer.requestId);
  loadProducts();
}

async function showOrder(order, requestId) {
  const notes = await shopCall("GET", `/notifications?order_id=${encodeURIComponent(order.id)}`);
  $("#order").replaceChildren(el("div", { class: "placed", "data-order": order.id },
    el("strong", {}, `Order ${order.id}: `, el("span", { class: "order-status" }, order.status)),
    el("p", {}, `${order.total_cents !== undefined ? (order.total_cents / 100).toFixed(2) : ""} for ${order.items.map((i) => `${i.quantity} × ${i.sku}`).join(", ")}`),
    el("p", {}, "Notifications: ", (notes.json?.items || []).map((n) => n.kind || n.type || n.subject || JSON.stringify(n)).join(", ") || "none yet"),
    order.status === "cancelled" ? "" : el("button", { onclick: () => cancel(order.id) }, "Cancel order"),
    el("button", { onclick: async () => { const again = await shopCall("GET", `/orders/${order.id}`); if (again.ok) showOrder(again.json, again.requestId); } }, "Refresh"),
    requestId ? traceLink(requestId) : ""));
}

async function cancel(id) {
  const answer = await shopCall("POST", `/orders/${id}/cancel`);
  if (answer.ok) { showOrder(answer.json, answer.requestId); loadProducts(); } else $("#order").replaceChildren(problemBox(answer));
}

// ---- compare
async function compare(event) {
  event.preventDefault();
  $("#compare-result").replaceChildren(el("p", {}, "Placing the order in every variant and waiting for the traces…"));
  const answer = await api("POST", "/api/compare", { sku: $("#compare-sku").value, quantity: 1, payment_method: $("#compare-payment").value });
  if (!answer.ok) { $("#compare-result").replaceChildren(problemBox(answer)); return; }
  const scale = Math.max(1, ...answer.json.map((r) => r.trace?.duration_ns || 0));
  $("#compare-result").replaceChildren(...answer.json.map((r) => el("div", { class: "compared", "data-variant": r.variant },
    el("h3", {}, `${r.variant}: ${r.status ?? "no answer"} ${r.body?.status ?? r.body?.title ?? ""}`),
    r.trace ? el("p", {}, `${ms(r.trace.duration_ns)} · ${r.trace.span_count} spans · ${r.hops} hops between processes · ${r.db_calls} database calls`) : el("p", {}, "no trace arrived"),
    r.trace ? waterfall(r.trace.spans, scale) : "")));
}

// ---- faults
function renderFaults() {
  if (document.activeElement?.closest?.("#fault-table")) return;  // not while the user types in it
  $("#fault-table tbody").replaceChildren(...state.variants.flatMap((v) => v.processes.map((p) => {
    const latency = el("input", { type: "number", min: 0, max: 30000, step: 50, value: p.faults.latency_ms, "aria-label": `latency of ${p.name}` });
    const rate = el("input", { type: "number", min: 0, max: 1, step: 0.1, value: p.faults.error_rate, "aria-label": `error rate of ${p.name}` });
    const relay = p.name === "relay";
    return el("tr", { "data-process": p.name }, el("td", {}, v.name), el("td", {}, p.name),
      el("td", {}, relay ? "–" : latency), el("td", {}, relay ? "–" : rate),
      el("td", {}, relay
        ? el("button", { onclick: () => act(p.name, p.state === "paused" ? "resume" : "pause") }, p.state === "paused" ? "Resume relay" : "Pause relay")
        : [el("button", { "aria-label": `apply faults to ${p.name}`, onclick: () => setFaults(p.name, latency.value, rate.value) }, "Apply"),
          el("button", { "aria-label": `clear faults of ${p.name}`, onclick: () => clearFaults(p.name) }, "Clear")]));
  })));
}

async function setFaults(name, latency, rate) {
  const answer = await api("POST", `/api/processes/${name}/faults`, { latency_ms: Number(latency), error_rate: Number(rate) });
  notice(answer.ok ? `faults set on ${name}` : problemText(answer.json));
  document.activeElement?.blur(); refreshVariants();
}
async function clearFaults(name) {
  await api("DELETE", `/api/processes/${name}/faults`); notice(`faults cleared on ${name}`);
  document.activeElement?.blur(); refreshVariants();
}

// ---- experiments
async function loadExperiments() {
  const answer = await api("GET", "/api/experiments");
  if (!answer.ok) return;
  $("#experiment-list").replaceChildren(answer.json.length ? "" : el("p", {}, "None yet."), ...answer.json.map((x) => el("div", {},
    el("h3", {}, x.name), el("table", {}, el("tbody", {}, Object.entries(x.summary).map(([k, v]) => el("tr", {}, el("th", {}, k), el("td", {}, v))))))));
}

// ---- start
for (const form of document.querySelectorAll("form")) form.addEventListener("submit", (e) => e.preventDefault());
$("#token-form").addEventListener("submit", () => { sessionStorage.setItem("controlToken", $("#token-input").value.trim()); $("#token-view").hidden = true; refreshVariants(); });
$("#checkout").addEventListener("submit", checkout);
$("#compare-form").addEventListener("submit", compare);
$("#trace-refresh").addEventListener("click", () => loadTraces(false));
$("#trace-variant").addEventListener("change", () => loadTraces(false));
$("#trace-filter").addEventListener("change", () => loadTraces(true));
$("#shop-variant").addEventListener("change", () => { cart = new Map(); renderCart(); loadProducts(); });
$("#shop-refresh").addEventListener("click", loadProducts);
window.addEventListener("hashchange", route);
if (!token()) showTokenForm();
route(); refreshVariants();
setInterval(refreshVariants, 1500);
setInterval(refreshLogs, 1000);
