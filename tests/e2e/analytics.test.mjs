// The analytics an admin reads (GET /api/analytics) and the CSV of the same handover
// records (GET /api/analytics/export), checked against the records themselves after a
// few handovers that end every way: resolved and rated after a transfer, cancelled by the
// visitor, lost for silence, still held, and one of a human-only assistant. Only admins
// get either.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { api, configure, startWithAgents } from "./harness.mjs";
import { act, agentReply, byRole, connect, waitingVisitor } from "./visitor.mjs";

const ASSISTANT = "report";
let w, ana, ben, onlyOnline;

before(async () => {
  ({ w, ana, ben, onlyOnline } = await startWithAgents());
});
after(async () => {
  await w?.stop();
});

const call = (v, route, who, body) => act(w.base, v, route, who, body);
const waiting = (text) => waitingVisitor(w.base, ASSISTANT, text);
const reply = (v, agent, text) => agentReply(w.base, v, agent, text);

/** Parses RFC 4180 CSV: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text) {
  const rows = [];
  let row = [], cell = "", quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") { row.push(cell); cell = ""; }
    else if (c === "\r" && text[i + 1] === "\n") { row.push(cell); rows.push(row); row = []; cell = ""; i += 1; }
    else cell += c;
  }
  assert.equal(cell + row.join(""), "", "the file ends with a line break");
  const [head, ...body] = rows;
  return body.map((r) => Object.fromEntries(head.map((h, i) => [h, r[i]])));
}

/** The 90th percentile, nearest rank, and the median (the upper one of two), as documented. */
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

