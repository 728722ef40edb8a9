// 教育政策问答 — the chat page's script. Plain JavaScript, no framework, no
// third-party code. It talks to POST /api/v1/ask only.
//
// Every text that comes from the user or from a document reaches the DOM as a
// text node (textContent, append(string), createTextNode): nothing is parsed
// as HTML, so a document that contains markup is shown as it is written.

const API = "/api/v1/ask";
const MAX_HISTORY = 10; // messages sent with a question (the server takes 20)
const MAX_QUESTION = 500; // characters, as the server counts them
const FOLLOW_SLACK = 80; // px from the bottom that still counts as "at the bottom"

const $ = (id) => document.getElementById(id);
const els = {
  scroller: $("main"),
  log: $("log"),
  welcome: $("welcome"),
  form: $("ask-form"),
  input: $("q"),
  send: $("send"),
  stop: $("stop"),
  newChat: $("new-chat"),
  counter: $("counter"),
  status: $("status"),
  dialog: $("source"),
  dialogClose: $("source-close"),
  srcLabel: $("source-label"),
  srcTitle: $("source-title"),
  srcCity: $("source-city"),
  srcDate: $("source-date"),
  srcSectionRow: $("source-section-row"),
  srcSection: $("source-section"),
  srcLinkRow: $("source-link-row"),
  srcLink: $("source-link"),
  srcText: $("source-text"),
};

const finePointer = window.matchMedia("(pointer: fine)").matches;

const state = {
  history: [], // finished turns as {role, content}, oldest first
  ctrl: null, // AbortController of the answer being received
  generation: 0, // bumped by 新对话, so late callbacks of an old turn change nothing
  failed: null, // the last failed turn while it still offers 重试
};

const turns = new WeakMap(); // assistant <article> → Turn

// ---------- small DOM helpers ----------

// h builds an element. String children become text nodes, never markup.
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

const SVG_NS = "http://www.w3.org/2000/svg";

// icon draws a 24×24 stroked icon from path data; icons are decoration only.
function icon(d, size = 18) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", size);
  svg.setAttribute("height", size);
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "2");
  path.setAttribute("stroke-linecap", "round");
  path.setAttribute("stroke-linejoin", "round");
  svg.append(path);
  return svg;
}

const ICON_SEARCH_OFF = "M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM20 20l-4-4M8.5 8.5l5 5M13.5 8.5l-5 5";
const ICON_ALERT = "M12 3l9.5 17h-19L12 3zM12 10v4.5M12 17.5v.5";

function announce(text) {
  // Clearing first makes screen readers repeat a message that did not change.
  els.status.textContent = "";
  setTimeout(() => {
    els.status.textContent = text;
  }, 50);
}

// bare drops spaces and punctuation, to compare two wordings of a question.
function bare(s) {
  return s.replace(/[\s\p{P}]/gu, "");
}

function formatDate(s) {
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s || "");
  if (m) return `${m[1]}年${Number(m[2])}月${Number(m[3])}日`;
  m = /^(\d{4})-(\d{1,2})$/.exec(s || "");
  if (m) return `${m[1]}年${Number(m[2])}月`;
  m = /^(\d{4})$/.exec(s || "");
  if (m) return `${m[1]}年`;
  return s || "";
}

// safeURL keeps http(s) links only: a document's URL is the operator's
// input, and a javascript: link must never reach an href.
function safeURL(u) {
  try {
    const url = new URL(u);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : "";
  } catch {
    return "";
  }
}

// ---------- the figures chart ----------

