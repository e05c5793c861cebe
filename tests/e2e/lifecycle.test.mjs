// Issue 4 against the real Worker: a handover's life after it starts. Queue places,
// cancel, the timers (on the Durable Object alarm), offline and automatic assignment,
// transfer, close, rating, and the handover record's timestamps.
import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { startWithAgents, api, login, goOnline, socket, inboxSocket, configure, AGENTS } from "./harness.mjs";
import { newConversation, connect, byRole, after } from "./visitor.mjs";

let w, ana, ben, agent0, onlyOnline;

before(async () => {
  ({ w, ana, ben, agent0, onlyOnline } = await startWithAgents());
});
afterAll(async () => { await w?.stop(); });

/** A visitor who has asked for a person; resolves once the handover is settled. */
async function handedOver(mode = "pending") {
  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  v.conv = conv;
  await v.ask("I want to talk to a human");
  await v.next((f) => f.type === "state" && f.mode === mode);
  return v;
}

/** Leaves nothing open behind a test: the holder ends what is held, the visitor stops
 * waiting for what is pending. Loads and queue places then start from zero in the next. */
async function finish(...visitors) {
  for (const v of visitors) {
    const { state } = (await api(w.base, "GET", `/api/conversations/${v.conv.id}/messages?after=${2 ** 31}`,
      { token: v.conv.token })).body;
    if (state.mode === "pending") assert.equal((await call(v, "cancel", v.conv)).status, 200);
    if (state.mode === "assigned") {
      const holder = await login(w.base, AGENTS.find((a) => a.name === state.agent.name));
      assert.equal((await call(v, "end", holder)).status, 200);
    }
    v.close();
  }
}

const call = (v, route, who, body) =>
  api(w.base, "POST", `/api/conversations/${v.conv.id}/${route}`, { token: who.token, body });
const system = (v, re, ms) => v.next(byRole("system", (f) => re.test(f.text)), ms);
/** The first `state` frame with this mode that came after the frame `since`. */
const stateAfter = (v, since, mode) =>
  v.next((f) => f.type === "state" && f.mode === mode && v.frames.indexOf(f) > v.frames.indexOf(since));

test("a waiting visitor hears their place in the queue as it moves", async () => {
  await configure(w, ana);
  await onlyOnline(ana);
  const first = await handedOver();
  await system(first, /number 1 in the queue/);
  const second = await handedOver();
  await system(second, /number 2 in the queue/);

  assert.equal((await call(first, "claim", ana)).status, 200);
  await system(second, /number 1 in the queue/);
  await finish(first, second);
});

test("the visitor can stop waiting: cancelled, back to the assistant, out of the queue", async () => {
  await configure(w, ana);
  await onlyOnline(ana);
  const inbox = await inboxSocket(w.base, ana);
  const v = await handedOver();
  await inbox.next((f) => f.type === "queue" && f.entries.some((e) => e.conversation_id === v.conv.id));

  assert.equal((await call(v, "cancel", ana)).status, 403, "an agent cannot cancel for the visitor");
  v.send({ type: "cancel" });
  const back = await system(v, /back with the assistant/);
  await stateAfter(v, back, "bot");
  await inbox.next((f) => f.type === "queue" && !f.entries.some((e) => e.conversation_id === v.conv.id));
  const again = await call(v, "cancel", { token: v.conv.token });
  assert.equal(again.status, 409, "nothing is waiting any more");
  const known = await v.ask("Do you ship internationally?");
  await v.next(after(known.seq, byRole("assistant")));
  await finish(v);
  inbox.close();
});

test("the queue timeout gives up on a handover nobody takes", async () => {
  await configure(w, ana, { queue_timeout_secs: 2 });
  await onlyOnline(ana);
  const v = await handedOver();
  const gaveUp = await system(v, /no one is available/i, 20_000);
  await stateAfter(v, gaveUp, "bot");
  const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
  assert.ok(!queue.body.entries.some((e) => e.conversation_id === v.conv.id));
  assert.equal((await call(v, "claim", ana)).status, 409, "too late to claim");
  await finish(v);
});

