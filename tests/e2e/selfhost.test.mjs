// Self-hosting without Cloudflare: scripts/serve runs the Worker on workerd alone, with
// its own config. The same protocol answers, the site and the inbox are served with the
// right content types, and conversations survive a restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startServe, freshState, api, login, goOnline, AGENTS } from "./harness.mjs";
import { newConversation, connect, byRole } from "./visitor.mjs";

test("scripts/serve: the site, the inbox and a handover on workerd alone, kept across a restart", async () => {
  const state = freshState();
  let w = await startServe(state);
  let conv;
  try {
    const types = {
      "/": /^text\/html/,
      "/inbox/": /^text\/html/,
      "/widget.js": /^text\/javascript/,
      "/widget/pkg/baton_widget.js": /^text\/javascript/,
      "/widget/pkg/baton_widget_bg.wasm": /^application\/wasm/,
    };
    for (const [path, type] of Object.entries(types)) {
      const res = await fetch(w.base + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type"), type, path);
    }
    const folder = await fetch(`${w.base}/inbox`, { redirect: "manual" });
    assert.equal(folder.status, 301);
    assert.equal(new URL(folder.headers.get("location")).pathname, "/inbox/");
    assert.equal((await fetch(`${w.base}/no-such-page.html`)).status, 404);

    const ana = await login(w.base, AGENTS[0]);
    await goOnline(w.base, ana);
    conv = await newConversation(w.base);
    const v = await connect(w.base, conv);
    await v.ask("How long does shipping take?");
    assert.match((await v.next(byRole("assistant"))).text, /business day/);
    await v.ask("I want to talk to a human");
    await v.next((f) => f.type === "state" && f.mode === "pending");
    const claim = await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ana.token });
    assert.equal(claim.status, 200, JSON.stringify(claim.body));
    await v.next((f) => f.type === "state" && f.mode === "assigned");
    v.close();
  } finally {
    await w.stop();
  }

  w = await startServe(state);
  try {
    const history = await api(w.base, "GET", `/api/conversations/${conv.id}/messages`, { token: conv.token });
    assert.equal(history.status, 200, JSON.stringify(history.body));
    assert.equal(history.body.state.mode, "assigned");
    assert.equal(history.body.state.agent.name, "Ana");
    assert.deepEqual(
      history.body.messages.filter((m) => m.author.role === "visitor").map((m) => m.text),
      ["How long does shipping take?", "I want to talk to a human"],
    );
  } finally {
    await w.stop();
  }
});
