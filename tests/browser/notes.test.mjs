// Issue 14, private notes in Chromium: an agent who does not hold the chat writes a note in
// the inbox; the holder sees it marked as a note in its place, and the visitor's widget
// never shows it, not even after a reload (its catch-up). axe-core on the inbox with the
// note shown.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AGENTS } from "../e2e/harness.mjs";
import { page as newPage, agentLogin as login, demoPage, handOverToAna, axeViolations, workerAndBrowser } from "./browser.mjs";

const [ANA, BEN] = AGENTS;
const QUESTION = "Can you split my invoice in two payments?";
const NOTE = "Heads up: this customer asked for a refund twice last month";

const ctx = workerAndBrowser();

const agentLogin = (p, agent) => login(p, agent, ctx.w.base);

test("a colleague's private note shows to agents, marked, and never in the visitor's widget", async () => {
  const ana = await newPage(ctx.browser, "ana");
  await agentLogin(ana, ANA);
  const demo = await demoPage(ctx.browser, "visitor", ctx.w.base);
  const { visitor, chat } = demo;
  await demo.open();
  await handOverToAna(demo, ana, QUESTION);

  // Ben does not hold it: he cannot reply, and may still leave a note.
  const ben = await newPage(ctx.browser, "ben");
  await agentLogin(ben, BEN);
  await ben.locator("#tab-all").click();
  await ben.locator("#queue li[data-conversation]").filter({ hasText: QUESTION }).locator("button.open").click();
  await ben.locator("#messages .msg.visitor").filter({ hasText: QUESTION }).waitFor();
  assert.equal(await ben.locator("#reply-text").isDisabled(), true);
  const noteBox = ben.getByRole("textbox", { name: /Private note/ });
  await noteBox.fill(NOTE);
  await noteBox.press("Enter");
  await ben.locator("#messages .msg.note").filter({ hasText: NOTE }).waitFor();
  // The note's frame on the socket may come before the answer to its POST, which empties
  // the box: wait for that answer.
  await ben.waitForFunction(() => document.querySelector("#note-text").value === "");

  // Ana sees it live, marked in words and in colour, by Ben.
  const note = ana.locator("#messages .msg.note").filter({ hasText: NOTE });
  await note.waitFor();
  assert.match(await note.locator(".who").innerText(), /Private note\s*Ben/);
  assert.notEqual(
    await note.evaluate((n) => getComputedStyle(n).backgroundColor),
    await ana.locator("#messages .msg.visitor").first().evaluate((n) => getComputedStyle(n).backgroundColor),
  );
  assert.equal(await note.locator("button").count(), 0, "a note is not offered to the knowledge base");
  await ana.shot("notes-01-inbox-note.png");
  assert.deepEqual(await axeViolations(ana, "#app"), [], "axe: the inbox with a note shown");

  // The holder's reply after the note reaches the visitor; the note never does.
  const reply = ana.locator("#reply-text");
  await reply.fill("Yes, I can split it for you.");
  await reply.press("Enter");
  await chat.locator(".msg.agent").filter({ hasText: "split it for you" }).waitFor();
  assert.doesNotMatch(await chat.innerText(), /refund twice/);
  await visitor.reload();
  await chat.locator(".msg.agent").filter({ hasText: "split it for you" }).waitFor();
  assert.doesNotMatch(await chat.innerText(), /refund twice/, "the catch-up after a reload has no note");
  await visitor.shot("notes-02-visitor-without-note.png");

  // After a reload the inbox reads the note from the history, still marked.
  await ben.reload();
  await ben.locator("#tab-all").click();
  await ben.locator("#queue li[data-conversation]").filter({ hasText: QUESTION }).locator("button.open").click();
  await ben.locator("#messages .msg.note").filter({ hasText: NOTE }).waitFor();
});
