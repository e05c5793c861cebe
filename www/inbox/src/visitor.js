// The summary panel beside a conversation (issue 14): who the visitor is when the form
// said, where they are (the page, the last few, the referrer), their language, local time
// and browser, what started the handover and how long they waited, the assistant, the
// last handover's rating and closing note, and the same browser's earlier chats. All of
// it from GET /api/conversations/{id}/context, the page kept current by the `context`
// frames of the conversation's socket. Every value is text (textContent), cut for display.
import { el, triggerLabel, waitText, statusLabel, cancelText, holderText, duration } from './render.js';

/** At most `max` characters of `text`, the last one "…" when it was longer. */
export function short(text, max) {
  const chars = [...String(text ?? '')];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

/** "14:05, Tue (America/Sao_Paulo)" at `now` in the visitor's time zone, or null. */
export function localTime(timeZone, now = Date.now()) {
  if (!timeZone) return null;
  try {
    const time = new Intl.DateTimeFormat(undefined, {
      timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short',
    }).format(now);
    return `${time} (${timeZone})`;
  } catch {
    return timeZone; // a zone this browser does not know
  }
}

const stars = (r) => `${r.score}/5${r.comment ? ` “${short(r.comment, 120)}”` : ''}`;

/** How a handover turned out, as words. */
function outcome(h, me) {
  if (h.status === 'cancelled') return `cancelled: ${cancelText(h) ?? 'no reason given'}`;
  if (h.status === 'resolved') return holderText(h.holder, me, true) || 'resolved';
  return statusLabel(h.status);
}

/**
 * Wires the panel `panel` (an element, hidden while no conversation is open) and the
 * conversation's heading `title`. `entry(id)` gives the open handover's queue entry (for
 * the trigger and wait), `me()` the signed-in agent.
 */
export function setupVisitorPanel({ panel, title, api, entry, me }) {
  const heading = el('h2', { attrs: { id: 'visitor-heading' }, text: 'Visitor' });
  const status = el('p', { cls: 'muted', attrs: { 'aria-live': 'polite' } });
  const facts = el('dl', { cls: 'facts' });
  const earlierHeading = el('h3', { text: 'Earlier chats in this browser' });
  const earlier = el('ol', { cls: 'earlier' });
  const noEarlier = el('p', { cls: 'muted no-earlier', text: 'None' });
  panel.setAttribute('aria-labelledby', 'visitor-heading');
  panel.replaceChildren(heading, status, facts, earlierHeading, earlier, noEarlier);

  /** {id, view} for the open conversation; `view` once it came. */
  let shown = null;

  function fact(name, value, cls) {
    if (value == null || value === '') return [];
    const dd = el('dd', { cls });
    if (value instanceof Node) dd.append(value);
    else dd.textContent = value;
    return [el('dt', { text: name }), dd];
  }

  /** A page as text, its whole address in the tooltip; a link only for http(s). */
  function pageNode(url, pageTitle) {
    const text = short(pageTitle || url, 80);
    const safe = /^https?:\/\//i.test(url);
    const node = safe
      ? el('a', { attrs: { href: url, target: '_blank', rel: 'noopener noreferrer' }, text })
      : el('span', { text });
    node.title = url;
    return node;
  }

  /** What the panel shows last drew, so that a redraw with nothing new keeps the focus. */
  let drawn = '';

  function render() {
    if (!shown) return;
    const view = shown.view;
    const c = view?.context;
    const h = entry(shown.id)?.handover;
    const key = JSON.stringify([shown.id, view, h, me()?.id]);
    if (key === drawn) return;
    drawn = key;
    const form = view?.form ?? h?.form;
    if (view) title.textContent = short(view.title, 80);
    status.textContent = !view ? 'Loading…' : c ? '' : 'The widget has not said where the visitor is.';
    status.hidden = !status.textContent;
    const last = view?.last_handover;
    const pages = c?.pages?.length > 1
      ? el('ol', { cls: 'pages' }, ...c.pages.slice(0, -1).reverse().map((p) => el('li', {}, pageNode(p.url, p.title))))
      : null;
    facts.replaceChildren(
      ...fact('Name', form?.name && short(form.name, 80), 'visitor-name'),
      ...fact('Email', form?.email && short(form.email, 80), 'visitor-email'),
      ...fact('Page', c?.url ? pageNode(c.url, c.title) : null, 'visitor-page'),
      ...fact(c?.page_count > 1 ? `Before (${c.page_count - 1} in all)` : 'Before', pages, 'visitor-pages'),
      ...fact('Came from', c?.referrer ? short(c.referrer, 80) : null, 'visitor-referrer'),
      ...fact('Language', c?.language, 'visitor-language'),
      ...fact('Local time', localTime(c?.time_zone), 'visitor-time'),
      ...fact('Browser', c ? `${c.browser} on ${c.device}` : null, 'visitor-browser'),
      ...fact('Trigger', h ? triggerLabel(h.trigger) : null, 'visitor-trigger'),
      ...fact('Wait', h ? waitText(h) : null, 'visitor-wait'),
      ...fact('Assistant', view?.assistant ?? h?.assistant, 'visitor-assistant'),
      ...fact('Last handover', last ? outcome(last, me()) : null, 'visitor-last'),
      ...fact('Its rating', last ? (last.rating ? stars(last.rating) : 'not rated') : null, 'visitor-last-rating'),
      ...fact('Closing note', last?.note && short(last.note, 300), 'visitor-last-note'),
    );
    const list = view?.earlier ?? [];
    earlierHeading.hidden = !view;
    earlier.replaceChildren(...list.map((e) => {
      const ho = e.handover;
      const ago = duration(Date.now() - e.at);
      const when = el('time', {
        attrs: { datetime: new Date(e.at).toISOString() },
        text: ago === 'just now' ? ago : `${ago} ago`,
      });
      const rating = ho?.rating ?? e.assistant_rating;
      return el('li', {},
        when, ' · ',
        el('span', { cls: 'outcome', text: ho ? outcome(ho, me()) : 'the assistant answered alone' }),
        el('span', { cls: 'rating', text: ` · ${rating ? `rated ${stars(rating)}` : 'not rated'}` }),
        ho?.note ? el('span', { cls: 'note', text: ` · note: ${short(ho.note, 200)}` }) : null);
    }));
    earlier.hidden = !list.length;
    noEarlier.hidden = !view || list.length > 0;
  }

  /** Reads the open conversation's facts anew (on opening it and when its state moves). */
  async function load() {
    const s = shown;
    if (!s) return;
    try {
      const view = await api.context(s.id);
      if (shown !== s) return;
      s.view = view;
    } catch (err) {
      if (shown !== s) return;
      status.textContent = `The visitor's details could not be read: ${err.message}`;
      status.hidden = false;
      return;
    }
    render();
  }

  return {
    show(id) {
      shown = { id, view: null };
      panel.hidden = false;
      render();
      load();
    },
    reload: load,
    /** A `context` frame: the page changed. */
    context(context) {
      if (!shown?.view) return;
      shown.view.context = context;
      render();
    },
    /** The handover or the agent changed (a queue frame, a state): redraw if it shows. */
    update: render,
    /** The wait and the local time move on. */
    tick() {
      const h = shown && entry(shown.id)?.handover;
      const wait = facts.querySelector('.visitor-wait');
      if (h && wait) wait.textContent = waitText(h);
      const time = facts.querySelector('.visitor-time');
      const zone = shown?.view?.context?.time_zone;
      if (time && zone) time.textContent = localTime(zone);
    },
    hide() {
      shown = null;
      drawn = '';
      panel.hidden = true;
    },
  };
}
