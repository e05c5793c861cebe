// A workspace with one of everything Baton keeps (accounts, a setting, a saved reply, a
// conversation with an ended handover and a note, one still held), and the check that a
// Baton finds all of it: for backups, restores and upgrades of the storage.
import assert from "node:assert/strict";
import { api, login, goOnline, AGENTS } from "./harness.mjs";
import { heldConversation, act, agentReply } from "./visitor.mjs";

/**
 * Fills a fresh Baton at `base`; returns what `checkKept` looks for. `held`: also leave a
 * conversation that an agent holds (its silent-holder timer runs, so a copy of the state
 * kept for longer than the timer would find it moved on).
 */
export async function fillKept(base, { held: withHeld = true } = {}) {
  const ana = await login(base, AGENTS[0]);
  await goOnline(base, ana);
  const ok = (res, status = 200) => assert.equal(res.status, status, JSON.stringify(res.body));
  ok(await api(base, "PUT", "/api/settings?assistant=default", { token: ana.token, body: { availability: "online_and_offline" } }));
  ok(await api(base, "POST", "/api/team/agents", { token: ana.token, body: { name: "Cleo", email: "cleo@trailhead.test" } }), 201);
  ok(await api(base, "POST", "/api/replies", { token: ana.token, body: { name: "shipping", text: "Hi {visitor_name}, we ship in 2 days.", scope: "workspace" } }), 201);

  const ended = await heldConversation(base, ana);
  ended.v.conv = ended.conv;
  await agentReply(base, ended.v, ana, "Ana here: what is the order number?");
  await ended.v.ask("It is 7781.");
  ok(await act(base, ended.v, "notes", ana, { text: "Order 7781 was refunded once." }), 201);
  ok(await act(base, ended.v, "end", ana, { note: "Sent the tracking link." }));
  ended.v.close();
  if (!withHeld) return { ended: ended.conv };
  const held = await heldConversation(base, ana);
  held.v.conv = held.conv;
  await agentReply(base, held.v, ana, "Still with you.");
  held.v.close();
  return { ended: ended.conv, held: held.conv };
}

/** Every fact `fillKept` left, as a Baton at `base` reads it now. */
export async function checkKept(base, kept) {
  const ana = await login(base, AGENTS[0]);
  const get = async (path, token = ana.token) => {
    const res = await api(base, "GET", path, { token });
    assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const words = (history) => history.messages.map((m) => [m.author.role, m.text, m.note ?? false]);

  const ended = await get(`/api/conversations/${kept.ended.id}/messages`, kept.ended.token);
  assert.equal(ended.state.mode, "bot");
  assert.deepEqual(words(ended).filter(([role]) => role !== "assistant" && role !== "system"), [
    ["visitor", "I want to talk to a human", false],
    ["agent", "Ana here: what is the order number?", false],
    ["visitor", "It is 7781.", false],
  ], "the visitor's history, without the note");
  const forAgents = await get(`/api/conversations/${kept.ended.id}/messages`);
  assert.ok(words(forAgents).some(([, text, note]) => note && text === "Order 7781 was refunded once."), "the note");
  if (kept.held) {
    const held = await get(`/api/conversations/${kept.held.id}/messages`, kept.held.token);
    assert.deepEqual([held.state.mode, held.state.agent?.name], ["assigned", "Ana"]);
    assert.ok(words(held).some(([role, text]) => role === "agent" && text === "Still with you."));
    const queue = (await get("/api/queue")).entries;
    assert.ok(queue.some((e) => e.conversation_id === kept.held.id), "the held handover, in the queue");
  }

  const record = (await get("/api/handovers/ended")).entries.find((e) => e.conversation_id === kept.ended.id);
  assert.ok(record, "the ended handover's record");
  assert.deepEqual([record.handover.status, record.handover.note], ["resolved", "Sent the tracking link."]);

  assert.equal((await get("/api/settings?assistant=default")).availability, "online_and_offline");
  const team = await get("/api/team");
  assert.deepEqual(team.agents.find((a) => a.email === "cleo@trailhead.test")?.status, "invited");
  assert.equal(team.agents.find((a) => a.email === AGENTS[0].email)?.role, "admin");
  const replies = (await get("/api/replies")).replies;
  assert.deepEqual(replies.map((r) => [r.name, r.scope, r.text]), [["shipping", "workspace", "Hi {visitor_name}, we ship in 2 days."]]);
}
