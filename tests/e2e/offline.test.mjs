// Leaving a message when nobody is available (issue 15): after the no-agent message the
// visitor may leave their email and a message; it becomes a handover with trigger
// `offline_message` that waits in the queue with the email, goes out by the webhook, is
// claimed later; the agent's reply is on the record for the webhook, and the visitor gets
// it when they come back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startWorker, freshState, freePort, api, login, goOnline, AGENTS } from "./harness.mjs";
import { connect, newConversation, after, byRole } from "./visitor.mjs";

test("nobody available: a message and email left, queued, sent by the webhook, answered later", async () => {
  const received = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => { body += d; });
    req.on("end", () => { received.push(JSON.parse(body)); res.writeHead(204).end(); });
  });
  const port = await freePort();
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  const w = await startWorker(freshState(), undefined, { WEBHOOK_URL: `http://127.0.0.1:${port}/baton` });
  const webhook = async (match) => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = received.find(match);
      if (found) return found;
      assert.ok(Date.now() < deadline, `no such webhook event; got ${JSON.stringify(received)}`);
      await new Promise((ok) => setTimeout(ok, 300));
    }
  };
  try {
    const ana = await login(w.base, AGENTS[0]);
    await goOnline(w.base, ana, "offline");
    const conv = await newConversation(w.base);
    const v = await connect(w.base, conv);

    // Not offered while nobody was asked for.
    v.send({ type: "leave_message", email: "rosa@example.com", text: "Hello?" });
    const refused = await v.next((f) => f.type === "error");
    assert.equal(refused.error, "conflict", JSON.stringify(refused));

    const asked = await v.ask("I want to talk to a person");
    await v.next(after(asked.seq, (f) => f.author.role === "system" && /no one is available/i.test(f.text)));
    await v.next((f) => f.type === "offline" && f.open === true);

    // A malformed address is refused with why; then the message is taken.
    v.send({ type: "leave_message", email: "rosa@nowhere", text: "Can you repair a torn tent fly?" });
    const bad = await v.next((f) => f.type === "error" && f !== refused);
    assert.match(bad.message, /email/);
    v.send({ type: "leave_message", email: "rosa@example.com", text: "Can you repair a torn tent fly?" });
    const left = await v.next(byRole("visitor", (f) => f.text === "Can you repair a torn tent fly?"));
    const thanks = await v.next(after(left.seq, byRole("system")));
    assert.match(thanks.text, /your message is with the team/);
    await v.next((f) => f.type === "offline" && f.open === false);
    await v.next((f) => f.type === "state" && f.mode === "pending");
    v.close();

    // In the queue with the email, though nobody is online; and sent by the webhook.
    const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
    const entry = queue.body.entries.find((e) => e.conversation_id === conv.id);
    assert.ok(entry, JSON.stringify(queue.body));
    assert.equal(entry.handover.trigger, "offline_message");
    assert.equal(entry.handover.status, "pending");
    assert.equal(entry.handover.form.email, "rosa@example.com");
    assert.deepEqual(entry.handover.left_message, { email: "rosa@example.com", text: "Can you repair a torn tent fly?" });
    const sent = await webhook((e) => e.conversation_id === conv.id && e.handover.trigger === "offline_message");
    assert.equal(sent.handover.left_message.email, "rosa@example.com");

    // Later an agent comes online, takes it and answers; the reply goes out by the webhook.
    await goOnline(w.base, ana);
    assert.equal((await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ana.token })).status, 200);
    const reply = "Yes, we repair flies: bring it to any shop.";
    assert.equal((await api(w.base, "POST", `/api/conversations/${conv.id}/messages`, { token: ana.token, body: { text: reply } })).status, 201);
    const answered = await webhook((e) => e.conversation_id === conv.id && e.handover.left_message?.reply === reply);
    assert.equal(answered.handover.left_message.email, "rosa@example.com");

    // The visitor comes back in the same browser (the same conversation and token).
    const back = await connect(w.base, conv, 0);
    await back.next(byRole("agent", (f) => f.text === reply));
    back.close();
    await goOnline(w.base, ana, "offline");
  } finally {
    await w.stop();
    server.close();
  }
});