test("a holder who stays silent loses the conversation back to the queue", async () => {
  await configure(w, ana, { holder_silence_secs: 2 });
  await onlyOnline(ana, ben);
  const v = await handedOver();
  assert.equal((await call(v, "claim", ana)).status, 200);
  await v.next((f) => f.type === "state" && f.mode === "assigned");
  await v.ask("Hello?");
  const told = await system(v, /^Ana had to step away\. We're finding someone else; please stay here\.$/, 20_000);
  await stateAfter(v, told, "pending");
  const claimed = await call(v, "claim", ben);
  assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
  await finish(v);
});

test("with nobody online and offline agents allowed, an offline agent gets it", async () => {
  await configure(w, ana, {
    availability: "online_and_offline",
    messages: { offline_agent: "{agent} is away and will answer here." },
  });
  await onlyOnline();
  const v = await handedOver("assigned");
  const notice = await system(v, /is away and will answer here/);
  const state = v.frames.findLast((f) => f.type === "state");
  assert.equal(notice.text, `${state.agent.name} is away and will answer here.`);
  assert.ok(!v.frames.some(byRole("system", (f) => /no one is available/i.test(f.text))));
  await finish(v);

  // An empty message is not sent at all.
  await configure(w, ana, { availability: "online_and_offline", messages: { offline_agent: "" } });
  const quiet = await handedOver("assigned");
  const asked = quiet.frames.find(byRole("visitor"));
  const next = await quiet.ask("are you there?");
  const between = quiet.frames.filter((f) => f.type === "message" && f.seq > asked.seq && f.seq < next.seq);
  assert.ok(!between.some((f) => f.author.role === "system" && f.text.trim() === ""), "no empty notice");
  assert.ok(!between.some(byRole("system", (f) => /away/.test(f.text))));
  await finish(quiet);
});

test("auto-assign gives the least busy online agent the conversation, up to their maximum", async () => {
  await configure(w, ana, { assignment: { auto_assign: { max_chats: 1 } } });
  await onlyOnline(ana);
  const first = await handedOver("assigned");
  assert.equal(first.frames.findLast((f) => f.type === "state").agent.name, "Ana");
  await system(first, /Ana has joined/);
  const second = await handedOver("pending");
  await system(second, /number 1 in the queue/);

  // Whoever can take a waiting one gets it: an agent who comes online...
  await goOnline(w.base, ben);
  await system(second, /Ben has joined/);
  const third = await handedOver("pending");
  // ...or one who finishes a chat.
  assert.equal((await call(first, "end", ana)).status, 200);
  await system(third, /Ana has joined/);
  await finish(first, second, third);
});

test("transfer to an agent: back to pending for them alone, with a note on the record", async () => {
  await configure(w, ana);
  await onlyOnline(ana, ben, agent0);
  const v = await handedOver();
  assert.equal((await call(v, "claim", ana)).status, 200);
  assert.equal((await call(v, "transfer", ben, { to: { team: "billing" } })).status, 409, "only the holder transfers");
  const self = await call(v, "transfer", ana, { to: { agent: ana.agent } });
  assert.equal(self.status, 400);
  const nobody = await call(v, "transfer", ana, { to: { team: "nowhere" } });
  assert.equal(nobody.status, 400);
  assert.match(nobody.body.message, /nowhere/);

  const moved = await call(v, "transfer", ana, { to: { agent: ben.agent }, reason: "speaks German" });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.deepEqual(moved.body, { mode: "pending" });
  await system(v, /Ana is passing you to a colleague/);
  const queue = await api(w.base, "GET", "/api/queue", { token: ben.token });
  const record = queue.body.entries.find((e) => e.conversation_id === v.conv.id).handover;
  assert.equal(record.status, "pending");
  assert.equal(record.requested_agent.name, "Ben");
  assert.equal(record.transfers.length, 1);
  assert.equal(record.transfers[0].from.name, "Ana");
  assert.equal(record.transfers[0].reason, "speaks German");

  assert.equal((await call(v, "claim", agent0)).status, 403, "it waits for Ben only");
  assert.equal((await call(v, "claim", ana)).status, 403);
  const taken = await call(v, "claim", ben);
  assert.equal(taken.status, 200, JSON.stringify(taken.body));
  await finish(v);
});

test("transfer to a team: only its members may claim", async () => {
  await configure(w, ana);
  await onlyOnline(ana, ben);
  const v = await handedOver();
  assert.equal((await call(v, "claim", ana)).status, 200);
  assert.equal((await call(v, "transfer", ana, { to: { team: "billing" }, reason: "a refund" })).status, 200);
  assert.equal((await call(v, "claim", agent0)).status, 403, "agent0 is not in billing");
  assert.equal((await call(v, "claim", ben)).status, 200);
  await finish(v);
});

test("end, then a rating stored on that handover's record with consistent timestamps", async () => {
  await configure(w, ana);
  await onlyOnline(ana);
  const v = await handedOver();
  assert.equal((await call(v, "rate", v.conv, { score: 5 })).status, 409, "nothing to rate yet");
  assert.equal((await call(v, "claim", ana)).status, 200);
  await v.ask("Are you a person?");
  const reply = await api(w.base, "POST", `/api/conversations/${v.conv.id}/messages`,
    { token: ana.token, body: { text: "I am. How can I help?" } });
  assert.equal(reply.status, 201);
  const ended = await call(v, "end", ana, { note: "Refund approved; the customer was upset." });
  assert.deepEqual(ended.body, { mode: "bot" });
  await system(v, /back with the assistant/);
  await system(v, /rate this conversation from 1 to 5/);

  assert.equal((await call(v, "rate", v.conv, { score: 6 })).status, 400);
  assert.equal((await call(v, "rate", ana, { score: 5 })).status, 403, "agents do not rate");
  const rated = await call(v, "rate", v.conv, { score: 4, comment: "Quick and kind." });
  assert.equal(rated.status, 200, JSON.stringify(rated.body));
  // The visitor's answer is their view of the record: never the agents' closing note.
  const seen = rated.body;
  assert.equal(seen.status, "resolved");
  assert.equal(seen.holder.name, "Ana");
  assert.deepEqual([seen.rating.score, seen.rating.comment], [4, "Quick and kind."]);
  assert.ok(!JSON.stringify(seen).includes("upset"), JSON.stringify(seen));
  assert.deepEqual(Object.keys(seen).filter((k) => ["note", "earlier_note", "transfers", "team", "holders"].includes(k)), []);
  // The whole record, as agents read it.
  const record = (await api(w.base, "GET", "/api/handovers/ended", { token: ana.token })).body.entries
    .find((e) => e.conversation_id === v.conv.id).handover;
  assert.equal(record.note, "Refund approved; the customer was upset.");
  assert.equal(record.trigger, "visitor_request");
  assert.deepEqual(record.holders.map((h) => h.agent.name), ["Ana"]);
  assert.deepEqual(record.rating, seen.rating);
  assert.ok(record.requested_at <= record.claimed_at, "requested before claimed");
  assert.ok(record.claimed_at <= record.first_reply_at, "claimed before the first reply");
  assert.ok(record.first_reply_at <= record.ended_at, "replied before it ended");
  assert.ok(record.ended_at <= record.rating.at);
  assert.equal((await call(v, "rate", v.conv, { score: 5 })).status, 409, "rated once");
  await finish(v);
});

test("close: the chat is closed, and the next message reopens it with the assistant", async () => {
  await configure(w, ana, { rating: false });
  await onlyOnline(ana);
  const v = await handedOver();
  assert.equal((await call(v, "claim", ana)).status, 200);
  const closed = await call(v, "close", ana);
  assert.deepEqual(closed.body, { mode: "closed" });
  const notice = await system(v, /This chat is closed/);
  await stateAfter(v, notice, "closed");
  const known = await v.ask("Do you ship internationally?");
  assert.match((await v.next(after(known.seq, byRole("assistant")))).text, /Canada/);
  assert.ok(!v.frames.some(after(notice.seq - 1, byRole("system", (f) => /rate/.test(f.text)))), "no rating prompt with ratings off");
  assert.equal((await call(v, "rate", v.conv, { score: 5 })).status, 409, "ratings are off");
  await finish(v);
});

test("with the assigned notice off the visitor is not told who joined", async () => {
  await configure(w, ana, { notify_agent_assigned: false });
  await onlyOnline(ana);
  const v = await handedOver();
  assert.equal((await call(v, "claim", ana)).status, 200);
  await v.next((f) => f.type === "state" && f.mode === "assigned");
  const mine = await v.ask("hello");
  assert.ok(!v.frames.some(byRole("system", (f) => /joined/.test(f.text) && f.seq < mine.seq)));
  await finish(v);
});

test("a visitor who leaves: a waiting handover is cancelled, a held one ends; a reload is not leaving", async () => {
  await configure(w, ana, { visitor_leave_secs: 2 });
  await onlyOnline(ana);
  const watch = (v) => socket(w.base, `/api/conversations/${v.conv.id}/ws?token=${ana.token}`);
  const left = (s) => s.next(byRole("system", (f) => f.text === "The visitor left the chat."), 20_000);

  // A reload: the socket closes and another opens at once.
  const reloads = await handedOver();
  reloads.close();
  const back = await connect(w.base, reloads.conv);
  back.conv = reloads.conv;

  // Closes the tab while waiting.
  const waits = await handedOver();
  const waitsSeen = await watch(waits);
  waits.close();
  await stateAfter(waitsSeen, await left(waitsSeen), "bot");

  // Closes the tab while Ana holds the chat.
  const held = await handedOver();
  assert.equal((await call(held, "claim", ana)).status, 200);
  const heldSeen = await watch(held);
  held.close();
  await stateAfter(heldSeen, await left(heldSeen), "closed");

  const queue = (await api(w.base, "GET", "/api/queue", { token: ana.token })).body.entries;
  assert.deepEqual(queue.map((e) => e.conversation_id), [reloads.conv.id], "only the one who reloaded waits");
  const { state } = (await api(w.base, "GET", `/api/conversations/${reloads.conv.id}/messages?after=${2 ** 31}`,
    { token: reloads.conv.token })).body;
  assert.equal(state.mode, "pending");
  assert.ok(!back.frames.some(byRole("system", (f) => /left/.test(f.text))));
  waitsSeen.close();
  heldSeen.close();
  await finish(back);
});

test("the holder's closing note reaches whoever takes the conversation next", async () => {
  await configure(w, ana);
  await onlyOnline(ana);
  const v = await handedOver();
  assert.equal((await call(v, "claim", ana)).status, 200);
  const tooLong = await call(v, "end", ana, { note: "x".repeat(4001) });
  assert.equal(tooLong.status, 400, JSON.stringify(tooLong.body));
  assert.match(tooLong.body.message, /4000/);
  const note = "Invoice 7 split in two payments; the second is due on the 30th.";
  const ended = await call(v, "end", ana, { note });
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  assert.equal(ended.body.mode, "bot");
  await v.ask("I want to talk to a human again");
  await v.next((f) => f.type === "state" && f.mode === "pending" && v.frames.indexOf(f) > 3);
  const entry = (await api(w.base, "GET", "/api/queue", { token: ana.token })).body.entries
    .find((e) => e.conversation_id === v.conv.id);
  assert.equal(entry.handover.id, 2);
  assert.equal(entry.handover.earlier_note, note);
  await finish(v);
});

test("typing: agents see the visitor's, the visitor sees only the holder's, nothing is stored", async () => {
  await configure(w, ana);
  await onlyOnline(ana, ben);
  const v = await handedOver();
  const watch = (who) => socket(w.base, `/api/conversations/${v.conv.id}/ws?token=${who.token}`);
  const [anaWs, benWs] = await Promise.all([watch(ana), watch(ben)]);
  const typing = (role) => (f) => f.type === "typing" && f.author.role === role;

  v.send({ type: "typing" });
  await anaWs.next(typing("visitor"));
  await benWs.next(typing("visitor"));
  // Waiting, nobody holds it; then Ana does: Ben's typing never reaches the visitor.
  benWs.send({ type: "typing" });
  assert.equal((await call(v, "claim", ana)).status, 200);
  benWs.send({ type: "typing" });
  anaWs.send({ type: "typing" });
  const shown = await v.next(typing("agent"));
  assert.equal(shown.author.name, "Ana");
  await v.ask("marker");
  assert.equal(v.frames.filter(typing("agent")).length, 1, "only the holder's, once held");
  const { messages } = (await api(w.base, "GET", `/api/conversations/${v.conv.id}/messages`,
    { token: v.conv.token })).body;
  assert.ok(!messages.some((m) => /typing/.test(m.text)), "typing is not stored");
  anaWs.close();
  benWs.close();
  await finish(v);
});

test("analytics: an assistant's handovers by status, times, ratings and unanswered questions, adding up", async () => {
  await configure(w, ana, {}, "stats");
  await onlyOnline(ana);
  const start = async (question) => {
    const conv = (await api(w.base, "POST", "/api/conversations", { body: { assistant: "stats" } })).body;
    const v = await connect(w.base, conv);
    v.conv = conv;
    await v.ask(question);
    await v.next((f) => f.type === "state" && f.mode === "pending");
    return v;
  };
  const rated = await start("I want to talk to a human");
  assert.equal((await call(rated, "claim", ana)).status, 200);
  assert.equal((await call(rated, "end", ana)).status, 200);
  assert.equal((await call(rated, "rate", rated.conv, { score: 4 })).status, 200);
  const gaveUp = await start("What is the airspeed velocity of an unladen swallow?");
  assert.equal((await call(gaveUp, "cancel", gaveUp.conv)).status, 200);
  const waiting = await start("I want to talk to a human");

  const stats = (query) => api(w.base, "GET", `/api/analytics?assistant=stats${query}`, { token: ana.token });
  const { status, body } = await stats("");
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.total, 3);
  assert.deepEqual([body.pending, body.in_progress, body.resolved, body.cancelled], [1, 0, 1, 1]);
  assert.equal(body.pending + body.in_progress + body.resolved + body.cancelled, body.total);
  assert.equal(body.cancelled_by.visitor, 1);
  assert.equal(body.wait.count, 1);
  assert.deepEqual(body.ratings, { count: 1, mean: 4 });
  assert.deepEqual(body.agents.map((a) => [a.agent.name, a.resolved, a.ratings.mean]), [["Ana", 1, 4]]);
  assert.deepEqual(body.unanswered, [{ question: "what is the airspeed velocity of an unladen swallow?", count: 1 }]);

  assert.equal((await stats(`&from=${Date.now() + 60_000}`)).body.total, 0, "a range with nothing in it");
  assert.equal((await stats("&from=yesterday")).status, 400);
  assert.equal((await api(w.base, "GET", "/api/analytics", { token: ben.token })).status, 403);
  await finish(rated, gaveUp, waiting);
});
