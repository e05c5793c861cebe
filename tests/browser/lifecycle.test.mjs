// The rest of a handover's life cycle in Chromium. The visitor's strip: the pre-handover
// form (with a refusal shown), "Stop waiting", and the rating. The inbox: transfer to a
// colleague with a reason, and close. Screenshots: tests/out/screenshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AGENTS, api, login, goOnline, configure } from "../e2e/harness.mjs";
import { page, agentLogin, openDemoChat, axeViolations, workerAndBrowser } from "./browser.mjs";

const [ANA, BEN] = AGENTS;
let ana;

const ctx = workerAndBrowser(async ({ w }) => {
  ana = await login(w.base, ANA);
});

/** The demo page with the chat open. */
const openChat = (name) => openDemoChat(ctx.browser, name, ctx.w.base);

/** The log's last message lies wholly inside the log's visible box. */
async function assertLastMessageInSight(log) {
  const inSight = await log.evaluate((l) => {
    const last = l.lastElementChild.getBoundingClientRect();
    const box = l.getBoundingClientRect();
    return last.top >= box.top - 1 && last.bottom <= box.bottom + 1;
  });
  assert.ok(inSight, "the last message is in sight");
}

/** The widget's conversation, as it keeps it for reloads: `{id, token}`. */
async function conversationOf(visitor) {
  const stored = await visitor.evaluate(() =>
    Object.keys(localStorage).map((k) => { try { return JSON.parse(localStorage.getItem(k)); } catch { return null; } }));
  const conv = stored.find((v) => v && typeof v.id === "string" && typeof v.token === "string");
  assert.ok(conv, `the widget keeps its conversation: ${JSON.stringify(stored)}`);
  return conv;
}

