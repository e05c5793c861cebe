// Issue 14, the visitor's context against the real Worker: what the widget reports of the
// page is stored with the conversation, cut, given to agents (their GET and a frame on
// their sockets) and never to a visitor, follows page changes, keeps no address and no
// user agent, and links the chats of one browser for the agents' summary panel.
import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { startWithAgents, api, socket, configure } from "./harness.mjs";
import { newConversation, connect, act, byRole } from "./visitor.mjs";

let w, ana, ben, onlyOnline;

before(async () => {
  ({ w, ana, ben, onlyOnline } = await startWithAgents());
});
afterAll(async () => { await w?.stop(); });

const IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1";
const VISITOR = "browser0123456789ab";

const pageOf = (url, title, extra = {}) => ({
  visitor: VISITOR, url, title, referrer: "https://search.example/?q=boots",
  language: "pt-BR", time_zone: "America/Sao_Paulo", user_agent: IPHONE, ...extra,
});
const page = pageOf;
const contextOf = (conv, who) => api(w.base, "GET", `/api/conversations/${conv.id}/context`, { token: who.token });
const agentSocket = (conv, agent) => socket(w.base, `/api/conversations/${conv.id}/ws?token=${agent.token}`);
/** The visitor's context frame, and a message after it: once that is back, the context is in. */
async function report(v, context) {
  v.send({ type: "context", context });
  await v.ask(`after ${context.url.slice(0, 40)}`);
}

test("a context is stored cut, read by agents only, follows page changes, keeps no address", async () => {
  await onlyOnline(ana);
  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  const agentWs = await agentSocket(conv, ana);
  const none = await contextOf(conv, ana);
  assert.equal(none.status, 200, JSON.stringify(none.body));
  assert.equal(none.body.context, null);
  assert.equal(none.body.title, "Visitor");

  const longUrl = `https://shop.example/boots?${"q=1&".repeat(300)}`;
  const longTitle = `Boots <b>sale</b>\n${"é".repeat(400)}`;
  // Sent over HTTP with an address a proxy would add: none of it may be kept.
  const res = await fetch(`${w.base}/api/conversations/${conv.id}/context`, {
    method: "POST",
    headers: { authorization: `Bearer ${conv.token}`, "content-type": "application/json", "x-forwarded-for": "203.0.113.9" },
    body: JSON.stringify(page(longUrl, longTitle)),
  });
  assert.equal(res.status, 200, await res.clone().text());

  const got = await contextOf(conv, ana);
  assert.equal(got.status, 200, JSON.stringify(got.body));
  const c = got.body.context;
  assert.equal([...c.url].length, 500);
  assert.ok(c.url.endsWith("…") && longUrl.startsWith(c.url.slice(0, -1)));
  assert.equal([...c.title].length, 200);
  assert.ok(c.title.startsWith("Boots <b>sale</b> é"), c.title);
  assert.equal(c.language, "pt-BR");
  assert.equal(c.time_zone, "America/Sao_Paulo");
  assert.equal(c.browser, "Safari");
  assert.equal(c.device, "phone");
  assert.equal(c.referrer, "https://search.example/?q=boots");
  assert.equal(c.page_count, 1);
  assert.equal(got.body.title, `Visitor on ${c.title}`);
  assert.equal(got.body.assistant, "default");
  const stored = JSON.stringify(got.body);
  for (const leak of ["203.0.113.9", "127.0.0.1", "::1", "Mozilla", "user_agent"]) {
    assert.ok(!stored.includes(leak), `${leak} kept: ${stored}`);
  }
  const pushed = await agentWs.next((f) => f.type === "context");
  assert.deepEqual(pushed.context, c, "the agent's socket hears of it");

  // A page change over the socket, as the widget sends it.
  await report(v, page("https://shop.example/checkout", "Checkout"));
  const moved = (await contextOf(conv, ana)).body.context;
  assert.equal(moved.url, "https://shop.example/checkout");
  assert.equal(moved.title, "Checkout");
  assert.equal(moved.page_count, 2);
  assert.deepEqual(moved.pages.map((p) => p.title), [c.title, "Checkout"]);
  assert.equal(moved.referrer, c.referrer, "the first referrer stays");
  await agentWs.next((f) => f.type === "context" && f.context.url === moved.url);

  // No visitor reads it: not this one, not another, not over HTTP or their socket.
  const own = await contextOf(conv, conv);
  assert.equal(own.status, 401, JSON.stringify(own.body));
  assert.equal(own.body.error, "unauthorized");
  const other = await newConversation(w.base);
  const stranger = await api(w.base, "GET", `/api/conversations/${conv.id}/context`, { token: other.token });
  assert.equal(stranger.status, 401, JSON.stringify(stranger.body));
  const otherWs = await connect(w.base, other);
  await otherWs.ask("hello");
  for (const frames of [v.frames, otherWs.frames]) {
    assert.ok(!frames.some((f) => f.type === "context"), JSON.stringify(frames));
    assert.ok(!JSON.stringify(frames).includes("Checkout"));
  }
  for (const s of [v, agentWs, otherWs]) s.close();
});

