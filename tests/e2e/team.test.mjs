// Issue 11's accounts against the real Worker: agents and teams kept in the workspace,
// seeded from AGENTS/TEAMS/ADMINS; invitations; disabling an agent ends their tokens at
// once, in the workspace and in a conversation already open; passwords changed; the
// last admin kept; and the login lockout.
import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { startWithAgents, startWorker, api, login, goOnline, socket, inboxSocket, AGENTS } from "./harness.mjs";
import { heldConversation } from "./visitor.mjs";

let w, ana, ben;

before(async () => {
  ({ w, ana, ben } = await startWithAgents());
});
afterAll(async () => { await w?.stop(); });

const team = (who, method, path = "", body) => api(w.base, method, `/api/team${path}`, { token: who?.token, body });
const signIn = (email, password) => api(w.base, "POST", "/api/login", { body: { email, password } });

test("the team starts as AGENTS, TEAMS and ADMINS say; only admins see and change it", async () => {
  const r = await team(ana, "GET");
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.teams, ["billing", "soporte"]);
  const byEmail = Object.fromEntries(r.body.agents.map((a) => [a.email, a]));
  assert.equal(r.body.agents.length, AGENTS.length);
  assert.equal(byEmail["ana@trailhead.test"].role, "admin");
  assert.equal(byEmail["ben@trailhead.test"].role, "agent");
  assert.deepEqual(byEmail["ben@trailhead.test"].teams, ["billing", "soporte"]);
  assert.ok(r.body.agents.every((a) => a.status === "active" && !("password" in a)));
  assert.equal(ana.admin, true);
  assert.equal(ben.admin, false);

  for (const [method, path, body] of [["GET", ""], ["POST", "/agents", { name: "X", email: "x@shop.test" }], ["POST", "/teams", { id: "x" }], ["PUT", `/agents/${ben.agent.id}`, { role: "admin" }]]) {
    const refused = await team(ben, method, path, body);
    assert.equal(refused.status, 403, `${method} ${path}: ${JSON.stringify(refused.body)}`);
    assert.equal((await team(undefined, method, path, body)).status, 401);
  }
});

