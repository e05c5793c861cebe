// A scripted visitor over the public protocol, as the widget speaks it.
import assert from "node:assert/strict";
import { api, socket } from "./harness.mjs";

let counter = 0;

export async function newConversation(base) {
  const res = await api(base, "POST", "/api/conversations", { body: {} });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body; // {id, token}
}

export async function connect(base, conv, after = 0) {
  // What this visitor said, by client_id: the server acknowledges it with its seq only,
  // and, as the widget does, the visitor then has it as a stored message of its own.
  const said = new Map();
  const stored = (f) => (f.type === "ack" && said.has(f.client_id)
    ? [{ type: "message", seq: f.seq, author: { role: "visitor" }, text: said.get(f.client_id), client_id: f.client_id }]
    : []);
  const s = await socket(base, `/api/conversations/${conv.id}/ws?token=${conv.token}&after=${after}`, stored);
  s.say = (text) => {
    const client_id = `c${process.pid}-${++counter}`;
    said.set(client_id, text);
    s.send({ type: "send", client_id, text });
    return client_id;
  };
  /** Says `text` and waits until it is stored (its ack, as a message of its own). */
  s.ask = async (text, ms) => {
    const id = s.say(text);
    return s.next((f) => f.type === "message" && f.client_id === id, ms);
  };
  return s;
}

/**
 * A visitor who asked for a person and whom `agent` (a login, online) took: the
 * conversation and the visitor's socket.
 */
export async function heldConversation(base, agent) {
  const conv = await newConversation(base);
  const v = await connect(base, conv);
  await v.ask("I want to talk to a human");
  await v.next((f) => f.type === "state" && f.mode === "pending");
  const claim = await api(base, "POST", `/api/conversations/${conv.id}/claim`, { token: agent.token });
  assert.equal(claim.status, 200, JSON.stringify(claim.body));
  await v.next((f) => f.type === "state" && f.mode === "assigned");
  return { conv, v };
}

/** A POST to one of the conversation's routes as `who`: an agent's login, or `v.conv` for the visitor. */
export const act = (base, v, route, who, body) =>
  api(base, "POST", `/api/conversations/${v.conv.id}/${route}`, { token: who.token, body });

/**
 * A visitor of `assistant` who said `text` and now waits for a person: the socket, with
 * the conversation as `conv`.
 */
export async function waitingVisitor(base, assistant, text) {
  const res = await api(base, "POST", "/api/conversations", { body: { assistant } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const v = await connect(base, res.body);
  v.conv = res.body;
  await v.ask(text);
  await v.next((f) => f.type === "state" && f.mode === "pending");
  return v;
}

/** The holder `agent` replies `text`; resolves once visitor `v` has it. */
export async function agentReply(base, v, agent, text) {
  const res = await act(base, v, "messages", agent, { text, client_id: `${text}-${Date.now()}` });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  await v.next(byRole("agent", (f) => f.text === text));
}

export const byRole = (role, test = () => true) =>
  (f) => f.type === "message" && f.author.role === role && test(f);

export const after = (seq, match) => (f) => f.type === "message" && f.seq > seq && match(f);
