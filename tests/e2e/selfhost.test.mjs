// Self-hosting without Cloudflare: scripts/serve runs the Worker on workerd alone, with
// its own config. The README's command works as written (no TEAMS, no webhook), the same
// protocol answers, the site and the inbox are served with the right content types, and
// conversations survive a restart.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  startServe, startReadmeServe, freshState, api, login, goOnline, AGENTS, ROOT,
} from "./harness.mjs";
import { newConversation, connect, byRole } from "./visitor.mjs";

/** The names worker/environment.txt lists: every setting the Worker reads. */
const SETTINGS = readFileSync(join(ROOT, "worker/environment.txt"), "utf8")
  .split("\n").filter((l) => l && !l.startsWith("#")).map((l) => l.split(" ")[0]);

/** A visitor asks for a person and `agent` claims; returns the conversation. */
async function handover(base, agent) {
  const conv = await newConversation(base);
  const v = await connect(base, conv);
  await v.ask("How long does shipping take?");
  assert.match((await v.next(byRole("assistant"))).text, /business day/);
  await v.ask("I want to talk to a human");
  await v.next((f) => f.type === "state" && f.mode === "pending");
  const claim = await api(base, "POST", `/api/conversations/${conv.id}/claim`, { token: agent.token });
  assert.equal(claim.status, 200, JSON.stringify(claim.body));
  await v.next((f) => f.type === "state" && f.mode === "assigned");
  v.close();
  return conv;
}

test("README's scripts/serve command, as written: the site, the inbox, an admin signs in and takes a handover", async () => {
  const w = await startReadmeServe();
  try {
    // What the README asks of an owner, and no more: the optional settings stay unset.
    for (const optional of ["TEAMS", "WEBHOOK_URL", "WEBHOOK_SECRET"]) {
      assert.doesNotMatch(w.command, new RegExp(`\\b${optional}=`), `the README's command sets no ${optional}`);
    }
    const loader = await fetch(`${w.base}/widget.js`);
    const module = (await loader.clone().text()).match(/widget\/pkg\/baton_widget\.[0-9a-f]+\.js/)[0];
    const wasm = (await (await fetch(`${w.base}/${module}`)).text()).match(/baton_widget_bg\.[0-9a-f]+\.wasm/)[0];
    const types = {
      "/": /^text\/html/,
      "/inbox/": /^text\/html/,
      "/widget.js": /^text\/javascript/,
      [`/${module}`]: /^text\/javascript/,
      [`/widget/pkg/${wasm}`]: /^application\/wasm/,
    };
    for (const [path, type] of Object.entries(types)) {
      const res = await fetch(w.base + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get("content-type"), type, path);
    }
    const folder = await fetch(`${w.base}/inbox`, { redirect: "manual" });
    assert.equal(folder.status, 301);
    const to = new URL(folder.headers.get("location"), w.base);
    assert.deepEqual([to.origin, to.pathname], [new URL(w.base).origin, "/inbox/"], "on the same host");
    assert.equal((await fetch(`${w.base}/no-such-page.html`)).status, 404);

    // Every setting the Worker reads is bound, set or not.
    const config = readFileSync(join(ROOT, "worker/build/baton.capnp"), "utf8");
    for (const name of SETTINGS) assert.match(config, new RegExp(`fromEnvironment = "${name}"`), name);

    const ana = await login(w.base, { email: "ana@example.com", password: "a-strong-password" });
    assert.equal((await api(w.base, "GET", "/api/settings?assistant=default", { token: ana.token })).status, 200,
      "ADMINS makes Ana an admin");
    const directory = await api(w.base, "GET", "/api/agents", { token: ana.token });
    assert.deepEqual(directory.body.teams, [], "no TEAMS: no teams");
    await goOnline(w.base, ana);
    await handover(w.base, ana);
  } finally {
    await w.stop();
  }
});

test("scripts/serve: a handover on workerd alone, kept across a restart", async () => {
  const state = freshState();
  // No optional setting but ADMINS, as an owner might run it.
  const env = { TEAMS: undefined };
  let w = await startServe(state, undefined, env);
  let conv;
  try {
    const ana = await login(w.base, AGENTS[0]);
    await goOnline(w.base, ana);
    conv = await handover(w.base, ana);
  } finally {
    await w.stop();
  }

  w = await startServe(state, undefined, env);
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

// On workerd alone every conversation of the class runs in one isolate: a read one of
// them started (the knowledge base's index) must not be awaited by another, which the
// runtime refuses ("Cannot perform I/O on behalf of a different Durable Object").
test("scripts/serve: the first questions of many new conversations at once are all answered", async () => {
  const w = await startServe(freshState());
  try {
    const convs = await Promise.all(Array.from({ length: 12 }, () => newConversation(w.base)));
    const posts = await Promise.all(convs.map((c, i) => api(w.base, "POST", `/api/conversations/${c.id}/messages`, {
      token: c.token,
      body: { text: "How long does shipping take?", client_id: `first-${i}` },
    })));
    const refused = posts.filter((p) => p.status !== 201);
    assert.deepEqual(refused, [], "every first question stored");
    for (const c of convs) {
      const { messages } = (await api(w.base, "GET", `/api/conversations/${c.id}/messages`, { token: c.token })).body;
      assert.ok(messages.some((m) => m.author.role === "assistant"), "the assistant answered");
    }
  } finally {
    await w.stop();
  }
});

test("scripts/serve refuses to start without a required setting, and names it", () => {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, AUTH_SECRET: "a-long-enough-secret-0123" };
  const run = spawnSync(join(ROOT, "scripts/serve"), [], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /set AGENTS/);
});