test("an invited agent sets their password by the link, signs in, claims; disabled, their tokens stop at once", async () => {
  const added = await team(ana, "POST", "/agents", { name: "Cleo", email: " Cleo@Shop.test ", role: "agent", teams: ["billing"] });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  const { agent, invitation } = added.body;
  assert.equal(agent.email, "cleo@shop.test");
  assert.equal(agent.status, "invited");
  assert.match(invitation.path, /^\/inbox\/#invite=[0-9a-f]{64}$/);
  assert.ok(invitation.expires_at > Date.now() + 6.9 * 24 * 3600e3);
  const again = await team(ana, "POST", "/agents", { name: "Cleo 2", email: "cleo@shop.test" });
  assert.equal(again.status, 400);
  assert.ok(again.body.fields.some((f) => f.field === "email" && /already/.test(f.problem)));

  assert.equal((await signIn("cleo@shop.test", "")).status, 401, "no password yet");
  const short = await api(w.base, "POST", "/api/invitations/accept", { body: { token: invitation.token, password: "short" } });
  assert.equal(short.status, 400);
  assert.ok(short.body.fields.some((f) => f.field === "password"));
  const accepted = await api(w.base, "POST", "/api/invitations/accept", { body: { token: invitation.token, password: "cleo-secret-1" } });
  assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
  assert.equal(accepted.body.agent.name, "Cleo");
  const reused = await api(w.base, "POST", "/api/invitations/accept", { body: { token: invitation.token, password: "cleo-secret-2" } });
  assert.equal(reused.status, 404, "an invitation works once");
  assert.match(reused.body.message, /ask an admin for a new one/);
  const cleo = await login(w.base, { email: "cleo@shop.test", password: "cleo-secret-1" });
  assert.equal((await team(ana, "GET")).body.agents.find((a) => a.id === cleo.agent.id).status, "active");

  // Cleo takes a conversation and has her inbox open.
  await goOnline(w.base, cleo);
  const { conv, v } = await heldConversation(w.base, cleo);
  const inbox = await inboxSocket(w.base, cleo);
  const open = await socket(w.base, `/api/conversations/${conv.id}/ws?token=${cleo.token}`);
  const closed = (s) => new Promise((ok) => s.ws.addEventListener("close", (e) => ok(e.code), { once: true }));
  const [inboxClosed, convClosed] = [closed(inbox), closed(open)];
  const said = await api(w.base, "POST", `/api/conversations/${conv.id}/messages`, { token: cleo.token, body: { text: "Hello from Cleo" } });
  assert.equal(said.status, 201, JSON.stringify(said.body));

  const disabled = await team(ana, "PUT", `/agents/${cleo.agent.id}`, { status: "disabled" });
  assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
  assert.equal(disabled.body.status, "disabled");
  // At once: the workspace, and the conversation by the news it was given.
  const queue = await api(w.base, "GET", "/api/queue", { token: cleo.token });
  assert.equal(queue.status, 401);
  assert.match(queue.body.message, /signed out/);
  assert.equal(await inboxClosed, 4001, "her open inbox is signed out");
  assert.equal(await convClosed, 4001, "her conversation socket too");
  const late = await api(w.base, "POST", `/api/conversations/${conv.id}/messages`, { token: cleo.token, body: { text: "still here?" } });
  assert.equal(late.status, 401, JSON.stringify(late.body));
  const relogin = await signIn("cleo@shop.test", "cleo-secret-1");
  assert.equal(relogin.status, 403, "the right password of a disabled account");
  assert.match(relogin.body.message, /disabled; ask an admin/);
  assert.ok(!(await api(w.base, "GET", "/api/agents", { token: ana.token })).body.agents.some((a) => a.id === cleo.agent.id), "nobody transfers to her");

  // Enabled again she signs in anew; the old token stays dead.
  assert.equal((await team(ana, "PUT", `/agents/${cleo.agent.id}`, { status: "active" })).status, 200);
  assert.equal((await api(w.base, "GET", "/api/queue", { token: cleo.token })).status, 401);
  assert.equal((await signIn("cleo@shop.test", "cleo-secret-1")).status, 200);

  // Removed, she is gone.
  assert.equal((await team(ana, "DELETE", `/agents/${cleo.agent.id}`)).status, 200);
  assert.equal((await signIn("cleo@shop.test", "cleo-secret-1")).status, 401);
  v.close();
});

test("an agent changes their own password: the old one and the old tokens stop working", async () => {
  const dee = (await team(ana, "POST", "/agents", { name: "Dee", email: "dee@shop.test" })).body;
  const first = await api(w.base, "POST", "/api/invitations/accept", { body: { token: dee.invitation.token, password: "dee-first-pw" } });
  const token = first.body.token;
  const wrong = await api(w.base, "PUT", "/api/password", { token, body: { current: "nope-nope-nope", new: "dee-second-pw" } });
  assert.equal(wrong.status, 400);
  assert.ok(wrong.body.fields.some((f) => f.field === "current"));
  const tooShort = await api(w.base, "PUT", "/api/password", { token, body: { current: "dee-first-pw", new: "short" } });
  assert.ok(tooShort.body.fields.some((f) => f.field === "new"));
  const changed = await api(w.base, "PUT", "/api/password", { token, body: { current: "dee-first-pw", new: "dee-second-pw" } });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal((await api(w.base, "GET", "/api/queue", { token })).status, 401, "the old token");
  assert.equal((await api(w.base, "GET", "/api/queue", { token: changed.body.token })).status, 200);
  assert.equal((await signIn("dee@shop.test", "dee-first-pw")).status, 401);
  assert.equal((await signIn("dee@shop.test", "dee-second-pw")).status, 200);
});

test("roles, teams and the last admin", async () => {
  // The last active admin cannot step down, be disabled or removed.
  for (const [method, body] of [["PUT", { role: "agent" }], ["PUT", { status: "disabled" }], ["DELETE"]]) {
    const r = await team(ana, method, `/agents/${ana.agent.id}`, body);
    assert.equal(r.status, 400, `${method} ${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.message, /last active admin/);
  }
  // Made an admin, Ben signs in again and is one.
  const promoted = await team(ana, "PUT", `/agents/${ben.agent.id}`, { role: "admin" });
  assert.equal(promoted.body.role, "admin");
  assert.equal((await api(w.base, "GET", "/api/queue", { token: ben.token })).status, 401, "a role change signs out");
  const benAdmin = await login(w.base, AGENTS[1]);
  assert.equal(benAdmin.admin, true);
  assert.equal((await team(benAdmin, "GET")).status, 200);
  assert.equal((await team(benAdmin, "PUT", `/agents/${ben.agent.id}`, { role: "agent" })).status, 200);

  const created = await team(ana, "POST", "/teams", { id: "sales" });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal((await team(ana, "POST", "/teams", { id: "sales" })).status, 400);
  assert.equal((await team(ana, "POST", "/teams", { id: "two words" })).status, 400);
  const agent0 = AGENTS[2];
  const id0 = (await team(ana, "GET")).body.agents.find((a) => a.email === agent0.email).id;
  assert.equal((await team(ana, "PUT", `/agents/${id0}`, { teams: ["sales", "nope"] })).status, 400);
  assert.equal((await team(ana, "PUT", `/agents/${id0}`, { teams: ["soporte", "sales"] })).status, 200);
  const renamed = await team(ana, "PUT", "/teams/sales", { id: "sales-eu" });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  let now = (await team(ana, "GET")).body;
  assert.deepEqual(now.agents.find((a) => a.id === id0).teams.sort(), ["sales-eu", "soporte"]);
  assert.deepEqual((await api(w.base, "GET", "/api/agents", { token: ana.token })).body.teams, ["billing", "sales-eu", "soporte"]);
  assert.equal((await team(ana, "DELETE", "/teams/sales-eu")).status, 200);
  now = (await team(ana, "GET")).body;
  assert.deepEqual(now.agents.find((a) => a.id === id0).teams, ["soporte"]);
  assert.equal((await team(ana, "DELETE", "/teams/sales-eu")).status, 404);
});

test("a renamed team keeps its handovers: the settings follow the name; a team or agent the settings name cannot go", async () => {
  const settings = (assistant) => api(w.base, "GET", `/api/settings?assistant=${assistant}`, { token: ana.token });
  const put = (assistant, body) => api(w.base, "PUT", `/api/settings?assistant=${assistant}`, { token: ana.token, body });
  assert.equal((await team(ana, "POST", "/teams", { id: "ventas" })).status, 201);
  const cleo = (await team(ana, "POST", "/agents", { name: "Cleo", email: "cleo.v@shop.test", role: "agent", teams: [] })).body.agent;
  const routing = {
    eligible: { chosen: { teams: ["ventas", "billing"], agents: [cleo.id] } },
    languages: { es: "ventas" },
    default_team: "ventas",
  };
  const stored = await put("tienda", { routing });
  assert.equal(stored.status, 200, JSON.stringify(stored.body));

  const renamed = await team(ana, "PUT", "/teams/ventas", { id: "ventas-es" });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.deepEqual((await settings("tienda")).body.routing, {
    eligible: { chosen: { teams: ["ventas-es", "billing"], agents: [cleo.id] } },
    languages: { es: "ventas-es" },
    default_team: "ventas-es",
  });
  // A Spanish visitor's handover goes to the team by its new name.
  const conv = (await api(w.base, "POST", "/api/conversations", { body: { assistant: "tienda", language: "es" } })).body;
  const v = await socket(w.base, `/api/conversations/${conv.id}/ws?token=${conv.token}&after=0`);
  v.send({ type: "send", client_id: "es-1", text: "quiero hablar con una persona" });
  await v.next((f) => f.type === "state" && f.mode !== "bot" || f.type === "message" && /no one is available/i.test(f.text ?? ""));
  // Nobody of that team is online: the handover is cancelled, its record reported after.
  let record;
  for (let i = 0; i < 50 && !record; i += 1) {
    const ended = (await api(w.base, "GET", "/api/handovers/ended", { token: ana.token })).body.entries;
    record = ended.find((e) => e.conversation_id === conv.id)?.handover;
    if (!record) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(record?.team, "ventas-es");
  v.close();

  // Named by the settings: neither the team nor Cleo can go, and the answer says where.
  const teamGone = await team(ana, "DELETE", "/teams/ventas-es");
  assert.equal(teamGone.status, 409, JSON.stringify(teamGone.body));
  assert.match(teamGone.body.message, /assistant "tienda": routing\.eligible\.teams, assistant "tienda": routing\.languages\.es, assistant "tienda": routing\.default_team/);
  const cleoGone = await team(ana, "DELETE", `/agents/${cleo.id}`);
  assert.equal(cleoGone.status, 409, JSON.stringify(cleoGone.body));
  assert.match(cleoGone.body.message, /\(assistant "tienda": routing\.eligible\.agents\); change those settings first/);
  assert.ok((await team(ana, "GET")).body.teams.includes("ventas-es"), "refused: nothing changed");

  // Once the settings no longer name them, both go.
  assert.equal((await put("tienda", { routing: { eligible: "everyone", languages: {}, default_team: null } })).status, 200);
  assert.equal((await team(ana, "DELETE", "/teams/ventas-es")).status, 200);
  assert.equal((await team(ana, "DELETE", `/agents/${cleo.id}`)).status, 200);
});

test("sign-in resists guessing: 10 failures lock an email, 30 a client, the right password too, with Retry-After", async () => {
  const lw = await startWorker();
  const attempt = (email, password, client) => fetch(`${lw.base}/api/login`, {
    method: "POST",
    headers: { "content-type": "application/json", "cf-connecting-ip": client },
    body: JSON.stringify({ email, password }),
  }).then(async (r) => ({ status: r.status, retry: r.headers.get("retry-after"), body: await r.json() }));
  try {
    const unknown = await attempt("nobody@shop.test", "whatever-pw", "10.0.0.1");
    const wrong = await attempt(AGENTS[0].email, "not-her-password", "10.0.0.1");
    assert.equal(unknown.status, 401);
    assert.deepEqual(unknown.body, wrong.body, "an unknown email and a wrong password read the same");
    for (let i = 1; i < 10; i++) assert.equal((await attempt(AGENTS[0].email, `wrong-${i}`, `10.0.1.${i}`)).status, 401);
    const locked = await attempt(AGENTS[0].email, AGENTS[0].password, "10.0.2.1");
    assert.equal(locked.status, 429, JSON.stringify(locked.body));
    assert.equal(locked.body.error, "too_many_requests");
    assert.match(locked.body.message, /too many failed sign-ins; try again in 10 minute/);
    const retry = Number(locked.retry);
    assert.ok(retry > 500 && retry <= 600, `Retry-After ${locked.retry}`);
    // Another email from another client is not locked.
    assert.equal((await attempt(AGENTS[1].email, AGENTS[1].password, "10.0.2.2")).status, 200);

    // One client guessing many emails: locked after 30 failures, Ben's right password too.
    for (let i = 0; i < 30; i++) assert.equal((await attempt(`guess${i}@shop.test`, "pw-guess-x", "10.9.9.9")).status, 401);
    const client = await attempt(AGENTS[1].email, AGENTS[1].password, "10.9.9.9");
    assert.equal(client.status, 429);
    assert.ok(Number(client.retry) > 0);
    assert.equal((await attempt(AGENTS[1].email, AGENTS[1].password, "10.9.9.8")).status, 200);
  } finally {
    await lw.stop();
  }
});
