// Issue 10 in Chromium: the owner's assistant learns from its agents. Ana (an admin)
// loads the shop's knowledge from the README's example CSV on the knowledge page; a
// visitor on the owner's own site asks what it does not know and is handed over; Ben
// (no admin) answers and saves his reply as an answer, which waits; Ana publishes it;
// the next visitor asks the same in other words and the assistant answers. axe-core
// checks the knowledge page and the "Save as answer" form.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { startWorker, AGENTS, ROOT } from "../e2e/harness.mjs";
import { launch, page, agentLogin, ownerSite, axeViolations } from "./browser.mjs";

const [ANA, BEN] = AGENTS;
const ASSISTANT = "shop";
const QUESTION = "Do you sell fishing bait?";
const ANSWER = "Yes: worms and flies, by the door.";
let w, browser, site;

before(async () => {
  w = await startWorker();
  browser = await launch();
  site = await ownerSite(w.base, ASSISTANT);
});
after(async () => {
  await site?.close();
  await browser?.close();
  await w?.stop();
});

/** The owner's page as a visitor, chat open. */
async function visitor(name) {
  const p = await page(browser, name);
  await p.goto(site.url("/shop.html"));
  const chat = p.locator("#baton-chat");
  await chat.locator(".bubble").click();
  const input = chat.locator("textarea[name=text]");
  await input.waitFor();
  const say = async (text) => {
    await input.fill(text);
    await input.press("Enter");
    await chat.locator(".msg.visitor").filter({ hasText: text }).last().waitFor();
  };
  return { p, chat, say };
}

async function openKnowledge(p) {
  await p.locator("#view-knowledge").click();
  await p.locator("#knowledge-view").waitFor();
  await p.locator("#kb-assistant").fill(ASSISTANT);
  await p.locator("#kb-assistant").dispatchEvent("change");
}

test("the knowledge page: import, search, add, edit and delete entries, refused input shown field by field", async () => {
  const ana = await page(browser, "kb-ana");
  ana.on("dialog", (d) => d.accept());
  await agentLogin(ana, ANA, w.base);
  await openKnowledge(ana);
  await ana.locator("#kb-entries-empty").filter({ hasText: "No entries" }).waitFor();

  await ana.locator("#kb-file").setInputFiles(join(ROOT, "docs/example-knowledge.csv"));
  await ana.locator("#kb-import button[type=submit]").click();
  await ana.locator("#kb-status").filter({ hasText: "5 entries now" }).waitFor();
  assert.equal(await ana.locator("#kb-entries li[data-entry]").count(), 5);

  await ana.locator("#kb-search").fill("kayak");
  await ana.locator("#kb-entries-count").filter({ hasText: "1 of 5" }).waitFor();
  assert.deepEqual(await ana.locator("#kb-entries li[data-entry]").evaluateAll((l) => l.map((li) => li.dataset.entry)), ["kayak-rental"]);
  await ana.locator("#kb-search").fill("");

  // A bad entry is refused, each field named in the form; nothing is added.
  await ana.locator("#kb-add").click();
  await ana.locator("#kb-entry-questions").fill("Do you have a car park?");
  await ana.locator("#kb-entry-form button[type=submit]").click();
  await ana.locator("#kb-entry-form .field-errors li").filter({ hasText: "answer: the answer is empty" }).waitFor();
  assert.equal(await ana.locator("#kb-entries li[data-entry]").count(), 5);
  await ana.locator("#kb-entry-answer").fill("Yes, behind the shop.");
  await ana.locator("#kb-entry-form button[type=submit]").click();
  await ana.locator("#kb-entries li[data-entry=do-you-have-a-car-park]").waitFor();

  await ana.locator("#kb-entries li[data-entry=do-you-have-a-car-park] button.edit").click();
  await ana.locator("#kb-entry-questions").fill("Do you have a car park?\nWhere can I park?");
  await ana.locator("#kb-entry-form button[type=submit]").click();
  await ana.locator("#kb-entries li[data-entry=do-you-have-a-car-park] .kb-question").filter({ hasText: "Where can I park?" }).waitFor();
  assert.deepEqual(await axeViolations(ana, "#knowledge-view"), [], "axe: the knowledge page");
  await ana.shot("knowledge-page.png");

  await ana.locator("#kb-entries li[data-entry=do-you-have-a-car-park] button.delete").click();
  await ana.locator("#kb-entries li[data-entry=do-you-have-a-car-park]").waitFor({ state: "detached" });

  // A file with problems is refused by row, and changes nothing.
  await ana.locator("#kb-file").setInputFiles({ name: "broken.csv", mimeType: "text/csv", buffer: Buffer.from("question,answer\nIs it open?,\n") });
  await ana.locator("#kb-import button[type=submit]").click();
  await ana.locator("#kb-import-errors li").filter({ hasText: "row 2: answer" }).waitFor();
  assert.equal(await ana.locator("#kb-entries li[data-entry]").count(), 5);
  await ana.context().close();
});

