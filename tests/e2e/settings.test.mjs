// Issue 4 against the real Worker: the admin settings API, and the settings that decide
// whether a handover starts at all (mode, private conversations, request phrases, the
// form) and who may take it (teams by language).
import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { startWithAgents, api, configure, freePort } from "./harness.mjs";
import { newConversation, connect, byRole, after } from "./visitor.mjs";

const UNKNOWN = "What is the airspeed velocity of an unladen swallow?";
let w, ana, ben, agent0, onlyOnline;

before(async () => {
  ({ w, ana, ben, agent0, onlyOnline } = await startWithAgents());
});
afterAll(async () => { await w?.stop(); });

const getSettings = (who) => api(w.base, "GET", "/api/settings", { token: who?.token });
const putSettings = (who, body) => api(w.base, "PUT", "/api/settings", { token: who.token, body });

test("settings start at PRODUCT.md's defaults, and only an admin reads or changes them", async () => {
  const r = await getSettings(ana);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const s = r.body;
  assert.equal(s.mode, "bot_and_human");
  assert.equal(s.handover_on_unknown, true);
  assert.equal(s.handover_on_request, true);
  assert.equal(s.suggestions, 0);
  assert.deepEqual(s.form, { name: "off", email: "off" });
  assert.equal(s.notify_agent_assigned, true);
  assert.deepEqual(s.routing, { eligible: "everyone", languages: {}, default_team: null });
  assert.equal(s.availability, "online_only");
  assert.equal(s.assignment, "claim");
  assert.equal(s.rating, true);
  assert.equal(s.queue_timeout_secs, 300);
  assert.equal(s.holder_silence_secs, 600);
  assert.equal(s.messages.agent_assigned, "{agent} has joined the conversation.");
  for (const phrase of ["talk to a person", "hablar con una persona", "parler a une personne", "mit einem menschen"]) {
    assert.ok(s.request_phrases.includes(phrase), phrase);
  }

  const notAdmin = await getSettings(ben);
  assert.equal(notAdmin.status, 403);
  assert.match(notAdmin.body.message, /admin/);
  assert.equal((await putSettings(ben, { rating: false })).status, 403);
  assert.equal((await getSettings(undefined)).status, 401);
  assert.equal((await getSettings(ana)).body.rating, true, "a refused change changed nothing");
});

test("a bad value is refused field by field, and nothing stored changes", async () => {
  await configure(w, ana, { queue_timeout_secs: 120 });
  const stored = (await getSettings(ana)).body;

  const cases = [
    [{ messages: { agent_assigned: "{agnet} is here" } }, "messages.agent_assigned", /\{agnet\}/],
    [{ queue_timeout_secs: 0 }, "queue_timeout_secs", /1 to 604800/],
    [{ assistant_rating_secs: 0 }, "assistant_rating_secs", /1 to 604800.*never ask for a rating of the assistant alone/],
    [{ assignment: { auto_assign: { max_chats: 0 } } }, "assignment.auto_assign.max_chats", /1 to 100/],
    [{ routing: { default_team: "nobody" } }, "routing.default_team", /no team "nobody"; the Team page lists the teams/],
    [{ routing: { eligible: { chosen: { teams: [], agents: ["ag_000000000000"] } } } }, "routing.eligible.agents", /no agent "ag_000000000000"/],
  ];
  for (const [body, field, problem] of cases) {
    const r = await putSettings(ana, { rating: false, ...body });
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error, "bad_request");
    const named = r.body.fields.find((f) => f.field === field);
    assert.ok(named, `${field} named in ${JSON.stringify(r.body.fields)}`);
    assert.match(named.problem, problem);
    assert.match(r.body.message, new RegExp(field.replace(/\./g, "\\.")));
  }
  // Every problem at once.
  const two = await putSettings(ana, { queue_timeout_secs: 0, suggestions: 9 });
  assert.deepEqual(two.body.fields.map((f) => f.field).sort(), ["queue_timeout_secs", "suggestions"]);
  // A field Baton does not know, and a value of the wrong type.
  const unknown = await putSettings(ana, { handover_on_unknwn: false });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.message, /handover_on_unknwn/);
  const wrongType = await putSettings(ana, { rating: "yes" });
  assert.equal(wrongType.status, 400);
  assert.match(wrongType.body.message, /rating/);

  assert.deepEqual((await getSettings(ana)).body, stored, "nothing stored changed");

  // A good change names some fields and keeps the rest.
  const ok = await putSettings(ana, { messages: { handover: "One moment please." }, rating: false });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.messages.handover, "One moment please.");
  assert.equal(ok.body.messages.no_agent, stored.messages.no_agent);
  assert.equal(ok.body.queue_timeout_secs, 120);
  assert.equal(ok.body.rating, false);
});