// chartSeries picks from an answer's figures the measure with values for
// several periods (one place, one unit), sorted by period; null when there
// is nothing to chart.
function chartSeries(figures) {
  if (!Array.isArray(figures)) return null;
  const groups = new Map();
  for (const f of figures) {
    // A change (比2015年提高1.01个百分点) is no level: it is left out.
    if (!f || typeof f.measure !== "string" || !f.measure || f.kind === "change") continue;
    const v = Number(String(f.value).replace(/[,，]/g, ""));
    if (!Number.isFinite(v)) continue;
    const key = `${f.place || ""}\u0000${f.measure}\u0000${f.unit || ""}`;
    if (!groups.has(key)) groups.set(key, []);
    const g = groups.get(key);
    const period = String(f.period || "");
    // One point a period and kind: the first, the one the answer leads with.
    if (!g.some((p) => p.period === period && p.kind === f.kind)) {
      g.push({ value: v, label: String(f.value), bound: typeof f.bound === "string" ? f.bound : "", period, kind: f.kind === "target" ? "target" : "achieved", n: f.n });
    }
  }
  let best = null;
  for (const [key, points] of groups) {
    if (new Set(points.map((p) => p.period)).size < 2) continue;
    if (!best || points.length > best.points.length) {
      const [place, measure, unit] = key.split("\u0000");
      best = { place, measure, unit, points };
    }
  }
  if (!best) return null;
  const year = (p) => {
    const m = /(\d{4})/.exec(p);
    return m ? Number(m[1]) : Infinity;
  };
  best.points.sort((a, b) => year(a.period) - year(b.period) || (a.kind === "target") - (b.kind === "target"));
  return best;
}

function svgEl(tag, attrs, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text != null) el.textContent = text;
  return el;
}

function periodLabel(p) {
  return /^\d{4}$/.test(p) ? `${p}年` : p;
}

// figureChart draws the series as bars, one per period: achieved values
// filled, targets as dashed outlines marked 目标, so that a plan's target
// never reads as a result. The chart is a picture of numbers the answer
// states in words; its text alternative lists them.
function figureChart(series) {
  const W = 320, H = 180, top = 28, bottom = 40, left = 12, right = 12;
  const n = series.points.length;
  const max = Math.max(...series.points.map((p) => p.value), 0) || 1;
  const slot = (W - left - right) / n;
  const bw = Math.min(48, slot * 0.6);
  const unit = series.unit || "";
  const title = `${series.place || ""}${series.measure}${unit ? `（${unit}）` : ""}`;
  const desc = series.points
    .map((p) => `${periodLabel(p.period)}${p.kind === "target" ? "目标" : ""}${p.label}${unit}${p.bound}`)
    .join("，");
  const svg = svgEl("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", class: "chart-svg", "aria-label": `${title}：${desc}` });
  svg.append(svgEl("line", { x1: left, x2: W - right, y1: H - bottom, y2: H - bottom, class: "chart-axis" }));
  series.points.forEach((p, i) => {
    const h = Math.max(2, ((H - top - bottom) * p.value) / max);
    const x = left + slot * i + (slot - bw) / 2;
    const y = H - bottom - h;
    const target = p.kind === "target";
    svg.append(
      svgEl("rect", { x, y, width: bw, height: h, rx: 3, class: target ? "chart-bar chart-target" : "chart-bar" }),
      svgEl("text", { x: x + bw / 2, y: y - 6, "text-anchor": "middle", class: "chart-value" }, `${p.label}${unit}${p.bound}`),
      svgEl("text", { x: x + bw / 2, y: H - bottom + 16, "text-anchor": "middle", class: "chart-label" }, periodLabel(p.period)),
    );
    if (target) {
      svg.append(svgEl("text", { x: x + bw / 2, y: H - bottom + 32, "text-anchor": "middle", class: "chart-kind" }, "目标"));
    }
  });
  const legend = h(
    "p",
    { class: "chart-legend", "aria-hidden": "true" },
    h("span", { class: "legend-achieved" }, "实际"),
    h("span", { class: "legend-target" }, "目标"),
  );
  return h("figure", { class: "chart" }, h("figcaption", null, title), svg, legend);
}

// ---------- Server-Sent Events over fetch ----------

