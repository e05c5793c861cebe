// Issue 14, presence follows the inbox, in Chromium: Ana, the only agent online, closes
// her inbox tab without signing out. A reload is not leaving; a minute after the tab
// went, the visitor waiting for her on the owner's site (another origin) reads that
// nobody is available, and so does the next one. She opens the inbox again and signs in:
// her chosen status, online, is back, and the next visitor is queued for her.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWorker, login, goOnline, AGENTS } from "../e2e/harness.mjs";
import { launch, page as newPage, agentLogin, ownerSite, visit } from "./browser.mjs";

const [ANA, ...OTHERS] = AGENTS;
const QUEUED = "Connecting you to a person|in the queue";
const NOBODY = "no one is available";
let w, site, browser;

before(async () => {
  w = await startWorker();
  site = await ownerSite(w.base, "default");
  browser = await launch();
  // Ana alone can be online: the others are offline, and the default settings route to
  // online agents only.
  for (const agent of OTHERS) await goOnline(w.base, await login(w.base, agent), "offline");
});
after(async () => {
  await browser?.close();
  await site?.close();
  await w?.stop();
});

/** A new visitor on the owner's shop asks for a person; resolves with the open chat. */
async function visitorAsks(name) {
  const p = await newPage(browser, name);
  const chat = await visit(p, site.url("/shop.html"));
  await chat.open();
  await chat.say("I would like to talk to a person, please");
  await chat.chat.locator(".msg.system").filter({ hasText: new RegExp(`${QUEUED}|${NOBODY}`, "i") }).last().waitFor();
  return { p, ...chat };
}
const told = async (v) => (await v.chat.locator(".msg.system").last().innerText());

test("closing the inbox tab: a minute later nobody is available; the inbox back, Ana is", async () => {
  const ana = await newPage(browser, "ana");
  await agentLogin(ana, ANA, w.base);

  // A reload keeps her there.
  await ana.reload();
  await ana.locator("#agent-name").filter({ hasText: ANA.name }).waitFor();
  const waiting = await visitorAsks("waiting");
  assert.match(await told(waiting), new RegExp(QUEUED), `queued for Ana after her reload: ${await told(waiting)}`);

  // She closes the tab, not signing out.
  const keep = await ana.context().newPage();
  await ana.close();
  const gone = Date.now();
  await waiting.system(NOBODY);
  const away = Date.now() - gone;
  console.log(`from closing Ana's inbox tab to the waiting visitor told nobody is available: ${away} ms`);
  assert.ok(away >= 59_000, `not before the minute's grace: ${away} ms`);
  await waiting.p.shot("presence-nobody-after-inbox-closed.png");
  const next = await visitorAsks("next");
  assert.match(await told(next), new RegExp(NOBODY, "i"), "a new visitor hears it too");

  // She opens the inbox again and signs in (the inbox keeps its sign-in per tab): online,
  // as she chose, without setting it.
  const inboxSocket = keep.waitForEvent("websocket", (s) => s.url().includes("/api/inbox/ws"));
  await keep.goto(`${w.base}/inbox/`);
  await keep.locator("#login input[name=email]").fill(ANA.email);
  await keep.locator("#login input[name=password]").fill(ANA.password);
  await keep.locator("#login button[type=submit]").click();
  await keep.locator("#agent-name").filter({ hasText: ANA.name }).waitFor();
  assert.equal(await keep.locator("#presence").inputValue(), "online");
  // She counts once her inbox's socket is open: the queue it is sent on connect says so.
  await (await inboxSocket).waitForEvent("framereceived");
  const back = await visitorAsks("back");
  assert.match(await told(back), new RegExp(QUEUED), "queued for Ana again");
  await keep.locator("#queue li[data-conversation]").filter({ hasText: "talk to a person" }).first().waitFor();
});