test("the figures and the CSV of an assistant's handovers agree with the records, and add up", async () => {
  await configure(w, ana, { holder_silence_secs: null }, ASSISTANT);
  await onlyOnline(ana, ben);
  const since = Date.now();

  // Ana takes the first, answers and passes it to Ben, who answers and ends it; rated 5.
  const passed = await waiting("I want to talk to a human");
  assert.equal((await call(passed, "claim", ana)).status, 200);
  await reply(passed, ana, "Hello, Ana here.");
  assert.equal((await call(passed, "transfer", ana, { to: { agent: ben.agent }, reason: "knows the orders" })).status, 200);
  assert.equal((await call(passed, "claim", ben)).status, 200);
  await reply(passed, ben, "Ben here: it left on Monday.");
  assert.equal((await call(passed, "end", ben)).status, 200);
  assert.equal((await call(passed, "rate", passed.conv, { score: 5 })).status, 200);

  // The assistant does not know; the visitor stops waiting.
  const gaveUp = await waiting("Do you sell  BIKES, by the way?");
  assert.equal((await call(gaveUp, "cancel", gaveUp.conv)).status, 200);

  // Ana takes one and says nothing: after two seconds it goes back to the queue, and Ben
  // takes it and keeps it.
  await configure(w, ana, { holder_silence_secs: 2 }, ASSISTANT);
  const silent = await waiting("I want to talk to a human, please");
  assert.equal((await call(silent, "claim", ana)).status, 200);
  await silent.next(byRole("system", (f) => /had to step away/.test(f.text)));
  await silent.next((f) => f.type === "state" && f.mode === "pending");
  await configure(w, ana, { holder_silence_secs: null }, ASSISTANT);
  assert.equal((await call(silent, "claim", ben)).status, 200);
  await reply(silent, ben, "Still here?");

  // A human-only assistant: a person from the start; Ana ends it, rated 2.
  await configure(w, ana, { mode: "human_only", holder_silence_secs: null }, ASSISTANT);
  const direct = await waiting("Hello?");
  assert.equal((await call(direct, "claim", ana)).status, 200);
  await reply(direct, ana, "Hi, how can I help?");
  assert.equal((await call(direct, "end", ana)).status, 200);
  assert.equal((await call(direct, "rate", direct.conv, { score: 2 })).status, 200);
  // Two chats the assistant alone answers (it knows nothing here, and hands nothing
  // over): a second after its reply the visitor is asked; one rates it 5, once, the
  // other does not. Neither is a handover.
  await configure(w, ana, { handover_on_unknown: false, assistant_rating_secs: 1 }, ASSISTANT);
  const alone = [];
  for (const text of ["What are your opening hours?", "Is there a shop in Lyon?"]) {
    const res = await api(w.base, "POST", "/api/conversations", { body: { assistant: ASSISTANT } });
    const v = await connect(w.base, res.body);
    v.conv = res.body;
    await v.ask(text);
    await v.next(byRole("system", (f) => /don't know/.test(f.text)));
    assert.equal((await call(v, "rate", v.conv, { score: 4 })).status, 409, "not asked yet");
    await v.next(byRole("system", (f) => /rate this conversation/.test(f.text)));
    await v.next((f) => f.type === "rating" && f.open === true);
    alone.push(v);
  }
  const rated = await call(alone[0], "rate", alone[0].conv, { score: 5, comment: "Clear." });
  assert.equal(rated.status, 200, JSON.stringify(rated.body));
  assert.deepEqual([rated.body.assistant_rating.score, rated.body.assistant_rating.comment], [5, "Clear."]);
  await alone[0].next((f) => f.type === "rating" && f.open === false);
  assert.equal((await call(alone[0], "rate", alone[0].conv, { score: 1 })).status, 409, "rated once");
  await configure(w, ana, {}, ASSISTANT);

  // The records, as agents read them: the ended ones and the one still held.
  const ids = [passed, gaveUp, silent, direct].map((v) => v.conv.id);
  const ended = (await api(w.base, "GET", "/api/handovers/ended", { token: ana.token })).body.entries;
  const open = (await api(w.base, "GET", "/api/queue", { token: ana.token })).body.entries;
  const records = ids.map((id) => [...ended, ...open].find((e) => e.conversation_id === id).handover);
  const [rPassed, rGaveUp, rSilent, rDirect] = records;
  assert.deepEqual(records.map((r) => r.status), ["resolved", "cancelled", "acknowledged", "resolved"]);
  assert.equal(rDirect.trigger, "human_only");

  // Days at UTC+5:30, the last seven of them up to today there.
  const offset = 330;
  const dayMs = 86_400_000;
  const localNow = Date.now() + offset * 60_000;
  const today = new Date(localNow).toISOString().slice(0, 10);
  const from = Math.floor(localNow / dayMs) * dayMs - offset * 60_000 - 6 * dayMs;
  const to = from + 7 * dayMs;
  const query = `?assistant=${ASSISTANT}&from=${from}&to=${to}&utc_offset=${offset}`;
  const { status, body: s } = await api(w.base, "GET", `/api/analytics${query}`, { token: ana.token });
  assert.equal(status, 200, JSON.stringify(s));

  assert.deepEqual([s.total, s.pending, s.in_progress, s.resolved, s.cancelled], [4, 0, 1, 2, 1]);
  assert.equal(s.cancelled_by.visitor, 1);
  assert.equal(s.days.length, 7);
  assert.equal(s.days.at(-1).date, today);
  assert.equal(s.days[0].start, from);
  assert.ok(s.days.every((d, i) => d.start === from + i * dayMs));
  // Every handover on its day (all were today, unless the test ran over midnight there).
  const onDay = (at) => new Date(at + offset * 60_000).toISOString().slice(0, 10);
  for (const d of s.days) {
    const mine = records.filter((r) => onDay(r.requested_at) === d.date);
    assert.equal(d.total, mine.length, d.date);
    assert.equal(d.resolved, mine.filter((r) => r.status === "resolved").length, d.date);
    assert.equal(d.pending + d.in_progress + d.resolved + d.cancelled, d.total);
  }
  for (const k of ["total", "pending", "in_progress", "resolved", "cancelled"]) {
    assert.equal(s.days.reduce((n, d) => n + d[k], 0), s[k], `days add up to ${k}`);
  }

  // Times, from the records' own timestamps.
  const claimed = records.filter((r) => r.claimed_at);
  const waits = claimed.map((r) => r.claimed_at - r.requested_at);
  assert.deepEqual(s.wait, {
    count: 3,
    mean_ms: Math.floor(waits.reduce((a, b) => a + b) / 3),
    median_ms: median(waits),
    p90_ms: p90(waits),
  });
  const resolutions = [rPassed, rDirect].map((r) => r.ended_at - r.claimed_at);
  assert.equal(s.resolution.median_ms, median(resolutions));
  assert.equal(s.resolution.p90_ms, p90(resolutions));
  const firstReplies = claimed.map((r) => r.first_reply_at - r.claimed_at);
  assert.equal(s.first_reply.count, 3);
  assert.equal(s.first_reply.median_ms, median(firstReplies));

  // Ratings, and by path: the assistant's own rating counts too, and no handover came of it.
  assert.deepEqual(s.ratings, { count: 3, mean: 4 });
  assert.deepEqual(s.ratings_by_path, {
    assistant_only: { count: 1, mean: 5 },
    assistant_then_person: { count: 1, mean: 5 },
    person_only: { count: 1, mean: 2 },
  });

  // Per agent: each turn ends one way. Ana: passed on, lost for silence, resolved; Ben:
  // resolved the passed one, holds the silent one.
  const agents = Object.fromEntries(s.agents.map((a) => [a.agent.name, a]));
  assert.deepEqual(Object.keys(agents), ["Ana", "Ben"]);
  const outcomes = (a) => [a.handled, a.resolved, a.transferred_away, a.lost_for_silence, a.in_progress];
  assert.deepEqual(outcomes(agents.Ana), [3, 1, 1, 1, 0]);
  assert.deepEqual(outcomes(agents.Ben), [2, 1, 0, 0, 1]);
  assert.deepEqual(agents.Ana.ratings, { count: 1, mean: 2 });
  assert.deepEqual(agents.Ben.ratings, { count: 1, mean: 5 });
  // First replies per turn: Ana's in the passed and the direct one; Ben's in both of his.
  const turnReplies = (name) => records.flatMap((r) => r.holders ?? [])
    .filter((h) => h.agent.name === name && h.first_reply_at)
    .map((h) => h.first_reply_at - h.at);
  assert.equal(turnReplies("Ana").length, 2);
  assert.equal(turnReplies("Ben").length, 2);
  assert.equal(agents.Ana.first_reply.count, 2);
  assert.equal(agents.Ana.first_reply.median_ms, median(turnReplies("Ana")));
  assert.equal(agents.Ben.first_reply.median_ms, median(turnReplies("Ben")));

  assert.deepEqual(s.unanswered, [{ question: "do you sell bikes, by the way?", count: 1 }]);

  // The CSV of the same period: one row per record, oldest first.
  const res = await fetch(`${w.base}/api/analytics/export${query}`, { headers: { authorization: `Bearer ${ana.token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /^text\/csv/);
  const firstDay = s.days[0].date;
  assert.equal(res.headers.get("content-disposition"), `attachment; filename="handovers-${ASSISTANT}-${firstDay}-to-${today}.csv"`);
  const rows = parseCsv(await res.text());
  assert.deepEqual(rows.map((r) => r.conversation_id), ids, "oldest request first");
  const iso = (ms) => (ms == null ? "" : new Date(ms).toISOString());
  const num = (n) => (n == null ? "" : String(n));
  rows.forEach((row, i) => {
    const r = records[i];
    assert.deepEqual(row, {
      conversation_id: ids[i],
      handover_id: String(r.id),
      assistant: ASSISTANT,
      status: r.status,
      trigger: r.trigger,
      requested_at: iso(r.requested_at),
      claimed_at: iso(r.claimed_at),
      first_reply_at: iso(r.first_reply_at),
      ended_at: iso(r.ended_at ?? r.cancelled_at),
      holder_id: r.holder?.id ?? "",
      holder: r.holder?.name ?? "",
      transfers: String(r.transfers?.length ?? 0),
      wait_ms: num(r.claimed_at && r.claimed_at - r.requested_at),
      first_reply_ms: num(r.first_reply_at && r.first_reply_at - r.claimed_at),
      resolution_ms: num(r.status === "resolved" ? r.ended_at - r.claimed_at : null),
      rating: num(r.rating?.score),
      rating_comment: "",
      end_reason: r.end_reason ?? r.cancel_reason ?? "",
      question: ["I want to talk to a human", "Do you sell  BIKES, by the way?", "I want to talk to a human, please", "Hello?"][i],
    }, `row ${i + 1}`);
  });
  assert.equal(rGaveUp.cancel_reason, "visitor");
  assert.equal(rSilent.holders.length, 2);

  // Outside the period: nothing, and no day; a range before these handovers, none.
  const later = await api(w.base, "GET", `/api/analytics?assistant=${ASSISTANT}&from=${Date.now() + 60_000}`, { token: ana.token });
  assert.equal(later.body.total, 0);
  assert.deepEqual(later.body.days, []);
  const before = await api(w.base, "GET", `/api/analytics?assistant=${ASSISTANT}&from=0&to=${since - 1}`, { token: ana.token });
  assert.equal(before.body.total, 0);
  // Without a range: everything so far, the days from the first handover's to the last's (UTC).
  const all = (await api(w.base, "GET", `/api/analytics?assistant=${ASSISTANT}`, { token: ana.token })).body;
  assert.equal(all.total, 4);
  assert.equal(all.days.reduce((n, d) => n + d.total, 0), 4);
  assert.equal(all.days[0].date, new Date(rPassed.requested_at).toISOString().slice(0, 10));

  for (const v of [passed, gaveUp, silent, direct]) v.close();
});

test("only admins read the analytics and the export; a bad range or offset is refused", async () => {
  for (const path of ["/api/analytics", "/api/analytics/export"]) {
    const asBen = await api(w.base, "GET", `${path}?assistant=${ASSISTANT}`, { token: ben.token });
    assert.equal(asBen.status, 403, `${path} as Ben: ${JSON.stringify(asBen.body)}`);
    assert.equal(asBen.body.error, "forbidden");
    assert.equal((await api(w.base, "GET", `${path}?assistant=${ASSISTANT}`)).status, 401, `${path} without a token`);
    for (const bad of ["from=yesterday", "to=-1", "utc_offset=900", "utc_offset=-841", "utc_offset=east", "assistant=a%20b"]) {
      const res = await api(w.base, "GET", `${path}?${bad}`, { token: ana.token });
      assert.equal(res.status, 400, `${path}?${bad}: ${JSON.stringify(res.body)}`);
    }
    assert.equal((await api(w.base, "GET", `${path}?utc_offset=-840`, { token: ana.token })).status, 200);
  }
  assert.equal((await api(w.base, "GET", "/api/analytics/other", { token: ana.token })).status, 404);
});
