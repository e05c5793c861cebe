// Issue 11's Team page in Chromium: Ana (an admin) adds an agent, who follows the
// invitation link, chooses a password, signs in and claims a conversation; Ana disables
// them and their open inbox is signed out. Ben (no admin) has no Team page. An agent
// changes their own password. axe-core checks the page and the invitation form.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AGENTS } from "../e2e/harness.mjs";
import { page, agentLogin, demoPage, axeViolations, workerAndBrowser } from "./browser.mjs";

const [ANA, BEN] = AGENTS;

const ctx = workerAndBrowser();

test("add an agent, who follows the invitation, signs in and claims; disabled, their inbox signs out", async () => {
  const ana = await page(ctx.browser, "team-ana");
  ana.on("dialog", (d) => d.accept());
  await agentLogin(ana, ANA, ctx.w.base);
  await ana.locator("#view-team").click();
  const row = (name) => ana.locator("#team-agents tr[data-agent]").filter({ hasText: name });
  await row("Ben").waitFor();

  // A bad email is refused beside the form; nothing is added.
  await ana.locator("#team-add input[name=name]").fill("Cleo");
  await ana.locator("#team-add input[name=email]").fill("cleo-at-shop");
  await ana.locator("#team-add button[type=submit]").click();
  await ana.locator("#team-add .field-errors li").filter({ hasText: "email: not an email address" }).waitFor();
  await ana.locator("#team-add input[name=email]").fill("cleo@shop.test");
  await ana.locator("#team-add input[name=team][value=billing]").check();
  await ana.locator("#team-add button[type=submit]").click();
  await row("Cleo").filter({ hasText: "invited" }).waitFor();
  const link = await ana.locator("#team-invitation-link").inputValue();
  assert.match(link, new RegExp(`^${ctx.w.base}/inbox/#invite=[0-9a-f]{64}$`));
  assert.deepEqual(await axeViolations(ana, "#team-view"), [], "axe: the Team page");
  await ana.shot("team-page.png");

  // Cleo follows the link in a browser of her own.
  const cleo = await page(ctx.browser, "team-cleo");
  await cleo.goto(link);
  await cleo.locator("#invite").waitFor();
  assert.deepEqual(await axeViolations(cleo, "#invite-view"), [], "axe: the invitation form");
  await cleo.locator("#invite-password").fill("cleo-secret-1");
  await cleo.locator("#invite-again").fill("cleo-secret-1");
  await cleo.locator("#invite button[type=submit]").click();
  await cleo.locator("#agent-name").filter({ hasText: "Cleo" }).waitFor();
  assert.equal(await cleo.locator("#view-team").isVisible(), false, "an agent has no Team page");
  await cleo.locator("#presence").selectOption("online");
  // The page reads the team again each time it is opened.
  await ana.locator("#view-team").click();
  await row("Cleo").filter({ hasText: "active" }).waitFor();

  // She claims a visitor's conversation.
  const { chat, open, say, system } = await demoPage(ctx.browser, "team-visitor", ctx.w.base);
  await open();
  await say("I want to talk to a human");
  await system("Connecting you to a person");
  const item = cleo.locator("#queue li[data-conversation]").filter({ hasText: "I want to talk to a human" });
  await item.locator("button.claim").click();
  await chat.locator(".msg.system").filter({ hasText: "Cleo has joined the conversation." }).waitFor();

  // Disabled by Ana: Cleo's open inbox is signed out at once.
  await row("Cleo").locator("button[data-action=disable]").click();
  await row("Cleo").filter({ hasText: "disabled" }).waitFor();
  await cleo.locator("#login-view").waitFor();
  await cleo.locator("#error").filter({ hasText: "signed out" }).waitFor();
  await cleo.shot("team-disabled-signed-out.png");
  await cleo.locator("#login input[name=email]").fill("cleo@shop.test");
  await cleo.locator("#login input[name=password]").fill("cleo-secret-1");
  await cleo.locator("#login button[type=submit]").click();
  await cleo.locator("#error").filter({ hasText: "disabled" }).waitFor();
});

test("an agent changes their own password; Ben has no Team page", async () => {
  const ben = await page(ctx.browser, "team-ben");
  await agentLogin(ben, BEN, ctx.w.base);
  assert.equal(await ben.locator("#view-team").isVisible(), false);
  await ben.locator("#change-password").click();
  await ben.locator("#password-current").fill("not-my-password");
  await ben.locator("#password-new").fill("ben-new-secret");
  await ben.locator("#password-again").fill("ben-new-secret");
  await ben.locator("#password-form button[type=submit]").click();
  await ben.locator("#password-form .field-errors li").filter({ hasText: "current: this is not your current password" }).waitFor();
  assert.deepEqual(await axeViolations(ben, "#password"), [], "axe: the password form");
  await ben.locator("#password-current").fill(BEN.password);
  await ben.locator("#password-form button[type=submit]").click();
  await ben.locator("#notice").filter({ hasText: "Your password is changed" }).waitFor();
  // Still signed in, with the new token: the queue reads.
  await ben.locator("#presence").selectOption("away");
  assert.equal(await ben.locator("#error").textContent(), "");
});
