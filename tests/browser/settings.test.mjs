// Issue 11 in Chromium: the settings page of the inbox. Ana (an admin) adds an assistant
// and copies its embed snippet (the README's tag), reads every group of settings with
// their defaults, is refused field by field beside the fields, changes the visitor's
// messages with their previews, and a new visitor on the owner's own site reads them.
// Ben (no admin) has no settings page. axe-core checks the page.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AGENTS, api, login } from "../e2e/harness.mjs";
import { page, agentLogin, ownerSite, axeViolations, workerAndBrowser } from "./browser.mjs";

const [ANA, BEN] = AGENTS;

const ctx = workerAndBrowser();

const tag = (id) => `<script src="${ctx.w.base}/widget.js" data-assistant="${id}" async></script>`;
const field = (p, path) => p.locator(`#st-form [data-field="${path}"]`);

async function openSettings(p) {
  await p.locator("#view-settings").click();
  await p.locator("#settings-view").waitFor();
  // Built once the defaults, the directory, the assistants and the settings are read.
  await p.waitForFunction(() => document.querySelector("#st-messages-handover")?.value);
}

async function addAssistant(p, id) {
  await p.locator("#st-add-id").fill(id);
  await p.locator("#st-add button[type=submit]").click();
  await p.locator("#st-status").filter({ hasText: `Added ${id}` }).waitFor();
  assert.equal(await p.locator("#st-assistant").inputValue(), id, "the new assistant's settings are shown");
}

test("the settings page: assistants and their snippets, every group with its defaults, refusals beside their fields", async () => {
  const ana = await page(ctx.browser, "st-ana");
  await ana.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: ctx.w.base });
  await agentLogin(ana, ANA, ctx.w.base);
  await openSettings(ana);

  assert.deepEqual(await ana.locator("#st-assistants li").evaluateAll((l) => l.map((li) => li.dataset.assistant)), ["default", "demo"]);
  assert.deepEqual(await ana.locator("#st-form h4").allTextContents(),
    ["When to hand over", "What the visitor reads", "Who receives handovers", "Timers", "Ratings", "The site"]);
  // Every setting of docs/settings.md has its field, each with its default and a help line.
  const paths = await ana.locator("#st-form [data-field]").evaluateAll((l) => l.map((n) => n.dataset.field));
  const defaults = (await api(ctx.w.base, "GET", "/api/settings/defaults", { token: (await login(ctx.w.base, ANA)).token })).body.settings;
  const expected = Object.entries(defaults).flatMap(([k, v]) => (["messages", "form"].includes(k) ? Object.keys(v).map((s) => `${k}.${s}`)
    : k === "routing" ? Object.keys(v).map((s) => `routing.${s}`) : [k]));
  assert.deepEqual([...paths].sort(), [...expected].sort());
  for (const path of paths) {
    assert.match(await field(ana, path).locator(".st-default").textContent(), /^Default: ./, path);
    assert.ok((await field(ana, path).locator(".st-help").textContent()).includes(path), path);
  }
  assert.match(await field(ana, "messages.handover").locator(".st-default").textContent(), /Connecting you to a person/);
  assert.match(await field(ana, "queue_timeout_secs").locator(".st-default").textContent(), /300 seconds \(5 min\)/);
  assert.match(await field(ana, "messages.offline_agent").locator(".st-default").textContent(), /empty: not sent/);
  assert.equal(await ana.locator("#st-routing-eligible-team-billing").count(), 1, "the workspace's teams to choose from");

  // An assistant added by its id, with the README's embed snippet, copied.
  await addAssistant(ana, "shop");
  const snippet = ana.locator("#st-assistants li[data-assistant=shop] input.st-snippet");
  assert.equal(await snippet.inputValue(), tag("shop"));
  await ana.locator("#st-assistants li[data-assistant=shop] button.copy").click();
  await ana.locator("#st-status").filter({ hasText: "Copied the embed snippet of shop" }).waitFor();
  assert.equal(await ana.evaluate(() => navigator.clipboard.readText()), tag("shop"));
  // A bad id, and one there already, are refused beside the field.
  await ana.locator("#st-add-id").fill("my shop");
  await ana.locator("#st-add button[type=submit]").click();
  await ana.locator("#st-add-errors li").filter({ hasText: "not an assistant id" }).waitFor();
  await ana.locator("#st-add-id").fill("shop");
  await ana.locator("#st-add button[type=submit]").click();
  await ana.locator("#st-add-errors li").filter({ hasText: 'there is an assistant "shop" already' }).waitFor();
  assert.equal(await ana.locator("#st-assistants li").count(), 3);
  await ana.locator("#settings-title").scrollIntoViewIfNeeded();
  await ana.shot("settings-page.png");

  // A message with a placeholder it does not have: the preview says so, the API refuses
  // it beside the field, and a timer too; nothing is stored.
  await field(ana, "messages.agent_assigned").locator("textarea").fill("{agnet} is here.");
  await field(ana, "messages.agent_assigned").locator(".st-stray").filter({ hasText: "{agnet} is not filled in here" }).waitFor();
  await ana.locator("#st-queue-timeout-secs").fill("0");
  await ana.locator(".st-actions button[type=submit]").click();
  await field(ana, "messages.agent_assigned").locator(".field-errors li").filter({ hasText: "{agnet} is not filled in here; this message can use {agent}" }).waitFor();
  await field(ana, "queue_timeout_secs").locator(".field-errors li").filter({ hasText: "must be from 1 to 604800" }).waitFor();
  await ana.locator("#st-status").filter({ hasText: "Not saved: 2 problems" }).waitFor();
  assert.equal(await ana.locator("#st-messages-agent-assigned").getAttribute("aria-invalid"), "true");
  assert.equal(await ana.evaluate(() => document.activeElement.id), "st-messages-agent-assigned", "the first refused field has the focus");
  assert.deepEqual(await axeViolations(ana, "#settings-view"), [], "axe: the settings page, with refusals shown");
  await ana.shot("settings-refused.png");
  // A value the page can tell is missing is shown the same way, before asking.
  await ana.locator("#st-holder-silence-secs").fill("");
  await ana.locator(".st-actions button[type=submit]").click();
  await field(ana, "holder_silence_secs").locator(".field-errors li").filter({ hasText: "write how many seconds" }).waitFor();
  const stored = await api(ctx.w.base, "GET", "/api/settings?assistant=shop", { token: (await login(ctx.w.base, ANA)).token });
  assert.equal(stored.body.messages.agent_assigned, "{agent} has joined the conversation.", "nothing refused was stored");
  assert.equal(stored.body.queue_timeout_secs, 300);

  await ana.locator(".st-actions button", { hasText: "Undo changes" }).click();
  assert.equal(await ana.locator("#st-messages-agent-assigned").inputValue(), "{agent} has joined the conversation.");
  assert.equal(await field(ana, "messages.agent_assigned").locator(".field-errors li").count(), 0);
  await ana.context().close();
});

