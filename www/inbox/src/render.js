// DOM building for the inbox. Every piece of text from the server goes in through
// textContent (via el()), never as HTML.

/** createElement with a class list, attributes and text/children. */
export function el(tag, { cls, attrs, text } = {}, ...children) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (attrs) for (const [k, v] of Object.entries(attrs)) if (v != null) node.setAttribute(k, v);
  if (text != null) node.textContent = text;
  for (const c of children) if (c) node.append(c);
  return node;
}

/** Offers `text` as a file to save, named `name`, of MIME type `type`. */
export function saveFile(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { attrs: { href: url, download: name } });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const TRIGGERS = {
  visitor_request: 'asked for a person',
  unknown: "assistant didn't know",
  explicit: 'assistant handed over',
  human_only: 'human-only assistant',
  offline_message: 'left a message, nobody being available',
};
export const triggerLabel = (t) => TRIGGERS[t] ?? String(t ?? 'handover');

const STATUSES = { pending: 'pending', acknowledged: 'in progress', resolved: 'resolved', cancelled: 'cancelled' };
export const statusLabel = (s) => STATUSES[s] ?? String(s ?? '');

const CANCEL_REASONS = {
  no_agent: 'nobody was available',
  visitor: 'the visitor stopped waiting',
  queue_timeout: 'nobody took it in time (queue timeout)',
  visitor_left: 'the visitor left',
};
/** Why a cancelled handover was cancelled, as words, or null. */
export const cancelText = (h) => (h.cancel_reason ? CANCEL_REASONS[h.cancel_reason] ?? String(h.cancel_reason) : null);

/** "just now", "40 s", "3 min", "2 h 5 min", "3 d". */
export function duration(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** How long the visitor waited (still waiting if pending), as words. */
export function waitText(h, now = Date.now()) {
  if (h.status === 'pending') {
    const d = duration(now - h.requested_at);
    return d === 'just now' ? 'waiting since just now' : `waiting ${d}`;
  }
  if (h.claimed_at != null) return `waited ${duration(h.claimed_at - h.requested_at)}`;
  const ago = duration(now - h.requested_at);
  return ago === 'just now' ? 'requested just now' : `requested ${ago} ago`;
}

/** Who holds it ("held by you"), or who resolved it when `ended`. */
export function holderText(holder, me, ended = false) {
  if (!holder) return '';
  const verb = ended ? 'resolved by' : 'held by';
  return `${verb} ${holder.id === me?.id ? 'you' : holder.name}`;
}

/** Who passed a transferred handover on and why ("transferred by Ana: a refund"), or null. */
export function transferText(h) {
  const t = h.transfers?.at(-1);
  if (!t) return null;
  return `transferred by ${t.from.name}${t.reason ? `: ${t.reason}` : ''}`;
}

/** Which assistant's chat it is ("assistant: demo"), or null for the default one. */
export function assistantText(h) {
  return h.assistant && h.assistant !== 'default' ? `assistant: ${h.assistant}` : null;
}

/** The pre-handover form's answers ("Rosa · rosa@example.com"), or null. */
export function formText(h) {
  const answers = [h.form?.name, h.form?.email].filter(Boolean);
  return answers.length ? answers.join(' · ') : null;
}

/** One queue row: `li[data-conversation]` with an open button and, if pending, `button.claim`. */
export function queueItem(entry, { me, selected }) {
  const h = entry.handover;
  const preview = entry.preview?.trim() || '(no message)';
  const wait = el('time', {
    cls: 'wait',
    attrs: { datetime: new Date(h.requested_at).toISOString() },
    text: waitText(h),
  });
  wait.dataset.wait = '';
  const meta = el('span', { cls: 'meta' },
    el('span', { cls: `badge status-${h.status}`, text: statusLabel(h.status) }),
    el('span', { cls: `trigger trigger-${h.trigger}`, text: triggerLabel(h.trigger) }),
    wait,
    h.holder ? el('span', { cls: 'holder', text: holderText(h.holder, me, h.status === 'resolved') }) : null,
    cancelText(h) ? el('span', { cls: 'cancel-reason', text: cancelText(h) }) : null,
    transferText(h) ? el('span', { cls: 'transfer', text: transferText(h) }) : null,
    assistantText(h) ? el('span', { cls: 'assistant', text: assistantText(h) }) : null,
    h.earlier_note ? el('span', { cls: 'transfer', text: `earlier note: ${h.earlier_note}` }) : null,
  );
  const open = el('button', { cls: 'open', attrs: { type: 'button' } },
    el('span', { cls: 'preview', text: preview }),
    meta,
  );
  const li = el('li', {
    cls: `item${selected ? ' selected' : ''}`,
    attrs: { 'data-status': h.status, 'aria-current': selected ? 'true' : null },
  }, open);
  li.dataset.conversation = entry.conversation_id;
  if (h.status === 'pending') {
    li.append(el('button', { cls: 'claim', attrs: { type: 'button' }, text: 'Claim' }));
  }
  return li;
}

function authorName(author, me) {
  switch (author?.role) {
    case 'visitor': return 'Visitor';
    case 'assistant': return 'Assistant';
    case 'agent': return author.id === me?.id ? `${author.name} (you)` : author.name;
    default: return 'Baton';
  }
}

const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** One message: `li.msg.<role>` with data-seq (absent while an own message is being sent). */
export function messageItem(msg, me) {
  const role = msg.author?.role ?? 'system';
  const li = el('li', { cls: `msg ${role}` });
  if (role === 'agent' && msg.author.id === me?.id) li.classList.add('mine');
  fillMessage(li, msg, me);
  return li;
}

export function fillMessage(li, msg, me) {
  const role = msg.author?.role ?? 'system';
  if (msg.seq != null) li.dataset.seq = String(msg.seq);
  if (msg.client_id) li.dataset.clientId = msg.client_id;
  const at = el('time', { cls: 'at', attrs: { datetime: new Date(msg.at).toISOString() }, text: clock(msg.at) });
  // An agents' private note, which the visitor never receives: said in words, not only in colour.
  li.classList.toggle('note', Boolean(msg.note));
  const label = msg.note ? el('span', { cls: 'note-label', text: 'Private note' }) : null;
  const head = role === 'system'
    ? null
    : el('div', { cls: 'who' }, ...[label, el('span', { cls: 'name', text: authorName(msg.author, me) }), at].filter(Boolean));
  const body = el('div', { cls: 'text', text: msg.text });
  li.replaceChildren(...[head, body, role === 'system' ? at : null].filter(Boolean));
}

/** Shows a refused call's problems in `list`, one item per field, or its message. */
export function showProblems(list, err) {
  list.replaceChildren(...(err.fields?.length
    ? err.fields.map((f) => el('li', { text: f.field ? `${f.field}: ${f.problem}` : f.problem }))
    : [el('li', { text: err.message })]));
}

/**
 * An admin page's `{show(), hide()}`: shown, its heading takes the focus and `load()`
 * reads it again.
 */
export function adminPage(section, heading, load) {
  return {
    show() {
      section.hidden = false;
      heading.focus();
      load();
    },
    hide() { section.hidden = true; },
  };
}
