// Baton agent inbox: login, presence, the live queue, one open conversation, and for
// admins the knowledge page (knowledge.js). Wire types: shared/src/protocol.rs. No
// framework; scripts/build-inbox bundles these modules into www/inbox/app.js.

import { ApiError, createApi, LiveSocket, wsUrl } from './api.js';
import {
  assistantText, el, fillMessage, formText, holderText, messageItem, queueItem, statusLabel, transferText,
  triggerLabel, waitText,
} from './render.js';
import { announce, askPermission, unlockAudio } from './notify.js';
import { setupHandoverActions } from './transfer.js';
import { setupLearn } from './learn.js';
import { setupKnowledge } from './knowledge.js';
import { setupTeam } from './team.js';
import { setupAccount } from './account.js';
import { setupSettings } from './settings.js';
import { setupAnalytics } from './analytics.js';
import { setupReplies } from './replies.js';
import { setupNotes } from './notes.js';
import { setupVisitorPanel } from './visitor.js';

const STORE = 'baton:agent';
const $ = (sel) => document.querySelector(sel);

const ui = {
  topbar: $('#topbar'), conn: $('#conn'), agentName: $('#agent-name'), presence: $('#presence'),
  logout: $('#logout'), error: $('#error'), errorDismiss: $('#error-dismiss'),
  loginView: $('#login-view'), login: $('#login'), app: $('#app'),
  tabs: [...document.querySelectorAll('[role=tab]')], queue: $('#queue'), queuePanel: $('#queue-panel'), queueEmpty: $('#queue-empty'),
  conversation: $('#conversation'), convTitle: $('#conv-title'), convConn: $('#conv-conn'),
  closeConv: $('#close-conv'), summary: $('#summary'), claim: $('#claim'), end: $('#end'),
  messages: $('#messages'), reply: $('#reply'), text: $('#reply-text'),
  send: $('#reply button[type=submit]'), hint: $('#reply-hint'), count: $('#reply-count'), placeholder: $('#placeholder'),
  typing: $('#typing'), notice: $('#notice'),
  views: $('#views'), viewButtons: [...document.querySelectorAll('#views button[data-view]')],
};

/** {token, agent: {id, name}, presence} while signed in. */
let session = null;
/** The last queue frame: every open handover, oldest first. */
let entries = [];
/** Bumped on every queue frame, so a slower HTTP answer never overwrites a newer frame. */
let queueVersion = 0;
/** Keys of pending handovers already seen (null until the first frame). */
let seenPending = null;
let tab = 'pending';
let inboxSocket = null;
/** The open conversation: {id, state, msgs: Map<seq, Message>, sending: Map<client_id, li>, lastSeq, socket}. */
let conv = null;
let ticker = null;

const api = createApi({
  getToken: () => session?.token,
  onUnauthorized: (message) => signOut(message || 'Your session has ended. Please sign in again.'),
});

const me = () => session?.agent;
const enc = encodeURIComponent;

// ---------- errors ----------

function showError(message) {
  ui.error.textContent = message || '';
  ui.errorDismiss.hidden = !message;
}
const clearError = () => showError('');

/** Shows a failed call's message, except 401s (signOut already shows those). */
function report(err) {
  if (err instanceof ApiError && err.status === 401) return;
  showError(err?.message || String(err));
}

const handoverActions = setupHandoverActions({
  api, getConv: () => conv, me, left: leftHands, report, clearError,
});

const visitorPanel = setupVisitorPanel({
  panel: $('#visitor-panel'), title: ui.convTitle, api, entry: (id) => entryFor(id), me,
});

/** A word that something worked, read out by screen readers, gone after a while. */
let noticeTimer;
function notice(text) {
  clearTimeout(noticeTimer);
  ui.notice.textContent = text;
  noticeTimer = setTimeout(() => { ui.notice.textContent = ''; }, 8000);
}

const learn = setupLearn({
  api,
  onDone: (result) => {
    notice(result.published
      ? `Published in ${result.entry.id}: the assistant answers this from now on.`
      : 'Saved: an admin will publish it.');
    knowledge.refresh();
  },
});
const knowledge = setupKnowledge({ api, learn, report });

// ---------- views ----------