test("a malformed report is refused with what is wrong, on HTTP and on the socket", async () => {
  const conv = await newConversation(w.base);
  const post = (body) => act(w.base, { conv }, "context", conv, body);
  const bad = await post(page("https://a.example/", "A", { visitor: "short" }));
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.match(bad.body.message, /visitor must be 16 to 64/);
  const zone = await post(page("https://a.example/", "A", { time_zone: "Mars/Olympus Mons" }));
  assert.equal(zone.status, 400);
  assert.match(zone.body.message, /time_zone/);
  const typed = await post({ url: 5 });
  assert.equal(typed.status, 400, JSON.stringify(typed.body));
  const v = await connect(w.base, conv);
  v.send({ type: "context", context: page("https://a.example/", "A", { language: "<script>" }) });
  const error = await v.next((f) => f.type === "error");
  assert.match(error.message, /language/);
  assert.equal((await contextOf(conv, ana)).body.context, null, "nothing was kept");
  v.close();
});

test("the same page again is not counted; more than 20 page changes a minute are refused (429), silently on the socket", async () => {
  const conv = await newConversation(w.base);
  const post = (url) => act(w.base, { conv }, "context", conv, page(url, "A"));
  for (let i = 0; i < 25; i++) {
    const same = await post("https://a.example/same");
    assert.equal(same.status, 200, `again ${i}: ${JSON.stringify(same.body)}`);
  }
  for (let i = 1; i < 20; i++) {
    const moved = await post(`https://a.example/${i}`);
    assert.equal(moved.status, 200, `page ${i}: ${JSON.stringify(moved.body)}`);
  }
  const over = await post("https://a.example/too-many");
  assert.equal(over.status, 429, JSON.stringify(over.body));
  assert.match(over.body.message, /reported too often \(at most 20 in 60 s\)/);
  const v = await connect(w.base, conv);
  v.send({ type: "context", context: page("https://a.example/still-too-many", "B") });
  await v.ask("still here");
  assert.ok(!v.frames.some((f) => f.type === "error"), JSON.stringify(v.frames));
  const kept = (await contextOf(conv, ana)).body.context;
  assert.equal(kept.url, "https://a.example/19");
  assert.equal(kept.page_count, 20);
  v.close();
});

test("a browser's other chats are listed with their outcome and rating; the form names the title", async () => {
  // A browser of its own: the first test's chats are another one's.
  const page = (url, title, extra) => pageOf(url, title, { visitor: "browser-of-the-third", ...extra });
  await configure(w, ana, { form: { name: "optional", email: "optional" } });
  await onlyOnline(ana);
  const first = await newConversation(w.base);
  const v = await connect(w.base, first);
  await report(v, page("https://shop.example/returns", "Returns"));
  await v.ask("I want to talk to a human");
  await v.next((f) => f.type === "state" && f.mode === "form");
  v.send({ type: "form", answers: { name: "Carla Souza", email: "carla@example.com" } });
  await v.next((f) => f.type === "state" && f.mode === "pending");
  const claim = await act(w.base, { conv: first }, "claim", ana);
  assert.equal(claim.status, 200, JSON.stringify(claim.body));
  await v.next((f) => f.type === "state" && f.mode === "assigned");
  const held = await contextOf(first, ana);
  assert.equal(held.body.title, "Carla Souza");
  assert.equal(held.body.form.email, "carla@example.com");
  assert.equal(held.body.last_handover, undefined, "none ended yet");
  const ended = await act(w.base, { conv: first }, "end", ana, { note: "Refund sent for order 42" });
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  await v.next((f) => f.type === "rating" && f.open);
  const rated = await act(w.base, { conv: first }, "rate", first, { score: 4, comment: "quick" });
  assert.equal(rated.status, 200, JSON.stringify(rated.body));
  const last = (await contextOf(first, ana)).body.last_handover;
  assert.equal(last.status, "resolved");
  assert.equal(last.note, "Refund sent for order 42");
  assert.equal(last.rating.score, 4);

  // The same browser later, in a new conversation (another assistant's, or after its
  // storage lost the old one), and a chat of another browser.
  const second = await newConversation(w.base);
  const again = await connect(w.base, second);
  await report(again, page("https://shop.example/", "Home"));
  const elsewhere = await newConversation(w.base);
  const them = await connect(w.base, elsewhere);
  await report(them, page("https://shop.example/", "Home", { visitor: "another-browser-000" }));

  const view = (await contextOf(second, ben)).body;
  assert.equal(view.title, "Visitor on Home");
  assert.equal(view.earlier.length, 1, JSON.stringify(view.earlier));
  const [chat] = view.earlier;
  assert.equal(chat.conversation_id, first.id);
  assert.equal(chat.handover.status, "resolved");
  assert.equal(chat.handover.rating.score, 4);
  assert.equal(chat.handover.note, "Refund sent for order 42");
  const firstView = (await contextOf(first, ana)).body;
  assert.deepEqual(firstView.earlier.map((e) => e.conversation_id), [second.id]);
  const theirs = (await contextOf(elsewhere, ana)).body;
  assert.deepEqual(theirs.earlier, [], "another browser's chats are not theirs");
  assert.ok(!again.frames.some(byRole("system", (f) => f.text.includes("Refund"))));
  for (const s of [v, again, them]) s.close();
});
