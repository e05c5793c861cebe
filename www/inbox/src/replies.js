// Saved replies: the "Saved replies" dialog to keep them (the workspace's for admins,
// one's own for everyone), and the `/` picker in the reply box. The list is read once
// per sign-in and after each change here; picking one fills its placeholders from what
// the inbox knows, so nothing but the sent message leaves the page.
import { el, showProblems } from './render.js';

/**
 * Fills `{visitor_name}` and `{agent}` in one pass, as shared's `render` fills a
 * notice: a value that looks like a placeholder stays as written. Which placeholders a
 * reply may hold is checked by the server (shared/src/replies.rs) when it is saved.
 */
export function fill(text, { visitor_name, agent }) {
  const values = { visitor_name: visitor_name || 'there', agent: agent || '' };
  return text.replace(/\{(visitor_name|agent)\}/g, (_, key) => values[key]);
}

/** The names typed after `/` that pick a reply: the box holds `/` and a name only. */
const QUERY = /^\/([a-z0-9_-]*)$/i;
const SHOWN = 8;

/**
 * `me()` is the agent ({id, name}), `isAdmin()` whether they run the workspace,
 * `context()` the open conversation's `{visitor_name}`; `report(err)` shows an error.
 */
export function setupReplies({ api, me, isAdmin, context, report }) {
  const $ = (sel) => document.querySelector(sel);
  const ui = {
    open: $('#open-replies'), dialog: $('#replies'), list: $('#replies-list'), empty: $('#replies-empty'),
    form: $('#replies-form'), formTitle: $('#replies-form-title'), errors: $('#replies-form .field-errors'),
    scope: $('#replies-scope'), fresh: $('#replies-new'), close: $('#replies-close'),
    reply: $('#reply'), text: $('#reply-text'),
  };
  let replies = [];
  let editing = null;
  /** The picker's matches and which one is active, while it is open. */
  let picks = [];
  let active = 0;

  // The textarea is the combobox of the listbox it controls.
  const listbox = el('ul', { cls: 'reply-picks', attrs: { id: 'reply-picks', role: 'listbox', 'aria-label': 'Saved replies' } });
  listbox.hidden = true;
  ui.text.after(listbox);
  for (const [k, v] of Object.entries({ role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': 'reply-picks' })) {
    ui.text.setAttribute(k, v);
  }

  async function load() {
    try {
      replies = (await api.replies.list()).replies ?? [];
    } catch (err) {
      report(err);
    }
    renderList();
  }

  const mayChange = (r) => r.scope === 'personal' || isAdmin();

  function renderList() {
    ui.empty.hidden = replies.length > 0;
    ui.list.replaceChildren(...replies.map((r) => {
      const buttons = mayChange(r) ? [
        el('button', { cls: 'quiet', text: 'Edit', attrs: { type: 'button', 'aria-label': `Edit /${r.name}`, 'data-edit': r.id } }),
        el('button', { cls: 'quiet danger', text: 'Delete', attrs: { type: 'button', 'aria-label': `Delete /${r.name}`, 'data-delete': r.id } }),
      ] : [];
      return el('li', { attrs: { 'data-reply': r.name } },
        el('strong', { text: `/${r.name}` }),
        el('span', { cls: 'muted', text: r.scope === 'workspace' ? ' · everyone' : ' · me only' }),
        el('p', { cls: 'reply-text', text: r.text }),
        ...buttons);
    }));
  }

  function edit(reply) {
    editing = reply;
    ui.form.reset();
    ui.errors.replaceChildren();
    ui.formTitle.textContent = reply ? `Edit /${reply.name}` : 'New reply';
    ui.scope.querySelector('[value=workspace]').disabled = !isAdmin();
    if (reply) {
      const f = ui.form.elements;
      f.name.value = reply.name;
      f.text.value = reply.text;
      f.scope.value = reply.scope;
    }
  }

  ui.open.addEventListener('click', () => {
    edit(null);
    ui.dialog.showModal();
    ui.form.elements.name.focus();
    load();
  });
  ui.close.addEventListener('click', () => ui.dialog.close());
  ui.fresh.addEventListener('click', () => { edit(null); ui.form.elements.name.focus(); });

  ui.list.addEventListener('click', async (ev) => {
    const button = ev.target.closest('button');
    const id = Number(button?.dataset.edit ?? button?.dataset.delete);
    const reply = replies.find((r) => r.id === id);
    if (!reply) return;
    if (button.dataset.edit) {
      edit(reply);
      ui.form.elements.text.focus();
      return;
    }
    try {
      await api.replies.remove(id);
      if (editing?.id === id) edit(null);
      await load();
    } catch (err) {
      showProblems(ui.errors, err);
    }
  });

  ui.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ui.form.elements;
    const body = { name: f.name.value, text: f.text.value, scope: f.scope.value };
    try {
      if (editing) await api.replies.change(editing.id, body);
      else await api.replies.add(body);
      edit(null);
      await load();
      f.name.focus();
    } catch (err) {
      showProblems(ui.errors, err);
    }
  });

  // ---------- the `/` picker ----------

  function closePicker() {
    picks = [];
    listbox.hidden = true;
    listbox.replaceChildren();
    ui.text.setAttribute('aria-expanded', 'false');
    ui.text.removeAttribute('aria-activedescendant');
  }

  function renderPicker() {
    listbox.replaceChildren(...picks.map((r, i) => el('li', {
      attrs: { id: `reply-pick-${r.id}`, role: 'option', 'aria-selected': String(i === active), 'data-pick': r.id },
    }, el('strong', { text: `/${r.name}` }), el('span', { cls: 'muted', text: ` ${r.text}` }))));
    listbox.hidden = false;
    ui.text.setAttribute('aria-expanded', 'true');
    ui.text.setAttribute('aria-activedescendant', `reply-pick-${picks[active].id}`);
  }

  ui.text.addEventListener('input', () => {
    const query = QUERY.exec(ui.text.value)?.[1]?.toLowerCase();
    if (query == null) return closePicker();
    const starts = replies.filter((r) => r.name.startsWith(query));
    const within = replies.filter((r) => !r.name.startsWith(query) && r.name.includes(query));
    picks = [...starts, ...within].slice(0, SHOWN);
    active = 0;
    if (picks.length) renderPicker();
    else closePicker();
  });

  function pick(reply) {
    closePicker();
    ui.text.value = fill(reply.text, { ...context(), agent: me()?.name });
    // What else listens to the box (the length count) hears of the new text.
    ui.text.dispatchEvent(new Event('input', { bubbles: true }));
    ui.text.focus();
  }

  // Captured on the form, before the box's own Enter-sends: while the list is open,
  // Enter and Tab insert the active reply and nothing is sent.
  ui.reply.addEventListener('keydown', (ev) => {
    if (ev.target !== ui.text || !picks.length) return;
    const moves = { ArrowDown: 1, ArrowUp: picks.length - 1 };
    if (ev.key in moves) {
      active = (active + moves[ev.key]) % picks.length;
      renderPicker();
    } else if (ev.key === 'Enter' || ev.key === 'Tab') {
      pick(picks[active]);
    } else if (ev.key === 'Escape') {
      closePicker();
    } else {
      return;
    }
    ev.preventDefault();
    ev.stopPropagation();
  }, true);

  // Pressed, not clicked: the box keeps the focus.
  listbox.addEventListener('mousedown', (ev) => {
    const id = Number(ev.target.closest('[data-pick]')?.dataset.pick);
    const reply = picks.find((r) => r.id === id);
    if (!reply) return;
    ev.preventDefault();
    pick(reply);
  });
  ui.text.addEventListener('blur', closePicker);

  return {
    load,
    /** Signed out: nothing of the last agent's stays. */
    clear() {
      replies = [];
      closePicker();
      if (ui.dialog.open) ui.dialog.close();
    },
  };
}