/**
 * The admins' pages, by the name their nav button carries (`data-view`): each module
 * builds its own page in its `#<name>-view` section and gives `show()` and `hide()`.
 * Anyone else has the inbox only.
 */
const adminViews = {
  knowledge,
  settings: setupSettings({ api, report, me }),
  team: setupTeam({ api, me, report }),
  analytics: setupAnalytics({ api, report, learn }),
};

function showView(name) {
  const shown = session?.admin && adminViews[name] ? name : 'inbox';
  for (const b of ui.viewButtons) b.setAttribute('aria-current', b.dataset.view === shown ? 'page' : 'false');
  ui.app.hidden = shown !== 'inbox';
  for (const [n, view] of Object.entries(adminViews)) if (n !== shown) view.hide();
  adminViews[shown]?.show();
}

for (const b of ui.viewButtons) b.addEventListener('click', () => showView(b.dataset.view));

// ---------- session ----------

function loadSession() {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORE));
    if (s?.token && s.agent?.id) return { presence: 'offline', ...s };
  } catch { /* nothing stored */ }
  return null;
}

function saveSession() {
  try {
    if (session) sessionStorage.setItem(STORE, JSON.stringify(session));
    else sessionStorage.removeItem(STORE);
  } catch { /* private mode */ }
}

function showLogin() {
  ui.topbar.hidden = true;
  ui.app.hidden = true;
  ui.loginView.hidden = false;
  document.title = 'Baton inbox';
  ui.login.elements.email.focus();
}

function showApp() {
  ui.loginView.hidden = true;
  ui.topbar.hidden = false;
  ui.app.hidden = false;
  ui.agentName.textContent = me().name;
  ui.views.hidden = !session.admin;
  for (const b of ui.viewButtons) b.hidden = b.dataset.view !== 'inbox' && !adminViews[b.dataset.view];
  showView('inbox');
  ui.presence.value = session.presence;
  document.body.dataset.presence = session.presence;
  entries = [];
  seenPending = null;
  renderQueue();
  refreshQueue();
  replies.load();
  inboxSocket = new LiveSocket(() => wsUrl(`/api/inbox/ws?token=${enc(session.token)}`), {
    heartbeat: true,
    onFrame: (f) => {
      if (f.type === 'queue') onQueue(f.entries ?? []);
      else if (f.type === 'entry') onQueue(withEntry(entries, f.entry));
      else if (f.type === 'removed') onQueue(entries.filter((e) => e.conversation_id !== f.conversation_id));
      else if (f.type === 'error') showError(f.message);
    },
    onStatus: (s) => setConn(ui.conn, s),
    onDrop: () => refreshQueue(),
  }).start();
  clearInterval(ticker);
  ticker = setInterval(tick, 5000);
}

/** Leaves the app (on sign-out or any 401) and shows the login form with `message`. */
function signOut(message) {
  if (!session) return;
  session = null;
  saveSession();
  inboxSocket?.stop();
  inboxSocket = null;
  closeConversation();
  clearInterval(ticker);
  entries = [];
  for (const view of Object.values(adminViews)) view.hide();
  replies.clear();
  showLogin();
  showError(message || '');
}

/** Starts a session with a login's answer (a sign-in, an invitation, a password change). */
function signedIn(res, message = '') {
  // The status the agent chose, as the workspace keeps it (a new tab shows it).
  const presence = res.presence ?? session?.presence ?? 'offline';
  const again = Boolean(session);
  session = { token: res.token, agent: res.agent, admin: Boolean(res.admin), presence };
  saveSession();
  if (again) {
    // The same agent with a new token: the sockets reconnect with it.
    inboxSocket?.stop();
    inboxSocket?.start();
    notice(message);
    return;
  }
  showApp();
  ui.presence.focus();
}

const account = setupAccount({ api, signedIn, showError });
const replies = setupReplies({
  api, me, report, isAdmin: () => Boolean(session?.admin),
  context: () => ({ visitor_name: conv && entryFor(conv.id)?.handover.form?.name }),
});

