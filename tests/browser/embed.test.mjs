// The widget on the owner's own site: a page of another origin with the README's one tag,
// under wrangler dev and under scripts/serve. A site the assistant does not allow is told
// so; one it allows goes through a whole handover with Ana in the inbox; a repeat visit
// opens the chat without downloading the widget again; a widget that cannot load says so
// and tries again. axe-core checks the widget and the inbox.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker, startServe, AGENTS, login, configure, importKnowledge } from "../e2e/harness.mjs";
import { launch, page, agentLogin, ownerSite, visit, axeViolations, networkLog } from "./browser.mjs";

const [ANA] = AGENTS;
const ASSISTANT = "shop";
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Bytes over the network for the widget's own files, and for everything, from a log. */
function downloaded(log) {
  const widget = log.entries().filter((e) => /\/widget(\.js|\/pkg\/)/.test(e.url));
  const network = (es) => es.filter((e) => !e.cached).reduce((n, e) => n + e.bytes, 0);
  return {
    files: widget.map((e) => `${new URL(e.url).pathname} ${e.cached ? "from cache" : `${e.status}, ${e.bytes} B`}`),
    widgetBytes: network(widget),
    allBytes: network(log.entries()),
    fetched: widget.filter((e) => !e.cached).map((e) => new URL(e.url).pathname),
  };
}

for (const [runtime, start] of [["wrangler dev", startWorker], ["scripts/serve", startServe]]) {
  test(`${runtime}: the widget on another site, refused, then allowed through a whole handover, then cached`, async () => {
    const w = await start();
    const site = await ownerSite(w.base, ASSISTANT);
    const pages = [];
    try {
      const ana = await login(w.base, ANA);
      // The shop's own assistant starts knowing nothing: its owner loads what it knows.
      await importKnowledge(w, ana, ASSISTANT, "assistant/knowledge-base.json");

      // Not listed: the chat says so, and starts nothing.
      await configure(w, ana, { allowed_origins: ["https://elsewhere.example"] }, ASSISTANT);
      const refusedPage = await page(browser, `${runtime}-refused`);
      const refused = await visit(refusedPage, site.url("/shop.html"));
      await refused.open();
      await refused.chat.locator(".error").filter({ hasText: "this chat is not available on this site" }).waitFor();
      assert.equal(await refused.chat.locator(".msg").count(), 0, "no conversation was started");
      await refusedPage.shot(`embed-${runtime.replace(/\W+/g, "-")}-refused.png`);
      await refusedPage.context().close();

      // Listed: the whole handover.
      await configure(w, ana, { allowed_origins: [site.origin] }, ASSISTANT);
      const agent = await page(browser, `${runtime}-ana`);
      pages.push(agent);
      await agentLogin(agent, ANA, w.base);
      const visitorPage = await page(browser, `${runtime}-visitor`);
      pages.push(visitorPage);
      const log = await networkLog(visitorPage);
      const v = await visit(visitorPage, site.url("/shop.html"));
      await v.open();
      const first = downloaded(log);
      await v.say("How long does shipping take?");
      await v.chat.locator(".msg.assistant").filter({ hasText: "business day" }).waitFor();
      const question = `I want to talk to a human (${runtime})`;
      await v.say(question);
      await v.system("Connecting you to a person");
      const item = agent.locator("#queue li[data-conversation]").filter({ hasText: question });
      await item.locator("button.claim").click();
      await v.system("Ana has joined the conversation.");
      await agent.locator("#tab-mine").click();
      await item.locator("button.open").click();
      await agent.locator("#reply-text").fill("Hi, Ana here. What can I do?");
      await agent.locator("#reply-text").press("Enter");
      await v.chat.locator(".msg.agent").filter({ hasText: "Ana here" }).waitFor();
      await v.say("Where is my order?");
      await agent.locator("#messages .msg.visitor").filter({ hasText: "Where is my order?" }).waitFor();
      await visitorPage.shot(`embed-${runtime.replace(/\W+/g, "-")}-handover.png`);

      assert.deepEqual(await axeViolations(visitorPage, "#baton-chat"), [], "the widget, open, mid-handover");
      assert.deepEqual(await axeViolations(agent, "body"), [], "the inbox, with a conversation open");

      await agent.locator("#end").click();
      await v.system("back with the assistant");

      // A repeat visit, another page of the same site: the chat opens again (it was open)
      // with its history, and the module and the wasm come from the browser's cache.
      log.clear();
      const again = await visit(visitorPage, site.url("/other.html"));
      await again.chat.locator(".msg.agent").filter({ hasText: "Ana here" }).waitFor();
      await again.input.waitFor();
      const repeat = downloaded(log);
      console.log(`${runtime}, first visit, to open the chat: widget files ${first.widgetBytes} B over the network ` +
        `(${first.files.join("; ")}), ${first.allBytes} B in all`);
      console.log(`${runtime}, repeat visit: widget files ${repeat.widgetBytes} B over the network ` +
        `(${repeat.files.join("; ")}), ${repeat.allBytes} B in all`);
      assert.ok(first.fetched.some((p) => p.endsWith(".wasm")), `the first visit downloads the wasm: ${first.files}`);
      assert.deepEqual(repeat.fetched.filter((p) => p !== "/widget.js"), [],
        `a repeat visit downloads the loader at most: ${repeat.files}`);
      assert.equal(repeat.files.length, 3, `the loader, the module and the wasm were asked for: ${repeat.files}`);
    } finally {
      // Closed before the Worker stops, so that they do not try to reconnect to it.
      for (const p of pages) await p.context().close();
      await site.close();
      await w.stop();
    }
  });
}

test("a widget that cannot load says so, and loads when the visitor tries again", async () => {
  const w = await startWorker();
  const site = await ownerSite(w.base, ASSISTANT);
  try {
    await importKnowledge(w, await login(w.base, ANA), ASSISTANT, "assistant/knowledge-base.json");
    const visitorPage = await page(browser, "blocked");
    const v = await visit(visitorPage, site.url("/shop.html"));
    const failed = v.chat.locator("[role=alert]").filter({ hasText: "The chat could not load." });
    const retry = failed.getByRole("button", { name: "Try again" });

    // The module is blocked, then the wasm: each time the visitor reads why, and can retry.
    await visitorPage.route("**/widget/pkg/*.js*", (r) => r.abort());
    await v.chat.locator(".bubble").click();
    await failed.waitFor();
    await visitorPage.shot("embed-could-not-load.png");
    await visitorPage.unroute("**/widget/pkg/*.js*");
    await visitorPage.route("**/widget/pkg/*.wasm", (r) => r.abort());
    await retry.click();
    await failed.waitFor();
    await visitorPage.unroute("**/widget/pkg/*.wasm");
    await retry.click();
    await v.input.waitFor();
    await failed.waitFor({ state: "detached" });
    await v.say("How long does shipping take?");
    await v.chat.locator(".msg.assistant").filter({ hasText: "business day" }).waitFor();
    await visitorPage.context().close();
  } finally {
    await site.close();
    await w.stop();
  }
});
