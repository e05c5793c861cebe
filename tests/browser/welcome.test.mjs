// The welcome in the widget (issue 15), on a desktop and a 390×844 phone: a new chat opens
// with the assistant's greeting and a line on who answers, and, with an agent online, how
// the queue stands; a reload shows it once more, not twice; axe-core finds nothing.
// Screenshots: tests/out/screenshots/welcome-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AGENTS, configure, goOnline, login } from "../e2e/harness.mjs";
import { PHONE, page, visit, axeViolations, workerAndBrowser } from "./browser.mjs";

const s = workerAndBrowser();

for (const [label, viewport] of [["desktop", null], ["phone", PHONE]]) {
  test(`${label}: a new chat opens with the greeting, who answers and the queue`, async () => {
    const ana = await login(s.w.base, AGENTS[0]);
    await configure(s.w, ana, { messages: { welcome: "Hello from Trailhead! Ask about gear, orders or returns." } }, "demo");
    await goOnline(s.w.base, ana);
    const p = await page(s.browser, `welcome-${label}`);
    if (viewport) await p.setViewportSize(viewport);
    const { chat, open } = await visit(p, `${s.w.base}/`);
    await open();
    const greeting = chat.locator(".msg.assistant").filter({ hasText: "Hello from Trailhead!" });
    await greeting.waitFor();
    await chat.locator(".msg.system").filter({ hasText: "The assistant answers right away; a person can take over." }).waitFor();
    await chat.locator(".msg.system").filter({ hasText: "Someone is online now, and nobody is waiting." }).waitFor();
    assert.equal(await chat.locator(".log .msg").first().textContent(), "Hello from Trailhead! Ask about gear, orders or returns.",
      "the greeting comes first");
    assert.deepEqual(await axeViolations(p, "#baton-chat"), [], "axe: the welcome");
    await p.shot(`welcome-${label}.png`);

    await p.reload(); // the chat reopens by itself on the conversation it knows
    await chat.locator(".status").filter({ hasText: "Assistant" }).waitFor();
    assert.equal(await greeting.count(), 1, "the greeting is shown once after a reload");
    await goOnline(s.w.base, ana, "offline");
    await configure(s.w, ana, {}, "demo");
    await p.context().close();
  });
}
