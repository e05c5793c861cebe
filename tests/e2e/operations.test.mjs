// Running a self-hosted Baton as a service (scripts/serve): it stops in seconds with
// sockets open, closing them with 1012 on which clients reconnect and catch up; a health
// route; an env file; backups of a running Baton restored into a fresh folder; storage
// written before layouts had versions opens with today's code, and one newer than the
// code is refused.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { request } from "node:http";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startServe, freshState, freePort, api, login, goOnline, inboxSocket, AGENTS, ROOT } from "./harness.mjs";
import { heldConversation } from "./visitor.mjs";
import { fillKept, checkKept } from "./kept-state.mjs";

const VERSION = readFileSync(join(ROOT, "Cargo.toml"), "utf8").match(/^version = "(.*)"/m)[1];

/**
 * A client of a conversation's socket that behaves as the widget and the inbox do: once
 * closed it connects again half a second later (and again, until it opens) from the last
 * `seq` it has, and sends again, with the same `client_id`, what was not acknowledged.
 */
function liveClient(base, conv, token) {
  const c = { frames: [], closes: [], opens: 0, last: 0, unacked: new Map(), stopped: false };
  const connect = () => {
    const ws = new WebSocket(`${base.replace(/^http/, "ws")}/api/conversations/${conv.id}/ws?token=${token}&after=${c.last}`);
    c.ws = ws;
    ws.addEventListener("open", () => {
      c.opens += 1;
      for (const [client_id, text] of c.unacked) ws.send(JSON.stringify({ type: "send", client_id, text }));
    });
    ws.addEventListener("message", (e) => {
      const f = JSON.parse(e.data);
      c.frames.push(f);
      if (f.type === "message") c.last = Math.max(c.last, f.seq);
      if (f.type === "ack") {
        c.unacked.delete(f.client_id);
        c.last = Math.max(c.last, f.seq);
      }
    });
    // A browser fires close right after a failed handshake's error; Node's WebSocket may
    // hold the close back while the refusal's connection stays open.
    let retried = false;
    const retry = () => {
      if (!retried && !c.stopped) setTimeout(connect, 500);
      retried = true;
    };
    ws.addEventListener("error", retry);
    ws.addEventListener("close", (e) => {
      c.closes.push(e.code);
      retry();
    });
  };
  c.say = (client_id, text) => {
    c.unacked.set(client_id, text);
    if (c.ws.readyState === WebSocket.OPEN) c.ws.send(JSON.stringify({ type: "send", client_id, text }));
  };
  c.stop = () => { c.stopped = true; c.ws.close(); };
  connect();
  return c;
}

/**
 * A WebSocket handshake for `path`: the refusal's status and JSON body, or `null` when no
 * server answers (the connection refused or cut).
 */
function handshake(base, path) {
  return new Promise((ok) => {
    const req = request(base + path, {
      headers: { upgrade: "websocket", connection: "Upgrade", "sec-websocket-version": "13", "sec-websocket-key": "dGhlIHNhbXBsZSBub25jZQ==" },
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (d) => { body += d; });
      res.on("end", () => ok({ status: res.statusCode, body: JSON.parse(body) }));
    });
    req.on("upgrade", (res, sock) => { sock.destroy(); ok({ status: res.statusCode }); });
    req.on("error", () => ok(null));
    req.end();
  });
}

