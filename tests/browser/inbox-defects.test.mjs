// Small defects of the inbox, in Chromium (issue 14): the reply box after "Close chat",
// the Closed tab (one row per conversation, a cancellation's reason), the reply box's
// 4,000-character limit counted as the server counts it, and axe-core over the whole
// inbox in its main views. Screenshots: tests/out/screenshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AGENTS, api, login } from "../e2e/harness.mjs";
import { page, agentLogin, openDemoChat, axeViolations, workerAndBrowser } from "./browser.mjs";

const [ANA] = AGENTS;
let ana;

const ctx = workerAndBrowser(async ({ w }) => {
  ana = await login(w.base, ANA);
});

/** The demo page with the chat open. */
const openChat = (name) => openDemoChat(ctx.browser, name, ctx.w.base);

/** The visitor asks for a person and Ana claims and opens it: its queue row and conversation id. */
async function claimed(anaPage, chat, question) {
  await chat.say(question);
  await chat.system("Connecting you to a person");
  await anaPage.locator("#tab-pending").click();
  const item = anaPage.locator("#queue li[data-conversation]").filter({ hasText: question });
  await item.locator("button.claim").click();
  await chat.system("Ana has joined the conversation.");
  await anaPage.locator("#tab-mine").click();
  await item.locator("button.open").click();
  await anaPage.locator("#reply-text:enabled").waitFor();
  return item.getAttribute("data-conversation");
}

/** The texts of conversation `id` stored from agents, as the API returns them. */
async function agentTexts(id) {
  const res = await api(ctx.w.base, "GET", `/api/conversations/${id}/messages?after=0`, { token: ana.token });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.messages.filter((m) => m.author?.role === "agent").map((m) => m.text);
}

test("close chat, then the Closed tab: one row per conversation, a cancellation's reason; axe finds nothing", async () => {
  const anaPage = await page(ctx.browser, "ana-defects");
  await agentLogin(anaPage, ANA, ctx.w.base);

  // Nobody online: the first visitor's request is cancelled for want of an agent.
  await anaPage.locator("#presence").selectOption("offline");
  await anaPage.locator("#presence:enabled").waitFor();
  const lonely = await openChat("visitor-nobody");
  const unanswered = "Is anyone there? I'd like a person, please.";
  await lonely.say(unanswered);
  await lonely.system("no one is available");
  await anaPage.locator("#presence").selectOption("online");
  await anaPage.locator("#presence:enabled").waitFor();

  // The second visitor gets Ana, twice: two ended handovers of one conversation.
  const chat = await openChat("visitor-twice");
  await chat.say("Do you offer free shipping?");
  await chat.chat.locator(".msg.assistant").filter({ hasText: "$50" }).waitFor();
  const question = "I'd like to talk to a human about my parcel";
  const id = await claimed(anaPage, chat, question);
  await anaPage.locator("#reply-text").fill("Hi, Ana here. Let me look.");
  await anaPage.locator("#reply-text").press("Enter");
  await anaPage.locator("#messages .msg.agent.mine[data-seq]").filter({ hasText: "Ana here" }).waitFor();
  await chat.say("Thanks!");
  await anaPage.locator("#messages .msg.visitor").filter({ hasText: "Thanks!" }).waitFor();
  // Visitor, assistant, Ana's own and Baton's messages in the log.
  assert.deepEqual(await axeViolations(anaPage, "#app"), [], "axe: the inbox with a conversation open");

  await anaPage.locator("#close-chat").click();
  await chat.system("This chat is closed.");
  await anaPage.locator("#close-chat").waitFor({ state: "hidden" });
  const placeholder = await anaPage.locator("#reply-text").getAttribute("placeholder");
  assert.doesNotMatch(placeholder, /Claim/, `after Close chat: "${placeholder}"`);
  assert.match(placeholder, /closed/i, `after Close chat: "${placeholder}"`);
  await anaPage.shot("defects-1-after-close.png");

  await chat.say("Actually, a person again please");
  await chat.system("Connecting you to a person");
  await anaPage.locator("#tab-pending").click();
  const again = anaPage.locator(`#queue li[data-conversation="${id}"]`);
  await again.locator("button.claim").click();
  await chat.system("Ana has joined the conversation.");
  await anaPage.locator("#close-chat:visible").click();
  await chat.system("This chat is closed.");

  await anaPage.locator("#tab-closed").click();
  const rows = anaPage.locator(`#queue li[data-conversation="${id}"]`);
  await rows.first().waitFor();
  const nobody = anaPage.locator("#queue li[data-conversation]").filter({ hasText: unanswered });
  await nobody.waitFor();
  assert.equal(await rows.count(), 1, "the conversation closed twice is one row");
  assert.match(await rows.textContent(), /resolved/, "with its latest handover");
  assert.match(await nobody.textContent(), /cancelled/);
  assert.match(await nobody.textContent(), /nobody was available/, "the cancellation's reason");
  await anaPage.shot("defects-2-closed-tab.png");
  assert.deepEqual(await axeViolations(anaPage, "#app"), [], "axe: the Closed tab");
});

test("the reply box counts characters as the server does: 4,000 with emoji go whole, 4,001 are refused, never cut", async () => {
  const anaPage = await page(ctx.browser, "ana-limit");
  await agentLogin(anaPage, ANA, ctx.w.base);
  const chat = await openChat("visitor-limit");
  const id = await claimed(anaPage, chat, "A person please, I have a long question");

  // 4,000 characters, 5,000 UTF-16 units.
  const whole = "😀".repeat(1000) + "a".repeat(3000);
  const box = anaPage.locator("#reply-text");
  await box.fill(whole);
  assert.ok(await box.inputValue() === whole, `the box keeps all of it, not ${[...await box.inputValue()].length} characters`);
  await anaPage.locator("#reply-count").filter({ hasText: "4,000 / 4,000" }).waitFor();
  await box.press("Enter");
  await anaPage.locator("#messages .msg.agent.mine[data-seq]").waitFor();
  let stored = await agentTexts(id);
  assert.ok(stored.length === 1 && stored[0] === whole, `stored whole, not ${stored.map((t) => [...t].length)} characters`);

  const over = whole + "😀";
  await box.fill(over);
  await anaPage.locator("#reply-count").filter({ hasText: "4,001 / 4,000" }).waitFor();
  await box.press("Enter");
  await anaPage.locator("#error[role=alert]").filter({ hasText: "4,000" }).waitFor();
  assert.ok(await box.inputValue() === over, "the refused reply stays in the box");
  await anaPage.shot("defects-3-reply-too-long.png");
  assert.deepEqual(await axeViolations(anaPage, "#app"), [], "axe: the reply box refusing a long reply");
  await anaPage.locator("#reply button[type=submit]").click();
  stored = await agentTexts(id);
  assert.ok(stored.length === 1 && stored[0] === whole, `nothing more was sent: ${stored.map((t) => [...t].length)} characters`);
});
