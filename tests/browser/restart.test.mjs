// A self-hosted Baton (scripts/serve) stopped with SIGTERM in the middle of a handover and
// started again on the same state and port: the real widget and the real inbox get their
// sockets closed with 1012, reconnect by themselves, catch up, and send what was typed
// meanwhile; nothing is lost or shown twice.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServe, freshState, freePort, api, login, AGENTS } from "../e2e/harness.mjs";
import { launch, page, agentLogin, visit, handOverToAna } from "./browser.mjs";

const [ANA] = AGENTS;
const ASK = "Can you tell me a joke about penguins?";
let browser;

before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Records the close code of every WebSocket the page opens, in `window.closeCodes`. */
async function recordCloses(p) {
  await p.addInitScript(() => {
    const Native = window.WebSocket;
    window.closeCodes = [];
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener("close", (e) => window.closeCodes.push(e.code));
      }
    };
  });
}

test("scripts/serve stopped and started again mid-handover: the widget and the inbox reconnect by themselves and catch up", async () => {
  const state = freshState();
  const port = await freePort();
  let w = await startServe(state, port);
  try {
    const agent = await page(browser, "restart-ana");
    await recordCloses(agent);
    await agentLogin(agent, ANA, w.base);
    const visitorPage = await page(browser, "restart-visitor");
    await recordCloses(visitorPage);
    const v = await visit(visitorPage, `${w.base}/`);
    const { chat, say } = v;
    await v.open();
    await handOverToAna(v, agent, ASK);
    const reply = agent.locator("#reply-text");
    await reply.fill("Ana here, before the restart.");
    await reply.press("Enter");
    await chat.locator(".msg.agent").filter({ hasText: "Ana here, before the restart." }).waitFor();

    const from = Date.now();
    await w.stop();
    console.log(`# SIGTERM to exit with the widget's and the inbox's sockets open: ${Date.now() - from} ms`);
    const codes = (p) => p.evaluate(() => window.closeCodes);
    assert.ok((await codes(visitorPage)).includes(1012), `the widget's socket: ${await codes(visitorPage)}`);
    assert.ok((await codes(agent)).includes(1012), `the inbox's sockets: ${await codes(agent)}`);

    // Typed while the server is down: kept, and sent once it is back.
    const input = chat.locator("textarea[name=text]");
    await input.fill("Typed while you were away.");
    await input.press("Enter");

    w = await startServe(state, port);
    // Said while the widget may not be back yet: it gets it live or in its catch-up.
    const ana = await login(w.base, ANA);
    const id = await agent.locator("#queue li[data-conversation]").filter({ hasText: ASK }).getAttribute("data-conversation");
    const posted = await api(w.base, "POST", `/api/conversations/${id}/messages`,
      { token: ana.token, body: { text: "Ana again, after the restart.", client_id: "after-restart" } });
    assert.equal(posted.status, 201, JSON.stringify(posted.body));

    await chat.locator(".msg.agent").filter({ hasText: "Ana again, after the restart." }).waitFor();
    await agent.locator("#messages .msg.visitor").filter({ hasText: "Typed while you were away." }).waitFor();
    // Both sockets live again: a new line each way arrives without a reload.
    await say("Still here.");
    await agent.locator("#messages .msg.visitor").filter({ hasText: "Still here." }).waitFor();
    await reply.fill("Good, so am I.");
    await reply.press("Enter");
    await chat.locator(".msg.agent").filter({ hasText: "Good, so am I." }).waitFor();
    await visitorPage.shot("restart-visitor-after.png");
    await agent.shot("restart-inbox-after.png");

    const count = (locator, text) => locator.filter({ hasText: text }).count();
    for (const text of ["Ana here, before the restart.", "Ana again, after the restart.", "Good, so am I."]) {
      assert.equal(await count(chat.locator(".msg.agent"), text), 1, `the widget shows "${text}" once`);
      assert.equal(await count(agent.locator("#messages .msg.agent"), text), 1, `the inbox shows "${text}" once`);
    }
    for (const text of [ASK, "Typed while you were away.", "Still here."]) {
      assert.equal(await count(chat.locator(".msg.visitor"), text), 1, `the widget shows "${text}" once`);
      assert.equal(await count(agent.locator("#messages .msg.visitor"), text), 1, `the inbox shows "${text}" once`);
    }
  } finally {
    await w.stop();
  }
});
