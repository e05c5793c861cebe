// Issue 14's saved replies against the real Worker: the workspace's (admins write them,
// every agent reads them) and each agent's own (nobody else sees them), checked by
// shared's rules with errors by field, and the limit of one scope.
import { test, before, after as afterAll } from "node:test";
import assert from "node:assert/strict";
import { startWithAgents, api } from "./harness.mjs";

let w, ana, ben, agent0;

before(async () => {
  ({ w, ana, ben, agent0 } = await startWithAgents());
});
afterAll(async () => { await w?.stop(); });

const replies = (who, method, path = "", body) => api(w.base, method, `/api/replies${path}`, { token: who?.token, body });
const names = async (who) => (await replies(who, "GET")).body.replies.map((r) => `${r.scope}:${r.name}`).sort();

test("any agent reads the workspace's replies and their own; only admins write the workspace's", async () => {
  const shared = await replies(ana, "POST", "", { name: "/Shipping", text: "Hi {visitor_name}, {agent} here: we ship in 2 days.", scope: "workspace" });
  assert.equal(shared.status, 201, JSON.stringify(shared.body));
  assert.equal(shared.body.name, "shipping");
  assert.equal(shared.body.scope, "workspace");
  assert.equal(shared.body.owner, undefined);

  const refused = await replies(ben, "POST", "", { name: "returns", text: "x", scope: "workspace" });
  assert.equal(refused.status, 403, JSON.stringify(refused.body));
  assert.equal(refused.body.error, "forbidden");

  const own = await replies(ben, "POST", "", { name: "shipping", text: "Ben's own shipping words" });
  assert.equal(own.status, 201, "a personal name may repeat a workspace one");
  assert.equal(own.body.scope, "personal");
  assert.deepEqual(own.body.owner, ben.agent);

  const list = await replies(ben, "GET");
  assert.equal(list.status, 200);
  assert.deepEqual(list.body.placeholders, ["{visitor_name}", "{agent}"]);
  assert.deepEqual(await names(ben), ["personal:shipping", "workspace:shipping"]);
  assert.deepEqual(await names(agent0), ["workspace:shipping"], "another agent's reply is not listed");
  assert.equal((await replies(undefined, "GET")).status, 401);

  // Another agent's personal reply is as good as absent; the workspace's is the admins'.
  for (const [method, body] of [["PUT", { name: "mine", text: "x" }], ["DELETE"]]) {
    const other = await replies(agent0, method, `/${own.body.id}`, body);
    assert.equal(other.status, 404, `${method}: ${JSON.stringify(other.body)}`);
    const workspace = await replies(ben, method, `/${shared.body.id}`, body);
    assert.equal(workspace.status, 403, `${method}: ${JSON.stringify(workspace.body)}`);
  }
  assert.equal((await replies(ben, "PUT", `/${own.body.id}`, { name: "shipping", text: "x", scope: "workspace" })).status, 403,
    "an agent cannot move their reply to the workspace");

  const edited = await replies(ben, "PUT", `/${own.body.id}`, { name: "ship-eu", text: "To the EU: 5 days, {agent}." });
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  assert.equal(edited.body.name, "ship-eu");
  const moved = await replies(ana, "PUT", `/${shared.body.id}`, { name: "shipping", text: "Hello {visitor_name}.", scope: "workspace" });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.equal((await replies(ben, "GET")).body.replies.find((r) => r.id === shared.body.id).text, "Hello {visitor_name}.");

  const gone = await replies(ben, "DELETE", `/${own.body.id}`);
  assert.equal(gone.status, 200);
  assert.equal(gone.body.name, "ship-eu");
  assert.equal((await replies(ben, "DELETE", `/${own.body.id}`)).status, 404);
  assert.equal((await replies(ben, "PUT", "/nope", { name: "a", text: "b" })).status, 404);
  assert.deepEqual(await names(ben), ["workspace:shipping"]);
});

test("a reply is checked field by field: a short unique name, one message of text, known placeholders", async () => {
  const bad = await replies(agent0, "POST", "", { name: "free shipping", text: "Hi {name} " + "x".repeat(4000) });
  assert.equal(bad.status, 400, JSON.stringify(bad.body));
  assert.equal(bad.body.error, "bad_request");
  const byField = bad.body.fields.map((f) => f.field).sort();
  assert.deepEqual(byField, ["name", "text", "text"]);
  assert.ok(bad.body.fields.some((f) => /\{name\} is not filled in; a reply can use \{visitor_name\}, \{agent\}/.test(f.problem)));
  assert.match(bad.body.message, /the saved reply was not changed/);

  assert.equal((await replies(agent0, "POST", "", { name: "thanks", text: "Thanks!" })).status, 201);
  const twice = await replies(agent0, "POST", "", { name: "/THANKS", text: "Thanks again" });
  assert.equal(twice.status, 400);
  assert.deepEqual(twice.body.fields, [{ field: "name", problem: "/thanks is taken in this scope; choose another" }]);
  const unknown = await replies(agent0, "POST", "", { name: "x", text: "y", owner: "ben" });
  assert.equal(unknown.status, 400, "an unknown field is refused");
  const emoji = await replies(agent0, "POST", "", { name: "emoji", text: "😀".repeat(4000) });
  assert.equal(emoji.status, 201, "4,000 characters are counted as characters, not UTF-16 units");
});

test("one scope holds at most 200 replies", async () => {
  for (let i = 0; i < 200; i++) {
    const r = await replies(ben, "POST", "", { name: `r${i}`, text: `reply ${i}` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const full = await replies(ben, "POST", "", { name: "one-more", text: "x" });
  assert.equal(full.status, 400, JSON.stringify(full.body));
  assert.equal(full.body.fields[0].field, "scope");
  assert.equal((await replies(agent0, "POST", "", { name: "one-more", text: "x" })).status, 201, "another agent's scope is apart");
  const edit = (await replies(ben, "GET")).body.replies.find((r) => r.name === "r0");
  assert.equal((await replies(ben, "PUT", `/${edit.id}`, { name: "r0", text: "edited" })).status, 200, "a full scope still takes edits");
});
