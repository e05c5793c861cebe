// The dev set sent to a running Baton as visitors would send it, for
// `scripts/assistant-quality --live`: starts Baton on workerd alone (scripts/serve, fresh
// state, nobody online), loads the knowledge base into an assistant of its own, and asks
// each question in a new conversation over the public API. What happened to each is
// read from what the visitor was sent and from the handover record an admin reads; the
// routes are printed as JSON for the same report as the crate's run.
//   node tools/assistant-live.mjs SET.json KB.json|KB.csv > routed.json
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { AGENTS, api, importKnowledge, login, startServe } from "../tests/e2e/harness.mjs";

const [setFile, kbFile] = process.argv.slice(2);
if (!setFile || !kbFile) {
  console.error("usage: node tools/assistant-live.mjs SET.json KB.json|KB.csv");
  process.exit(2);
}
const cases = JSON.parse(readFileSync(setFile, "utf8")).cases;
const ASSISTANT = "quality";
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

const w = await startServe();
try {
  const admin = await login(w.base, AGENTS[0]);
  await importKnowledge(w, admin, ASSISTANT, resolve(kbFile));
  const entries = (await api(w.base, "GET", `/api/knowledge?assistant=${ASSISTANT}`, { token: admin.token })).body.entries;
  const byAnswer = new Map(entries.map((e) => [e.answer.trim(), e]));

  const routed = [];
  for (const { q } of cases) {
    const conv = (await api(w.base, "POST", "/api/conversations", { body: { assistant: ASSISTANT } })).body;
    const sent = await api(w.base, "POST", `/api/conversations/${conv.id}/messages`, { token: conv.token, body: { text: q } });
    if (sent.status !== 201) throw new Error(`${q}: ${sent.status} ${JSON.stringify(sent.body)}`);
    // The assistant answers within the event; a handover (nobody is online, so it ends at
    // once) is reported to the workspace just after it: an answer that is a handover
    // step waits for its record too.
    let record, reply, entry;
    const settled = () => (reply ? !entry?.handover || record : record);
    for (let i = 0; i < 100 && !settled(); i += 1) {
      if (i) await sleep(50);
      const history = (await api(w.base, "GET", `/api/conversations/${conv.id}/messages?after=0`, { token: conv.token })).body.messages;
      reply = history.find((m) => m.author.role === "assistant");
      entry = reply && byAnswer.get(reply.text.trim());
      if (reply && !entry) throw new Error(`${q}: an answer that is no entry's: ${reply.text}`);
      const ended = (await api(w.base, "GET", "/api/handovers/ended", { token: admin.token })).body.entries;
      record = ended.find((e) => e.conversation_id === conv.id)?.handover;
    }
    let route;
    if (record?.trigger === "visitor_request") route = "person";
    else if (entry) route = { entry: entry.id, handover: record?.trigger === "explicit" };
    else if (record?.trigger === "unknown") route = "unknown";
    else throw new Error(`${q}: neither an answer nor a handover came of it`);
    routed.push({ q, route });
  }
  process.stdout.write(`${JSON.stringify({ base: "a running Baton (scripts/serve), over HTTP as a visitor", routed })}\n`);
} finally {
  await w.stop();
}
process.exit(0);
