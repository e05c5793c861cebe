// Flows 2 to 4 in Chromium: the demo page as the visitor, the inbox as the agent, in two
// browser contexts against the real Worker on workerd. Screenshots: tests/out/screenshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import { startWorker, AGENTS } from "../e2e/harness.mjs";
import { page as newPage, agentLogin as login, demoPage, visit, workerAndBrowser } from "./browser.mjs";

const [ANA, BEN] = AGENTS;
const UNKNOWN = "Can you tell me a joke about penguins?";

const ctx = workerAndBrowser();

const page = (name) => newPage(ctx.browser, name);
const agentLogin = (p, agent) => login(p, agent, ctx.w.base);

test("visitor and agent through a whole handover, with a reload in the middle", async () => {
  const agent = await page("agent");
  await agentLogin(agent, ANA);

  const { visitor, chat, open, say } = await demoPage(ctx.browser, "visitor", ctx.w.base);
  // Nothing of the widget but the loader is fetched before the bubble is clicked.
  const early = [];
  visitor.on("request", (r) => { if (r.url().includes("/widget/pkg/")) early.push(r.url()); });
  await visitor.waitForTimeout(300);
  assert.deepEqual(early, [], "the widget loads only when opened");
  await open();

  // Flow 2: the assistant answers what it knows and hands over what it does not.
  await say("how long does shipping take?");
  await chat.locator(".msg.assistant").filter({ hasText: "business day" }).waitFor();
  await visitor.shot("01-visitor-assistant-answer.png");
  await say(UNKNOWN);
  await chat.locator(".msg.system").filter({ hasText: "Connecting you to a person" }).waitFor();
  await visitor.shot("02-visitor-handover.png");

  // It shows up in the inbox without a reload.
  const item = agent.locator("#queue li[data-conversation]").filter({ hasText: UNKNOWN });
  await item.waitFor();
  await agent.shot("03-inbox-pending.png");

  // Flow 3: Ana claims; a second agent is refused with Ana's name.
  await item.locator("button.claim").click();
  await chat.locator(".msg.system").filter({ hasText: "Ana has joined the conversation." }).waitFor();
  const ben = await page("ben");
  await agentLogin(ben, BEN);
  await ben.locator("#tab-all").click();
  await ben.locator("#queue li[data-conversation]").filter({ hasText: UNKNOWN }).locator("button.open").click();
  await ben.locator("#messages .msg.visitor").filter({ hasText: UNKNOWN }).waitFor();
  assert.equal(await ben.locator("#claim").isVisible(), false, "no claim button on a held conversation");
  assert.equal(await ben.locator("#reply-text").isDisabled(), true, "only the holder can reply");
  await ben.shot("04-second-agent-sees-holder.png");

  // The claimed conversation left Ana's pending tab for her own.
  await agent.locator("#tab-mine").click();
  await agent.locator("#queue li[data-conversation]").filter({ hasText: UNKNOWN }).locator("button.open").click();
  await agent.locator("#messages .msg.visitor").filter({ hasText: UNKNOWN }).waitFor();
  const reply = agent.locator("#reply-text");
  // Each side sees the other typing; the visitor's indicator goes when Ana's words come.
  await reply.pressSequentially("Hi, I'm Ana.");
  const anaTyping = chat.locator(".typing").filter({ hasText: "Ana is typing…" });
  await anaTyping.waitFor();
  await visitor.shot("05a-visitor-sees-ana-typing.png");
  await reply.fill("Hi, I'm Ana. Penguins don't do stand-up, but I can help with your order.");
  await reply.press("Enter");
  await anaTyping.waitFor({ state: "hidden" });
  // Typing is signalled at most every 3 s, so type for longer than that.
  await chat.locator("textarea[name=text]").pressSequentially("Ha, well", { delay: 500 });
  await agent.locator("#typing").waitFor();
  await chat.locator(".msg.agent").filter({ hasText: "Penguins don't do stand-up" }).waitFor();
  await say("Ha. Where is my package?");
  await agent.locator("#messages .msg.visitor").filter({ hasText: "Where is my package?" }).waitFor();
  await visitor.shot("05-visitor-chatting-with-ana.png");
  await agent.shot("06-inbox-conversation.png");

  // Flow 4: a reload keeps the conversation and its whole history, and it goes on.
  const before = await chat.locator(".msg[data-seq]").evaluateAll((ms) => ms.map((m) => m.dataset.seq));
  await visitor.reload();
  await chat.locator(".msg.agent").filter({ hasText: "Penguins don't do stand-up" }).waitFor();
  await chat.locator(`.msg[data-seq="${before.at(-1)}"]`).waitFor();
  const afterReload = await chat.locator(".msg[data-seq]").evaluateAll((ms) => ms.map((m) => m.dataset.seq));
  assert.deepEqual(afterReload, before, "the same messages, once each, in order");
  await say("Still there after my reload?");
  await agent.locator("#messages .msg.visitor").filter({ hasText: "Still there after my reload?" }).waitFor();
  assert.equal(await chat.locator(".msg.assistant").filter({ hasText: "Where is my package" }).count(), 0);
  await visitor.shot("07-visitor-after-reload.png");

  // Ana ends the handover; the assistant is back.
  await agent.locator("#end").click();
  await chat.locator(".msg.system").filter({ hasText: "back with the assistant" }).waitFor();
  await say("Do you offer free shipping?");
  await chat.locator(".msg.assistant").filter({ hasText: "$50" }).waitFor();
  await visitor.shot("08-visitor-back-with-assistant.png");
  const texts = await chat.locator(".msg .text").allTextContents();
  assert.equal(new Set(await chat.locator(".msg[data-seq]").evaluateAll((ms) => ms.map((m) => m.dataset.seq))).size,
    await chat.locator(".msg[data-seq]").count(), "no message shown twice");
  assert.ok(texts.includes(UNKNOWN));
});