test("the settings change what the visitor reads", async () => {
  await configure(w, ana, { messages: { handover: "Hold on, {nothing} fetching a human." } }).then(
    () => assert.fail("a placeholder the message lacks was stored"),
    (e) => assert.match(e.message, /400/),
  );
  await configure(w, ana, { messages: { handover: "Hold on, fetching a human." } });
  await onlyOnline(ana);
  const v = await connect(w.base, await newConversation(w.base));
  const mine = await v.ask(UNKNOWN);
  const notice = await v.next(after(mine.seq, byRole("system")));
  assert.equal(notice.text, "Hold on, fetching a human.");
  v.close();
});

test("bot-only mode never hands over: the visitor gets the don't-know message", async () => {
  await configure(w, ana, { mode: "bot_only" });
  await onlyOnline(ana);
  const v = await connect(w.base, await newConversation(w.base));
  for (const text of [UNKNOWN, "I want to talk to a human"]) {
    const mine = await v.ask(text);
    const reply = await v.next(after(mine.seq, (f) => f.author.role !== "visitor"));
    assert.equal(reply.text, "Sorry, I don't know the answer to that.");
  }
  const known = await v.ask("Do you ship internationally?");
  assert.match((await v.next(after(known.seq, byRole("assistant")))).text, /Canada/);
  assert.ok(!v.frames.some((f) => f.type === "state" && f.mode !== "bot"));
  v.close();
});

test("settings are per assistant: each conversation follows its own assistant's", async () => {
  await configure(w, ana);
  await onlyOnline(ana);
  const forSales = (method, body) =>
    api(w.base, method, "/api/settings?assistant=sales", { token: ana.token, body });
  assert.equal((await forSales("GET")).body.mode, "bot_and_human", "an assistant starts at the defaults");
  const changed = await forSales("PUT", { mode: "bot_only" });
  assert.equal(changed.status, 200, JSON.stringify(changed.body));
  assert.equal((await forSales("GET")).body.mode, "bot_only");
  assert.equal((await getSettings(ana)).body.mode, "bot_and_human", "the default assistant kept its own");

  const start = (assistant) => api(w.base, "POST", "/api/conversations", { body: { assistant } });
  const sales = await start("sales");
  assert.equal(sales.status, 201, JSON.stringify(sales.body));
  const v = await connect(w.base, sales.body);
  const mine = await v.ask("I want to talk to a human");
  const reply = await v.next(after(mine.seq, (f) => f.author.role !== "visitor"));
  assert.equal(reply.text, "Sorry, I don't know the answer to that.", "sales is bot only");
  v.close();

  const support = await start("support");
  const s = await connect(w.base, support.body);
  await s.ask("I want to talk to a human");
  await s.next((f) => f.type === "state" && f.mode === "pending");
  const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
  const entry = queue.body.entries.find((e) => e.conversation_id === support.body.id);
  assert.equal(entry.handover.assistant, "support");
  s.close();

  for (const bad of ["", "sales team", "x".repeat(65), "<b>"]) {
    const r = await start(bad);
    assert.equal(r.status, 400, `assistant ${JSON.stringify(bad)}: ${JSON.stringify(r.body)}`);
    assert.match(r.body.message, /assistant id/);
  }
  const badLanguage = await api(w.base, "POST", "/api/conversations", { body: { language: "en us" } });
  assert.equal(badLanguage.status, 400);
  assert.match(badLanguage.body.message, /not a language tag/);
  const badSettings = await api(w.base, "GET", "/api/settings?assistant=a%20b", { token: ana.token });
  assert.equal(badSettings.status, 400);
  assert.match(badSettings.body.message, /assistant id/);
  await forSales("PUT", { mode: "bot_and_human" });
});

