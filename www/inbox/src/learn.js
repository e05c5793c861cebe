// "Save as answer": the form that turns a reply (or an admin's answer to an unanswered
// question) into knowledge. The visitor's question and the answer, both editable, go in
// as a new entry or as one more question of an existing entry, the closest offered.
// An admin's save is published at once; anyone else's waits for an admin.
import { el, showProblems } from './render.js';

/** How long the question rests before the closest entries are asked for again. */
const CLOSEST_AFTER_MS = 300;

/**
 * `api` is the inbox's; `onDone(result)` runs after a save or a publish, with the
 * server's answer. Returns `open({assistant, question, answer, suggestion?})`; with a
 * `suggestion` (its id), the form publishes that suggestion as edited here.
 */
export function setupLearn({ api, onDone }) {
  const $ = (sel) => document.querySelector(sel);
  const ui = {
    dialog: $('#learn'), form: $('#learn-form'), title: $('#learn-title'),
    question: $('#learn-question'), answer: $('#learn-answer'),
    closest: $('#learn-closest'), errors: $('#learn-form .field-errors'),
    cancel: $('#learn-cancel'), save: $('#learn-form button[type=submit]'),
  };
  let current = null;
  let timer = null;

  const target = () => ui.form.querySelector('input[name=target]:checked')?.value ?? '';

  /** The answer is the new entry's; joining an entry keeps that entry's answer. */
  function syncTarget() {
    ui.answer.disabled = target() !== '';
  }

  async function fillClosest() {
    const c = current;
    const q = ui.question.value.trim();
    if (!c || !q) {
      ui.closest.replaceChildren();
      return;
    }
    try {
      const { closest } = await api.knowledge.closest(c.assistant, q);
      if (current !== c) return;
      const chosen = target();
      ui.closest.replaceChildren(...closest.map((n) => el('li', {},
        el('label', { cls: 'check' },
          el('input', { attrs: { type: 'radio', name: 'target', value: n.entry_id, checked: n.entry_id === chosen ? '' : null } }),
          el('span', { text: `Another question of "${n.question}"` }),
          el('span', { cls: 'muted', text: ` (${n.entry_id})` })))));
      syncTarget();
    } catch { /* offering entries is a help, not a need */ }
  }

  ui.question.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(fillClosest, CLOSEST_AFTER_MS);
  });
  ui.form.addEventListener('change', (ev) => { if (ev.target.name === 'target') syncTarget(); });
  ui.cancel.addEventListener('click', () => ui.dialog.close());
  ui.dialog.addEventListener('close', () => { current = null; });

  ui.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const c = current;
    if (!c) return;
    const entry = target();
    const body = { question: ui.question.value, ...(entry ? { entry } : { answer: ui.answer.value }) };
    if (c.conversationId) body.conversation_id = c.conversationId;
    ui.errors.replaceChildren();
    ui.save.disabled = true;
    try {
      const result = c.suggestion != null
        ? { published: true, ...(await api.knowledge.publish(c.assistant, c.suggestion, body)) }
        : await api.knowledge.save(c.assistant, body);
      ui.dialog.close();
      onDone(result, c);
    } catch (err) {
      showProblems(ui.errors, err);
    } finally {
      ui.save.disabled = false;
    }
  });

  return function open({ assistant, question, answer = '', conversationId = null, suggestion = null, entry = null }) {
    current = { assistant, conversationId, suggestion };
    ui.title.textContent = suggestion != null ? 'Publish a saved answer' : 'Save as answer';
    ui.save.textContent = suggestion != null ? 'Publish' : 'Save';
    ui.question.value = question ?? '';
    ui.answer.value = answer ?? '';
    ui.errors.replaceChildren();
    ui.closest.replaceChildren();
    ui.form.querySelector('input[name=target][value=""]').checked = true;
    syncTarget();
    ui.dialog.showModal();
    ui.question.focus();
    fillClosest().then(() => {
      const joined = entry && ui.form.querySelector(`input[name=target][value="${CSS.escape(entry)}"]`);
      if (joined) { joined.checked = true; syncTarget(); }
    });
  };
}