// SSEParser turns the text of an event stream into events, as the HTML
// standard's event-stream interpretation does: lines end in CRLF, LF or CR
// (a CR at the end of a chunk waits for the next one, which may start with
// LF), "data:" lines join with "\n", a blank line dispatches, lines that
// start with ":" are comments. Chunks may split a line or an event anywhere.
class SSEParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buf = "";
    this.event = "";
    this.data = [];
  }

  push(text) {
    this.buf += text;
    this.drain(false);
  }

  // end processes what is left. A last event without its blank line is
  // dropped, as a browser's EventSource drops it.
  end() {
    this.drain(true);
    this.buf = "";
  }

  drain(final) {
    const eol = /\r\n|\r|\n/g;
    let pos = 0;
    for (let m; (m = eol.exec(this.buf)); ) {
      if (m[0] === "\r" && m.index === this.buf.length - 1 && !final) break;
      this.line(this.buf.slice(pos, m.index));
      pos = eol.lastIndex;
    }
    this.buf = this.buf.slice(pos);
  }

  line(line) {
    if (line === "") {
      if (this.data.length) this.onEvent(this.event || "message", this.data.join("\n"));
      this.event = "";
      this.data = [];
      return;
    }
    if (line[0] === ":") return;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? "" : line.slice(i + 1);
    if (value[0] === " ") value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
  }
}

class AskError extends Error {
  // kind: "http" | "stream" | "incomplete" | "protocol"
  constructor(kind, detail = {}) {
    super(kind);
    this.kind = kind;
    Object.assign(this, detail);
  }
}

function parseJSON(text) {
  try {
    return JSON.parse(text);
  } catch {
    throw new AskError("protocol");
  }
}

