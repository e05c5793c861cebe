// Issue 13: what an outside probe broke, each reproduced here against the real Worker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { api, configure, startWithAgents } from "./harness.mjs";
import { act, waitingVisitor } from "./visitor.mjs";

let w, ana, onlyOnline;

before(async () => {
  ({ w, ana, onlyOnline } = await startWithAgents());
});
after(async () => {
  await w?.stop();
});

test("a plain GET on a WebSocket route is refused with 426 and opens no socket: it cannot pin a visitor's handover", async () => {
  await configure(w, ana, { visitor_leave_secs: 2 });
  await onlyOnline(ana);
  const v = await waitingVisitor(w.base, "default", "I want to talk to a person");
  for (const [path, token] of [[`/api/conversations/${v.conv.id}/ws`, v.conv.token], ["/api/inbox/ws", ana.token]]) {
    const r = await api(w.base, "GET", path, { token });
    assert.equal(r.status, 426, `${path}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error, "upgrade_required");
    assert.match(r.body.message, /WebSocket/);
  }
  // The visitor's real socket closes: with no socket left open by those GETs, they
  // count as gone after two seconds, and the waiting handover is cancelled.
  v.close();
  let entry;
  for (let i = 0; i < 80; i += 1) {
    const ended = (await api(w.base, "GET", "/api/handovers/ended", { token: ana.token })).body.entries;
    entry = ended.find((e) => e.conversation_id === v.conv.id);
    if (entry) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(entry?.handover.cancel_reason, "visitor_left", JSON.stringify(entry));
  assert.equal((await act(w.base, v, "claim", ana)).status, 409, "nothing left to claim");
  await configure(w, ana, {});
});