test("allowed origins: only the listed sites' pages may start a chat with the assistant", async () => {
  const forShop = (body) =>
    api(w.base, "PUT", "/api/settings?assistant=shop", { token: ana.token, body });
  const bad = await forShop({ allowed_origins: ["https://shop.example/", "shop.example"] });
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.deepEqual(bad.body.fields.map((f) => f.field), ["allowed_origins[0]", "allowed_origins[1]"]);
  assert.equal((await forShop({ allowed_origins: ["https://shop.example"] })).status, 200);

  const start = (origin) =>
    api(w.base, "POST", "/api/conversations", { body: { assistant: "shop" }, origin });
  const elsewhere = await start("https://elsewhere.example");
  assert.equal(elsewhere.status, 403, JSON.stringify(elsewhere.body));
  assert.equal(elsewhere.body.error, "forbidden");
  assert.match(elsewhere.body.message, /https:\/\/elsewhere\.example.*allowed_origins/);
  assert.equal((await start("https://shop.example")).status, 201);
  assert.equal((await start(undefined)).status, 201, "a server calling the API names no site");
  // Other assistants still take any site.
  const other = await api(w.base, "POST", "/api/conversations", { body: {}, origin: "https://elsewhere.example" });
  assert.equal(other.status, 201);
  await forShop({ allowed_origins: [] });
});

test("a change reaches a conversation already under way: the workspace announces it (a copy is kept 5 minutes otherwise)", async () => {
  await configure(w, ana, { messages: { dont_know: "Old words." }, handover_on_unknown: false });
  const v = await connect(w.base, await newConversation(w.base));
  const first = await v.ask(UNKNOWN);
  assert.equal((await v.next(after(first.seq, byRole("system")))).text, "Old words.");
  await configure(w, ana, { messages: { dont_know: "New words." }, handover_on_unknown: false });
  // Ask again until the new text comes. The conversation would read the settings again
  // only after 5 minutes: within this wait, only the workspace's news can bring them.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const mine = await v.ask(UNKNOWN);
    const reply = await v.next(after(mine.seq, byRole("system")));
    if (reply.text === "New words.") break;
    assert.equal(reply.text, "Old words.");
    assert.ok(Date.now() < deadline, "the change never reached the conversation");
    await new Promise((r) => setTimeout(r, 2_000));
  }
  v.close();
});

