// Issue 11 in Chromium: the analytics page. A few handovers of the shop's assistant end
// every way (resolved and rated, cancelled, held, waiting, a transfer among them); Ana
// (an admin) opens the page and every figure shown is checked against the handover
// records themselves (GET /api/queue and /api/handovers/ended): the totals, the day,
// the times, each agent's row, the ratings (one of the assistant alone, given in the
// widget on the owner's site), the unanswered question and its "Answer
// this"; the period changes; the CSV export downloads those records; axe-core checks the
// page. Ben, no admin, has no analytics page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startWorker, AGENTS, api, login, goOnline, configure, importKnowledge } from "../e2e/harness.mjs";
import { act, agentReply, waitingVisitor } from "../e2e/visitor.mjs";
import { launch, page, agentLogin, ownerSite, visit, axeViolations } from "./browser.mjs";

const [ANA, BEN] = AGENTS;
const ASSISTANT = "shop";
const UNKNOWN = "Do you rent canoes?";
let w, browser, ana, ben;

before(async () => {
  w = await startWorker();
  browser = await launch();
  [ana, ben] = await Promise.all([login(w.base, ANA), login(w.base, BEN)]);
  await goOnline(w.base, ana);
  await goOnline(w.base, ben);
});
after(async () => {
  await browser?.close();
  await w?.stop();
});

const call = (v, route, who, body) => act(w.base, v, route, who, body);
const waiting = (text) => waitingVisitor(w.base, ASSISTANT, text);
const reply = (v, agent, text) => agentReply(w.base, v, agent, text);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.ceil(xs.length * 0.9) - 1];

