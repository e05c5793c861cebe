// Many at the same moment: twenty agents claim one conversation and exactly one wins;
// twenty visitors ask for a person and auto-assignment never exceeds an agent's maximum.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker, api, login, goOnline, configure, AGENTS } from "./harness.mjs";
import { newConversation, connect, byRole } from "./visitor.mjs";

let w;
before(async () => { w = await startWorker(); });
after(async () => { await w?.stop(); });

test("20 simultaneous claims: one succeeds, 19 are refused with the holder's name", async () => {
  const agents = await Promise.all(AGENTS.slice(2, 22).map((a) => login(w.base, a)));
  assert.equal(agents.length, 20);
  await goOnline(w.base, agents[0]);
  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  await v.ask("I want to talk to a human");
  await v.next((f) => f.type === "state" && f.mode === "pending");

  const results = await Promise.all(agents.map((a) =>
    api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: a.token })));
  const won = results.filter((r) => r.status === 200);
  const lost = results.filter((r) => r.status === 409);
  assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status)));
  assert.equal(lost.length, 19);
  const holder = won[0].body.holder;
  for (const r of lost) {
    assert.equal(r.body.error, "already_held");
    assert.deepEqual(r.body.holder, holder);
    assert.equal(r.body.message, `${holder.name} already holds this conversation`);
  }
  const history = await api(w.base, "GET", `/api/conversations/${conv.id}/messages`, { token: conv.token });
  assert.deepEqual(history.body.state, { mode: "assigned", agent: holder });
  const joined = history.body.messages.filter((m) => m.author.role === "system" && /has joined/.test(m.text));
  assert.deepEqual(joined.map((m) => m.text), [`${holder.name} has joined the conversation.`]);
  assert.ok(!v.frames.some(byRole("assistant")));
  v.close();
});

test("20 visitors at once: auto-assignment gives each agent at most their maximum", async () => {
  const [ana, ben] = await Promise.all(AGENTS.slice(0, 2).map((a) => login(w.base, a)));
  // Only Ana and Ben take handovers here, whoever else is online from the test above.
  await configure(w, ana, {
    assignment: { auto_assign: { max_chats: 2 } },
    routing: { eligible: { chosen: { teams: [], agents: [ana.agent.id, ben.agent.id] } } },
  });
  await goOnline(w.base, ana);
  await goOnline(w.base, ben);
  const visitors = await Promise.all(Array.from({ length: 20 }, async () => {
    const conv = await newConversation(w.base);
    const v = await connect(w.base, conv);
    // Twenty conversations at once queue on one workspace object: on a slow machine an
    // answer has taken over 10 s here, so the waits are long (they only bound a failure).
    await v.ask("I want to talk to a human", 120_000);
    await v.next((f) => f.type === "state" && (f.mode === "pending" || f.mode === "assigned"), 120_000);
    return v;
  }));
  const settled = visitors.map((v) => v.frames.findLast((f) => f.type === "state"));
  const held = {};
  for (const s of settled.filter((s) => s.mode === "assigned")) held[s.agent.name] = (held[s.agent.name] ?? 0) + 1;
  assert.deepEqual(held, { Ana: 2, Ben: 2 });
  assert.equal(settled.filter((s) => s.mode === "pending").length, 16);
  for (const v of visitors) v.close();
});
