// Flows 2 to 6 of the walking skeleton against the real Worker on workerd.
import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { startWorker, api, login, goOnline, socket, inboxSocket, AGENTS } from "./harness.mjs";
import { newConversation, connect, byRole, after } from "./visitor.mjs";

const [ANA, BEN] = AGENTS;
const UNKNOWN = "What is the airspeed velocity of an unladen swallow?";
let w;
let ana;
let ben;

before(async () => {
  w = await startWorker();
  ana = await login(w.base, ANA);
  ben = await login(w.base, BEN);
});
afterAll(async () => { await w?.stop(); });

async function everyoneOffline() {
  await goOnline(w.base, ana, "offline");
  await goOnline(w.base, ben, "offline");
}

test("the assistant answers a question from the knowledge base", async () => {
  const v = await connect(w.base, await newConversation(w.base));
  const mine = await v.ask("how long does shiping take?");
  const reply = await v.next(after(mine.seq, byRole("assistant")));
  assert.match(reply.text, /business day/);
  v.close();
});

test("with no agent online the visitor reads that the assistant does not know, then the no-agent message, and stays with the assistant", async () => {
  await everyoneOffline();
  const v = await connect(w.base, await newConversation(w.base));
  const mine = await v.ask(UNKNOWN);
  const dontKnow = await v.next(after(mine.seq, byRole("system")));
  assert.match(dontKnow.text, /I don't know the answer/);
  const notice = await v.next(after(dontKnow.seq, byRole("system")));
  assert.match(notice.text, /no one is available/i);
  assert.ok(!v.frames.some((f) => f.type === "state" && f.mode !== "bot"), "never left the assistant");
  const next = await v.ask("Do you ship internationally?");
  const reply = await v.next(after(next.seq, byRole("assistant")));
  assert.match(reply.text, /Canada/);
  const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
  assert.ok(!queue.body.entries.some((e) => e.handover && e.preview === UNKNOWN));
  v.close();
});

test("a whole handover: unknown question, live queue, claim, refusal, chat, end, assistant again", async () => {
  await everyoneOffline();
  await goOnline(w.base, ana);
  const inbox = await inboxSocket(w.base, ana);
  await inbox.next((f) => f.type === "queue");

  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  const question = await v.ask(UNKNOWN);
  const handover = await v.next(after(question.seq, byRole("system")));
  assert.match(handover.text, /connecting you to a person/i);
  await v.next((f) => f.type === "state" && f.mode === "pending");

  // The inbox hears of it without asking again.
  const queued = await inbox.next((f) => f.type === "queue" && f.entries.some((e) => e.conversation_id === conv.id));
  const entry = queued.entries.find((e) => e.conversation_id === conv.id);
  assert.equal(entry.handover.status, "pending");
  assert.equal(entry.handover.trigger, "unknown");
  assert.equal(entry.preview, UNKNOWN);

  // What the visitor writes while waiting is kept, and nobody answers it.
  const waiting = await v.ask("Hello? Anyone there?");

  const claim = await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ana.token });
  assert.equal(claim.status, 200, JSON.stringify(claim.body));
  assert.equal(claim.body.holder.name, "Ana");
  const joined = await v.next(after(waiting.seq, byRole("system")));
  assert.equal(joined.text, "Ana has joined the conversation.");
  await v.next((f) => f.type === "state" && f.mode === "assigned" && f.agent.name === "Ana");
  await inbox.next((f) => f.type === "queue" &&
    f.entries.some((e) => e.conversation_id === conv.id && e.handover.status === "acknowledged" && e.handover.holder.name === "Ana"));

  const second = await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ben.token });
  assert.equal(second.status, 409);
  assert.equal(second.body.error, "already_held");
  assert.equal(second.body.holder.name, "Ana");
  assert.match(second.body.message, /Ana/);

  // The agent sees the whole history, including what was written while waiting.
  const agentWs = await socket(w.base, `/api/conversations/${conv.id}/ws?token=${ana.token}&after=0`);
  await agentWs.next((f) => f.type === "message" && f.seq === waiting.seq);

  // Real-time both ways; a knowledge-base question gets no assistant answer now.
  const asked = await v.ask("How much is shipping?");
  await agentWs.next((f) => f.type === "message" && f.seq === asked.seq);
  const reply = await api(w.base, "POST", `/api/conversations/${conv.id}/messages`,
    { token: ana.token, body: { text: "Hi, I'm Ana. Let me check that for you." } });
  assert.equal(reply.status, 201, JSON.stringify(reply.body));
  const seen = await v.next((f) => f.type === "message" && f.seq === reply.body.seq);
  assert.deepEqual(seen.author, { role: "agent", id: ana.agent.id, name: "Ana" });
  agentWs.send({ type: "send", client_id: "ana-1", text: "Standard shipping is free over $50." });
  await v.next(byRole("agent", (f) => f.client_id === "ana-1"));

  const intruder = await api(w.base, "POST", `/api/conversations/${conv.id}/messages`,
    { token: ben.token, body: { text: "me too" } });
  assert.equal(intruder.status, 409);
  assert.equal(intruder.body.holder.name, "Ana");
  const claimedAt = joined.seq;
  assert.ok(!v.frames.some(after(claimedAt, byRole("assistant"))), "the assistant stayed silent");

  const end = await api(w.base, "POST", `/api/conversations/${conv.id}/end`, { token: ana.token });
  assert.equal(end.status, 200, JSON.stringify(end.body));
  const back = await v.next(after(claimedAt, byRole("system", (f) => /back with the assistant/.test(f.text))));
  await v.next((f) => f.type === "state" && f.mode === "bot");
  await inbox.next((f) => f.type === "queue" && !f.entries.some((e) => e.conversation_id === conv.id));

  const again = await v.ask("Do you offer free shipping?");
  assert.ok(again.seq > back.seq);
  const answer = await v.next(after(again.seq, byRole("assistant")));
  assert.match(answer.text, /\$50/);

  const late = await api(w.base, "POST", `/api/conversations/${conv.id}/messages`,
    { token: ana.token, body: { text: "one more thing" } });
  assert.equal(late.status, 409, "an agent cannot post once the handover ended");
  for (const s of [v, inbox, agentWs]) s.close();
});