function parseRetryAfter(v) {
  if (!v) return 0;
  if (/^\s*\d+\s*$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? 0 : Math.max(0, Math.ceil((t - Date.now()) / 1000));
}

async function httpError(res) {
  let body = null;
  try {
    body = await res.json();
  } catch {
    // A proxy's HTML error page: the status says enough.
  }
  const e = (body && body.error) || {};
  return new AskError("http", {
    status: res.status,
    code: e.code || "",
    serverMessage: typeof e.message === "string" ? e.message : "",
    wait: parseRetryAfter(res.headers.get("Retry-After")),
  });
}

// describe turns a failure into what the citizen reads and can do.
function describe(err) {
  const rateLimited = (n) => (n > 0 ? `提问有点频繁，请 ${n} 秒后再试。` : "提问有点频繁，请稍等片刻再试。");
  if (err instanceof AskError) {
    switch (err.kind) {
      case "http":
        if (err.status === 429 || err.code === "rate_limited") {
          return { message: rateLimited(err.wait), wait: err.wait, countdown: rateLimited, retry: true };
        }
        if (err.status >= 500) {
          return err.status === 502 || err.status === 504
            ? { message: "回答服务暂时没有响应，请稍后重试。", retry: true }
            : { message: "服务暂时出了点问题，请稍后重试。", retry: true };
        }
        if (err.status === 413) {
          return { message: err.serverMessage || "问题太长了，请精简后再问。", restore: true };
        }
        return { message: err.serverMessage || "这个问题暂时无法提交，请修改后再试。", restore: true };
      case "stream":
        if (err.code === "rate_limited") return { message: rateLimited(0), retry: true };
        return { message: err.serverMessage || "回答过程中出现了问题，请重试。", retry: true };
      case "incomplete":
        return { message: "连接中断了，回答没有完整收到，请重试。", retry: true };
      case "protocol":
        return { message: "收到的回答格式有误，请重试。", retry: true };
    }
  }
  if (navigator.onLine === false) return { message: "网络已断开，请连接网络后重试。", retry: true };
  return { message: "网络连接失败，请检查网络后重试。", retry: true };
}

// ---------- one question and its answer ----------

// CITE finds citations: [1], [1][2], [1, 2], [1、2], and the full-width 【1】.
const CITE = /[[【](\d{1,3}(?:\s*[,,、]\s*\d{1,3})*)[\]】]/g;
// HELD is an unfinished citation at the end of what has arrived so far; it
// waits for the next delta so "[" and "1]" in two deltas still make a button.
const HELD = /[[【][\d\s,,、]{0,16}$/;

class Turn {
  constructor(question, history) {
    this.question = question;
    this.history = history;
    this.generation = state.generation;
    this.userEl = h("article", { class: "msg msg-user" }, h("span", { class: "visually-hidden" }, "您的问题："), question);
    this.el = h("article", { class: "msg msg-assistant", tabindex: "-1" });
    turns.set(this.el, this);
    els.log.append(this.userEl, this.el);
  }

  // reset empties the answer for a (re)start.
  reset() {
    clearInterval(this.timer);
    this.text = ""; // everything received so far
    this.held = ""; // an unfinished citation, not shown yet
    this.lastText = null; // the text node that new text is appended to
    this.sources = [];
    this.finished = false;
    this.answered = true;
    this.el.className = "msg msg-assistant streaming";
    this.el.setAttribute("aria-busy", "true");
    this.headEl = h("div", { class: "answer-head" });
    this.answerEl = h("div", { class: "answer" });
    this.pendingEl = h(
      "p",
      { class: "pending" },
      h("span", { class: "dots", "aria-hidden": "true" }, h("i"), h("i"), h("i")),
      "正在查找资料…",
    );
    this.notesEl = h("div");
    this.chartEl = h("div");
    this.sourcesEl = h("div");
    this.errorEl = h("div");
    this.el.replaceChildren(
      h("span", { class: "visually-hidden" }, "回答："),
      this.headEl,
      this.answerEl,
      this.pendingEl,
      this.notesEl,
      this.chartEl,
      this.sourcesEl,
      this.errorEl,
    );
  }

  onEvent(name, data) {
    switch (name) {
      case "sources":
        this.setSources(parseJSON(data));
        break;
      case "delta": {
        const d = parseJSON(data);
        if (d && typeof d.text === "string") this.append(d.text);
        break;
      }
      case "done":
        this.finish(parseJSON(data));
        break;
      case "error": {
        const d = parseJSON(data);
        const e = (d && d.error) || d || {};
        throw new AskError("stream", { code: e.code || "", serverMessage: e.message || "" });
      }
      default:
      // Unknown events (keep-alives, future additions) are ignored.
    }
  }

  setSources(list) {
    if (!Array.isArray(list)) throw new AskError("protocol");
    this.sources = list.map((s, i) => ({ ...s, n: Number.isInteger(s.n) ? s.n : i + 1 }));
    this.renderSources();
    // Citations that arrived before their sources were plain text: redo them.
    if (this.text) this.rerender(this.text, false);
  }

  source(n) {
    return this.sources.find((s) => s.n === n);
  }

  append(text) {
    if (!text) return;
    if (this.pendingEl.isConnected) this.pendingEl.remove();
    this.text += text;
    let s = this.held + text;
    const m = HELD.exec(s);
    this.held = m ? s.slice(m.index) : "";
    if (m) s = s.slice(0, m.index);
    this.render(s);
    follow();
  }

  // render appends text to the answer, turning citations into buttons.
  // Plain text grows the last text node, so a long answer stays one node per
  // stretch between citations and the page does not slow down.
  render(s) {
    let last = 0;
    for (const m of s.matchAll(CITE)) {
      const nums = m[1].split(/\s*[,,、]\s*/).map(Number);
      if (!nums.every((n) => this.source(n))) continue; // not a citation we can show
      this.appendText(s.slice(last, m.index));
      for (const n of nums) this.answerEl.append(this.citeButton(n));
      this.lastText = null;
      last = m.index + m[0].length;
    }
    this.appendText(s.slice(last));
  }

  appendText(s) {
    if (!s) return;
    if (this.lastText && this.answerEl.lastChild === this.lastText) {
      this.lastText.appendData(s);
    } else {
      this.lastText = document.createTextNode(s);
      this.answerEl.append(this.lastText);
    }
  }

  // rerender draws the answer again from its whole text. Mid-stream (final
  // false) an unfinished citation at the end is held back, as append does.
  rerender(text, final = true) {
    this.answerEl.replaceChildren();
    this.lastText = null;
    this.held = "";
    const m = final ? null : HELD.exec(text);
    if (m) {
      this.held = text.slice(m.index);
      text = text.slice(0, m.index);
    }
    this.render(text);
  }

  citeButton(n) {
    const src = this.source(n);
    return h(
      "button",
      { type: "button", class: "cite", "data-n": n, "aria-label": `查看来源 ${n}：${src.title || ""}` },
      `[${n}]`,
    );
  }

  renderSources() {
    if (!this.sources.length) {
      this.sourcesEl.replaceChildren();
      return;
    }
    const list = h("ol");
    for (const s of this.sources) {
      const sub = [s.city, formatDate(s.published), s.section].filter(Boolean).join(" · ");
      const url = safeURL(s.url);
      list.append(
        h(
          "li",
          null,
          h(
            "button",
            { type: "button", class: "source-item", "data-n": s.n },
            h("span", { class: "source-n" }, `[${s.n}]`),
            h(
              "span",
              { class: "source-body" },
              h("span", { class: "source-name" }, s.title || "未命名文件"),
              sub ? h("span", { class: "source-sub" }, sub) : null,
            ),
          ),
          url
            ? h("a", { class: "source-link", href: url, target: "_blank", rel: "noopener noreferrer", "aria-label": `查看原文：${s.title || ""}` }, "原文")
            : null,
        ),
      );
    }
    this.sourcesEl.replaceChildren(
      h("section", { class: "sources" }, h("h3", null, this.answered ? "来源" : "相关资料"), list),
    );
  }

  finish(done) {
    if (!done || typeof done.answer !== "string") throw new AskError("protocol");
    this.finished = true;
    let changed = done.answer !== this.text || !done.answer;
    if (Array.isArray(done.sources)) {
      const sources = done.sources.map((s, i) => ({ ...s, n: Number.isInteger(s.n) ? s.n : i + 1 }));
      changed ||= JSON.stringify(sources) !== JSON.stringify(this.sources);
      this.sources = sources;
    }
    this.answered = done.answered !== false;
    // done holds the answer as it stands. It can differ from the deltas (the
    // server replaced a model answer by the extractive one): then draw it
    // anew; else keep the nodes, and a focused citation keeps its focus.
    if (changed) this.rerender(done.answer || "（没有收到回答内容）");
    else if (this.held) {
      const held = this.held;
      this.held = "";
      this.render(held);
    }
    this.pendingEl.remove();
    this.el.classList.remove("streaming");
    this.el.removeAttribute("aria-busy");

    if (!this.answered) {
      this.el.classList.add("not-found");
      this.headEl.replaceChildren(h("p", { class: "nf-label" }, icon(ICON_SEARCH_OFF), "资料中没有找到"));
    }
    const notes = [];
    // Show how a follow-up was understood ("那九江呢?" → a whole question).
    const asked = typeof done.question === "string" ? done.question.trim() : "";
    if (this.history.length && asked && bare(asked) !== bare(this.question)) notes.push(h("p", { class: "rewritten" }, `按“${asked}”理解并回答。`));
    if (done.fallback) notes.push(h("p", { class: "answer-note" }, "已改为直接摘录原文的回答。"));
    if (done.mode === "llm") notes.push(h("p", { class: "mode-note" }, "由 AI 依据来源整理，请以原文为准。"));
    this.notesEl.replaceChildren(...notes);
    const series = this.answered ? chartSeries(done.figures) : null;
    this.chartEl.replaceChildren(...(series ? [figureChart(series)] : []));
    this.renderSources();

    if (this.generation === state.generation) {
      state.history.push({ role: "user", content: this.question }, { role: "assistant", content: done.answer });
      state.history = state.history.slice(-MAX_HISTORY);
    }
    announce(this.answered ? "回答完成" : "资料中没有找到相关内容");
    follow();
  }

  // settle ends the streaming look after a stop or a failure.
  settle() {
    if (this.held) {
      this.appendText(this.held);
      this.held = "";
    }
    this.pendingEl.remove();
    this.el.classList.remove("streaming");
    this.el.removeAttribute("aria-busy");
  }

  stopped() {
    this.settle();
    this.el.classList.add("stopped");
    this.notesEl.replaceChildren(h("p", { class: "answer-note" }, this.text ? "已停止，回答不完整。" : "已停止。"));
  }

  fail(err) {
    this.settle();
    this.el.classList.add("failed");
    const info = describe(err);
    const msg = h("p", null, info.message);
    const box = h("div", { class: "error-box", role: "alert" }, icon(ICON_ALERT, 20), msg);
    if (info.retry) {
      const btn = h("button", { type: "button", class: "btn btn-retry" }, "重试");
      btn.addEventListener("click", () => retry(this));
      box.append(btn);
      if (info.wait > 0) {
        let left = info.wait;
        btn.disabled = true;
        btn.textContent = `重试（${left}）`;
        this.timer = setInterval(() => {
          left -= 1;
          if (left > 0) {
            msg.textContent = info.countdown(left);
            btn.textContent = `重试（${left}）`;
            return;
          }
          clearInterval(this.timer);
          msg.textContent = "现在可以重试了。";
          btn.textContent = "重试";
          btn.disabled = false;
        }, 1000);
      }
      state.failed = this;
    }
    this.errorEl.replaceChildren(box);
    if (info.restore && !els.input.value) {
      els.input.value = this.question;
      autosize();
      updateCounter();
    }
    follow();
  }

  // dropRetry takes 重试 away once a newer question is asked: answering an
  // old question later would put the history out of order.
  dropRetry() {
    clearInterval(this.timer);
    for (const b of this.errorEl.querySelectorAll(".btn-retry")) b.remove();
  }
}

// ---------- asking ----------

function setBusy(busy) {
  els.send.disabled = busy;
  els.stop.hidden = !busy;
  els.form.setAttribute("aria-busy", String(busy));
}

function ask(raw) {
  const question = raw.trim();
  if (!question || state.ctrl) return false;
  if ([...question].length > MAX_QUESTION) {
    updateCounter();
    announce(`问题不能超过 ${MAX_QUESTION} 个字`);
    return false;
  }
  if (state.failed) {
    state.failed.dropRetry();
    state.failed = null;
  }
  els.welcome.hidden = true;
  els.newChat.hidden = false;
  stick = true;
  const turn = new Turn(question, state.history.slice(-MAX_HISTORY));
  run(turn);
  return true;
}

function retry(turn) {
  if (state.ctrl || turn.generation !== state.generation) return;
  state.failed = null;
  turn.el.focus({ preventScroll: true });
  run(turn);
}

async function run(turn) {
  const ctrl = new AbortController();
  state.ctrl = ctrl;
  setBusy(true);
  turn.reset();
  follow();
  announce("正在查找资料");
  let reader = null;
  try {
    const res = await fetch(API, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ question: turn.question, history: turn.history, stream: true }),
      signal: ctrl.signal,
    });
    if (!res.ok) throw await httpError(res);
    if (!(res.headers.get("Content-Type") || "").includes("text/event-stream")) {
      // A server that answers in one piece is fine too.
      const body = await res.json().catch(() => null);
      if (body && Array.isArray(body.sources)) turn.setSources(body.sources);
      turn.finish(body);
      return;
    }
    reader = res.body.getReader();
    const decoder = new TextDecoder(); // keeps a character split across chunks
    const parser = new SSEParser((name, data) => turn.onEvent(name, data));
    while (!turn.finished) {
      const { value, done } = await reader.read();
      if (done) {
        parser.push(decoder.decode());
        parser.end();
        break;
      }
      parser.push(decoder.decode(value, { stream: true }));
    }
    if (!turn.finished) throw new AskError("incomplete");
  } catch (err) {
    if (ctrl.signal.aborted) turn.stopped();
    else turn.fail(err);
  } finally {
    if (reader) reader.cancel().catch(() => {});
    if (state.ctrl === ctrl) {
      state.ctrl = null;
      setBusy(false);
    }
  }
}