test("visitor: the form refuses a blank required field, then stop waiting, then a rating", async () => {
  // The demo page's widget is the `demo` assistant's.
  await configure(ctx.w, ana, { form: { name: "optional", email: "required" } }, "demo");
  await goOnline(ctx.w.base, ana); // someone to hand over to, or the visitor hears "no one is available"
  const { visitor, chat, say, system } = await openChat("visitor-form");
  const extra = chat.locator(".extra");

  await say("I want to talk to a person");
  await system("please tell us who you are");
  const conv = await conversationOf(visitor);
  const form = extra.locator("form.prechat");
  await form.waitFor();
  assert.equal(await form.locator("label").filter({ hasText: "Your name (optional)" }).count(), 1);
  await form.locator("input[name=name]").fill("Rosa");
  await form.getByRole("button", { name: "Continue" }).click();
  await chat.locator(".error").filter({ hasText: "Please fill in your email." }).waitFor();
  assert.equal(await form.isVisible(), true, "the form stays until it is complete");
  await visitor.shot("10-visitor-form-refused.png");

  // The Worker checks the address too, and its refusal shows in the same place.
  await form.locator("input[name=email]").fill("rosa@nowhere");
  await form.getByRole("button", { name: "Continue" }).click();
  await chat.locator(".error").filter({ hasText: "email" }).filter({ hasNotText: "Please fill in" }).waitFor();
  assert.equal(await form.isVisible(), true);
  await form.locator("input[name=email]").fill("rosa@example.com");
  await form.getByRole("button", { name: "Continue" }).click();
  await system("Connecting you to a person");
  await system("You are number 1 in the queue.");
  assert.equal(await chat.locator(".error").isVisible(), false, "the refusal is gone");
  const stop = extra.getByRole("button", { name: "Stop waiting" });
  await stop.waitFor();
  await visitor.shot("11-visitor-waiting.png");

  await stop.click();
  await system("back with the assistant");
  await extra.waitFor({ state: "hidden" });
  const queue = await api(ctx.w.base, "GET", "/api/queue", { token: ana.token });
  assert.deepEqual(queue.body.entries.filter((e) => e.conversation_id === conv.id), [],
    "the handover left the queue");

  // Asking again skips the form (asked once per conversation); Ana takes it and ends it.
  await say("Let me talk to a human, please");
  await system("Connecting you to a person");
  assert.equal(await extra.locator("form.prechat").count(), 0, "no second form");
  const call = (route, body) => api(ctx.w.base, "POST", `/api/conversations/${conv.id}/${route}`, { token: ana.token, body });
  assert.equal((await call("claim")).status, 200);
  await system("Ana has joined the conversation.");
  await extra.waitFor({ state: "hidden" });
  assert.equal((await call("messages", { text: "Hello Rosa, Ana here." })).status, 201);
  assert.equal((await call("end")).status, 200);
  await system("rate this conversation from 1 to 5");

  const rating = extra.locator(".rating");
  await rating.waitFor();
  // The strip took room from the log, which still shows its last message.
  const log = chat.locator(".log");
  await assertLastMessageInSight(log);
  assert.equal(await rating.getByText("How would you rate this chat?").isVisible(), true, "a visible question");
  await visitor.shot("12-visitor-rating.png");
  // A score first (nothing sent yet), then an optional comment, then "Send rating".
  const four = rating.getByRole("button", { name: "4 of 5 stars" });
  await four.click();
  assert.equal(await four.getAttribute("aria-pressed"), "true");
  assert.equal(await rating.getByRole("button", { name: "5 of 5 stars" }).getAttribute("aria-pressed"), "false");
  assert.equal(await extra.isVisible(), true, "choosing a score sends nothing yet");
  await rating.getByLabel("A comment (optional)").fill("Fast, thanks");
  assert.deepEqual(await axeViolations(visitor, "#baton-chat"), [], "axe: the rating strip, a score chosen");
  await visitor.shot("12b-visitor-rating-chosen.png");
  await rating.getByRole("button", { name: "Send rating" }).click();
  await extra.waitFor({ state: "hidden" });
  await system("Thank you for your rating!");
  await assertLastMessageInSight(log);
  const stored = await api(ctx.w.base, "GET", `/api/handovers/ended`, { token: ana.token });
  assert.ok(JSON.stringify(stored.body).includes("Fast, thanks"), "the comment typed after the score was sent with it");
  // It was stored: a second rating of the same handover is refused as already given.
  const again = await api(ctx.w.base, "POST", `/api/conversations/${conv.id}/rate`, { token: conv.token, body: { score: 5 } });
  assert.equal(again.status, 409, JSON.stringify(again.body));
  await visitor.reload(); // the widget reopens by itself on a conversation it knows
  await system("rate this conversation from 1 to 5");
  assert.equal(await extra.isVisible(), false, "no rating offered again after a reload");
});

