// The welcome a new conversation starts with (issue 15): POST /api/conversations answers
// with the assistant's greeting (`messages.welcome`), who answers by `mode`, and, with
// agents online, how the queue stands and how long recent handovers waited for a person.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { api, configure, goOnline, startWithAgents } from "./harness.mjs";
import { waitingVisitor } from "./visitor.mjs";

let w;
let ana;

before(async () => {
  ({ w, ana } = await startWithAgents());
});
after(() => w?.stop());

const start = async (assistant = "default") => {
  const res = await api(w.base, "POST", "/api/conversations", { body: { assistant } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.welcome;
};

test("a new conversation is greeted, told who answers and, with someone online, how the queue stands", async () => {
  await goOnline(w.base, ana, "offline");
  assert.deepEqual(await start(), {
    greeting: "Hi! How can we help you today?",
    who: "The assistant answers right away; a person can take over.",
  }, "nobody online: no word on a wait");

  await goOnline(w.base, ana);
  assert.equal((await start()).wait, "Someone is online now, and nobody is waiting.");
  const v = await waitingVisitor(w.base, "default", "I want to talk to a person");
  assert.equal((await start()).wait, "Someone is online now; 1 person is waiting before you.");

  // Ana takes it within seconds: the next visitor is told what recent handovers took.
  const claimed = await api(w.base, "POST", `/api/conversations/${v.conv.id}/claim`, { token: ana.token });
  assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
  let wait;
  for (let i = 0; i < 50 && !/usually/.test(wait); i++) {
    wait = (await start()).wait;
    if (!/usually/.test(wait)) await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.equal(wait, "Someone is online now, and nobody is waiting. A person usually takes over in under a minute.");
  v.close();
});

test("the greeting is the assistant's setting; the mode decides who answers", async () => {
  await configure(w, ana, { messages: { welcome: "Welcome to Trailhead! Ask us anything." } }, "shop");
  assert.equal((await start("shop")).greeting, "Welcome to Trailhead! Ask us anything.");
  assert.equal((await start()).greeting, "Hi! How can we help you today?", "other assistants keep theirs");

  await configure(w, ana, { mode: "bot_only", messages: { welcome: "" } }, "shop");
  const bot = await start("shop");
  assert.deepEqual(bot, { who: "The assistant answers right away." }, "a blank greeting is left out; no queue in bot-only mode");

  await goOnline(w.base, ana, "offline");
  await configure(w, ana, { mode: "human_only" }, "shop");
  assert.deepEqual(await start("shop"), {
    greeting: "Hi! How can we help you today?",
    who: "A person from the team answers here.",
    wait: "Nobody from the team is online right now.",
  });
});
