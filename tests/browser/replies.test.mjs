// Issue 14's saved replies in Chromium: Ana (an admin) keeps a workspace reply, Ben (an
// agent) a personal one and may not write the workspace's; in a conversation Ben holds
// he types `/ship`, picks the reply, its placeholders are filled, he sends it and the
// visitor's widget shows the filled text. axe-core checks the dialog and the picker.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AGENTS } from "../e2e/harness.mjs";
import { page, agentLogin, demoPage, axeViolations, workerAndBrowser } from "./browser.mjs";

const [ANA, BEN] = AGENTS;

const ctx = workerAndBrowser();

async function addReply(p, name, text, scope) {
  await p.locator("#replies-name").fill(name);
  await p.locator("#replies-text").fill(text);
  if (scope) await p.locator("#replies-scope").selectOption(scope);
  await p.locator("#replies-form button[type=submit]").click();
}

test("saved replies: kept in the dialog, picked with / in the reply box, filled in and sent", async () => {
  const ana = await page(ctx.browser, "replies-ana");
  await agentLogin(ana, ANA, ctx.w.base);
  await ana.locator("#open-replies").click();
  await addReply(ana, "shipping", "Hi {visitor_name}, {agent} here: orders ship within 2 days.", "workspace");
  await ana.locator("#replies-list li[data-reply=shipping]").filter({ hasText: "everyone" }).waitFor();
  // An unknown placeholder is refused beside the form.
  await addReply(ana, "oops", "Hello {name}");
  await ana.locator("#replies-form .field-errors li").filter({ hasText: "text: {name} is not filled in" }).waitFor();
  assert.deepEqual(await axeViolations(ana, "#replies"), [], "axe: the saved-replies dialog");
  await ana.shot("replies-dialog.png");
  await ana.locator("#replies-close").click();
  await ana.locator("#presence").selectOption("offline");

  const ben = await page(ctx.browser, "replies-ben");
  await agentLogin(ben, BEN, ctx.w.base);
  await ben.locator("#open-replies").click();
  await ben.locator("#replies-list li[data-reply=shipping]").waitFor();
  assert.equal(await ben.locator("#replies-list li[data-reply=shipping] button").count(), 0, "the workspace's reply is the admins'");
  assert.equal(await ben.locator("#replies-scope option[value=workspace]").isDisabled(), true);
  await addReply(ben, "ship-eu", "To the EU it takes 5 days, {visitor_name}.");
  await ben.locator("#replies-list li[data-reply=ship-eu]").filter({ hasText: "me only" }).waitFor();
  await ben.locator("#replies-close").click();

  const { chat, open, say, system } = await demoPage(ctx.browser, "replies-visitor", ctx.w.base);
  await open();
  await say("I want to talk to a human");
  await system("Connecting you to a person");
  await ben.locator("#queue li[data-conversation]").filter({ hasText: "I want to talk to a human" }).locator("button.claim").click();
  await chat.locator(".msg.system").filter({ hasText: "Ben has joined the conversation." }).waitFor();

  const box = ben.locator("#reply-text");
  // As Ben would: he types once the box takes text (typing goes nowhere before).
  await ben.waitForFunction(() => !document.querySelector("#reply-text").disabled);
  await box.pressSequentially("/ship");
  const options = ben.locator("#reply-picks [role=option]");
  await options.first().waitFor();
  assert.deepEqual(await options.locator("strong").allTextContents(), ["/ship-eu", "/shipping"]);
  assert.equal(await box.getAttribute("aria-expanded"), "true");
  assert.deepEqual(await axeViolations(ben, "#reply"), [], "axe: the reply box with the picker open");
  await ben.shot("replies-picker.png");
  await box.press("ArrowDown");
  assert.equal(await options.nth(1).getAttribute("aria-selected"), "true");
  await box.press("Enter");
  // Inserted, not sent: the agent may still edit it.
  const filled = "Hi there, Ben here: orders ship within 2 days.";
  assert.equal(await box.inputValue(), filled);
  assert.equal(await ben.locator("#reply-picks").isHidden(), true);
  await box.press("End");
  await box.pressSequentially(" Anything else?");
  await box.press("Enter");
  await chat.locator(".msg").filter({ hasText: `${filled} Anything else?` }).waitFor();
  assert.equal(await box.inputValue(), "");
});
