// Starts the real Worker on workerd (wrangler dev, built bundle) on a free port with its
// own storage, and gives tests small HTTP and WebSocket clients for the protocol.
import { spawn } from "node:child_process";
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

/** Demo agents plus 20 more for the concurrent-claim test. */
export const AGENTS = [
  { email: "ana@trailhead.test", name: "Ana", password: "pw-ana" },
  { email: "ben@trailhead.test", name: "Ben", password: "pw-ben" },
  ...Array.from({ length: 20 }, (_, i) => ({
    email: `agent${i}@trailhead.test`, name: `Agent ${i}`, password: `pw-${i}`,
  })),
];

/** Teams for routing tests: Ben is in both, Ana in neither. */
export const TEAMS = {
  billing: ["ben@trailhead.test"],
  soporte: ["ben@trailhead.test", "agent0@trailhead.test"],
};

export async function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once("error", fail);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** A fresh storage folder; pass it to two workers in turn to test a restart. */
export function freshState() {
  return mkdtempSync(join(tmpdir(), "baton-e2e-"));
}

const START_SECONDS = 180;

/**
 * A password as `AGENTS` holds it: what `scripts/hash-password` prints (PBKDF2-SHA256,
 * 100,000 iterations, a random salt).
 */
export function hashPassword(password) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, 100_000, 32, "sha256");
  return `pbkdf2-sha256.100000.${salt.toString("hex")}.${hash.toString("hex")}`;
}

/** `AGENTS` for `agents`: email:Name:hash entries. */
export const agentsSetting = (agents) => agents.map((a) => `${a.email}:${a.name}:${hashPassword(a.password)}`).join(";");

/** The test agents, admins and teams as the Worker reads them (README, "Configure"). */
const SECRETS = {
  AUTH_SECRET: "e2e-secret-0123456789abcdef",
  AGENTS: agentsSetting(AGENTS),
  ADMINS: AGENTS[0].email,
  TEAMS: Object.entries(TEAMS).map(([team, members]) => `${team}:${members.join(",")}`).join(";"),
};

/** The secret the test Workers sign tokens with, to forge one as an attacker who had it. */
export const AUTH_SECRET = SECRETS.AUTH_SECRET;

/** The test settings with `env`'s: more (WEBHOOK_URL…), or others, or, as `undefined`, fewer. */
function settings(env) {
  return Object.fromEntries(Object.entries({ ...SECRETS, ...env }).filter(([, v]) => v !== undefined));
}

/**
 * The Worker under `wrangler dev`, as `scripts/demo` runs it. `port`: a given one, to
 * restart the Worker where a page already points; `env`: settings changed (see `settings`).
 */
export async function startWorker(stateDir = freshState(), port = undefined, env = {}) {
  return onPort(port, (p) => startWorkerOn(stateDir, p, env));
}

/**
 * `start(port)` on `port`, or on a free one. A port found free can be taken before the
 * server binds it (an outgoing connection of the run gets it from the same range): then
 * another is picked, as a person would, up to 3 times.
 */
async function onPort(port, start) {
  if (port !== undefined) return start(port);
  for (let attempt = 1; ; attempt++) {
    try {
      return await start(await freePort());
    } catch (e) {
      if (attempt === 3 || !/Address already in use|EADDRINUSE/.test(String(e.message))) throw e;
    }
  }
}

async function startWorkerOn(stateDir, port, env) {
  // Asked for after `port` was let go, the kernel may hand out the same number.
  let inspector;
  do inspector = await freePort(); while (inspector === port);
  const envFile = join(stateDir, "test.env");
  writeFileSync(envFile, Object.entries(settings(env)).map(([k, v]) => `${k}=${v}\n`).join(""));
  const child = spawn("wrangler", [
    "dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspector),
    "--persist-to", join(stateDir, "do"), "--env-file", envFile,
    "--show-interactive-dev-session=false", "--log-level", "info",
  ], { cwd: join(ROOT, "worker"), stdio: ["ignore", "pipe", "pipe"], detached: true });
  return started("wrangler", child, port, stateDir);
}

/**
 * The Worker on workerd alone, as `scripts/serve` runs it for self-hosting. `envFile`:
 * the Worker's settings in a file (`--env-file`, quoted as systemd's EnvironmentFile
 * allows) rather than in the environment.
 */
export async function startServe(stateDir = freshState(), port = undefined, env = {}, options = {}) {
  return onPort(port, (p) => startServeOn(stateDir, p, env, options));
}

