// Chromium for the browser tests: Debian's, with nothing reaching beyond localhost, and
// the inbox's sign-in as an agent does it. Screenshots go to tests/out/screenshots.
import { mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { before, after } from "node:test";
import { chromium } from "playwright-core";
import { ROOT, freePort, startWorker } from "../e2e/harness.mjs";

const SHOTS = join(ROOT, "tests/out/screenshots");

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // Without the background-networking flags Chromium keeps dialling Google's hosts,
    // which this machine's closed network refuses.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** The phone the widget's tests use besides the desktop (an iPhone 12 to 15). */
export const PHONE = { width: 390, height: 844 };

/**
 * For a test file: a Worker and Chromium started before its tests and stopped after, in
 * `.w` and `.browser`; `ready(s)`, if given, runs once both are up (a sign-in, say).
 */
export function workerAndBrowser(ready = async () => {}) {
  const s = {};
  before(async () => {
    s.w = await startWorker();
    s.browser = await launch();
    await ready(s);
  });
  after(async () => {
    await s.browser?.close();
    await s.w?.stop();
  });
  return s;
}

/**
 * A page in a context of its own (its own storage), logging the page's errors; `options`
 * for the context (a `timezoneId`, a `locale`).
 */
export async function page(browser, name, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, ...options });
  // Waits only bound a failure; CI machines have run ten times slower than a laptop.
  context.setDefaultTimeout(90_000);
  const p = await context.newPage();
  p.on("pageerror", (e) => console.log(`[${name} pageerror]`, e.message));
  p.on("console", (m) => { if (m.type() === "error") console.log(`[${name} console]`, m.text()); });
  // What the page's Content-Security-Policy refused: a test of the inbox expects none.
  p.cspRefused = [];
  p.on("console", (m) => { if (/Content Security Policy/.test(m.text())) p.cspRefused.push(m.text()); });
  p.shot = (file) => p.screenshot({ path: join(SHOTS, file) });
  return p;
}

export async function agentLogin(p, agent, base) {
  await p.goto(`${base}/inbox/`);
  await p.locator("#login input[name=email]").fill(agent.email);
  await p.locator("#login input[name=password]").fill(agent.password);
  await p.locator("#login button[type=submit]").click();
  await p.locator("#agent-name").filter({ hasText: agent.name }).waitFor();
  await p.locator("#presence").selectOption("online");
}

/**
 * The demo shop's markup under hostile styles (www/test/hostile.html), as a visitor: `open()` clicks the bubble and waits for the message box;
 * `say(text)` sends and waits for the visitor's own message in the log; `system(text)`
 * waits for a notice containing it.
 */
export async function demoPage(browser, name, base) {
  const visitor = await page(browser, name);
  return { visitor, ...(await visit(visitor, `${base}/test/hostile.html`)) };
}

/** The demo shop as a visitor, with the chat already open. */
export async function openDemoChat(browser, name, base) {
  const chat = await demoPage(browser, name, base);
  await chat.open();
  return chat;
}

/**
 * The owner's own site, on another origin than Baton's (`localhost` and its own port, where
 * Baton is on 127.0.0.1): pages that embed the widget with the README's one tag.
 * `url(page)` for /shop.html or /other.html; `close()`.
 */
export async function ownerSite(baton, assistant) {
  const tag = `<script src="${baton}/widget.js" data-assistant="${assistant}" async></script>`;
  const html = (title) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>${title}</title><link rel="icon" href="data:,"></head>
<body><main><h1>${title}</h1><p>An owner's page with Baton's chat.</p></main>${tag}</body></html>`;
  const server = createServer((req, res) => {
    const page = { "/shop.html": "Shop", "/other.html": "Another page" }[req.url];
    if (!page) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html(page));
  });
  const port = await freePort();
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  const origin = `http://localhost:${port}`;
  return { origin, url: (path) => `${origin}${path}`, close: () => new Promise((ok) => server.close(ok)) };
}

/** A page with the widget, as a visitor: the chat in it, `open()`, `say(text)`, `system(text)`. */
export async function visit(p, url) {
  await p.goto(url);
  const chat = p.locator("#baton-chat");
  const input = chat.locator("textarea[name=text]");
  return {
    chat,
    input,
    open: async () => { await chat.locator(".bubble").click(); await input.waitFor(); },
    say: async (text) => {
      await input.fill(text);
      await input.press("Enter");
      await chat.locator(".msg.visitor").filter({ hasText: text }).last().waitFor();
    },
    system: (text) => chat.locator(".msg.system").filter({ hasText: text }).last().waitFor(),
  };
}

/**
 * The visitor of `chat` (from `visit`, opened) asks `text` and waits for a person; Ana, signed
 * in on `agent`, claims it and opens it from her own tab.
 */
export async function handOverToAna(chat, agent, text) {
  await chat.say(text);
  await chat.system("Connecting you to a person");
  await agent.locator("#queue li[data-conversation]").filter({ hasText: text }).locator("button.claim").click();
  await chat.system("Ana has joined the conversation.");
  await agent.locator("#tab-mine").click();
  await agent.locator("#queue li[data-conversation]").filter({ hasText: text }).locator("button.open").click();
  await agent.locator("#messages .msg.visitor").filter({ hasText: text }).waitFor();
}

/** The WCAG 2.1 A and AA violations axe-core finds in `selector` (open shadow roots included). */
export async function axeViolations(p, selector) {
  // Evaluated over DevTools, not added as a <script>: the inbox's Content-Security-Policy
  // rightly refuses inline scripts, and the test must not loosen it.
  await p.evaluate(readFileSync(join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8"));
  const violations = await p.evaluate(async (sel) => {
    const result = await window.axe.run(sel, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    // Each node with axe's own words on it (the colours and ratio of a contrast failure).
    return result.violations.map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) =>
      `  ${n.target.join(" ")}: ${[...n.any, ...n.all].map((c) => c.message).join("; ")}`).join("\n")}`);
  }, selector);
  return violations;
}

/**
 * Bytes the page downloads, by path, from the Chrome DevTools protocol: `over the
 * network` (encoded bytes, headers included) or from the browser's cache.
 */
export async function networkLog(p) {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send("Network.enable");
  const byId = new Map();
  cdp.on("Network.requestWillBeSent", (e) => byId.set(e.requestId, { url: e.request.url, bytes: 0, cached: false }));
  cdp.on("Network.requestServedFromCache", (e) => { const r = byId.get(e.requestId); if (r) r.cached = true; });
  cdp.on("Network.responseReceived", (e) => {
    const r = byId.get(e.requestId);
    if (r) { r.status = e.response.status; r.cached ||= e.response.fromDiskCache || e.response.fromPrefetchCache; }
  });
  cdp.on("Network.loadingFinished", (e) => { const r = byId.get(e.requestId); if (r) r.bytes = e.encodedDataLength; });
  return {
    entries: () => [...byId.values()],
    clear: () => byId.clear(),
  };
}