test("the learning loop: handed over, answered and saved by an agent, published by an admin, then answered by the assistant", async () => {
  const ben = await page(browser, "kb-ben");
  await agentLogin(ben, BEN, w.base);
  assert.equal(await ben.locator("#view-knowledge").isVisible(), false, "no knowledge page for an agent who is no admin");

  const first = await visitor("kb-visitor-1");
  await first.say(QUESTION);
  await first.chat.locator(".msg.system").filter({ hasText: "Connecting you to a person" }).waitFor();
  const row = ben.locator("#queue li[data-conversation]").filter({ hasText: QUESTION });
  await row.locator("button.claim").click();
  await ben.locator("#reply-text").fill(ANSWER);
  await ben.locator("#reply-text").press("Enter");
  const reply = ben.locator("#messages .msg.agent").filter({ hasText: ANSWER });
  await first.chat.locator(".msg").filter({ hasText: ANSWER }).waitFor();

  await reply.locator("button.save-answer").click();
  const form = ben.locator("#learn");
  await form.waitFor();
  assert.equal(await ben.locator("#learn-question").inputValue(), QUESTION, "the words that started the handover");
  assert.equal(await ben.locator("#learn-answer").inputValue(), ANSWER);
  assert.deepEqual(await axeViolations(ben, "#learn"), [], "axe: the Save as answer form");
  await ben.shot("knowledge-save-as-answer.png");
  await form.locator("button[type=submit]").click();
  await ben.locator("#notice").filter({ hasText: "an admin will publish it" }).waitFor();
  await ben.locator("#end").click();

  // Ana publishes it from the knowledge page, where the question is also unanswered.
  const ana = await page(browser, "kb-ana-2");
  await agentLogin(ana, ANA, w.base);
  await openKnowledge(ana);
  const waiting = ana.locator("#kb-suggestions li").filter({ hasText: QUESTION });
  await waiting.filter({ hasText: "saved by Ben" }).waitFor();
  const unanswered = ana.locator("#kb-unanswered li").filter({ hasText: QUESTION.toLowerCase() });
  await unanswered.waitFor();
  await waiting.locator("button.publish").click();
  await ana.locator("#kb-status").filter({ hasText: "Published into do-you-sell-fishing-bait" }).waitFor();
  await ana.locator("#kb-suggestions-empty").waitFor();

  // "Answer this" opens the same form; a question the entry has is refused there.
  await unanswered.locator("button.answer-this").click();
  assert.equal((await ana.locator("#learn-question").inputValue()).toLowerCase(), QUESTION.toLowerCase());
  await ana.locator("#learn-closest input[value=do-you-sell-fishing-bait]").check();
  assert.equal(await ana.locator("#learn-answer").isDisabled(), true, "an existing entry keeps its answer");
  await ana.locator("#learn button[type=submit]").click();
  await ana.locator("#learn .field-errors li").filter({ hasText: "has this question already" }).waitFor();
  await ana.locator("#learn-cancel").click();

  // The next visitor asks in other words: the assistant answers, nobody is called.
  const next = await visitor("kb-visitor-2");
  await next.say("do you have any fishing bait");
  await next.chat.locator(".msg.assistant").filter({ hasText: ANSWER }).waitFor();
  await next.p.waitForTimeout(500);
  assert.equal(await next.chat.locator(".msg.system").filter({ hasText: "Connecting you" }).count(), 0, "no handover");
  await next.p.shot("knowledge-learned-answer.png");
});