function newChat() {
  if (state.ctrl) {
    state.ctrl.abort();
    state.ctrl = null;
    setBusy(false);
  }
  if (state.failed) state.failed.dropRetry();
  state.failed = null;
  state.generation += 1;
  state.history = [];
  if (els.dialog.open) els.dialog.close();
  els.log.replaceChildren();
  els.welcome.hidden = false;
  els.newChat.hidden = true;
  els.scroller.scrollTop = 0;
  announce("已开始新对话");
  if (finePointer) els.input.focus();
  else els.scroller.focus({ preventScroll: true });
}

// ---------- following the answer as it grows ----------

let stick = true; // the reader is at the bottom, so new text scrolls into view
let followQueued = false;

els.scroller.addEventListener(
  "scroll",
  () => {
    const s = els.scroller;
    stick = s.scrollHeight - s.scrollTop - s.clientHeight < FOLLOW_SLACK;
  },
  { passive: true },
);

// follow scrolls to the bottom once per frame at most, and only when the
// reader has not scrolled up to read something else.
function follow() {
  if (!stick || followQueued) return;
  followQueued = true;
  requestAnimationFrame(() => {
    followQueued = false;
    if (stick) els.scroller.scrollTop = els.scroller.scrollHeight;
  });
}

// ---------- the source panel ----------

