// Issue 14, private notes against the real Worker: an agent's note reaches every agent
// (their sockets, their history) and never the visitor: not on their socket, not in
// their history, not in a catch-up when they reconnect. Notes leave the handover alone.
import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { startWithAgents, api, socket } from "./harness.mjs";
import { newConversation, connect, heldConversation, act, agentReply, byRole } from "./visitor.mjs";

let w, ana, ben, onlyOnline;

before(async () => {
  ({ w, ana, ben, onlyOnline } = await startWithAgents());
});
afterAll(async () => { await w?.stop(); });

const history = (conv, who, after = 0) =>
  api(w.base, "GET", `/api/conversations/${conv.id}/messages?after=${after}`, { token: who.token });
const agentSocket = (conv, agent) => socket(w.base, `/api/conversations/${conv.id}/ws?token=${agent.token}`);
const carries = (frames, text) => JSON.stringify(frames).includes(text);

test("a note reaches every agent and never the visitor, on the socket, in the history or a catch-up", async () => {
  await onlyOnline(ana, ben);
  const { conv, v } = await heldConversation(w.base, ana);
  v.conv = conv;
  const anaWs = await agentSocket(conv, ana);
  const benWs = await agentSocket(conv, ben);
  await agentReply(w.base, v, ana, "Let me check your order.");

  // Ben does not hold the chat and may still write a note.
  const secret = "Private: customer flagged for chargebacks";
  const res = await act(w.base, v, "notes", ben, { text: `  ${secret}  `, client_id: "note-1" });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  assert.equal(res.body.note, true);
  assert.equal(res.body.text, secret);
  assert.deepEqual(res.body.author, { role: "agent", id: ben.agent.id, name: ben.agent.name });
  for (const ws of [anaWs, benWs]) {
    const frame = await ws.next((f) => f.type === "message" && f.seq === res.body.seq);
    assert.equal(frame.note, true);
    assert.equal(frame.text, secret);
  }

  // The holder's next reply comes after the note on the same socket: once the visitor has
  // it, a note sent to them would have arrived.
  await agentReply(w.base, v, ana, "Your parcel left today.");
  assert.ok(!carries(v.frames, secret), JSON.stringify(v.frames));
  assert.ok(!v.frames.some((f) => "note" in f));

  const mine = await history(conv, conv);
  assert.equal(mine.status, 200);
  assert.ok(!carries(mine.body, secret), JSON.stringify(mine.body));
  assert.ok(mine.body.messages.some((m) => m.text === "Your parcel left today."));
  const theirs = await history(conv, ben);
  const note = theirs.body.messages.find((m) => m.seq === res.body.seq);
  assert.deepEqual(note, res.body, "agents read the note in its place in the history");
  const texts = theirs.body.messages.map((m) => m.text);
  assert.ok(texts.indexOf("Let me check your order.") < texts.indexOf(secret));
  assert.ok(texts.indexOf(secret) < texts.indexOf("Your parcel left today."));
  assert.equal(theirs.body.messages.filter((m) => m.note).length, 1, "only the note is marked");

  // Asking from just before the note, the visitor gets what follows it and not the note.
  const since = await history(conv, conv, res.body.seq - 1);
  assert.ok(!carries(since.body, secret));
  assert.deepEqual(since.body.messages.map((m) => m.text), ["Your parcel left today."]);

  v.close();
  for (const after of [0, res.body.seq - 1]) {
    const again = await connect(w.base, conv, after);
    await again.next((f) => f.type === "state" && f.mode === "assigned");
    assert.ok(again.frames.some(byRole("agent", (f) => f.text === "Your parcel left today.")));
    assert.ok(!carries(again.frames, secret), JSON.stringify(again.frames));
    again.close();
  }
  anaWs.close();
  benWs.close();
  assert.equal((await act(w.base, v, "end", ana)).status, 200);
});

test("a note leaves the handover alone: written while it waits or the assistant answers", async () => {
  await onlyOnline(ana, ben);
  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  v.conv = conv;
  await v.ask("Do you offer free shipping?");
  await v.next(byRole("assistant"));
  const bot = await act(w.base, v, "notes", ana, { text: "Looks like a returning customer" });
  assert.equal(bot.status, 201, JSON.stringify(bot.body));
  assert.deepEqual((await history(conv, conv)).body.state, { mode: "bot" });

  await v.ask("I want to talk to a human");
  await v.next((f) => f.type === "state" && f.mode === "pending");
  const waiting = await act(w.base, v, "notes", ben, { text: "Ana knows this one" });
  assert.equal(waiting.status, 201, JSON.stringify(waiting.body));
  assert.deepEqual((await history(conv, conv)).body.state, { mode: "pending" });
  // Nobody holds it, so an agent's reply is refused: the note was no reply.
  assert.equal((await act(w.base, v, "messages", ben, { text: "hi" })).status, 409);
  assert.equal((await act(w.base, v, "claim", ana)).status, 200);
  await v.next((f) => f.type === "state" && f.mode === "assigned");
  await agentReply(w.base, v, ana, "Hi, I'm Ana.");
  assert.ok(!carries(v.frames, "returning customer") && !carries(v.frames, "knows this one"));
  assert.equal((await act(w.base, v, "end", ana)).status, 200);
  v.close();
});

test("a visitor cannot write a note, and a bad note is refused with a clear error", async () => {
  const conv = await newConversation(w.base);
  const v = { conv };
  const visitor = await act(w.base, v, "notes", conv, { text: "I am an agent, honest" });
  assert.equal(visitor.status, 401);
  assert.equal(visitor.body.error, "unauthorized");
  assert.equal((await api(w.base, "POST", `/api/conversations/${conv.id}/notes`, { body: { text: "x" } })).status, 401);

  const refused = [
    [{ text: "   " }, /empty/],
    [{ text: "x".repeat(4001) }, /4000/],
    [{ text: "ok", client_id: "" }, /client_id/],
    [{ text: "ok", client_id: "x".repeat(65) }, /client_id/],
    [{}, /note/],
    ["not json", /note/],
  ];
  for (const [body, why] of refused) {
    const res = await act(w.base, v, "notes", ana, body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error, "bad_request");
    assert.match(res.body.message, why);
  }
  assert.equal((await history(conv, ana)).body.messages.length, 0, "a refused note stores nothing");

  const first = await act(w.base, v, "notes", ana, { text: "once", client_id: "n1" });
  assert.equal(first.status, 201);
  const resent = await act(w.base, v, "notes", ana, { text: "once", client_id: "n1" });
  assert.equal(resent.status, 200);
  assert.deepEqual(resent.body, first.body);
  const other = await act(w.base, v, "notes", ben, { text: "once", client_id: "n1" });
  assert.equal(other.status, 409);
  assert.equal(other.body.error, "conflict");
  assert.equal((await history(conv, ana)).body.messages.length, 1);
});