test("the analytics page shows what the handover records say, exports them as CSV, and only to admins", async () => {
  // Ana answers and ends one, rated 4; Ben takes one, passes it to Ana, who answers
  // and ends it, rated 5; a visitor whose question the assistant did not know stops
  // waiting; Ben holds one; one waits.
  const first = await waiting("I want to talk to a human");
  assert.equal((await call(first, "claim", ana)).status, 200);
  await reply(first, ana, "Hello, how can I help?");
  assert.equal((await call(first, "end", ana)).status, 200);
  assert.equal((await call(first, "rate", first.conv, { score: 4 })).status, 200);

  const passed = await waiting("I want to talk to a person about an order");
  assert.equal((await call(passed, "claim", ben)).status, 200);
  await reply(passed, ben, "One moment, Ana knows the orders.");
  assert.equal((await call(passed, "transfer", ben, { to: { agent: ana.agent } })).status, 200);
  assert.equal((await call(passed, "claim", ana)).status, 200);
  await reply(passed, ana, "It left on Monday.");
  assert.equal((await call(passed, "end", ana)).status, 200);
  assert.equal((await call(passed, "rate", passed.conv, { score: 5 })).status, 200);

  const gaveUp = await waiting(UNKNOWN);
  assert.equal((await call(gaveUp, "cancel", gaveUp.conv)).status, 200);

  const held = await waiting("Can I talk to a human?");
  assert.equal((await call(held, "claim", ben)).status, 200);
  await reply(held, ben, "Ben here.");

  const queued = await waiting("I want to talk to an agent");
  const visitors = [first, passed, gaveUp, held, queued];

  // On the owner's own site, the assistant alone answers a visitor (its knowledge base
  // loaded now, after the question it did not know); a second after its reply the widget
  // asks for a rating, and the visitor gives 3 stars. No handover comes of it.
  await importKnowledge(w, ana, ASSISTANT, "assistant/knowledge-base.json");
  await configure(w, ana, { assistant_rating_secs: 1 }, ASSISTANT);
  const site = await ownerSite(w.base, ASSISTANT);
  try {
    const visitorPage = await page(browser, "analytics-visitor");
    const v = await visit(visitorPage, site.url("/shop.html"));
    await v.open();
    await v.say("How long does shipping take?");
    await v.chat.locator(".msg.assistant").filter({ hasText: "business day" }).waitFor();
    await v.system("rate this conversation from 1 to 5");
    const stars = v.chat.locator(".extra .rating");
    await stars.waitFor();
    assert.deepEqual(await axeViolations(visitorPage, "#baton-chat"), [], "axe: the widget asking to rate the assistant");
    await visitorPage.shot("analytics-visitor-rates-assistant.png");
    await stars.getByRole("button", { name: "3 of 5" }).click();
    await stars.getByRole("button", { name: "Send rating" }).click();
    await stars.waitFor({ state: "hidden" });
    await visitorPage.context().close();
  } finally {
    await site.close();
  }

  // The records, as agents read them.
  const ended = (await api(w.base, "GET", "/api/handovers/ended", { token: ana.token })).body.entries;
  const open = (await api(w.base, "GET", "/api/queue", { token: ana.token })).body.entries;
  const records = visitors.map((v) => [...ended, ...open].find((e) => e.conversation_id === v.conv.id).handover);
  const count = (status) => records.filter((r) => r.status === status).length;
  assert.deepEqual(["pending", "acknowledged", "resolved", "cancelled"].map(count), [1, 1, 2, 1]);

  const p = await page(browser, "analytics-ana");
  await agentLogin(p, ANA, w.base);
  await p.locator("#view-analytics").click();
  await p.locator("#analytics-view").waitFor();
  await p.locator("#an-assistant").fill(ASSISTANT);
  await p.locator("#an-assistant").dispatchEvent("change");
  await p.locator("#an-status").filter({ hasText: `${ASSISTANT}: handovers requested` }).waitFor();

  // The totals, and that they add up.
  const figure = (key) => p.locator(`#an-totals [data-figure=${key}] dd`).textContent();
  assert.equal(await figure("total"), String(records.length));
  assert.equal(await figure("pending"), String(count("pending")));
  assert.equal(await figure("in_progress"), String(count("acknowledged")));
  assert.equal(await figure("resolved"), String(count("resolved")));
  assert.equal(await figure("cancelled"), String(count("cancelled")));
  assert.equal(await p.locator("#an-sum").textContent(), "5 = 2 resolved + 1 in progress + 1 pending + 1 cancelled");
  assert.match(await p.locator("#an-cancelled").textContent(), /the visitor stopped waiting 1,/);

  // Seven days by default, the last of them today where the browser is, with all five.
  const today = await p.evaluate(() => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10));
  const dayRows = p.locator("#an-days tbody tr");
  assert.equal(await dayRows.count(), 7);
  const todayRow = p.locator(`#an-days tr[data-date="${today}"]`);
  const dayFigure = async (key) => todayRow.locator(`td[data-figure=${key}]`).textContent();
  assert.deepEqual(
    [await dayFigure("total"), await dayFigure("resolved"), await dayFigure("in_progress"), await dayFigure("pending"), await dayFigure("cancelled")],
    ["5", "2", "1", "1", "1"],
  );
  assert.equal(await p.locator("#an-chart canvas").count() > 0, true, "uPlot drew the chart");
  assert.match(await p.locator("#an-chart").getAttribute("aria-label"), /over 7 days: 5 in all/);

  // Times: the medians and 90th percentiles of the records' own timestamps.
  const claimed = records.filter((r) => r.claimed_at != null);
  const expected = {
    wait: claimed.map((r) => r.claimed_at - r.requested_at),
    first_reply: claimed.map((r) => r.first_reply_at - r.claimed_at),
    resolution: records.filter((r) => r.status === "resolved").map((r) => r.ended_at - r.claimed_at),
  };
  for (const [key, values] of Object.entries(expected)) {
    const cells = p.locator(`#an-times tr[data-time=${key}] td`);
    assert.equal(await cells.nth(0).getAttribute("data-ms"), String(median(values)), `${key} median`);
    assert.equal(await cells.nth(1).getAttribute("data-ms"), String(p90(values)), `${key} 90th percentile`);
    assert.equal(await cells.nth(3).textContent(), String(values.length), `${key}: of how many`);
    assert.match(await cells.nth(0).textContent(), /^\d+ (ms|s|min)/);
  }

  // Per agent, from the records' turns: Ana took two and resolved both; Ben took two,
  // passed one on and holds the other.
  const turns = records.flatMap((r) => (r.holders ?? []).map((h) => ({ ...h, r })));
  for (const who of [ana.agent, ben.agent]) {
    const mine = turns.filter((t) => t.agent.id === who.id);
    const row = p.locator(`#an-agents tr[data-agent="${who.id}"]`);
    const cell = (key) => row.locator(`td[data-figure=${key}]`);
    const resolvedBy = records.filter((r) => r.status === "resolved" && r.holder?.id === who.id);
    const want = {
      handled: mine.length,
      resolved: resolvedBy.length,
      transferred_away: records.flatMap((r) => r.transfers ?? []).filter((t) => t.from.id === who.id).length,
      lost_for_silence: 0,
      in_progress: records.filter((r) => r.status === "acknowledged" && r.holder?.id === who.id).length,
    };
    for (const [key, n] of Object.entries(want)) assert.equal(await cell(key).textContent(), String(n), `${who.name}: ${key}`);
    const replies = mine.filter((t) => t.first_reply_at != null).map((t) => t.first_reply_at - t.at);
    assert.equal(await cell("first_reply").getAttribute("data-ms"), String(median(replies)), `${who.name}: first reply`);
    const scores = resolvedBy.filter((r) => r.rating).map((r) => r.rating.score);
    assert.equal(await cell("rating").textContent(),
      scores.length ? `${(scores.reduce((a, b) => a + b) / scores.length).toFixed(1)} (${scores.length})` : "—");
  }
  assert.deepEqual(
    await p.locator("#an-agents tbody tr").evaluateAll((rows) => rows.map((r) => r.querySelector("th").textContent)),
    ["Ana", "Ben"],
  );

  // Ratings by path: both handovers went through the assistant first; the assistant
  // alone was rated 3 in the widget.
  const path = (key) => p.locator(`#an-ratings [data-path=${key}] dd`).textContent();
  assert.equal(await path("all"), "4.0 from 3 ratings");
  assert.equal(await path("assistant_then_person"), "4.5 from 2 ratings");
  assert.equal(await path("person_only"), "no ratings");
  assert.equal(await path("assistant_only"), "3.0 from 1 rating");

  // The question the assistant did not know, and its "Answer this".
  const unanswered = p.locator("#an-unanswered li");
  assert.equal(await unanswered.count(), 1);
  assert.equal(await unanswered.locator(".kb-question").textContent(), UNKNOWN.toLowerCase());

  assert.deepEqual(await axeViolations(p, "#analytics-view"), [], "axe: the analytics page");
  assert.deepEqual(p.cspRefused, [], "the inbox, uPlot's chart included, needs nothing its policy refuses");
  await p.shot("analytics-page.png");
  await p.locator("#an-agents").scrollIntoViewIfNeeded();
  await p.shot("analytics-page-agents.png");

  await unanswered.locator("button.answer-this").click();
  await p.locator("#learn").waitFor();
  assert.equal(await p.locator("#learn-question").inputValue(), UNKNOWN.toLowerCase());
  await p.locator("#learn-cancel").click();
  await p.locator("#learn").waitFor({ state: "hidden" });

  // The CSV of the period: the same records, one row each, oldest first.
  const [download] = await Promise.all([p.waitForEvent("download"), p.locator("#an-export").click()]);
  assert.equal(download.suggestedFilename(), `handovers-${ASSISTANT}-${await p.locator("#an-days tbody tr th").first().evaluate(
    (th) => th.closest("tr").dataset.date)}-to-${today}.csv`);
  const csv = readFileSync(await download.path(), "utf8").split("\r\n").filter(Boolean);
  assert.equal(csv[0].split(",")[0], "conversation_id");
  const byRequest = records.map((r, i) => ({ r, id: visitors[i].conv.id })).sort((a, b) => a.r.requested_at - b.r.requested_at);
  assert.deepEqual(csv.slice(1).map((line) => line.split(",").slice(0, 4)),
    byRequest.map(({ r, id }) => [id, String(r.id), ASSISTANT, r.status]));

  // Another period: days to come have nothing; a last day before the first is refused.
  const inDays = (n) => p.evaluate((k) => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000 + k * 86_400_000).toISOString().slice(0, 10), n);
  await p.locator("#an-range").selectOption("custom");
  await p.locator("#an-first").fill(await inDays(1));
  await p.locator("#an-last").fill(await inDays(3));
  await p.locator("#an-last").dispatchEvent("change");
  await p.locator("#an-totals [data-figure=total] dd").filter({ hasText: /^0$/ }).waitFor();
  assert.equal(await dayRows.count(), 3);
  await p.locator("#an-last").fill(await inDays(0));
  await p.locator("#an-last").dispatchEvent("change");
  await p.locator("#an-error").filter({ hasText: "The last day is before the first." }).waitFor();
  await p.locator("#an-range").selectOption("30");
  await p.locator("#an-totals [data-figure=total] dd").filter({ hasText: /^5$/ }).waitFor();
  assert.equal(await dayRows.count(), 30);
  assert.equal(await p.locator("#an-error").textContent(), "");
  await p.context().close();

  // Ben is no admin: no analytics page.
  const b = await page(browser, "analytics-ben");
  await agentLogin(b, BEN, w.base);
  assert.equal(await b.locator("#view-analytics").isVisible(), false, "no analytics page for an agent who is no admin");
  assert.equal(await b.locator("#analytics-view").isVisible(), false);
  await b.context().close();

  for (const v of visitors) v.close();
});