let opener = null; // the button that opened the panel gets the focus back

function openSource(src, from) {
  els.srcLabel.textContent = `来源 [${src.n}]`;
  els.srcTitle.textContent = src.title || "未命名文件";
  els.srcCity.textContent = src.city || "—";
  els.srcDate.textContent = formatDate(src.published) || "—";
  els.srcSection.textContent = src.section || "";
  els.srcSectionRow.hidden = !src.section;
  const url = safeURL(src.url);
  els.srcLinkRow.hidden = !url;
  els.srcLink.href = url || "#";
  els.srcLink.textContent = url;
  els.srcText.textContent = src.text || "";
  opener = from;
  if (!els.dialog.open) els.dialog.showModal();
  els.dialog.scrollTop = 0;
  els.dialogClose.focus();
}

els.dialogClose.addEventListener("click", () => els.dialog.close());
// A click on the backdrop lands on the <dialog> itself, outside the sheet.
els.dialog.addEventListener("click", (e) => {
  if (e.target === els.dialog) els.dialog.close();
});
els.dialog.addEventListener("close", () => {
  if (opener && opener.isConnected) opener.focus();
  opener = null;
});

// One listener serves every citation and source button, however many answers.
els.log.addEventListener("click", (e) => {
  const btn = e.target.closest(".cite, .source-item");
  if (!btn) return;
  const turn = turns.get(btn.closest(".msg-assistant"));
  const src = turn && turn.source(Number(btn.dataset.n));
  if (src) openSource(src, btn);
});

