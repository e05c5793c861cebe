// Chromium for the browser tests: Debian's, with nothing reaching beyond localhost, and
// the inbox's sign-in as an agent does it. Screenshots go to tests/out/screenshots.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { ROOT } from "../e2e/harness.mjs";

const SHOTS = join(ROOT, "tests/out/screenshots");

export async function launch() {
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    // Without the background-networking flags Chromium keeps dialling Google's hosts,
    // which this machine's closed network refuses.
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
  });
}

/** A page in a context of its own (its own storage), logging the page's errors. */
export async function page(browser, name) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
  // Waits only bound a failure; CI machines have run ten times slower than a laptop.
  context.setDefaultTimeout(90_000);
  const p = await context.newPage();
  p.on("pageerror", (e) => console.log(`[${name} pageerror]`, e.message));
  p.on("console", (m) => { if (m.type() === "error") console.log(`[${name} console]`, m.text()); });
  p.shot = (file) => p.screenshot({ path: join(SHOTS, file) });
  return p;
}

export async function agentLogin(p, agent, base) {
  await p.goto(`${base}/inbox/`);
  await p.locator("#login input[name=email]").fill(agent.email);
  await p.locator("#login input[name=password]").fill(agent.password);
  await p.locator("#login button[type=submit]").click();
  await p.locator("#agent-name").filter({ hasText: agent.name }).waitFor();
  await p.locator("#presence").selectOption("online");
}

/**
 * The demo shop as a visitor: `open()` clicks the bubble and waits for the message box;
 * `say(text)` sends and waits for the visitor's own message in the log; `system(text)`
 * waits for a notice containing it.
 */
export async function demoPage(browser, name, base) {
  const visitor = await page(browser, name);
  await visitor.goto(`${base}/`);
  const chat = visitor.locator("#baton-chat");
  const input = chat.locator("textarea[name=text]");
  const open = async () => {
    await chat.locator(".bubble").click();
    await input.waitFor();
  };
  const say = async (text) => {
    await input.fill(text);
    await input.press("Enter");
    await chat.locator(".msg.visitor").filter({ hasText: text }).last().waitFor();
  };
  const system = (text) => chat.locator(".msg.system").filter({ hasText: text }).last().waitFor();
  return { visitor, chat, input, open, say, system };
}
