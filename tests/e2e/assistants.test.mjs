// Issue 11 against the real Worker: the workspace's list of assistants (add one, see it
// listed, with those already configured), and the settings' defaults the settings page
// shows; admins only.
import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { startWithAgents, api, configure } from "./harness.mjs";

let w, ana, ben;

before(async () => {
  ({ w, ana, ben } = await startWithAgents());
});
afterAll(async () => { await w?.stop(); });

/** Ana is an admin (ADMINS), Ben is not. */
const list = (who) => api(w.base, "GET", "/api/assistants", { token: who?.token });
const add = (who, body) => api(w.base, "POST", "/api/assistants", { token: who?.token, body });
const ids = async () => {
  const r = await list(ana);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.assistants.map((a) => a.id);
};

test("the list starts with default and demo; only an admin reads it or adds to it", async () => {
  const r = await list(ana);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body, { assistants: [{ id: "default", added_at: null }, { id: "demo", added_at: null }] });

  const refused = await list(ben);
  assert.equal(refused.status, 403);
  assert.match(refused.body.message, /admin/);
  assert.equal((await list(undefined)).status, 401);
  const notAdded = await add(ben, { id: "bens" });
  assert.equal(notAdded.status, 403);
  assert.equal((await add(undefined, { id: "nobodys" })).status, 401);
  assert.deepEqual(await ids(), ["default", "demo"], "nothing refused was added");
});

test("an admin adds an assistant by its id; a bad id or one listed already is refused with why", async () => {
  const before = Date.now();
  const added = await add(ana, { id: "shop" });
  assert.equal(added.status, 201, JSON.stringify(added.body));
  assert.equal(added.body.id, "shop");
  assert.ok(added.body.added_at >= before && added.body.added_at <= Date.now(), JSON.stringify(added.body));
  const listed = (await list(ana)).body.assistants;
  assert.deepEqual(listed.find((a) => a.id === "shop"), added.body);

  for (const id of ["shop", "default", "demo"]) {
    const again = await add(ana, { id });
    assert.equal(again.status, 409, `${id}: ${JSON.stringify(again.body)}`);
    assert.equal(again.body.error, "conflict");
    assert.match(again.body.message, new RegExp(`assistant "${id}" already`));
  }
  for (const [body, why] of [
    [{ id: "my shop" }, /not an assistant id: 1 to 64 letters, digits, - and _/],
    [{ id: "" }, /not an assistant id/],
    [{ id: "x".repeat(65) }, /not an assistant id/],
    [{ name: "shop" }, /not a valid new assistant.*id/],
    ["not json", /not a valid new assistant/],
  ]) {
    const bad = await add(ana, body);
    assert.equal(bad.status, 400, `${JSON.stringify(body)}: ${JSON.stringify(bad.body)}`);
    assert.equal(bad.body.error, "bad_request");
    assert.match(bad.body.message, why);
  }
  assert.deepEqual(await ids(), ["default", "demo", "shop"], "only shop was added, once");

  // Its settings start at the defaults, and a widget conversation can be started with it.
  const settings = await api(w.base, "GET", "/api/settings?assistant=shop", { token: ana.token });
  assert.equal(settings.status, 200);
  const started = await api(w.base, "POST", "/api/conversations", { body: { assistant: "shop" } });
  assert.equal(started.status, 201, JSON.stringify(started.body));
});

test("assistants an admin configured or taught without adding them are listed too", async () => {
  await configure(w, ana, { rating: false }, "configured");
  const imported = await api(w.base, "POST", "/api/knowledge/entries?assistant=taught", {
    token: ana.token, body: { questions: ["Are you open on Sunday?"], answer: "No." },
  });
  assert.equal(imported.status, 201, JSON.stringify(imported.body));
  const listed = (await list(ana)).body.assistants;
  assert.deepEqual(listed.map((a) => a.id), ["default", "demo", "configured", "shop", "taught"]);
  assert.equal(listed.find((a) => a.id === "configured").added_at, null);
  // Listed, so adding it is refused like any other listed one.
  assert.equal((await add(ana, { id: "taught" })).status, 409);
});

test("the settings' defaults and each message's placeholders, for the settings page; admins only", async () => {
  const r = await api(w.base, "GET", "/api/settings/defaults", { token: ana.token });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const fresh = await api(w.base, "GET", "/api/settings?assistant=never-configured", { token: ana.token });
  assert.deepEqual(r.body.settings, fresh.body, "the defaults are what an unconfigured assistant has");
  assert.equal(r.body.settings.messages.dont_know, "Sorry, I don't know the answer to that.");
  assert.deepEqual(Object.keys(r.body.placeholders).sort(), Object.keys(r.body.settings.messages).sort());
  assert.deepEqual(r.body.placeholders.queue_position, ["{position}"]);
  assert.deepEqual(r.body.placeholders.agent_assigned, ["{agent}"]);
  assert.deepEqual(r.body.placeholders.suggestions, ["{suggestions}"]);
  assert.deepEqual(r.body.placeholders.handover, []);

  assert.equal((await api(w.base, "GET", "/api/settings/defaults", { token: ben.token })).status, 403);
  assert.equal((await api(w.base, "GET", "/api/settings/defaults")).status, 401);
});
