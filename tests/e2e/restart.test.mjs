// Messages and the handover survive stopping and starting the runtime.
import { test } from "node:test";
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { startWorker, freshState, api, login, goOnline, configure, AGENTS } from "./harness.mjs";
import { newConversation, connect, byRole, heldConversation, agentReply } from "./visitor.mjs";

test("after a restart every message is still there, in order, and the chat goes on", async () => {
  const state = freshState();
  let w = await startWorker(state);
  let conv;
  let before;
  try {
    const ana = await login(w.base, AGENTS[0]);
    await goOnline(w.base, ana);
    conv = await newConversation(w.base);
    const v = await connect(w.base, conv);
    await v.ask("How do I reset my password?");
    await v.next(byRole("assistant"));
    await v.ask("I'd like to speak to a person");
    await v.next((f) => f.type === "state" && f.mode === "pending");
    await v.ask("my order number is 1234");
    v.close();
    before = (await api(w.base, "GET", `/api/conversations/${conv.id}/messages`, { token: conv.token })).body;
    // question, answer, request, handover notice, queue place, what was written while waiting
    assert.equal(before.messages.length, 6);
  } finally {
    await w.stop();
  }

  w = await startWorker(state);
  try {
    const after = (await api(w.base, "GET", `/api/conversations/${conv.id}/messages`, { token: conv.token })).body;
    assert.deepEqual(after, before);
    const ana = await login(w.base, AGENTS[0]);
    const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
    assert.ok(queue.body.entries.some((e) => e.conversation_id === conv.id), "still in the queue");
    const claim = await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ana.token });
    assert.equal(claim.status, 200);
    const v = await connect(w.base, conv);
    const mine = await v.ask("thanks for picking this up");
    assert.equal(mine.seq, before.messages.at(-1).seq + 2, "numbering goes on after the join notice");
    v.close();
  } finally {
    await w.stop();
  }
});

// The silent holder's clock is not stored with the conversation's state: a restarted
// object reads it back from the history. Wrongly read, it would run from the claim (the
// notice 3 s early) or not at all (no notice).
test("after a restart a silent holder's clock runs from the visitor's message after their reply", async () => {
  const SILENCE = 20;
  const state = freshState();
  let w = await startWorker(state);
  let conv;
  let question;
  try {
    const ana = await login(w.base, AGENTS[0]);
    await goOnline(w.base, ana);
    await configure(w, ana, { holder_silence_secs: SILENCE, visitor_leave_secs: null });
    const held = await heldConversation(w.base, ana);
    conv = held.conv;
    held.v.conv = conv;
    await sleep(1500);
    await agentReply(w.base, held.v, ana, "I'm looking into it");
    await sleep(1500);
    question = await held.v.ask("thanks, are you still there?");
    held.v.close();
  } finally {
    await w.stop();
  }

  w = await startWorker(state);
  try {
    const v = await connect(w.base, conv);
    const told = await v.next(byRole("system", (f) => /had to step away/.test(f.text)), (SILENCE + 30) * 1000);
    const { messages } = (await api(w.base, "GET", `/api/conversations/${conv.id}/messages`, { token: conv.token })).body;
    const asked = messages.find((m) => m.seq === question.seq);
    const claimed = messages.find((m) => m.author.role === "system" && m.seq < asked.seq);
    assert.ok(told.at >= asked.at + SILENCE * 1000,
      `told at ${told.at}, ${told.at - asked.at} ms after the question (claimed at ${claimed?.at})`);
    v.close();
  } finally {
    await w.stop();
  }
});