test("a private conversation never hands over, while a widget one does", async () => {
  await configure(w, ana);
  await onlyOnline(ana);
  const created = await api(w.base, "POST", "/api/conversations", { body: { kind: "private" } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const v = await connect(w.base, created.body);
  const mine = await v.ask("I want to talk to a human");
  const reply = await v.next(after(mine.seq, (f) => f.author.role !== "visitor"));
  assert.equal(reply.text, "Sorry, I don't know the answer to that.");
  const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
  assert.ok(!queue.body.entries.some((e) => e.conversation_id === created.body.id));
  const bad = await api(w.base, "POST", "/api/conversations", { body: { kind: "secret" } });
  assert.equal(bad.status, 400);
  v.close();
});

test("a request for a person works in Spanish, French and German, and can be turned off", async () => {
  await configure(w, ana);
  await onlyOnline(ana);
  for (const text of ["Quiero hablar con una persona, por favor", "Je veux parler à une personne", "Kann ich mit einem Menschen sprechen?"]) {
    const conv = await newConversation(w.base);
    const v = await connect(w.base, conv);
    await v.ask(text);
    await v.next((f) => f.type === "state" && f.mode === "pending");
    const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
    assert.equal(queue.body.entries.find((e) => e.conversation_id === conv.id).handover.trigger, "visitor_request", text);
    assert.ok(!v.frames.some(byRole("assistant")), `the assistant did not answer ${text}`);
    assert.equal((await api(w.base, "POST", `/api/conversations/${conv.id}/cancel`, { token: conv.token })).status, 200);
    v.close();
  }
  await configure(w, ana, { handover_on_request: false, handover_on_unknown: false });
  const v = await connect(w.base, await newConversation(w.base));
  const mine = await v.ask("I want to talk to a human");
  const reply = await v.next(after(mine.seq, (f) => f.author.role !== "visitor"));
  assert.equal(reply.text, "Sorry, I don't know the answer to that.", "an ordinary question, not a handover");
  assert.ok(!v.frames.some((f) => f.type === "state" && f.mode !== "bot"));
  v.close();
});

test("a knowledge-base entry that is a handover step answers, then hands over (trigger explicit)", async () => {
  await configure(w, ana);
  await onlyOnline(ana);
  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  const mine = await v.ask("Can my company place a large order?");
  const answer = await v.next(after(mine.seq, byRole("assistant")));
  assert.match(answer.text, /volume pricing/);
  await v.next((f) => f.type === "state" && f.mode === "pending");
  const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
  assert.equal(queue.body.entries.find((e) => e.conversation_id === conv.id).handover.trigger, "explicit");
  assert.equal((await api(w.base, "POST", `/api/conversations/${conv.id}/cancel`, { token: conv.token })).status, 200);
  v.close();
});

test("human-only mode hands over the first message without asking the assistant", async () => {
  await configure(w, ana, { mode: "human_only" });
  await onlyOnline(ana);
  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  await v.ask("Do you ship internationally?");
  await v.next((f) => f.type === "state" && f.mode === "pending");
  const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
  assert.equal(queue.body.entries.find((e) => e.conversation_id === conv.id).handover.trigger, "human_only");
  assert.ok(!v.frames.some(byRole("assistant")));
  v.close();
});

test("the pre-handover form: a required email is checked, then the handover carries the answers", async () => {
  await configure(w, ana, { form: { name: "optional", email: "required" } });
  await onlyOnline(ana);
  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  const mine = await v.ask(UNKNOWN);
  const state = await v.next((f) => f.type === "state" && f.mode === "form");
  assert.deepEqual(state.form, { name: "optional", email: "required" });
  await v.next(after(mine.seq, byRole("system", (f) => /who you are/.test(f.text))));

  const post = (body, token = conv.token) => api(w.base, "POST", `/api/conversations/${conv.id}/form`, { token, body });
  let r = await post({ name: "Lena" });
  assert.equal(r.status, 400);
  assert.match(r.body.message, /email/);
  r = await post({ name: "Lena", email: "lena-at-example" });
  assert.equal(r.status, 400);
  assert.match(r.body.message, /email/);
  r = await post({ name: "Lena", email: "lena@example.com" }, ana.token);
  assert.equal(r.status, 403, "an agent cannot fill in the visitor's form");
  let queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
  assert.ok(!queue.body.entries.some((e) => e.conversation_id === conv.id), "no handover before the form");

  r = await post({ name: "Lena", email: "lena@example.com" });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await v.next((f) => f.type === "state" && f.mode === "pending");
  queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
  const entry = queue.body.entries.find((e) => e.conversation_id === conv.id);
  assert.equal(entry.handover.form.email, "lena@example.com");
  assert.equal(entry.handover.form.name, "Lena");
  assert.equal((await post({ email: "lena@example.com" })).status, 409, "the form is asked once");
  v.close();
});

test("a visitor's language routes to its team: others' claims are refused", async () => {
  await configure(w, ana, { routing: { languages: { es: "soporte" } } });
  await onlyOnline(ana, ben);
  const created = await api(w.base, "POST", "/api/conversations", { body: { language: "es" } });
  const conv = created.body;
  const v = await connect(w.base, conv);
  await v.ask("Quiero hablar con una persona");
  await v.next((f) => f.type === "state" && f.mode === "pending");
  const queue = await api(w.base, "GET", "/api/queue", { token: ben.token });
  assert.equal(queue.body.entries.find((e) => e.conversation_id === conv.id).handover.team, "soporte");

  const refused = await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ana.token });
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  const claimed = await api(w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ben.token });
  assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
  assert.equal(claimed.body.holder.name, "Ben");
  v.close();
});

