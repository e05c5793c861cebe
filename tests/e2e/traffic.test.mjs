// What a chat message costs inside the Worker, counted (BENCH_COUNTERS), not timed: in a
// held conversation, visitor and agent messages reach no other object, take at most two
// SQL statements each, set no alarm once one is set, and the sender's socket gets a
// small ack while the other side gets the message.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorker, freshState, api, login, goOnline, socket, AGENTS } from "./harness.mjs";
import { heldConversation } from "./visitor.mjs";

test("chat messages in a held conversation stay in its object: no workspace request, one SQL statement each, no alarm", async () => {
  const w = await startWorker(freshState(), undefined, { BENCH_COUNTERS: "1" });
  try {
    const counters = async () => (await api(w.base, "GET", "/api/bench")).body;
    const ana = await login(w.base, AGENTS[0]);
    await goOnline(w.base, ana);
    const { conv, v } = await heldConversation(w.base, ana);
    const agent = await socket(w.base, `/api/conversations/${conv.id}/ws?token=${ana.token}&after=0`);
    await agent.next((f) => f.type === "state" && f.mode === "assigned");
    // The first reply is a change of the handover's record, which the workspace hears of.
    agent.send({ type: "send", client_id: "first", text: "Hi, Ana here." });
    await agent.next((f) => f.type === "ack" && f.client_id === "first");
    await v.next((f) => f.type === "message" && f.text === "Hi, Ana here.");

    const before = await counters();
    const rounds = 10;
    for (let i = 0; i < rounds; i++) {
      await v.ask(`question ${i}`);
      await agent.next((f) => f.type === "message" && f.text === `question ${i}`);
      agent.send({ type: "send", client_id: `a${i}`, text: `answer ${i}` });
      const ack = await agent.next((f) => f.type === "ack" && f.client_id === `a${i}`);
      assert.deepEqual(Object.keys(ack).sort(), ["client_id", "seq", "type"]);
      await v.next((f) => f.type === "message" && f.text === `answer ${i}`);
    }
    const after = await counters();
    const delta = (k) => after[k] - before[k];
    const messages = delta("messages_stored");
    assert.equal(messages, 2 * rounds);
    assert.equal(delta("workspace_requests"), 0, "no message reaches the workspace");
    // The insert alone: the machine does not change (its silence clock is not stored).
    assert.ok(delta("conversation_sql") <= messages, `SQL statements: ${delta("conversation_sql")} for ${messages} messages`);
    // The silent-holder timer was armed when Ana took the chat; every later deadline is later.
    assert.equal(delta("alarms_set"), 0, "no alarm set while chatting");
    // Each message: the ack to its sender, the message to the other side.
    assert.equal(delta("frames_sent"), 2 * messages);
    assert.ok(!agent.frames.some((f) => f.type === "message" && f.author.role === "agent" && f.client_id?.startsWith("a")),
      "the agent's socket never gets its own words back");
    v.close();
    agent.close();
  } finally {
    await w.stop();
  }
});
