// Leaving a message in the widget when nobody is available (issue 15), on a desktop and a
// 390×844 phone: after "no one is available" the widget offers an email and a message;
// what is left waits for the team; an agent's later reply is there when the visitor comes
// back in the same browser. axe-core finds nothing. Screenshots:
// tests/out/screenshots/offline-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { AGENTS, api, goOnline, login } from "../e2e/harness.mjs";
import { PHONE, page, visit, axeViolations, workerAndBrowser } from "./browser.mjs";

const s = workerAndBrowser();

for (const [label, viewport] of [["desktop", null], ["phone", PHONE]]) {
  test(`${label}: nobody available, the visitor leaves a message and later reads the reply`, async () => {
    const ana = await login(s.w.base, AGENTS[0]);
    await goOnline(s.w.base, ana, "offline");
    const p = await page(s.browser, `offline-${label}`);
    if (viewport) await p.setViewportSize(viewport);
    const { chat, open, say, system } = await visit(p, `${s.w.base}/`);
    await open();
    await say("I want to talk to a person");
    await system("no one is available");
    const form = chat.locator(".extra form.leave");
    await form.waitFor();
    assert.equal(await form.getByText("Nobody can answer right now.").isVisible(), true);
    assert.deepEqual(await axeViolations(p, "#baton-chat"), [], "axe: the form to leave a message");
    await p.shot(`offline-form-${label}.png`);

    await form.getByRole("button", { name: "Send message" }).click();
    await chat.locator(".error").filter({ hasText: "Please fill in your email." }).waitFor();
    await form.getByLabel("Your email").fill("rosa@example.com");
    await form.getByLabel("Your message").fill("Can you repair a torn tent fly?");
    await form.getByRole("button", { name: "Send message" }).click();
    await chat.locator(".msg.visitor").filter({ hasText: "Can you repair a torn tent fly?" }).waitFor();
    await system("your message is with the team");
    await form.waitFor({ state: "detached" });
    await chat.locator(".status").filter({ hasText: "Waiting for a person" }).waitFor();
    await p.shot(`offline-left-${label}.png`);

    // The team answers later; the visitor comes back to the page.
    const conv = await p.evaluate(() => JSON.parse(localStorage.getItem("baton:conv:demo")));
    const queue = await api(s.w.base, "GET", "/api/queue", { token: ana.token });
    const entry = queue.body.entries.find((e) => e.conversation_id === conv.id);
    assert.equal(entry?.handover.trigger, "offline_message");
    assert.equal(entry.handover.form.email, "rosa@example.com");
    await goOnline(s.w.base, ana);
    assert.equal((await api(s.w.base, "POST", `/api/conversations/${conv.id}/claim`, { token: ana.token })).status, 200);
    await api(s.w.base, "POST", `/api/conversations/${conv.id}/messages`, { token: ana.token, body: { text: "Yes, bring it to any shop." } });
    await api(s.w.base, "POST", `/api/conversations/${conv.id}/end`, { token: ana.token });
    await p.reload();
    await chat.locator(".msg.agent").filter({ hasText: "Yes, bring it to any shop." }).waitFor();
    await p.shot(`offline-answered-${label}.png`);
    await goOnline(s.w.base, ana, "offline");
    await p.context().close();
  });
}
