// Webhooks: every handover change goes to the owner's endpoint, signed, in order, and a
// failed delivery is retried until it gets through; under wrangler and self-hosted alike.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { startWorker, startServe, freshState, freePort, api, login, goOnline, AGENTS } from "./harness.mjs";
import { heldConversation } from "./visitor.mjs";

const SECRET = "webhook-secret-for-the-test";

for (const [runtime, start] of [["wrangler dev", startWorker], ["scripts/serve", startServe]]) test(`${runtime}: handover events reach WEBHOOK_URL signed, in order, and a refused delivery is retried`, async () => {
  const received = [];
  let refuseNext = true;
  const waiters = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => { body += d; });
    req.on("end", () => {
      // The first delivery is refused: it must come again.
      if (refuseNext) {
        refuseNext = false;
        res.writeHead(500).end();
        return;
      }
      received.push({ body, signature: req.headers["x-baton-signature"] });
      res.writeHead(204).end();
      for (const w of waiters.splice(0)) w();
    });
  });
  const port = await freePort();
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  const w = await start(freshState(), undefined, {
    WEBHOOK_URL: `http://127.0.0.1:${port}/baton`,
    WEBHOOK_SECRET: SECRET,
  });
  try {
    const ana = await login(w.base, AGENTS[0]);
    await goOnline(w.base, ana);
    const { conv, v } = await heldConversation(w.base, ana);
    assert.equal((await api(w.base, "POST", `/api/conversations/${conv.id}/end`, { token: ana.token })).status, 200);
    v.close();

    // Requested, taken, resolved: three events, the refused first one retried (its
    // backoff is a second or two).
    const deadline = Date.now() + 60_000;
    while (received.length < 3) {
      assert.ok(Date.now() < deadline, `events so far: ${received.map((r) => r.body).join("\n")}`);
      await new Promise((ok) => { waiters.push(ok); setTimeout(ok, 1000); });
    }
    const events = received.map((r) => JSON.parse(r.body));
    for (const { body, signature } of received) {
      assert.equal(signature, `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`);
    }
    assert.deepEqual(events.map((e) => e.event), ["handover", "handover", "handover"]);
    assert.ok(events.every((e) => e.conversation_id === conv.id));
    assert.deepEqual(events.map((e) => e.handover.status), ["pending", "acknowledged", "resolved"]);
    const seqs = events.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), "in order");
  } finally {
    await w.stop();
    server.close();
  }
});
