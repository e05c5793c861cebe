// Issue 13: what an outside probe broke, each reproduced here against the real Worker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import http from "node:http";
import { AGENTS, AUTH_SECRET, api, configure, login, socket, startServe, startWithAgents } from "./harness.mjs";
import { act, waitingVisitor } from "./visitor.mjs";

let w, ana, ben, onlyOnline;

before(async () => {
  ({ w, ana, ben, onlyOnline } = await startWithAgents());
});
after(async () => {
  await w?.stop();
});

test("a plain GET on a WebSocket route is refused with 426 and opens no socket: it cannot pin a visitor's handover", async () => {
  await configure(w, ana, { visitor_leave_secs: 2 });
  await onlyOnline(ana);
  const v = await waitingVisitor(w.base, "default", "I want to talk to a person");
  for (const [path, token] of [[`/api/conversations/${v.conv.id}/ws`, v.conv.token], ["/api/inbox/ws", ana.token]]) {
    const r = await api(w.base, "GET", path, { token });
    assert.equal(r.status, 426, `${path}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error, "upgrade_required");
    assert.match(r.body.message, /WebSocket/);
  }
  // The visitor's real socket closes: with no socket left open by those GETs, they
  // count as gone after two seconds, and the waiting handover is cancelled.
  v.close();
  let entry;
  for (let i = 0; i < 80; i += 1) {
    const ended = (await api(w.base, "GET", "/api/handovers/ended", { token: ana.token })).body.entries;
    entry = ended.find((e) => e.conversation_id === v.conv.id);
    if (entry) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(entry?.handover.cancel_reason, "visitor_left", JSON.stringify(entry));
  assert.equal((await act(w.base, v, "claim", ana)).status, 409, "nothing left to claim");
  await configure(w, ana, {});
});

const post = (conv, who, text, client_id) =>
  api(w.base, "POST", `/api/conversations/${conv.id}/messages`, { token: who.token, body: { text, client_id } });

test("the same client_id sent 20 times at once is stored once: one 201, the rest 200 with that message", async () => {
  const conv = (await api(w.base, "POST", "/api/conversations", { body: {} })).body;
  const answers = await Promise.all(Array.from({ length: 20 }, () => post(conv, conv, "Is this stored once?", "same-1")));
  const statuses = answers.map((r) => r.status).sort();
  assert.deepEqual(statuses, [...Array(19).fill(200), 201], JSON.stringify(answers.filter((r) => r.status >= 300).map((r) => r.body)));
  assert.equal(new Set(answers.map((r) => r.body.seq)).size, 1, "all answer the one stored message");
  const history = (await api(w.base, "GET", `/api/conversations/${conv.id}/messages?after=0`, { token: conv.token })).body.messages;
  assert.equal(history.filter((m) => m.text === "Is this stored once?").length, 1);
});

test("a client_id names one sender's message: nobody else's post is answered with it, and new words under a used id are a 409", async () => {
  await onlyOnline(ana);
  const v = await waitingVisitor(w.base, "default", "I want to talk to a person");
  const conv = v.conv;
  assert.equal((await act(w.base, v, "claim", ana)).status, 200);
  const mine = await post(conv, conv, "My order is late.", "v-1");
  assert.equal(mine.status, 201, JSON.stringify(mine.body));

  // Ben holds nothing here: refused as such, not answered with the visitor's message.
  const other = await post(conv, ben, "Ben here.", "v-1");
  assert.equal(other.status, 409, JSON.stringify(other.body));
  assert.equal(other.body.error, "already_held");
  // Ana's new words under the visitor's id: refused, and said why; nothing dropped silently.
  const clash = await post(conv, ana, "Let me check.", "v-1");
  assert.equal(clash.status, 409, JSON.stringify(clash.body));
  assert.match(clash.body.message, /client_id "v-1" already names another message/);
  // A true resend still answers 200 with what was stored.
  const again = await post(conv, conv, "My order is late.", "v-1");
  assert.deepEqual([again.status, again.body.seq], [200, mine.body.seq]);
  const changed = await post(conv, conv, "My order is very late.", "v-1");
  assert.equal(changed.status, 409, "the visitor's own id with other words");
  const ok = await post(conv, ana, "Let me check.", "a-1");
  assert.equal(ok.status, 201);
  const history = (await api(w.base, "GET", `/api/conversations/${conv.id}/messages?after=0`, { token: ana.token })).body.messages;
  assert.deepEqual(history.filter((m) => m.author.role !== "system").map((m) => m.text),
    ["I want to talk to a person", "My order is late.", "Let me check."]);
  v.close();
});

test("a token in the URL opens only a WebSocket: every other route takes the Authorization header", async () => {
  const conv = (await api(w.base, "POST", "/api/conversations", { body: {} })).body;
  for (const [path, token] of [[`/api/conversations/${conv.id}/messages?after=0`, conv.token], ["/api/queue", ana.token]]) {
    const inUrl = await api(w.base, "GET", `${path}${path.includes("?") ? "&" : "?"}token=${token}`);
    assert.equal(inUrl.status, 401, `${path}: ${JSON.stringify(inUrl.body)}`);
    assert.match(inUrl.body.message, /opens only a WebSocket/);
    assert.equal((await api(w.base, "GET", path, { token })).status, 200, path);
  }
});

test("limits: a body over 64 KB is 413 unread; 30 new conversations a minute per address and 20 visitor messages per 10 s, then 429 with Retry-After", async () => {
  const start = (address) => fetch(`${w.base}/api/conversations`, {
    method: "POST", headers: { "content-type": "application/json", "cf-connecting-ip": address }, body: "{}",
  });
  const first = await (await start("203.0.113.7")).json();
  const big = await api(w.base, "POST", `/api/conversations/${first.id}/messages`, { token: first.token, body: { text: "x".repeat(70 * 1024) } });
  assert.equal(big.status, 413, JSON.stringify(big.body));
  assert.equal(big.body.error, "payload_too_large");
  assert.match(big.body.message, /larger than this route takes \(64 KB\)/);

  for (let i = 1; i < 30; i += 1) assert.equal((await start("203.0.113.7")).status, 201, `conversation ${i + 1}`);
  const refused = await start("203.0.113.7");
  assert.equal(refused.status, 429);
  const body = await refused.json();
  assert.equal(body.error, "too_many_requests");
  assert.match(body.message, /too many new conversations from this address \(at most 30 a minute\)/);
  const retry = Number(refused.headers.get("retry-after"));
  assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
  assert.equal((await start("203.0.113.8")).status, 201, "another address is not limited");

  // A visitor sending faster than anyone types: the 21st in 10 s is refused, over HTTP
  // and over the socket alike, and nothing of it is stored.
  const says = [];
  for (let i = 0; i < 20; i += 1) says.push(await post(first, first, `message ${i}`, `m-${i}`));
  assert.deepEqual(says.map((r) => r.status), Array(20).fill(201));
  const fast = await post(first, first, "one more", "m-20");
  assert.equal(fast.status, 429, JSON.stringify(fast.body));
  assert.match(fast.body.message, /sending messages too fast \(at most 20 in 10 s\)/);
  // A resend of what was stored (a widget after a reconnect) is never refused for speed.
  const resend = await post(first, first, "message 3", "m-3");
  assert.deepEqual([resend.status, resend.body.seq], [200, says[3].body.seq]);
  const history = (await api(w.base, "GET", `/api/conversations/${first.id}/messages?after=0`, { token: first.token })).body.messages;
  assert.ok(!history.some((m) => m.text === "one more"));
});

test("signing out ends the token at once; an admin can close a conversation to its visitor's token", async () => {
  const first = await login(w.base, AGENTS[3]);
  const second = await login(w.base, AGENTS[3]);
  assert.equal((await api(w.base, "POST", "/api/logout", { token: first.token })).status, 200);
  for (const s of [first, second]) {
    const r = await api(w.base, "GET", "/api/queue", { token: s.token });
    assert.equal(r.status, 401, "every token of the account ended");
  }
  assert.equal((await api(w.base, "POST", "/api/logout", { token: first.token })).status, 401);
  assert.equal((await api(w.base, "GET", "/api/queue", { token: (await login(w.base, AGENTS[3])).token })).status, 200,
    "signing in again works");

  const conv = (await api(w.base, "POST", "/api/conversations", { body: {} })).body;
  const ws = await socket(w.base, `/api/conversations/${conv.id}/ws?token=${conv.token}&after=0`);
  const closed = new Promise((ok) => ws.ws.addEventListener("close", (e) => ok(e), { once: true }));
  assert.equal((await post(conv, conv, "hello", "b-1")).status, 201);
  const block = (who) => api(w.base, "POST", `/api/conversations/${conv.id}/block`, { token: who.token });
  assert.equal((await block(ben)).status, 403, "only an admin");
  assert.equal((await block(conv)).status, 401, "not the visitor");
  const blocked = await block(ana);
  assert.equal(blocked.status, 200, JSON.stringify(blocked.body));
  assert.equal((await closed).code, 4003, "the visitor's socket is closed");
  const refused = await api(w.base, "GET", `/api/conversations/${conv.id}/messages?after=0`, { token: conv.token });
  assert.equal(refused.status, 403);
  assert.match(refused.body.message, /closed by the site's team/);
  assert.equal((await post(conv, conv, "again", "b-2")).status, 403);
  const kept = await api(w.base, "GET", `/api/conversations/${conv.id}/messages?after=0`, { token: ana.token });
  assert.deepEqual(kept.body.messages.filter((m) => m.author.role === "visitor").map((m) => m.text), ["hello"], "agents still read it");
});

test("a token signed for an id that is no account opens nothing, an admin's claim in it included", async () => {
  const claims = { agent: { id: "ag_000000000bad", name: "Mallory" }, admin: true, generation: 0, exp: Date.now() + 3_600_000 };
  const payload = Buffer.from(JSON.stringify(claims)).toString("hex");
  const sig = createHmac("sha256", AUTH_SECRET).update(`agent:${payload}`).digest("hex");
  const forged = { token: `${payload}.${sig}` };
  const conv = (await api(w.base, "POST", "/api/conversations", { body: {} })).body;
  for (const [method, path] of [["GET", "/api/queue"], ["GET", "/api/team"], ["GET", `/api/conversations/${conv.id}/messages?after=0`], ["GET", "/api/settings?assistant=default"]]) {
    const r = await api(w.base, method, path, forged);
    assert.equal(r.status, 401, `${path}: ${JSON.stringify(r.body)}`);
  }
});

/** A GET of `path` exactly as written (fetch would tidy `//` away): status, headers, body. */
const rawGet = (base, path) => new Promise((resolve, reject) => {
  const { hostname, port } = new URL(base);
  http.get({ host: hostname, port, path }, (res) => {
    let body = "";
    res.on("data", (c) => { body += c; });
    res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
  }).on("error", reject);
});

// Last in this file: scripts/serve builds before it serves, which restarts the shared
// wrangler dev of the tests above.
for (const [runtime, start] of [["wrangler dev", null], ["scripts/serve", startServe]]) {
  test(`${runtime}: a path with // never redirects to another host, and every miss is the JSON error body`, async () => {
    const server = start ? await start() : w;
    try {
      for (const path of ["//evil.example/inbox", "//api//queue", "/api//queue", "/no-such-page", "///inbox/", "/.dev.vars"]) {
        const r = await rawGet(server.base, path);
        if (r.status >= 300 && r.status < 400) {
          // Normalised (Cloudflare's assets tidy `///inbox/`): to a path on this host.
          assert.match(r.headers.location, /^\/(?!\/)/, `${path} -> ${r.headers.location}`);
          continue;
        }
        assert.equal(r.status, 404, path);
        assert.match(r.headers["content-type"], /^application\/json/, path);
        assert.equal(JSON.parse(r.body).error, "not_found", path);
      }
      // The inbox page: only its own scripts and API, never framed, nothing sniffed or leaked.
      for (const path of ["/inbox/", "/inbox/app.js"]) {
        const page = await rawGet(server.base, path);
        assert.equal(page.status, 200, path);
        const csp = page.headers["content-security-policy"] ?? "";
        for (const part of ["default-src 'self'", "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) {
          assert.ok(csp.includes(part), `${path}: ${part} in ${csp}`);
        }
        assert.equal(page.headers["x-content-type-options"], "nosniff", path);
        assert.equal(page.headers["referrer-policy"], "no-referrer", path);
        console.log(`${runtime} ${path}: ${JSON.stringify(Object.fromEntries(["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"].map((h) => [h, page.headers[h]])))}`);
      }
      // A folder without its slash goes to its index, on the same host.
      const folder = await rawGet(server.base, "/inbox");
      assert.ok([301, 307].includes(folder.status), `${folder.status}`);
      assert.equal(folder.headers.location, "/inbox/");
    } finally {
      if (start) await server.stop();
    }
  });
}