test("the suggestion step offers the assistant's nearest questions before handing over", async () => {
  await configure(w, ana, { suggestions: 3 });
  await onlyOnline(ana);
  const conv = await newConversation(w.base);
  const v = await connect(w.base, conv);
  const mine = await v.ask("do you sell bicycles?");
  const offer = await v.next(after(mine.seq, (f) => f.author.role !== "visitor"));
  assert.match(offer.text, /^I'm not sure I understood\. Did you mean:\n- Do you sell gift cards\?/);
  assert.ok(offer.text.split("\n").length <= 4, "at most three suggestions");
  assert.ok(!v.frames.some((f) => f.type === "state" && f.mode !== "bot"), "no handover yet");
  // Not known either: now the handover starts.
  await v.ask(UNKNOWN);
  await v.next((f) => f.type === "state" && f.mode === "pending");
  const queue = await api(w.base, "GET", "/api/queue", { token: ana.token });
  assert.equal(queue.body.entries.find((e) => e.conversation_id === conv.id).handover.trigger, "unknown");
  v.close();
});

test("an external bot answers instead of the built-in assistant: replies, doubts, hands over", async () => {
  const asked = [];
  const answers = {
    "What are your hours?": { reply: "9 to 5, Monday to Friday.", confidence: 0.92 },
    "Is it going to rain?": { reply: "Perhaps?", confidence: 0.2 },
    "I need a quote for 40 tents": { reply: "Our sales desk prepares quotes.", handover: true },
  };
  const bot = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => { body += d; });
    req.on("end", () => {
      const q = JSON.parse(body);
      asked.push(q);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answers[q.question] ?? {}));
    });
  });
  const port = await freePort();
  await new Promise((ok) => bot.listen(port, "127.0.0.1", ok));
  try {
    await configure(w, ana, { bot_url: `http://127.0.0.1:${port}/ask`, handover_on_unknown: false }, "botty");
    await onlyOnline(ana);
    const conv = (await api(w.base, "POST", "/api/conversations", { body: { assistant: "botty" } })).body;
    const v = await connect(w.base, conv);
    const reply = async (text) => {
      const mine = await v.ask(text);
      return v.next(after(mine.seq, (f) => f.author.role !== "visitor"));
    };
    assert.equal((await reply("What are your hours?")).text, "9 to 5, Monday to Friday.");
    assert.deepEqual(asked[0], { question: "What are your hours?", conversation_id: conv.id, assistant: "botty" });
    const doubt = await reply("Is it going to rain?");
    assert.equal(doubt.text, "Sorry, I don't know the answer to that.", "an unsure bot does not know");
    const quote = await reply("I need a quote for 40 tents");
    assert.equal(quote.author.role, "assistant");
    assert.equal(quote.text, "Our sales desk prepares quotes.");
    await v.next((f) => f.type === "state" && f.mode === "pending");
    const entry = (await api(w.base, "GET", "/api/queue", { token: ana.token })).body.entries
      .find((e) => e.conversation_id === conv.id);
    assert.equal(entry.handover.trigger, "explicit");
    assert.equal((await api(w.base, "POST", `/api/conversations/${conv.id}/cancel`, { token: conv.token })).status, 200);
    // A bot that is down does not know either.
    await new Promise((ok) => bot.close(ok));
    assert.equal((await reply("What are your hours?")).text, "Sorry, I don't know the answer to that.");
    v.close();
    const bad = await api(w.base, "PUT", "/api/settings?assistant=botty", { token: ana.token, body: { bot_url: "bot.example" } });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /bot_url/);
  } finally {
    bot.close();
    await configure(w, ana, {}, "botty");
  }
});