ui.login.addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = ui.login.elements;
  const email = form.email.value.trim();
  const password = form.password.value;
  if (!email || !password) {
    showError('Enter your email and password.');
    (email ? form.password : form.email).focus();
    return;
  }
  clearError();
  const button = ui.login.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const res = await api.login(email, password);
    form.password.value = '';
    signedIn(res);
  } catch (err) {
    showError(err.message);
    form.password.select();
  } finally {
    button.disabled = false;
  }
});

ui.logout.addEventListener('click', () => {
  const s = session;
  // Best effort: tell the server we are gone, then end the token there too (a copy of it
  // left anywhere stops working), before dropping it here.
  if (s) {
    const call = (method, path, body) => fetch(path, {
      method,
      headers: { Authorization: `Bearer ${s.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      keepalive: true,
    }).catch(() => {});
    call('PUT', '/api/presence', { status: 'offline' }).finally(() => call('POST', '/api/logout', {}));
  }
  signOut('');
});

ui.errorDismiss.addEventListener('click', clearError);

// ---------- presence ----------

ui.presence.addEventListener('change', async () => {
  const status = ui.presence.value;
  const previous = session.presence;
  clearError();
  if (status === 'online') {
    unlockAudio();
    askPermission();
  }
  ui.presence.disabled = true;
  try {
    const res = await api.setPresence(status);
    if (!session) return;
    session.presence = res?.status ?? status;
    saveSession();
  } catch (err) {
    if (!session) return;
    report(err);
  } finally {
    ui.presence.disabled = false;
  }
  ui.presence.value = session.presence ?? previous;
  document.body.dataset.presence = session.presence;
});

// ---------- queue ----------

const pendingKey = (e) => `${e.conversation_id}#${e.handover.id}`;
const FILTERS = {
  pending: (e) => e.handover.status === 'pending',
  mine: (e) => e.handover.status === 'acknowledged' && e.handover.holder?.id === me()?.id,
  all: () => true,
};
const EMPTY = {
  pending: 'Nobody is waiting.',
  mine: 'You hold no conversations.',
  all: 'No open handovers.',
  closed: 'No handover has ended yet.',
};

/** The "Closed" tab's entries: the latest ended handovers, fetched when it is shown. */
let ended = [];
async function refreshEnded() {
  try {
    // One row per conversation: the server lists every ended handover, latest first, and
    // a conversation handed over twice would show twice.
    const seen = new Set();
    ended = ((await api.ended()).entries ?? [])
      .filter((e) => !seen.has(e.conversation_id) && seen.add(e.conversation_id));
    if (tab === 'closed') renderQueue();
  } catch (err) {
    report(err);
  }
}

async function refreshQueue() {
  if (!session) return;
  const version = queueVersion;
  try {
    const res = await api.queue();
    if (session && version === queueVersion) onQueue(res?.entries ?? []);
  } catch (err) {
    if (err.status && err.status !== 401) report(err);
  }
}

function onQueue(list) {
  queueVersion += 1;
  entries = list;
  const pending = entries.filter(FILTERS.pending);
  if (seenPending) {
    const fresh = pending.filter((e) => !seenPending.has(pendingKey(e)));
    // Offline agents are not disturbed; online and away ones hear about new handovers.
    if (fresh.length && session.presence !== 'offline') announce(fresh, (id) => openConversation(id));
  }
  seenPending = new Set(pending.map(pendingKey));
  // A handover may just have ended: the "Closed" tab, when shown, follows.
  if (tab === 'closed') refreshEnded();
  renderQueue();
  if (conv) updatePane();
}

const entryFor = (id) => entries.find((e) => e.conversation_id === id);

/** The queue with `entry` in its place (oldest request first, as the server orders it). */
function withEntry(list, entry) {
  const key = (e) => [e.handover.requested_at, e.conversation_id];
  const before = (a, b) => key(a)[0] < key(b)[0] || (key(a)[0] === key(b)[0] && key(a)[1] < key(b)[1]);
  const rest = list.filter((e) => e.conversation_id !== entry.conversation_id);
  const at = rest.findIndex((e) => before(entry, e));
  return at < 0 ? [...rest, entry] : [...rest.slice(0, at), entry, ...rest.slice(at)];
}

function renderQueue() {
  for (const t of ui.tabs) {
    const count = t.querySelector('.count');
    if (count) count.textContent = String(entries.filter(FILTERS[t.dataset.tab]).length);
  }
  const pendingCount = entries.filter(FILTERS.pending).length;
  document.title = pendingCount ? `(${pendingCount}) Baton inbox` : 'Baton inbox';

  // Keep keyboard focus on the same row across re-renders.
  const active = document.activeElement;
  const activeRow = active?.closest?.('#queue li[data-conversation]');
  const focusId = activeRow?.dataset.conversation;
  const focusClaim = active?.classList.contains('claim');

  const visible = tab === 'closed' ? ended : entries.filter(FILTERS[tab]);
  ui.queue.replaceChildren(...visible.map((e) => queueItem(e, { me: me(), selected: conv?.id === e.conversation_id })));
  ui.queueEmpty.hidden = visible.length > 0;
  ui.queueEmpty.textContent = EMPTY[tab];

  if (focusId) {
    const row = ui.queue.querySelector(`li[data-conversation="${CSS.escape(focusId)}"]`);
    (row?.querySelector(focusClaim ? 'button.claim' : 'button.open') ?? row?.querySelector('button.open'))?.focus();
  }
}

function selectTab(name, focus = false) {
  tab = name;
  if (name === 'closed') refreshEnded();
  for (const t of ui.tabs) {
    const on = t.dataset.tab === name;
    t.setAttribute('aria-selected', String(on));
    t.tabIndex = on ? 0 : -1;
    if (on) {
      ui.queuePanel.setAttribute('aria-labelledby', t.id);
      if (focus) t.focus();
    }
  }
  renderQueue();
}

for (const t of ui.tabs) {
  t.addEventListener('click', () => selectTab(t.dataset.tab));
  t.addEventListener('keydown', (ev) => {
    const i = ui.tabs.indexOf(t);
    const n = ui.tabs.length;
    const to = { ArrowRight: (i + 1) % n, ArrowLeft: (i + n - 1) % n, Home: 0, End: n - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    selectTab(ui.tabs[to].dataset.tab, true);
  });
}

ui.queue.addEventListener('click', (ev) => {
  const row = ev.target.closest('li[data-conversation]');
  if (!row) return;
  const id = row.dataset.conversation;
  if (ev.target.closest('button.claim')) claim(id);
  else openConversation(id);
});

/** Refreshes the relative times. */
function tick() {
  for (const row of ui.queue.querySelectorAll('li[data-conversation]')) {
    const e = entryFor(row.dataset.conversation);
    const t = row.querySelector('time.wait');
    if (e && t) t.textContent = waitText(e.handover);
  }
  if (conv) renderSummary();
  visitorPanel.tick();
}

function setConn(node, status) {
  node.textContent = status === 'reconnecting' ? 'Reconnecting…' : '';
  node.classList.toggle('show', status === 'reconnecting');
}

// ---------- conversation ----------

async function openConversation(id, { focus = true } = {}) {
  if (!session) return;
  if (conv?.id === id) {
    if (focus) ui.convTitle.focus();
    return;
  }
  closeConversation();
  clearError();
  // Whose it is, and the words that started its handover: what "Save as answer" offers.
  const listed = entryFor(id) ?? ended.find((e) => e.conversation_id === id);
  const c = {
    id, state: null, msgs: new Map(), sending: new Map(), lastSeq: 0, socket: null,
    assistant: listed?.handover.assistant ?? 'default', question: listed?.preview?.trim() || null,
  };
  conv = c;
  ui.messages.replaceChildren();
  ui.text.value = '';
  noteText.value = '';
  ui.conversation.hidden = false;
  ui.placeholder.hidden = true;
  ui.convTitle.textContent = `Conversation ${id.length > 12 ? `${id.slice(0, 8)}…` : id}`;
  ui.convTitle.title = id;
  visitorPanel.show(id);
  renderQueue();
  updatePane();
  if (focus) ui.convTitle.focus();

  try {
    const history = await api.history(id, 0);
    if (conv !== c) return;
    for (const m of history.messages ?? []) addMessage(m);
    if (history.state) setState(history.state);
  } catch (err) {
    if (conv !== c) return;
    report(err);
    if (err.status === 404 || err.status === 403 || err.status === 401) return;
  }
  c.socket = new LiveSocket(
    () => wsUrl(`/api/conversations/${enc(id)}/ws?token=${enc(session?.token ?? '')}&after=${c.lastSeq}`),
    {
      onFrame: (f) => { if (conv === c) onConvFrame(f); },
      onStatus: (s) => { if (conv === c) setConn(ui.convConn, s); },
      onDrop: () => { if (conv === c) catchUp(c); },
    },
  ).start();
}

/** After a dropped socket: fetch what we missed over HTTP (also notices an expired token). */
async function catchUp(c) {
  try {
    const history = await api.history(c.id, c.lastSeq);
    if (conv !== c) return;
    for (const m of history.messages ?? []) addMessage(m);
    if (history.state) setState(history.state);
  } catch { /* the socket keeps retrying */ }
}

function closeConversation() {
  if (!conv) return;
  conv.socket?.stop();
  conv = null;
  showTyping(false);
  visitorPanel.hide();
  ui.conversation.hidden = true;
  ui.placeholder.hidden = false;
  ui.messages.replaceChildren();
  setConn(ui.convConn, 'open');
  renderQueue();
}

ui.closeConv.addEventListener('click', () => {
  const id = conv?.id;
  closeConversation();
  if (id) ui.queue.querySelector(`li[data-conversation="${CSS.escape(id)}"] button.open`)?.focus();
});

function onConvFrame(f) {
  switch (f.type) {
    case 'message': {
      const { type, ...msg } = f;
      if (msg.author?.role === 'visitor') showTyping(false);
      addMessage(msg);
      break;
    }
    case 'typing':
      if (f.author?.role === 'visitor') showTyping(true);
      break;
    case 'state': {
      const { type, ...state } = f;
      // A move (the form answered, a handover ended) may change the visitor's details.
      const moved = JSON.stringify(conv.state) !== JSON.stringify(state);
      setState(state);
      if (moved) visitorPanel.reload();
      break;
    }
    case 'context':
      visitorPanel.context(f.context);
      break;
    case 'error':
      showError(f.message);
      break;
    default:
  }
}

/** "The visitor is typing…" for a few seconds after each sign of it, or until they send. */
let typingTimer;
function showTyping(on) {
  clearTimeout(typingTimer);
  ui.typing.hidden = !on;
  if (on) typingTimer = setTimeout(() => { ui.typing.hidden = true; }, 5000);
}

/** Adds a message once (by seq), in seq order; replaces our optimistic copy by client_id. */
function addMessage(m) {
  const c = conv;
  if (!c || typeof m?.seq !== 'number') return;
  const optimistic = m.client_id ? c.sending.get(m.client_id) : null;
  if (optimistic) c.sending.delete(m.client_id);
  if (c.msgs.has(m.seq)) {
    optimistic?.remove();
    return;
  }
  c.msgs.set(m.seq, m);
  c.lastSeq = Math.max(c.lastSeq, m.seq);

  const box = ui.messages;
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  let item;
  if (optimistic) {
    item = optimistic;
    item.classList.remove('sending');
    fillMessage(item, m, me());
  } else {
    item = messageItem(m, me());
  }
  // A note is for colleagues, not an answer for the knowledge base.
  if (m.author?.role === 'agent' && !m.note) item.append(saveButton());
  // Before the first later message, or before our own messages still being sent.
  const next = [...box.children].find((n) => !n.dataset.seq || Number(n.dataset.seq) > m.seq);
  box.insertBefore(item, next ?? null);
  if (atBottom || optimistic) box.scrollTop = box.scrollHeight;
}

function saveButton() {
  return el('button', { cls: 'quiet save-answer', attrs: { type: 'button' }, text: 'Save as answer' });
}

/** The visitor's question a reply answers: the words that started the handover, else the last visitor's before it. */
function questionFor(c, seq) {
  if (c.question) return c.question;
  const before = [...c.msgs.values()].filter((m) => m.seq < seq && m.author?.role === 'visitor');
  return before.at(-1)?.text ?? '';
}

ui.messages.addEventListener('click', (ev) => {
  const item = ev.target.closest('button.save-answer')?.closest('li.msg');
  const c = conv;
  const m = c && item?.dataset.seq ? c.msgs.get(Number(item.dataset.seq)) : null;
  if (!m) return;
  learn({ assistant: c.assistant, question: questionFor(c, m.seq), answer: m.text, conversationId: c.id });
});

function setState(state) {
  if (!conv || !state?.mode) return;
  conv.state = state;
  updatePane();
}

function holdsIt() {
  if (!conv) return false;
  if (conv.state) return conv.state.mode === 'assigned' && conv.state.agent?.id === me()?.id;
  const h = entryFor(conv.id)?.handover;
  return h?.status === 'acknowledged' && h.holder?.id === me()?.id;
}

function isWaiting() {
  if (!conv) return false;
  const h = entryFor(conv.id)?.handover;
  if (conv.state) return conv.state.mode === 'pending';
  return h?.status === 'pending';
}

function renderSummary() {
  const e = entryFor(conv.id);
  const part = (cls, text) => el('span', { cls, text });
  const parts = [];
  if (e) {
    const h = e.handover;
    const trigger = triggerLabel(h.trigger);
    parts.push(part('summary-trigger', h.trigger === 'visitor_request'
      ? `Visitor ${trigger}`
      : trigger.charAt(0).toUpperCase() + trigger.slice(1)));
    parts.push(part('summary-wait', waitText(h)));
    parts.push(part(`summary-status badge status-${h.status}`, statusLabel(h.status)));
    if (h.holder) parts.push(part('summary-holder', holderText(h.holder, me())));
    if (formText(h)) parts.push(part('summary-form', formText(h)));
    if (transferText(h)) parts.push(part('summary-transfer', transferText(h)));
    if (assistantText(h)) parts.push(part('summary-assistant', assistantText(h)));
    if (h.earlier_note) parts.push(part('summary-earlier-note', `earlier note: ${h.earlier_note}`));
  } else if (conv.state) {
    const s = conv.state;
    if (s.mode === 'bot') parts.push(part('summary-status', 'No open handover: the assistant answers'));
    else if (s.mode === 'closed') parts.push(part('summary-status', 'Chat closed'));
    else if (s.mode === 'form') parts.push(part('summary-status', 'The visitor is filling in the pre-handover form'));
    else if (s.mode === 'pending') parts.push(part('summary-status badge status-pending', 'pending'));
    else parts.push(part('summary-holder', holderText(s.agent, me())));
  }
  const withDots = parts.flatMap((p, i) => (i ? [el('span', { cls: 'sep', text: ' · ', attrs: { 'aria-hidden': 'true' } }), p] : [p]));
  ui.summary.replaceChildren(...withDots);
}

function updatePane() {
  if (!conv) return;
  renderSummary();
  visitorPanel.update();
  const mine = holdsIt();
  ui.claim.hidden = !isWaiting();
  ui.end.hidden = !mine;
  handoverActions.update(mine);
  ui.text.disabled = !mine;
  ui.send.disabled = !mine;
  ui.reply.classList.toggle('disabled', !mine);
  let placeholder = 'Write a reply';
  if (!mine) {
    if (conv.state?.mode === 'assigned') placeholder = `${conv.state.agent.name} holds this conversation`;
    else if (conv.state?.mode === 'bot') placeholder = 'The assistant answers this conversation';
    else if (conv.state?.mode === 'closed') placeholder = "This chat is closed: the visitor's next message goes to the assistant";
    else if (conv.state?.mode === 'form') placeholder = 'The visitor is filling in the pre-handover form';
    else placeholder = 'Claim this conversation to reply';
  }
  ui.text.placeholder = placeholder;
  ui.hint.hidden = !mine;
  updateCount();
}

async function claim(id) {
  clearError();
  try {
    const res = await api.claim(id);
    const holder = res?.holder ?? me();
    // Show it at once; the next queue frame confirms.
    const e = entryFor(id);
    if (e) e.handover = { ...e.handover, status: 'acknowledged', holder, claimed_at: e.handover.claimed_at ?? Date.now() };
    renderQueue();
    if (conv?.id === id) setState({ mode: 'assigned', agent: holder });
    else await openConversation(id, { focus: false });
    if (conv?.id === id && !ui.text.disabled) ui.text.focus();
  } catch (err) {
    report(err);
    if (err.status === 409) refreshQueue();
  }
}

ui.claim.addEventListener('click', () => { if (conv) claim(conv.id); });

ui.end.addEventListener('click', async () => {
  const c = conv;
  if (!c) return;
  clearError();
  ui.end.disabled = true;
  try {
    leftHands(c.id, await api.end(c.id, handoverActions.takeNote()));
  } catch (err) {
    report(err);
  } finally {
    ui.end.disabled = false;
  }
});

/** After this agent ended, closed or transferred conversation `id`: `state` is its new one. */
function leftHands(id, state) {
  // Show it at once; the next queue frame confirms.
  if (state.mode !== 'pending') entries = entries.filter((e) => e.conversation_id !== id);
  renderQueue();
  if (conv?.id === id) {
    setState(state);
    ui.convTitle.focus();
  }
}

function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

// The server's limit (shared/src/protocol.rs MAX_TEXT_CHARS), counted as it counts: in
// characters (code points) of the trimmed text. A textarea's maxlength counts UTF-16 units,
// which would cut an emoji-rich reply short, so the box refuses instead of cutting.
const MAX_TEXT_CHARS = 4000;
const chars = (text) => [...text].length;

/** Shows how much of the limit the reply uses once it comes near it. */
function updateCount() {
  const n = chars(ui.text.value.trim());
  ui.count.hidden = n < MAX_TEXT_CHARS * 0.9;
  ui.count.classList.toggle('over', n > MAX_TEXT_CHARS);
  ui.count.textContent = `${n.toLocaleString('en')} / ${MAX_TEXT_CHARS.toLocaleString('en')} characters${n > MAX_TEXT_CHARS ? `: ${(n - MAX_TEXT_CHARS).toLocaleString('en')} too many` : ''}`;
}

async function sendReply() {
  const c = conv;
  const text = ui.text.value.trim();
  if (!c || !text || !holdsIt()) return;
  if (chars(text) > MAX_TEXT_CHARS) {
    showError(`Your reply is ${chars(text).toLocaleString('en')} characters; the limit is ${MAX_TEXT_CHARS.toLocaleString('en')}. Shorten it to send it.`);
    ui.text.focus();
    return;
  }
  clearError();
  const client_id = newClientId();
  const optimistic = messageItem({ at: Date.now(), author: { role: 'agent', ...me() }, text, client_id }, me());
  optimistic.classList.add('sending');
  c.sending.set(client_id, optimistic);
  ui.messages.append(optimistic);
  ui.messages.scrollTop = ui.messages.scrollHeight;
  ui.text.value = '';
  updateCount();
  try {
    const msg = await api.send(c.id, text, client_id);
    if (conv === c && msg) addMessage({ client_id, ...msg });
  } catch (err) {
    if (conv !== c) return;
    c.sending.delete(client_id);
    optimistic.remove();
    if (!ui.text.value) ui.text.value = text;
    updateCount();
    report(err);
  }
}

ui.reply.addEventListener('submit', (ev) => {
  ev.preventDefault();
  sendReply();
});

const noteText = $('#note-text');
setupNotes({
  form: $('#note'), text: noteText, api, current: () => conv?.id ?? null, newClientId,
  stored: (note) => {
    clearError();
    addMessage(note);
    ui.messages.scrollTop = ui.messages.scrollHeight;
  },
  failed: report,
});

ui.text.addEventListener('input', updateCount);

// The visitor sees "Ana is typing…" while the holder types: a sign every few seconds.
let typedAt = 0;
ui.text.addEventListener('input', () => {
  if (!conv?.socket || !holdsIt() || Date.now() - typedAt < 3000) return;
  if (conv.socket.send({ type: 'typing' })) typedAt = Date.now();
});

ui.text.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && !ev.altKey && !ev.ctrlKey && !ev.metaKey) {
    ev.preventDefault();
    sendReply();
  }
});

// ---------- start ----------

session = loadSession();
if (account.invitation()) {
  // An invitation link: whoever was signed in here, the link is for someone new.
  session = null;
  saveSession();
  account.showInvitation();
} else if (session) {
  showApp();
  // After a reload the server may have forgotten us: say again what we were.
  if (session.presence !== 'offline') api.setPresence(session.presence).catch(() => {});
} else {
  showLogin();
}
