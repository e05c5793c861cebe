// Issue 14, the visitor's context in a real browser: the widget on an owner's page of
// another origin reports the page, its changes (a `#` link, a pushState before a message),
// language, time zone and browser; Ana's inbox shows them in the summary panel beside the
// conversation with the title (the form's name, else "Visitor on <page title>"), the
// trigger, wait and assistant, as text and cut; after a rated handover with a closing
// note, a second conversation of the same browser lists the first as earlier. axe-core
// finds nothing in the inbox with the panel.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker, AGENTS, login, configure } from "../e2e/harness.mjs";
import { launch, page, agentLogin, ownerSite, visit, axeViolations } from "./browser.mjs";

const [ANA] = AGENTS;
const ASSISTANT = "shop";
const ZONE = "America/Sao_Paulo";
let browser, w, site;

before(async () => {
  browser = await launch();
  w = await startWorker();
  site = await ownerSite(w.base, ASSISTANT);
  const ana = await login(w.base, ANA);
  await configure(w, ana, { allowed_origins: [site.origin], form: { name: "optional", email: "optional" } }, ASSISTANT);
});
after(async () => {
  await browser?.close();
  await site?.close();
  await w?.stop();
});

/** The visitor's browser: a time zone and language of its own, one storage for both chats. */
const visitorBrowser = () => page(browser, "visitor-context", { timezoneId: ZONE, locale: "pt-BR" });

const fact = (agent, cls) => agent.locator(`#visitor-panel dd.${cls}`);

/** The visitor asks for a person and answers the form with `name` (or leaves it blank). */
async function handOver(v, question, name) {
  await v.say(question);
  const form = v.chat.locator("form.prechat");
  await form.waitFor();
  await form.locator("input[name=name]").fill(name);
  await form.locator("button[type=submit]").click();
  await v.system("Connecting you to a person");
}

