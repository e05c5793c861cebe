// The knowledge page, for admins: one assistant's entries with a search, add, edit and
// delete; import and export; the answers agents saved, waiting to be published; and the
// questions the assistant could not answer, each with "Answer this".
import { el, saveFile, adminPage, showProblems } from './render.js';

/**
 * `api` is the inbox's; `learn(options)` opens the "Save as answer" form; `report(err)`
 * shows an error that belongs to no form.
 */
export function setupKnowledge({ api, learn, report }) {
  const $ = (sel) => document.querySelector(sel);
  const ui = {
    view: $('#knowledge-view'), title: $('#kb-title'), assistant: $('#kb-assistant'), status: $('#kb-status'),
    entries: $('#kb-entries'), entriesCount: $('#kb-entries-count'), entriesEmpty: $('#kb-entries-empty'),
    search: $('#kb-search'), add: $('#kb-add'),
    form: $('#kb-entry-form'), formTitle: $('#kb-entry-form-title'), formErrors: $('#kb-entry-form .field-errors'),
    cancel: $('#kb-entry-cancel'),
    suggestions: $('#kb-suggestions'), suggestionsCount: $('#kb-suggestions-count'), suggestionsEmpty: $('#kb-suggestions-empty'),
    unanswered: $('#kb-unanswered'), unansweredEmpty: $('#kb-unanswered-empty'),
    importForm: $('#kb-import'), file: $('#kb-file'), mode: $('#kb-mode'), importErrors: $('#kb-import-errors'),
    exportJson: $('#kb-export-json'), exportCsv: $('#kb-export-csv'),
  };
  /** {assistant, revision, entries, suggestions, unanswered} as last read. */
  let kb = { assistant: 'default', revision: 0, entries: [], suggestions: [], unanswered: [] };
  /** The entry being edited (its id), or null for a new one. */
  let editing = null;

  const assistant = () => ui.assistant.value.trim() || 'default';
  const say = (text) => { ui.status.textContent = text; };

  // Only the latest load draws: an older one answering late (the view opened, then an
  // import) would put back the entries as they were before.
  let loads = 0;
  async function load() {
    const a = assistant();
    const mine = ++loads;
    try {
      const [read, waiting, figures] = await Promise.all([
        api.knowledge.list(a), api.knowledge.suggestions(a), api.analytics(a),
      ]);
      if (a !== assistant() || mine !== loads) return;
      kb = { assistant: a, revision: read.revision, entries: read.entries, suggestions: waiting.suggestions, unanswered: figures.unanswered ?? [] };
      render();
    } catch (err) {
      report(err);
    }
  }

  function matches(entry, words) {
    const text = [entry.id, entry.answer, ...entry.questions].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  }

  function render() {
    const words = ui.search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = kb.entries.filter((e) => matches(e, words));
    ui.entriesCount.textContent = words.length ? `${shown.length} of ${kb.entries.length}` : String(kb.entries.length);
    ui.entries.replaceChildren(...shown.map(entryItem));
    ui.entriesEmpty.hidden = shown.length > 0;
    ui.entriesEmpty.textContent = kb.entries.length ? 'No entry matches the search.' : 'No entries: this assistant hands every question over.';

    ui.suggestionsCount.textContent = String(kb.suggestions.length);
    ui.suggestions.replaceChildren(...kb.suggestions.map(suggestionItem));
    ui.suggestionsEmpty.hidden = kb.suggestions.length > 0;

    ui.unanswered.replaceChildren(...kb.unanswered.map(unansweredItem));
    ui.unansweredEmpty.hidden = kb.unanswered.length > 0;
  }

  function entryItem(entry) {
    const li = el('li', { cls: 'kb-entry' },
      el('div', { cls: 'kb-questions' }, ...entry.questions.map((q) => el('span', { cls: 'kb-question', text: q }))),
      el('p', { cls: 'kb-answer', text: entry.answer }),
      el('p', { cls: 'muted kb-meta', text: `${entry.id}${entry.handover ? ' · hands over after answering' : ''}` }),
      el('div', { cls: 'kb-row' },
        el('button', { cls: 'quiet edit', attrs: { type: 'button', 'aria-label': `Edit ${entry.id}` }, text: 'Edit' }),
        el('button', { cls: 'quiet danger delete', attrs: { type: 'button', 'aria-label': `Delete ${entry.id}` }, text: 'Delete' })));
    li.dataset.entry = entry.id;
    return li;
  }

  function suggestionItem(s) {
    const what = s.entry ? `as another question of ${s.entry}` : s.answer;
    const li = el('li', { cls: 'kb-suggestion' },
      el('p', { cls: 'kb-question', text: s.question }),
      el('p', { cls: 'kb-answer', text: what }),
      el('p', { cls: 'muted kb-meta', text: `saved by ${s.agent.name}` }),
      el('div', { cls: 'kb-row' },
        el('button', { cls: 'primary publish', attrs: { type: 'button' }, text: 'Publish' }),
        el('button', { cls: 'quiet edit', attrs: { type: 'button' }, text: 'Edit…' }),
        el('button', { cls: 'quiet discard', attrs: { type: 'button' }, text: 'Discard' })));
    li.dataset.suggestion = String(s.id);
    return li;
  }

  function unansweredItem(u) {
    const li = el('li', { cls: 'kb-unanswered' },
      el('span', { cls: 'kb-question', text: u.question }),
      el('span', { cls: 'muted', text: ` asked ${u.count} ${u.count === 1 ? 'time' : 'times'} ` }),
      el('button', { cls: 'answer-this', attrs: { type: 'button' }, text: 'Answer this' }));
    li.dataset.question = u.question;
    return li;
  }

  function openForm(entry) {
    editing = entry?.id ?? null;
    ui.formTitle.textContent = entry ? `Edit ${entry.id}` : 'New entry';
    const f = ui.form.elements;
    f.id.value = entry?.id ?? '';
    f.id.disabled = Boolean(entry);
    f.questions.value = (entry?.questions ?? []).join('\n');
    f.answer.value = entry?.answer ?? '';
    f.handover.checked = Boolean(entry?.handover);
    ui.formErrors.replaceChildren();
    ui.form.hidden = false;
    (entry ? f.questions : f.id).focus();
  }

  ui.add.addEventListener('click', () => openForm(null));
  ui.cancel.addEventListener('click', () => { ui.form.hidden = true; ui.add.focus(); });
  ui.search.addEventListener('input', render);
  ui.assistant.addEventListener('change', load);

  ui.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ui.form.elements;
    const body = {
      id: f.id.value.trim(),
      questions: f.questions.value.split('\n').map((q) => q.trim()).filter(Boolean),
      answer: f.answer.value,
      handover: f.handover.checked,
    };
    try {
      const { entry } = editing
        ? await api.knowledge.change(kb.assistant, editing, body)
        : await api.knowledge.add(kb.assistant, body);
      ui.form.hidden = true;
      await load();
      say(`Saved ${entry.id}. Conversations answer from it within moments.`);
      ui.entries.querySelector(`li[data-entry="${CSS.escape(entry.id)}"] button.edit`)?.focus();
    } catch (err) {
      showProblems(ui.formErrors, err);
    }
  });

  ui.entries.addEventListener('click', async (ev) => {
    const id = ev.target.closest('li[data-entry]')?.dataset.entry;
    const entry = kb.entries.find((e) => e.id === id);
    if (!entry) return;
    if (ev.target.closest('button.edit')) openForm(entry);
    else if (ev.target.closest('button.delete')) {
      if (!window.confirm(`Delete the entry ${id}? The assistant will no longer answer its questions.`)) return;
      try {
        await api.knowledge.remove(kb.assistant, id);
        await load();
        say(`Deleted ${id}.`);
      } catch (err) {
        report(err);
      }
    }
  });

  ui.suggestions.addEventListener('click', async (ev) => {
    const id = Number(ev.target.closest('li[data-suggestion]')?.dataset.suggestion);
    const s = kb.suggestions.find((x) => x.id === id);
    if (!s) return;
    try {
      let done;
      if (ev.target.closest('button.publish')) {
        const { entry } = await api.knowledge.publish(kb.assistant, id);
        done = `Published into ${entry.id}.`;
      } else if (ev.target.closest('button.discard')) {
        await api.knowledge.discard(kb.assistant, id);
        done = 'Discarded.';
      } else if (ev.target.closest('button.edit')) {
        learn({ assistant: kb.assistant, question: s.question, answer: s.answer, suggestion: id, entry: s.entry });
        return;
      } else return;
      await load();
      say(done);
    } catch (err) {
      report(err);
    }
  });

  ui.unanswered.addEventListener('click', (ev) => {
    const question = ev.target.closest('button.answer-this') && ev.target.closest('li')?.dataset.question;
    if (question) learn({ assistant: kb.assistant, question });
  });

  ui.importForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    ui.importErrors.replaceChildren();
    const file = ui.file.files?.[0];
    if (!file) {
      showProblems(ui.importErrors, { message: 'Choose a JSON or CSV file first.' });
      return;
    }
    const csv = file.name.toLowerCase().endsWith('.csv') || file.type === 'text/csv';
    try {
      const res = await api.knowledge.import(kb.assistant, ui.mode.value, await file.text(), csv ? 'text/csv' : 'application/json');
      ui.importForm.reset();
      await load();
      say(`Imported ${file.name}: ${res.entries} entries now.`);
    } catch (err) {
      showProblems(ui.importErrors, err);
    }
  });

  async function download(format) {
    try {
      const body = await api.knowledge.export(kb.assistant, format);
      const text = typeof body === 'string' ? body : JSON.stringify(body, null, 2);
      saveFile(`knowledge-${kb.assistant}.${format}`, text, format === 'csv' ? 'text/csv' : 'application/json');
    } catch (err) {
      report(err);
    }
  }
  ui.exportJson.addEventListener('click', () => download('json'));
  ui.exportCsv.addEventListener('click', () => download('csv'));

  return {
    ...adminPage(ui.view, ui.title, load),
    /** After a save or a publish from the form: read it all again when shown. */
    refresh() { if (!ui.view.hidden) load(); },
  };
}
