// The Worker's settings (README, "Configure"; worker/environment.txt) under wrangler: the
// optional ones unset mean none, and one that is missing or malformed is a JSON error
// that names it, never a hang. (tests/e2e/selfhost.test.mjs does the same on workerd.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorker, freshState, api, login, goOnline, AGENTS, agentsSetting } from "./harness.mjs";
import { heldConversation } from "./visitor.mjs";

const [ANA, BEN] = AGENTS;
const NO_OPTIONAL = { TEAMS: undefined, ADMINS: undefined, WEBHOOK_URL: undefined, WEBHOOK_SECRET: undefined };

/** The workers at once: each start is mostly waiting. */
const workers = {
  optional: () => startWorker(freshState(), undefined, NO_OPTIONAL),
  secret: () => startWorker(freshState(), undefined, { AUTH_SECRET: undefined }),
  short: () => startWorker(freshState(), undefined, { AUTH_SECRET: "too-short" }),
  agents: () => startWorker(freshState(), undefined, {
    AGENTS: `${agentsSetting([ANA])};ben@trailhead.test:Ben`,
  }),
  teams: () => startWorker(freshState(), undefined, { TEAMS: "support" }),
  plain: () => startWorker(freshState(), undefined, { AGENTS: `${ANA.email}:${ANA.name}:${ANA.password}` }),
};

test("optional settings unset mean none; a missing or malformed one is an error naming it", async () => {
  const starts = await Promise.allSettled(Object.values(workers).map((start) => start()));
  const started = Object.fromEntries(Object.keys(workers).map((k, i) => [k, starts[i].value]));
  try {
    for (const s of starts) if (s.status === "rejected") throw s.reason;
    // No TEAMS, no ADMINS, no webhook: agents sign in and take handovers.
    const { base } = started.optional;
    const [ana, ben] = await Promise.all([login(base, ANA), login(base, BEN)]);
    assert.deepEqual((await api(base, "GET", "/api/agents", { token: ana.token })).body.teams, []);
    const settings = await api(base, "GET", "/api/settings", { token: ana.token });
    assert.equal(settings.status, 403, "no ADMINS: nobody is an admin");
    await goOnline(base, ana);
    const { conv, v } = await heldConversation(base, ana);
    const toTeam = await api(base, "POST", `/api/conversations/${conv.id}/transfer`,
      { token: ana.token, body: { to: { team: "billing" } } });
    assert.equal(toTeam.status, 400, JSON.stringify(toTeam.body));
    assert.match(toTeam.body.message, /no team "billing"/);
    const toBen = await api(base, "POST", `/api/conversations/${conv.id}/transfer`,
      { token: ana.token, body: { to: { agent: ben.agent } } });
    assert.equal(toBen.status, 200, JSON.stringify(toBen.body));
    v.close();

    const misconfigured = async (w, path, body, name) => {
      const res = await api(w.base, "POST", path, { body });
      assert.equal(res.status, 500, JSON.stringify(res.body));
      assert.equal(res.body.error, "misconfigured");
      assert.match(res.body.message, name);
    };
    await misconfigured(started.secret, "/api/conversations", {}, /AUTH_SECRET is not set/);
    await misconfigured(started.short, "/api/conversations", {}, /AUTH_SECRET is shorter than 16 characters/);
    const credentials = { email: ANA.email, password: ANA.password };
    await misconfigured(started.agents, "/api/login", credentials, /AGENTS has an entry that is not email:Name:hash \(entry 2\)/);
    await misconfigured(started.teams, "/api/login", credentials, /TEAMS has an entry that is not team:email,email \(entry 1\)/);
    await misconfigured(started.plain, "/api/login", credentials, /AGENTS entry 1 holds no password hash: make one with scripts\/hash-password/);
    assert.doesNotMatch(JSON.stringify((await api(started.plain.base, "POST", "/api/login", { body: credentials })).body), /pw-/);
    // The message names the entry, never its text (a password).
    assert.doesNotMatch(JSON.stringify((await api(started.agents.base, "POST", "/api/login", { body: credentials })).body), /pw-/);
  } finally {
    await Promise.all(Object.values(started).map((w) => w?.stop()));
  }
});