test("without a clipboard, Copy selects the snippet to copy by hand", async () => {
  const ana = await page(ctx.browser, "st-ana-noclip");
  await ana.addInitScript(() => Object.defineProperty(navigator, "clipboard", { value: undefined }));
  await agentLogin(ana, ANA, ctx.w.base);
  await openSettings(ana);
  await ana.locator("#st-assistants li[data-assistant=demo] button.copy").click();
  await ana.locator("#st-status").filter({ hasText: "The snippet of demo is selected: press Ctrl+C" }).waitFor();
  const selected = await ana.evaluate(() => {
    const a = document.activeElement;
    return { id: a.id, text: a.value.slice(a.selectionStart, a.selectionEnd) };
  });
  assert.deepEqual(selected, { id: "st-snippet-demo", text: tag("demo") });
  await ana.context().close();
});

test("an admin changes the visitor's messages on the page, and a new visitor on the owner's site reads them", async () => {
  const ASSISTANT = "outlet";
  const HANDOVER = "One moment: someone from the outlet team will answer you here.";
  const site = await ownerSite(ctx.w.base, ASSISTANT);
  try {
    const ana = await page(ctx.browser, "st-ana-messages");
    await agentLogin(ana, ANA, ctx.w.base);
    await openSettings(ana);
    await addAssistant(ana, ASSISTANT);

    await ana.locator("#st-messages-handover").fill(HANDOVER);
    assert.equal(await field(ana, "messages.handover").locator(".st-preview-text").textContent(), HANDOVER);
    await ana.locator("#st-messages-agent-assigned").fill("{agent} from the outlet is with you.");
    assert.equal(await field(ana, "messages.agent_assigned").locator(".st-preview-text").textContent(), "Ana from the outlet is with you.",
      "the preview fills {agent} in");
    await ana.locator(".st-actions button[type=submit]").click();
    await ana.locator("#st-status").filter({ hasText: `Saved the settings of ${ASSISTANT}` }).waitFor();

    // A visitor on the owner's site asks what the empty knowledge base cannot answer.
    const visitor = await page(ctx.browser, "st-visitor");
    await visitor.goto(site.url("/shop.html"));
    const chat = visitor.locator("#baton-chat");
    await chat.locator(".bubble").click();
    const input = chat.locator("textarea[name=text]");
    await input.fill("Do you repair zips?");
    await input.press("Enter");
    await chat.locator(".msg.system").filter({ hasText: HANDOVER }).waitFor();

    // Ana claims it from the inbox: the visitor reads the message as the preview showed it.
    await ana.locator("#view-inbox").click();
    await ana.locator("#queue li[data-conversation]").filter({ hasText: "Do you repair zips?" }).locator("button.claim").click();
    await chat.locator(".msg.system").filter({ hasText: "Ana from the outlet is with you." }).waitFor();
    await visitor.shot("settings-visitor-reads.png");
  } finally {
    await site.close();
  }
});

test("an agent who is no admin has no settings page", async () => {
  const ben = await page(ctx.browser, "st-ben");
  await agentLogin(ben, BEN, ctx.w.base);
  assert.equal(await ben.locator("#view-settings").isVisible(), false);
  assert.equal(await ben.locator("#settings-view").isVisible(), false);
  const token = (await login(ctx.w.base, BEN)).token;
  for (const path of ["/api/settings?assistant=shop", "/api/assistants", "/api/settings/defaults"]) {
    assert.equal((await api(ctx.w.base, "GET", path, { token })).status, 403, path);
  }
  await ben.context().close();
});