async function startServeOn(stateDir, port, env, { envFile = false }) {
  // Only the settings given: none of the Worker's comes from the test's own environment.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in SECRETS) && !k.startsWith("WEBHOOK_")));
  const where = { PORT: String(port), STATE: join(stateDir, "serve") };
  let vars = { ...inherited, ...settings(env), ...where };
  const args = [];
  if (envFile) {
    const file = join(stateDir, "baton.env");
    writeFileSync(file, ["# written by tests/e2e/harness.mjs", ...Object.entries(settings(env)).map(([k, v]) => `${k}="${v}"`)].join("\n") + "\n");
    args.push("--env-file", file);
    vars = { ...inherited, ...where };
  }
  const child = spawn(join(ROOT, "scripts/serve"), args,
    { cwd: ROOT, env: vars, stdio: ["ignore", "pipe", "pipe"], detached: true });
  return started("scripts/serve", child, port, stateDir);
}

/** The README's `scripts/serve` command, word for word but for the port and the state folder. */
export async function startReadmeServe(stateDir = freshState()) {
  const port = await freePort();
  const command = readmeServeCommand()
    .replace(/\bPORT=\S+/, `PORT=${port}`)
    .replace(/\bSTATE=\S+/, `STATE=${join(stateDir, "serve")}`);
  // The environment of a fresh shell: nothing of the tests' settings.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !(k in SECRETS)));
  const child = spawn("bash", ["-c", command], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  return { ...(await started("README's scripts/serve", child, port, stateDir)), command };
}

/** The shell command of README's "Self-host" section that runs scripts/serve. */
export function readmeServeCommand() {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Self-host"));
  const block = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]).find((b) => b.includes("scripts/serve"));
  if (!block) throw new Error("README.md has no scripts/serve command under \"Self-host\"");
  return block.replace(/\\\n/g, " ").trim();
}

/** Waits for a Worker process to answer on `port`; output is shown only if it fails. */
async function started(what, child, port, stateDir) {
  let log = "";
  child.stdout.on("data", (d) => { log += d; });
  child.stderr.on("data", (d) => { log += d; });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid, "SIGTERM");
    // scripts/serve stops within 10 s whatever is open (README, "Run it as a service").
    const timer = setTimeout(() => { try { process.kill(-child.pid, "SIGKILL"); } catch {} }, 10_000);
    await exited;
    clearTimeout(timer);
  };
  const base = `http://127.0.0.1:${port}`;
  // The first start on a fresh, busy machine has been seen to take over a minute; a
  // failed start stops the process, or its pipes would keep the test process alive.
  const deadline = Date.now() + START_SECONDS * 1000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited:\n${log}`);
    try {
      // The first request waits for workerd to compile the wasm: seconds, not milliseconds.
      const res = await fetch(`${base}/api/ping`, { signal: AbortSignal.timeout(30_000) });
      // The Worker's own JSON (a 404, or the error of a misconfigured setting): it is up.
      if ((res.headers.get("content-type") ?? "").startsWith("application/json")) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${what} did not start in ${START_SECONDS} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { base, port, stateDir, stop, log: () => log };
}

export async function api(base, method, path, { token, body, origin } = {}) {
  const headers = {};
  // As a browser names the page's site; Node's fetch lets a test set it.
  if (origin) headers.origin = origin;
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(base + path, {
    method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = text; }
  return { status: res.status, body: json };
}

export async function login(base, agent) {
  const res = await api(base, "POST", "/api/login", { body: { email: agent.email, password: agent.password } });
  if (res.status !== 200) throw new Error(`login ${agent.email}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body; // {token, agent}
}

export async function goOnline(base, session, status = "online") {
  const res = await api(base, "PUT", "/api/presence", { token: session.token, body: { status } });
  if (res.status !== 200) throw new Error(`presence: ${res.status} ${JSON.stringify(res.body)}`);
}

/**
 * A WebSocket that collects frames and lets a test wait for one that matches. `expand`
 * may add frames of its own after each one received (as a client would show them).
 */