test("inbox: transfer to a colleague with a reason, who then closes the chat", async () => {
  await configure(ctx.w, ana, {}, "demo");
  const anaPage = await page(ctx.browser, "ana-transfer");
  await agentLogin(anaPage, ANA, ctx.w.base);
  const benPage = await page(ctx.browser, "ben-transfer");
  await agentLogin(benPage, BEN, ctx.w.base);
  const { chat, say, system } = await openChat("visitor-transfer");

  const question = "Can I pay my invoice in two parts? I'd like a person.";
  await say(question);
  await system("Connecting you to a person");
  const item = anaPage.locator("#queue li[data-conversation]").filter({ hasText: question });
  await item.locator("button.claim").click();
  await system("Ana has joined the conversation.");
  await anaPage.locator("#tab-mine").click();
  await item.locator("button.open").click();
  await anaPage.locator("#messages .msg.visitor").filter({ hasText: question }).waitFor();

  await anaPage.locator("#transfer").click();
  const to = anaPage.locator("#transfer-to");
  await to.waitFor();
  const choices = await to.locator("option").allTextContents();
  assert.ok(choices.includes("Ben") && choices.includes("billing"), `teams and colleagues: ${choices}`);
  assert.ok(!choices.includes("Ana"), "not to herself");
  await to.selectOption({ label: "Ben" });
  await anaPage.locator("#transfer-reason").fill("Ben handles split payments");
  await anaPage.shot("13-inbox-transfer-form.png");
  await anaPage.locator("#transfer-form button[type=submit]").click();
  await system("Ana is passing you to a colleague.");
  await anaPage.locator("#transfer").waitFor({ state: "hidden" });
  await anaPage.locator("#queue li[data-conversation]").filter({ hasText: question }).waitFor({ state: "detached" });

  // Ben sees it waiting for him, with who passed it and why, and takes it.
  const benItem = benPage.locator("#queue li[data-conversation]").filter({ hasText: question });
  await benItem.waitFor();
  assert.match(await benItem.textContent(), /Ben handles split payments/);
  assert.match(await benItem.textContent(), /assistant: demo/, "the demo page's assistant");
  await benItem.locator("button.claim").click();
  await system("Ben has joined the conversation.");
  await benPage.locator("#tab-mine").click();
  await benItem.locator("button.open").click();
  await benPage.locator("#handback-note").fill("Split payment set up for invoice 7");
  await benPage.locator("#close-chat").click();
  await system("This chat is closed.");
  await benPage.locator("#close-chat").waitFor({ state: "hidden" });
  await benPage.shot("14-inbox-after-close.png");
  // The "Closed" tab lists it, resolved.
  await benPage.locator("#tab-closed").click();
  await benPage.locator("#queue li[data-conversation]").filter({ hasText: question })
    .filter({ hasText: "resolved" }).waitFor();
  await benPage.shot("14a-inbox-closed-tab.png");

  // Writing again reopens the chat with the assistant.
  await say("Do you offer free shipping?");
  await chat.locator(".msg.assistant").filter({ hasText: "$50" }).waitFor();
  // The next handover shows the next agent what Ben settled.
  await say("Actually, let me talk to a person again");
  await anaPage.locator("#tab-pending").click();
  const again = anaPage.locator("#queue li[data-conversation]")
    .filter({ hasText: "earlier note: Split payment set up for invoice 7" });
  await again.waitFor();
  await anaPage.shot("15-inbox-earlier-note.png");
  await again.locator("button.claim").click();
  await system("Ana has joined the conversation.");
  await anaPage.locator("#tab-mine").click();
  await again.locator("button.open").click();
  await anaPage.locator("#end").click();
  await system("You're back with the assistant.");
});

test("widget: a site the assistant does not allow is told so; the bubble closes and reopens the panel", async () => {
  await configure(ctx.w, ana, { allowed_origins: ["https://shop.example"] }, "demo");
  const { visitor, chat } = await openChat("not-allowed");
  const error = chat.locator(".error");
  await error.filter({ hasText: "this chat is not available on this site" }).waitFor();
  assert.equal(await chat.locator(".status").textContent(), "Unavailable");
  await visitor.shot("not-allowed.png");
  assert.equal(await chat.locator(".msg").count(), 0, "no conversation was started");
  // Trying to write anyway changes nothing: the refusal stays, nothing is queued.
  const input = chat.locator("textarea[name=text]");
  await input.fill("Hello?");
  await input.press("Enter");
  await input.fill("Anyone?");
  await input.press("Enter");
  assert.equal(await error.isVisible(), true, "the refusal stays after a send");
  assert.match(await error.textContent(), /not available on this site/);
  assert.equal(await chat.locator(".msg").count(), 0, "nothing was queued to send");

  await configure(ctx.w, ana, { allowed_origins: [new URL(ctx.w.base).origin] }, "demo");
  const { chat: allowed, say } = await openChat("allowed");
  await say("How long does shipping take?");
  const panel = allowed.locator(".panel");
  await allowed.locator(".bubble").click();
  assert.equal(await panel.isHidden(), true, "a second click closes the panel");
  await allowed.locator(".bubble").click();
  assert.equal(await panel.isVisible(), true, "a third one opens it again");
  await configure(ctx.w, ana, {}, "demo");
});