// ---------- the composer ----------

function autosize() {
  const t = els.input;
  t.style.height = "auto";
  t.style.height = `${Math.min(t.scrollHeight + 2, 168)}px`;
}

function updateCounter() {
  const n = [...els.input.value].length;
  els.counter.textContent = n > MAX_QUESTION - 100 ? `${n}/${MAX_QUESTION}` : "";
  els.counter.classList.toggle("over", n > MAX_QUESTION);
}

els.form.addEventListener("submit", (e) => {
  e.preventDefault();
  if (ask(els.input.value)) {
    els.input.value = "";
    autosize();
    updateCounter();
  } else if (!state.ctrl) {
    els.input.focus();
  }
});

els.input.addEventListener("keydown", (e) => {
  // Enter sends, Shift+Enter breaks the line; Enter that confirms an IME
  // composition (pinyin) must not send.
  if (e.key !== "Enter" || e.shiftKey || e.isComposing || e.keyCode === 229) return;
  e.preventDefault();
  if (state.ctrl) return;
  if (els.form.requestSubmit) els.form.requestSubmit();
  else els.send.click();
});

els.input.addEventListener("input", () => {
  autosize();
  updateCounter();
});

els.stop.addEventListener("click", () => {
  const hadFocus = document.activeElement === els.stop;
  if (state.ctrl) state.ctrl.abort();
  if (hadFocus) els.input.focus();
});

els.newChat.addEventListener("click", newChat);

els.welcome.addEventListener("click", (e) => {
  const btn = e.target.closest(".example");
  if (btn && ask(btn.textContent) && finePointer) els.input.focus();
});

if (finePointer) els.input.focus();

// For the browser tests, which import this module again (the same instance).
export { SSEParser };