test("a visitor who asks for a person is handed over", async () => {
  await everyoneOffline();
  await goOnline(w.base, ben);
  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  const mine = await v.ask("I want to talk to a human");
  const notice = await v.next(after(mine.seq, byRole("system")));
  assert.match(notice.text, /connecting you to a person/i);
  const queue = await api(w.base, "GET", "/api/queue", { token: ben.token });
  const entry = queue.body.entries.find((e) => e.conversation_id === conv.id);
  assert.equal(entry.handover.trigger, "visitor_request");
  assert.ok(!v.frames.some(byRole("assistant")), "the assistant did not answer the request");
  v.close();
});

test("a reload in the middle of a handover keeps the whole history and goes on", async () => {
  await everyoneOffline();
  await goOnline(w.base, ana);
  const conv = await newConversation(w.base);
  let v = await connect(w.base, conv);
  await v.ask("What is your return policy?");
  await v.next(byRole("assistant"));
  await v.ask("talk to a person please");
  await v.next((f) => f.type === "state" && f.mode === "pending");
  assert.equal((await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ana.token })).status, 200);
  await v.next((f) => f.type === "state" && f.mode === "assigned");
  const before = v.frames.filter((f) => f.type === "message").map((f) => [f.seq, f.text]);
  v.close();

  // The page reloads: same stored id and token, nothing held in memory.
  v = await connect(w.base, conv, 0);
  const state = await v.next((f) => f.type === "state");
  assert.deepEqual(state, { type: "state", mode: "assigned", agent: { id: ana.agent.id, name: "Ana" } });
  const replayed = v.frames.filter((f) => f.type === "message").map((f) => [f.seq, f.text]);
  assert.deepEqual(replayed, before);

  // A reconnect that asks only for what it missed gets only that.
  const lastSeq = before.at(-1)[0];
  const sent = await api(w.base, "POST", `/api/conversations/${conv.id}/messages`,
    { token: ana.token, body: { text: "Still here?" } });
  const caughtUp = await connect(w.base, conv, lastSeq);
  await caughtUp.next((f) => f.type === "state");
  assert.deepEqual(caughtUp.frames.filter((f) => f.type === "message").map((f) => f.seq), [sent.body.seq]);
  caughtUp.close();

  // A resend with the same client_id (lost ack) is stored once; the sender hears only an
  // ack, each time, and the agent gets the whole message once.
  v.send({ type: "send", client_id: "dup-1", text: "yes, still here" });
  const first = await v.next((f) => f.type === "ack" && f.client_id === "dup-1");
  assert.deepEqual(Object.keys(first).sort(), ["client_id", "seq", "type"], "an ack is small");
  v.send({ type: "send", client_id: "dup-1", text: "yes, still here" });
  const second = await v.next((f) => f.type === "ack" && f.client_id === "dup-1" && f !== first);
  assert.equal(second.seq, first.seq);
  assert.ok(!v.frames.some((f) => f.type === "message" && f.client_id === "dup-1"), "no echo of the words");
  const http = await api(w.base, "POST", `/api/conversations/${conv.id}/messages`,
    { token: conv.token, body: { client_id: "dup-1", text: "yes, still here" } });
  assert.equal(http.status, 200);
  assert.equal(http.body.seq, first.seq);
  // Twenty sends of one client_id at once: stored once, one 201 and 200s for the rest.
  const burst = await Promise.all(Array.from({ length: 20 }, () => api(w.base, "POST",
    `/api/conversations/${conv.id}/messages`, { token: conv.token, body: { client_id: "burst-1", text: "same words" } })));
  assert.deepEqual(burst.map((r) => r.status).sort(), [201, ...Array(19).fill(200)].sort(),
    JSON.stringify(burst.map((r) => [r.status, r.body])));
  assert.equal(new Set(burst.map((r) => r.body.seq)).size, 1, "every answer is the one stored message");
  const history = await api(w.base, "GET", `/api/conversations/${conv.id}/messages?after=0`, { token: conv.token });
  assert.equal(history.body.messages.filter((m) => m.client_id === "dup-1").length, 1);
  assert.equal(history.body.messages.filter((m) => m.client_id === "burst-1").length, 1);
  const seqs = history.body.messages.map((m) => m.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(new Set(seqs).size, seqs.length);
  v.close();
});

