// The widget by keyboard and screen reader (issue 15), on a desktop and a 390×844 phone:
// opened, used and closed by keyboard alone; on the phone's full-screen panel Tab and
// Shift+Tab stay inside the panel; each message enters the log (its live region) once;
// axe-core, run inside the widget's shadow root, finds nothing. Screenshots:
// tests/out/screenshots/a11y-*.png.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PHONE, page, visit, axeViolations, workerAndBrowser } from "./browser.mjs";

const s = workerAndBrowser();

/** Where the focus is: inside the widget's panel, on its bubble, or on the page. */
const focusIn = (p) => p.evaluate(() => {
  const host = document.getElementById("baton-chat");
  if (document.activeElement !== host) return `page:${document.activeElement?.tagName}`;
  const a = host.shadowRoot.activeElement;
  if (a?.closest(".panel")) return "panel";
  return a?.classList.contains("bubble") ? "bubble" : `shadow:${a?.tagName}`;
});

/** Counts, from now on, each time an element holding `text` is put into the log. */
const countInsertions = (p, text) => p.evaluate((text) => {
  const log = document.getElementById("baton-chat").shadowRoot.querySelector(".log");
  window.__inserted = 0;
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.textContent.includes(text)) window.__inserted++;
  }).observe(log, { childList: true, subtree: true });
}, text);

for (const [label, viewport] of [["desktop", null], ["phone", PHONE]]) {
  test(`${label}: by keyboard alone, each message announced once, axe-core clean`, async () => {
    const p = await page(s.browser, `a11y-${label}`);
    if (viewport) await p.setViewportSize(viewport);
    const { chat, input } = await visit(p, `${s.w.base}/`);
    // The bubble is reached with Tab from the page, opened with Enter.
    await chat.locator(".bubble").focus();
    await p.keyboard.press("Enter");
    await input.waitFor();
    assert.equal(await focusIn(p), "panel", "opening puts the focus in the panel");
    await chat.locator(".status").filter({ hasText: "Assistant" }).waitFor();
    assert.deepEqual(await axeViolations(p, "#baton-chat"), [], "axe: the open panel");

    await countInsertions(p, "Where is my order?");
    await p.keyboard.type("Where is my order?");
    await p.keyboard.press("Enter");
    const mine = chat.locator(".msg.visitor:not(.pending)").filter({ hasText: "Where is my order?" });
    await mine.waitFor();
    await chat.locator(".msg.assistant").first().waitFor();
    assert.equal(await p.evaluate(() => window.__inserted), 1, "the visitor's message entered the log once");
    assert.equal(await chat.locator(".log").getAttribute("aria-live"), "polite");
    assert.deepEqual(await axeViolations(p, "#baton-chat"), [], "axe: with messages");
    await p.shot(`a11y-chat-${label}.png`);

    if (viewport) {
      // Full screen: the page's links are behind the panel, and Tab never reaches them.
      for (let i = 0; i < 12; i++) {
        await p.keyboard.press("Tab");
        assert.equal(await focusIn(p), "panel", `Tab ${i + 1} stays in the panel`);
      }
      for (let i = 0; i < 12; i++) {
        await p.keyboard.press("Shift+Tab");
        assert.equal(await focusIn(p), "panel", `Shift+Tab ${i + 1} stays in the panel`);
      }
    } else {
      // On a desktop the panel sits beside the page, which stays in reach.
      let left = false;
      for (let i = 0; i < 12 && !left; i++) {
        await p.keyboard.press("Tab");
        left = (await focusIn(p)) !== "panel";
      }
      assert.ok(left, "Tab goes on to the page from the panel's last control");
      await input.focus();
    }
    // Escape closes it and gives the focus back to the bubble.
    await p.keyboard.press("Escape");
    await chat.locator(".panel").waitFor({ state: "hidden" });
    assert.equal(await focusIn(p), "bubble");
    await p.context().close();
  });
}