/** How the widget's parts look: what a page's styles would change if they got in. */
async function widgetLooks(chat) {
  const props = ["font-family", "color", "background-color", "border-top-style", "text-transform", "letter-spacing"];
  const out = {};
  // A visitor's message once stored (one waiting to be sent is drawn apart on purpose).
  for (const part of [".bubble", "textarea[name=text]", "form button[type=submit]", ".msg.visitor[data-seq]"]) {
    out[part] = await chat.locator(part).first().evaluate((n, ps) => {
      const cs = getComputedStyle(n);
      return Object.fromEntries(ps.map((k) => [k, cs.getPropertyValue(k)]));
    }, props);
  }
  return out;
}

test("the widget keeps the host page's styles out and renders text, not HTML", async () => {
  const { visitor, chat, open, say } = await demoPage(ctx.browser, "visitor-html", ctx.w.base);
  await open();
  await say("<img src=x onerror=\"document.title='pwned'\"> <b>bold?</b>");
  const msg = chat.locator(".msg.visitor").filter({ hasText: "<b>bold?</b>" });
  assert.equal(await msg.locator("img, b").count(), 0);
  assert.notEqual(await visitor.title(), "pwned");
  await visitor.shot("09-visitor-text-not-html.png");

  // demoPage is the shop under the worst styles (www/test/hostile.html); on the plain
  // demo shop (www/index.html) the chat looks the same, computed style by style.
  const looks = await widgetLooks(chat);
  const plainPage = await newPage(ctx.browser, "visitor-plain");
  const plainShop = await visit(plainPage, `${ctx.w.base}/`);
  await plainShop.open();
  await plainShop.say("Hello from the plain demo shop");
  const plain = await widgetLooks(plainShop.chat);
  assert.ok(!/Georgia/.test(looks["textarea[name=text]"]["font-family"]), "the page's font stays out");
  assert.notEqual(looks["form button[type=submit]"]["background-color"], "rgb(122, 46, 142)", "the page's buttons stay out");
  assert.deepEqual(looks, plain, "the widget looks the same on both pages");
  await plainPage.shot("09-visitor-plain-demo.png");
});

test("the runtime restarts mid-conversation: the widget catches up, and what was written meanwhile is stored once", async () => {
  const { visitor, chat, open, say } = await demoPage(ctx.browser, "visitor-restart", ctx.w.base);
  await open();
  await say("How long does shipping take?");
  await chat.locator(".msg.assistant").filter({ hasText: "business day" }).waitFor();

  // The runtime goes away; the widget says so (the header at once, the red line once a
  // retry has failed), and keeps what the visitor writes.
  await ctx.w.stop();
  await chat.locator(".status").filter({ hasText: "Reconnecting…" }).waitFor();
  await chat.locator(".error").filter({ hasText: "Can't reach the chat — retrying…" }).waitFor();
  const meanwhile = "Are you still there? I asked about shipping.";
  const input = chat.locator("textarea[name=text]");
  await input.fill(meanwhile);
  await input.press("Enter");
  const pending = chat.locator(".msg.visitor.pending").filter({ hasText: meanwhile });
  await pending.waitFor();
  await visitor.shot("16-visitor-offline.png");

  // Back on the same port with the same storage: the widget reconnects by itself, sends
  // what it held, and the conversation goes on.
  ctx.w = await startWorker(ctx.w.stateDir, ctx.w.port);
  await chat.locator(".msg.visitor[data-seq]").filter({ hasText: meanwhile }).waitFor();
  await chat.locator(".error").waitFor({ state: "hidden" });
  await say("Do you ship internationally?");
  await chat.locator(".msg.assistant").filter({ hasText: "Canada" }).waitFor();
  await visitor.shot("17-visitor-after-restart.png");

  const shown = await chat.locator(".msg.visitor").allTextContents();
  assert.equal(shown.filter((t) => t.includes(meanwhile)).length, 1, "shown once");
  const conv = await visitor.evaluate(() => JSON.parse(localStorage.getItem("baton:conv:demo")));
  const history = await fetch(`${ctx.w.base}/api/conversations/${conv.id}/messages`,
    { headers: { authorization: `Bearer ${conv.token}` } }).then((r) => r.json());
  assert.equal(history.messages.filter((m) => m.text === meanwhile).length, 1, "stored once");
});