test("bad input gets a clear JSON error and changes nothing", async () => {
  const conv = await newConversation(w.base);
  const post = (body, token = conv.token) =>
    api(w.base, "POST", `/api/conversations/${conv.id}/messages`, { token, body });

  let r = await post({ text: "   " });
  assert.equal(r.status, 400);
  assert.deepEqual(Object.keys(r.body).sort(), ["error", "message"]);
  assert.match(r.body.message, /empty/);
  r = await post({ text: "x".repeat(4001) });
  assert.equal(r.status, 400);
  assert.match(r.body.message, /4000/);
  r = await post("{not json");
  assert.equal(r.status, 400);
  assert.match(r.body.message, /not a valid message/);
  r = await post({ text: "hi" }, "not-a-token");
  assert.equal(r.status, 401);
  r = await post({ text: "hi" }, (await newConversation(w.base)).token);
  assert.equal(r.status, 401, "another conversation's token does not open this one");
  r = await api(w.base, "GET", "/api/conversations/0123456789abcdef0123456789abcdef/messages", { token: ana.token });
  assert.equal(r.status, 404);
  r = await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: conv.token });
  assert.equal(r.status, 401, "a visitor cannot claim");
  r = await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ana.token });
  assert.equal(r.status, 409);
  assert.equal(r.body.error, "conflict");
  r = await api(w.base, "POST", "/api/login", { body: { email: ANA.email, password: "wrong" } });
  assert.equal(r.status, 401);
  assert.match(r.body.message, /wrong email or password/);
  r = await api(w.base, "PUT", "/api/presence", { token: ana.token, body: { status: "sleeping" } });
  assert.equal(r.status, 400);
  r = await api(w.base, "GET", "/api/nowhere");
  assert.equal(r.status, 404);
  assert.equal(r.body.error, "not_found");

  const history = await api(w.base, "GET", `/api/conversations/${conv.id}/messages`, { token: conv.token });
  assert.equal(history.status, 200);
  assert.deepEqual(history.body, { state: { mode: "bot" }, messages: [] });
  // A bad frame is answered on the socket and the socket stays usable.
  const v = await connect(w.base, conv);
  v.ws.send("{oops");
  const err = await v.next((f) => f.type === "error");
  assert.equal(err.error, "bad_request");
  await v.ask("How do I track my order?");
  v.close();
});