async function until(what, check, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still not ${what} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("scripts/serve stops within 10 s with a visitor and an agent mid-conversation; both reconnect by themselves and catch up, nothing lost or doubled", async () => {
  const state = freshState();
  const port = await freePort();
  let w = await startServe(state, port);
  let visitor, agent, inbox;
  try {
    const health = await api(w.base, "GET", "/api/health");
    assert.equal(health.status, 200, JSON.stringify(health.body));
    assert.equal(health.body.status, "ok");
    assert.equal(health.body.version, VERSION);
    assert.equal(health.body.storage, "ok");
    const describe = spawnSync("git", ["describe", "--tags", "--always", "--dirty"], { cwd: ROOT, encoding: "utf8" });
    assert.equal(health.body.build, describe.stdout.trim(), "the build is the checkout's git describe");

    const ana = await login(w.base, AGENTS[0]);
    await goOnline(w.base, ana);
    const { conv, v } = await heldConversation(w.base, ana);
    v.close();
    visitor = liveClient(w.base, conv, conv.token);
    agent = liveClient(w.base, conv, ana.token);
    inbox = await inboxSocket(w.base, ana);
    const inboxClosed = new Promise((ok) => inbox.ws.addEventListener("close", (e) => ok(e.code)));
    await until("connected", () => visitor.opens === 1 && agent.opens === 1);

    // Mid-conversation: the visitor's words still arriving as the stop begins (12 of them,
    // within the visitor's limit of 20 in 10 s).
    const said = Array.from({ length: 12 }, (_, i) => [`v${i}`, `visitor line ${i}`]);
    for (const [id, text] of said.slice(0, 6)) visitor.say(id, text);
    await until("the first lines stored", () => visitor.unacked.size < 6);
    for (const [id, text] of said.slice(6)) visitor.say(id, text);
    const acked = said.filter(([id]) => !visitor.unacked.has(id)).length;
    // A socket asked for once the others were closed, while the server stops: refused
    // with 503, not opened (or, on a slow machine, no server to ask any more).
    const duringStop = new Promise((ok) => visitor.ws.addEventListener("close",
      () => ok(handshake(w.base, `/api/conversations/${conv.id}/ws?token=${conv.token}&after=0`)), { once: true }));
    const from = Date.now();
    await w.stop();
    const stopMs = Date.now() - from;
    const refused = await duringStop;
    console.log(`# a handshake during the stop: ${refused ? refused.status : "no server"}`);
    if (refused) assert.deepEqual([refused.status, refused.body.error], [503, "unavailable"]);
    console.log(`# SIGTERM to exit with 3 sockets open: ${stopMs} ms (${acked} of ${said.length} lines acknowledged when it began)`);
    assert.ok(stopMs < 10_000, `stopped in ${stopMs} ms`);
    assert.match(w.log(), /WebSockets closed with 1012: 3/);
    await until("every socket closed", () => visitor.closes.length && agent.closes.length);
    assert.deepEqual([visitor.closes[0], agent.closes[0], await inboxClosed], [1012, 1012, 1012],
      "closed as a service restart, which the widget and the inbox reconnect on");

    // The same state and port, as systemd's restart does; the clients find it by themselves.
    w = await startServe(state, port);
    await until("reconnected", () => visitor.opens >= 2 && agent.opens >= 2);
    await until("every line acknowledged", () => visitor.unacked.size === 0);
    agent.say("a1", "Ana again: all received.");
    await until("the visitor has the agent's reply", () =>
      visitor.frames.some((f) => f.type === "message" && f.text === "Ana again: all received."));

    const history = await api(w.base, "GET", `/api/conversations/${conv.id}/messages`, { token: conv.token });
    assert.equal(history.status, 200);
    assert.deepEqual([history.body.state.mode, history.body.state.agent?.name], ["assigned", "Ana"]);
    const stored = history.body.messages.filter((m) => m.author.role === "visitor" && m.client_id?.startsWith("v"));
    assert.deepEqual(stored.map((m) => m.text), said.map(([, text]) => text), "every line once, in order");
    // The agent's socket has each of them once, from before the stop or from its catch-up.
    const seen = agent.frames.filter((f) => f.type === "message" && f.client_id?.startsWith("v")).map((f) => f.seq);
    assert.deepEqual(seen, stored.map((m) => m.seq), "the agent saw every line once");
    const replies = visitor.frames.filter((f) => f.type === "message" && f.client_id === "a1");
    assert.equal(replies.length, 1);
  } finally {
    for (const c of [visitor, agent]) c?.stop();
    await w.stop();
  }
});

/** Runs `sqlite3 file` with `input` (SQL or dot-commands); returns its output. */
function sqlite(file, input) {
  const run = spawnSync("sqlite3", [file], { input, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout.trim();
}

/** A state folder for scripts/serve made from the checked-in dumps of layout 1. */
function layoutOneState() {
  const fixture = join(ROOT, "tests/e2e/fixtures/layout-1");
  const state = freshState();
  for (const ns of ["baton-workspace", "baton-conversation"]) {
    mkdirSync(join(state, "serve", ns), { recursive: true });
    for (const dump of readdirSync(join(fixture, ns))) {
      sqlite(join(state, "serve", ns, dump.replace(/\.sql$/, ".sqlite")), readFileSync(join(fixture, ns, dump), "utf8"));
    }
  }
  return { state, kept: JSON.parse(readFileSync(join(fixture, "kept.json"), "utf8")) };
}

/** The objects' storage files of a state folder (not the alarms' metadata.sqlite). */
const objectFiles = (state) => ["baton-workspace", "baton-conversation"].flatMap((ns) =>
  readdirSync(join(state, "serve", ns)).filter((f) => /^[0-9a-f]{64}\.sqlite$/.test(f)).map((f) => join(state, "serve", ns, f)));

test("a running Baton (settings from --env-file) backed up with scripts/backup and restored into a fresh folder has every conversation, message, handover record, setting and account", async () => {
  const state = freshState();
  const backup = join(freshState(), "backup");
  const w = await startServe(state, undefined, {}, { envFile: true });
  let kept;
  try {
    kept = await fillKept(w.base);
    // README's command, while it runs.
    const run = spawnSync(join(ROOT, "scripts/backup"), [join(state, "serve"), backup], { encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    const sqliteFiles = (dir) => readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(".sqlite")).sort();
    assert.deepEqual(sqliteFiles(backup), sqliteFiles(join(state, "serve")), "every file of the state folder");
    assert.ok(sqliteFiles(backup).length >= 3, "two conversations and the workspace, at least");
  } finally {
    await w.stop();
  }
  // README's restore: the backup's files into an empty STATE, Baton stopped.
  const restored = freshState();
  mkdirSync(join(restored, "serve"));
  const copy = spawnSync("cp", ["-a", `${backup}/.`, join(restored, "serve")], { encoding: "utf8" });
  assert.equal(copy.status, 0, copy.stderr);
  const again = await startServe(restored);
  try {
    await checkKept(again.base, kept);
  } finally {
    await again.stop();
  }
});

test("storage as Baton wrote it before layouts had versions opens with today's code, everything found, and then carries its layout", async () => {
  const { state, kept } = layoutOneState();
  for (const file of objectFiles(state)) {
    assert.equal(sqlite(file, "SELECT count(*) FROM sqlite_master WHERE name = 'layout';"), "0", "no version yet");
  }
  const w = await startServe(state);
  try {
    await checkKept(w.base, kept);
  } finally {
    await w.stop();
  }
  for (const file of objectFiles(state)) assert.equal(sqlite(file, "SELECT version FROM layout;"), "1", file);
});

test("storage of a layout newer than the code is refused with a clear error, and left as it is", async () => {
  const { state, kept } = layoutOneState();
  for (const file of objectFiles(state)) sqlite(file, "CREATE TABLE layout (version INTEGER NOT NULL); INSERT INTO layout VALUES (2);");
  const w = await startServe(state);
  try {
    const newer = (object) => new RegExp(`the ${object} storage has layout 2, written by a newer Baton; this one reads layouts up to 1`);
    const health = await api(w.base, "GET", "/api/health");
    assert.equal(health.status, 503);
    assert.equal(health.body.status, "unavailable");
    assert.match(health.body.storage, newer("workspace"));
    const signIn = await api(w.base, "POST", "/api/login", { body: { email: AGENTS[0].email, password: AGENTS[0].password } });
    assert.deepEqual([signIn.status, signIn.body.error], [500, "misconfigured"]);
    assert.match(signIn.body.message, newer("workspace"));
    const history = await api(w.base, "GET", `/api/conversations/${kept.ended.id}/messages`, { token: kept.ended.token });
    assert.deepEqual([history.status, history.body.error], [500, "misconfigured"]);
    assert.match(history.body.message, newer("conversation"));
  } finally {
    await w.stop();
  }
  for (const file of objectFiles(state)) assert.equal(sqlite(file, "SELECT group_concat(version) FROM layout;"), "2", file);
});

test("scripts/serve --env-file refuses a line that is no setting, or no NAME=value, and names the line", () => {
  const dir = freshState();
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  for (const [text, problem] of [
    ["# a comment\nAUTH_SECRET=a-long-enough-secret-0123\nAGENTZ=x\n", /baton\.env:3: AGENTZ is no setting/],
    ["AUTH_SECRET a-long-enough-secret-0123\n", /baton\.env:1: not a NAME=value line/],
  ]) {
    writeFileSync(join(dir, "baton.env"), text);
    const run = spawnSync(join(ROOT, "scripts/serve"), ["--env-file", join(dir, "baton.env")], { cwd: ROOT, env, encoding: "utf8", timeout: 60_000 });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, problem);
  }
});

test("docs/baton.service, the README's systemd unit, passes systemd-analyze verify", (t) => {
  if (spawnSync("systemd-analyze", ["--version"]).status !== 0) return t.skip("no systemd-analyze here");
  // As installed (README): the clone at /opt/baton, here this checkout.
  const dir = freshState();
  const unit = readFileSync(join(ROOT, "docs/baton.service"), "utf8").replaceAll("/opt/baton", ROOT);
  writeFileSync(join(dir, "baton.service"), unit);
  const run = spawnSync("systemd-analyze", ["verify", join(dir, "baton.service")], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr.trim(), "", "no warning");
});