export async function socket(base, path, expand = () => []) {
  const ws = new WebSocket(base.replace(/^http/, "ws") + path);
  const frames = [];
  const waiters = [];
  ws.addEventListener("message", (e) => {
    if (e.data === "pong") return; // the workspace's answer to an inbox's ping
    const received = JSON.parse(e.data);
    for (const frame of [received, ...expand(received)]) {
      frames.push(frame);
      for (const w of [...waiters]) {
        if (w.match(frame)) { waiters.splice(waiters.indexOf(w), 1); w.ok(frame); }
      }
    }
  });
  await new Promise((ok, fail) => {
    ws.addEventListener("open", ok, { once: true });
    ws.addEventListener("error", () => fail(new Error(`WebSocket ${path} failed`)), { once: true });
  });
  return {
    ws,
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    /**
     * Resolves with the first frame, seen or still to come, for which match is true. The
     * wait only bounds a failure: CI machines have run these tests ten times slower
     * than a developer's, so it is generous.
     */
    next(match, ms = 30_000) {
      const seen = frames.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((ok, fail) => {
        const w = { match, ok };
        waiters.push(w);
        setTimeout(() => {
          if (waiters.includes(w)) {
            waiters.splice(waiters.indexOf(w), 1);
            fail(new Error(`no matching frame in ${ms} ms; got ${JSON.stringify(frames)}`));
          }
        }, ms);
      });
    },
    close: () => ws.close(),
  };
}

export const messages = (s) => s.frames.filter((f) => f.type === "message");

/**
 * An agent's inbox socket. The server sends the whole queue on connect, then one `entry`
 * or `removed` per change; after each, as the inbox does, this adds the queue it now
 * shows as a frame `{type: "queue", entries, shown: true}`.
 */
export async function inboxSocket(base, session) {
  let shown = [];
  const view = (f) => {
    if (f.type === "entry") {
      shown = [...shown.filter((e) => e.conversation_id !== f.entry.conversation_id), f.entry]
        .sort((a, b) => a.handover.requested_at - b.handover.requested_at || (a.conversation_id < b.conversation_id ? -1 : 1));
    } else if (f.type === "removed") {
      shown = shown.filter((e) => e.conversation_id !== f.conversation_id);
    } else {
      if (f.type === "queue") shown = f.entries;
      return [];
    }
    return [{ type: "queue", entries: shown, shown: true }];
  };
  const s = await socket(base, `/api/inbox/ws?token=${session.token}`, view);
  // As the inbox does: a ping every 10 s, or the workspace counts the socket dead.
  const beat = setInterval(() => { if (s.ws.readyState === WebSocket.OPEN) s.ws.send("ping"); }, 10_000);
  s.ws.addEventListener("close", () => clearInterval(beat));
  return s;
}

/**
 * Puts an assistant's settings back to what the worker started with, then applies `patch`
 * (`PUT /api/settings` changes only the fields it names). `admin` is a login from ADMINS;
 * `assistant` is the default one unless named (the demo page's is `demo`).
 */
export async function configure(w, admin, patch = {}, assistant = "default") {
  const path = `/api/settings?assistant=${assistant}`;
  if (!w.defaults) {
    const res = await api(w.base, "GET", path, { token: admin.token });
    if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`);
    w.defaults = res.body;
  }
  for (const body of [w.defaults, patch]) {
    const res = await api(w.base, "PUT", path, { token: admin.token, body });
    if (res.status !== 200) throw new Error(`settings: ${res.status} ${JSON.stringify(res.body)}`);
  }
}

/**
 * Loads a knowledge base file into `assistant`, as an owner does: the whole of it,
 * replacing what was there. `file` is a path from the repo's root (JSON, or CSV by its
 * extension).
 */
export async function importKnowledge(w, admin, assistant, file) {
  const res = await fetch(`${w.base}/api/knowledge/import?assistant=${assistant}`, {
    method: "POST",
    headers: { authorization: `Bearer ${admin.token}`, "content-type": file.endsWith(".csv") ? "text/csv" : "application/json" },
    body: readFileSync(resolve(ROOT, file), "utf8"),
  });
  if (res.status !== 200) throw new Error(`importing ${file}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * A worker with the three agents most tests use (Ana, Ben, Agent 0) logged in, and
 * `onlyOnline(...sessions)`, which puts those online and the other two offline.
 */
export async function startWithAgents() {
  const w = await startWorker();
  const [ana, ben, agent0] = await Promise.all(AGENTS.slice(0, 3).map((a) => login(w.base, a)));
  const onlyOnline = async (...sessions) => {
    for (const s of [ana, ben, agent0]) await goOnline(w.base, s, sessions.includes(s) ? "online" : "offline");
  };
  return { w, ana, ben, agent0, onlyOnline };
}
