// The operators' page: sign in with the admin token (kept in this tab's
// sessionStorage only), upload a file, list and delete documents, read the
// unanswered questions. Every text from the server is set with
// textContent, never as markup.

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "wenda-admin-token";

function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) if (c != null) el.append(c);
  return el;
}

function safeURL(u) {
  try {
    const url = new URL(u);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
  } catch {
    return "";
  }
}

function formatDate(s) {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s || "");
  if (m) return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  m = /^(\d{4})-(\d{1,2})$/.exec(s || "");
  if (m) return `${m[1]}年${Number(m[2])}月`;
  m = /^(\d{4})$/.exec(s || "");
  return m ? `${m[1]}年` : s || "—";
}

class APIError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function api(method, path, body) {
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(TOKEN_KEY) || ""}` };
  let res;
  try {
    res = await fetch(path, { method, headers, body });
  } catch {
    throw new APIError(0, "network", "网络连接失败，请检查网络后重试。");
  }
  if (res.status === 204) return null;
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (!res.ok) {
    const e = (data && data.error) || {};
    if (res.status === 401) sessionStorage.removeItem(TOKEN_KEY);
    throw new APIError(res.status, e.code || "", e.message || `请求失败（${res.status}）。`);
  }
  return data;
}

// ---------- sign-in ----------

function showPanels(on) {
  $("login").hidden = on;
  $("panels").hidden = !on;
  $("logout").hidden = !on;
}

$("login-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
  $("login-error").textContent = "";
  try {
    await refresh();
    showPanels(true);
  } catch (err) {
    $("login-error").textContent = err.status === 401 ? "令牌不正确，请重新输入。" : err.message;
  }
});

$("logout").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  $("token").value = "";
  showPanels(false);
});

// ---------- documents ----------

function renderDocs(docs) {
  const rows = docs.map((d) => {
    const url = safeURL(d.url);
    const title = url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, d.title) : d.title;
    const del = d.added
      ? h("button", { type: "button", class: "btn btn-quiet btn-danger", "data-id": d.id, "data-title": d.title }, "删除")
      : null;
    return h(
      "tr",
      { "data-id": d.id },
      h("td", null, title),
      h("td", null, d.city || "—"),
      h("td", null, formatDate(d.published)),
      h("td", { class: "num" }, String(d.chunks ?? "")),
      h("td", { class: "num" }, String(d.figures ?? "")),
      h("td", null, h("span", { class: "tag" }, d.added ? "上传" : "内置")),
      h("td", null, del),
    );
  });
  $("docs").tBodies[0].replaceChildren(...rows);
}

$("docs").addEventListener("click", async (e) => {
  const btn = e.target.closest("button[data-id]");
  if (!btn) return;
  if (!confirm(`确定删除“${btn.dataset.title}”吗？删除后将不再据此回答。`)) return;
  btn.disabled = true;
  try {
    await api("DELETE", `/api/v1/documents/${encodeURIComponent(btn.dataset.id)}`);
    setStatus(`已删除“${btn.dataset.title}”。`);
    await refresh();
  } catch (err) {
    btn.disabled = false;
    setStatus(err.message, true);
  }
});

// ---------- upload ----------

$("f-file").addEventListener("change", () => {
  const f = $("f-file").files[0];
  $("f-file-name").textContent = f ? f.name : "未选择文件";
});

function setStatus(text, error = false) {
  const el = $("upload-status");
  el.textContent = text;
  el.classList.toggle("error", error);
}

$("upload-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = e.target;
  if (!$("f-file").files.length) {
    setStatus("请选择要上传的文件。", true);
    return;
  }
  const body = new FormData(form);
  for (const [k, v] of [...body.entries()]) if (v === "") body.delete(k);
  $("upload-btn").disabled = true;
  setStatus("正在读取和索引文件…");
  try {
    const d = await api("POST", "/api/v1/documents", body);
    setStatus(`已添加“${d.title}”：${d.chunks} 个片段，${d.figures} 个数字，现在即可提问。`);
    form.reset();
    $("f-file-name").textContent = "未选择文件";
    await refresh();
  } catch (err) {
    setStatus(err.message, true);
  } finally {
    $("upload-btn").disabled = false;
  }
});

// ---------- unanswered questions ----------

function renderUnanswered(data) {
  const list = (data && data.questions) || [];
  $("clear-unanswered").hidden = !data.enabled || !list.length;
  if (!data.enabled) {
    $("unanswered-note").textContent = "未开启记录。在服务器上设置 WENDA_UNANSWERED_LOG=on 并重启后，这里会列出资料中找不到答案的问题。";
    $("unanswered").replaceChildren();
    return;
  }
  if (!list.length) {
    $("unanswered").replaceChildren(h("li", { class: "muted" }, "暂无记录。"));
    return;
  }
  $("unanswered").replaceChildren(
    ...list.map((q) => h("li", null, h("span", { class: "count" }, `${q.count} 次`), q.text)),
  );
}

$("clear-unanswered").addEventListener("click", async () => {
  if (!confirm("确定清空未能回答的问题记录吗？")) return;
  try {
    await api("DELETE", "/api/v1/unanswered");
    await refresh();
  } catch (err) {
    setStatus(err.message, true);
  }
});

async function refresh() {
  const [docs, unanswered] = await Promise.all([api("GET", "/api/v1/documents"), api("GET", "/api/v1/unanswered")]);
  renderDocs((docs && docs.documents) || []);
  renderUnanswered(unanswered || { enabled: false, questions: [] });
}

if (sessionStorage.getItem(TOKEN_KEY)) {
  refresh().then(
    () => showPanels(true),
    () => showPanels(false),
  );
}