test("the panel shows the visitor's page, changes, language, local time, browser and earlier chats", async () => {
  const agent = await page(browser, "ana-context");
  await agentLogin(agent, ANA, w.base);
  const visitorPage = await visitorBrowser();
  const v = await visit(visitorPage, site.url("/shop.html"));
  await v.open();
  // Once the socket caught up ("Assistant"), the widget has reported the page; then a `#`
  // link on it.
  await v.chat.locator(".status").filter({ hasText: "Assistant" }).waitFor();
  await visitorPage.evaluate(() => { document.title = "<b>Boots</b> & more"; location.hash = "#boots"; });

  const question = "I want to talk to a human about boots";
  await handOver(v, question, "Carla Souza");
  const item = agent.locator("#queue li[data-conversation]").filter({ hasText: question });
  await item.locator("button.claim").click();
  await v.system("Ana has joined the conversation.");
  await agent.locator("#tab-mine").click();
  const clockNow = () => agent.evaluate((zone) => new Intl.DateTimeFormat(undefined,
    { timeZone: zone, hour: "2-digit", minute: "2-digit", weekday: "short" }).format(Date.now()), ZONE);
  const clockBefore = await clockNow();
  await item.locator("button.open").click();

  const panel = agent.locator("#visitor-panel");
  await panel.waitFor();
  await agent.locator("#conv-title").filter({ hasText: "Carla Souza" }).waitFor();
  await fact(agent, "visitor-name").filter({ hasText: "Carla Souza" }).waitFor();
  const pageLink = fact(agent, "visitor-page").locator("a");
  await pageLink.filter({ hasText: "<b>Boots</b> & more" }).waitFor();
  assert.equal(await pageLink.getAttribute("href"), site.url("/shop.html#boots"));
  assert.equal(await panel.locator("b, img, script").count(), 0, "the page's title is text, not HTML");
  assert.equal(await fact(agent, "visitor-pages").textContent(), "Shop", "the page before");
  assert.equal(await fact(agent, "visitor-email").count(), 0, "no email given");
  assert.equal(await fact(agent, "visitor-language").textContent(), "pt-BR");
  const shown = await fact(agent, "visitor-time").textContent();
  const clockAfter = await clockNow();
  assert.ok(shown.endsWith(`(${ZONE})`), shown);
  // The visitor's clock, read where the inbox runs; the minute may turn meanwhile.
  assert.ok([clockBefore, clockAfter].some((t) => shown === `${t} (${ZONE})`), `${shown}: ${clockBefore}, ${clockAfter}`);
  assert.equal(await fact(agent, "visitor-browser").textContent(), "Chrome on desktop");
  assert.equal(await fact(agent, "visitor-trigger").textContent(), "asked for a person");
  assert.match(await fact(agent, "visitor-wait").textContent(), /^waited /);
  assert.equal(await fact(agent, "visitor-assistant").textContent(), ASSISTANT);
  assert.equal(await panel.locator("p.no-earlier").textContent(), "None");
  assert.ok(await panel.locator("ol.earlier").isHidden());

  // Another `#` link while the visitor says nothing: the panel follows (popstate).
  await visitorPage.evaluate(() => { location.hash = "#sizes"; });
  await fact(agent, "visitor-page").locator(`a[href="${site.url("/shop.html#sizes")}"]`).waitFor();

  // A single-page site moves on with pushState (no event): the next message carries it,
  // and the panel follows live. A long title is cut for display, whole in the tooltip.
  const longTitle = `Checkout ${"step ".repeat(80)}`;
  await visitorPage.evaluate((t) => { history.pushState({}, "", "/shop.html?step=2"); document.title = t; }, longTitle);
  await v.say("I am on the checkout page now");
  const checkout = pageLink.filter({ hasText: /^Checkout step/ });
  await checkout.waitFor();
  const cut = await checkout.textContent();
  assert.equal([...cut].length, 80);
  assert.ok(cut.endsWith("…"), cut);
  assert.equal(await checkout.getAttribute("title"), site.url("/shop.html?step=2"));
  assert.deepEqual(await fact(agent, "visitor-pages").locator("li a").evaluateAll((as) => as.map((a) => a.getAttribute("href"))),
    ["#sizes", "#boots", ""].map((h) => site.url(`/shop.html${h}`)), "the pages before, the latest first");
  await agent.shot("context-1-panel.png");
  assert.deepEqual(await axeViolations(agent, "body"), [], "the inbox with the visitor's panel");

  // Ana ends the handover with a closing note; the visitor rates it.
  await agent.locator("#handback-note").fill("Sent the boots' size guide");
  await agent.locator("#end").click();
  await v.system("back with the assistant");
  const stars = v.chat.locator(".extra .rating");
  await stars.getByRole("button", { name: "5 of 5 stars" }).click();
  await stars.getByRole("button", { name: "Send rating" }).click();
  await fact(agent, "visitor-last").filter({ hasText: "resolved by you" }).waitFor();
  await fact(agent, "visitor-last-note").filter({ hasText: "Sent the boots' size guide" }).waitFor();

  // The same browser, in a new conversation (its storage forgot the old one; the
  // browser's id stays), leaves the form's name blank: "Visitor on <page title>".
  await visitorPage.evaluate((a) => localStorage.removeItem(`baton:conv:${a}`), ASSISTANT);
  const again = await visit(visitorPage, site.url("/other.html"));
  await again.input.waitFor();
  const second = "A person again, please, about a return";
  await handOver(again, second, "");
  await agent.locator("#tab-pending").click();
  const next = agent.locator("#queue li[data-conversation]").filter({ hasText: second });
  await next.locator("button.open").click();
  await agent.locator("#conv-title").filter({ hasText: "Visitor on Another page" }).waitFor();
  assert.equal(await fact(agent, "visitor-name").count(), 0, "no name given");
  const earlier = panel.locator("ol.earlier li");
  await earlier.filter({ hasText: "resolved by you" }).waitFor();
  const text = await earlier.textContent();
  assert.match(text, /rated 5\/5/, text);
  assert.match(text, /Sent the boots' size guide/, text);
  assert.equal(await earlier.count(), 1);
  assert.ok(await panel.locator("p.no-earlier").isHidden());
  await agent.shot("context-2-earlier-chat.png");
  assert.deepEqual(await axeViolations(agent, "#app"), [], "the panel with an earlier chat");
  await visitorPage.context().close();
  await agent.context().close();
});
