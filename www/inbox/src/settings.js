// The settings page, for admins: the workspace's assistants (add one by its id, copy its
// embed snippet), and every setting of one assistant (docs/settings.md) grouped as a
// person thinks of them, each with its default and a short help line. Saving sends only
// the fields that changed; the API's refusals are shown beside their fields, and the
// visitor's messages are previewed with their placeholders filled in.
import { el, adminPage } from './render.js';
import {
  Problem, assignment, check, defaultTeam, eligible, languages, lines, message, number, optionalText, seconds, select,
} from './settings-fields.js';

const MODES = [
  ['bot_and_human', 'The assistant, then a person when needed'],
  ['bot_only', 'The assistant only: never a handover'],
  ['human_only', 'People only: every conversation goes straight to the queue'],
];
const RULES = [['off', 'Do not ask'], ['optional', 'Ask, optional'], ['required', 'Ask, required']];
const AVAILABILITY = [
  ['online_only', 'Online agents only: with nobody online, the visitor stays with the assistant'],
  ['online_and_offline', 'Online agents, else an offline one, who answers later'],
];

/** Each message's name on the page and when the visitor reads it. */
const MESSAGES = {
  welcome: ['Welcome', 'The greeting the widget shows first when a visitor opens a new chat, with a line on who answers; empty: no greeting.'],
  handover: ['Connecting to a person', 'When the queue accepts a handover (or an agent takes it at once).'],
  queue_position: ['Place in the queue', 'When the visitor\'s place is first known, and each time it moves; 1 is next.'],
  agent_assigned: ['An agent joined', 'When an agent claims the conversation or is given it.'],
  offline_agent: ['Given to an offline agent', 'When the conversation goes to an agent who is offline; empty: not sent.'],
  no_agent: ['Nobody available', 'When nobody eligible can take it, or nobody did before the queue timeout.'],
  dont_know: ['The assistant does not know', 'When there is no handover to offer: bot-only, or handing over on "don\'t know" is off.'],
  back_to_assistant: ['Back with the assistant', 'When the agent ends the handover, or the visitor stops waiting.'],
  closed: ['Chat closed', 'When the agent closes the chat.'],
  holder_silent: ['The agent stepped away', 'When a silent agent loses the conversation back to the queue; {agent} is that agent.'],
  transferred: ['Passed to a colleague', 'When the agent transfers the conversation; {agent} is that agent.'],
  suggestions: ['Did you mean…?', 'The suggestion step; {suggestions} is one "- question" per line, needed while suggestions are on.'],
  form: ['Before the form', 'Sent with the pre-handover form.'],
  message_left: ['A message left', 'When the visitor, nobody being available, leaves their email and a message for the team.'],
  rating_prompt: ['Asking for a rating', 'When a handover is resolved, or the assistant alone answered, with ratings on.'],
};

/** What the previews fill the placeholders with. */
const SAMPLE = {
  '{position}': '2',
  '{suggestions}': '- How long does shipping take?\n- Can I return an item?',
};

const get = (obj, path) => path.split('.').reduce((o, k) => o?.[k], obj);
function put(obj, path, value) {
  const keys = path.split('.');
  const last = keys.pop();
  let o = obj;
  for (const k of keys) o = o[k] ??= {};
  o[last] = value;
}
/** JSON with object keys sorted, so that equal values compare equal. */
const canonical = (v) => JSON.stringify(v, (_, x) => (x && typeof x === 'object' && !Array.isArray(x)
  ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1))) : x));

/**
 * `api` is the inbox's; `report(err)` shows an error that belongs to no form; `me()` is
 * the signed-in agent, whose name the previews give `{agent}`.
 */
export function setupSettings({ api, report, me = () => null }) {
  const view = document.querySelector('#settings-view');
  const title = document.querySelector('#settings-title');

  const status = el('p', { cls: 'muted st-status', attrs: { id: 'st-status', role: 'status' } });
  const assistantList = el('ul', { cls: 'st-assistants', attrs: { id: 'st-assistants' } });
  const addForm = el('form', { cls: 'st-inline st-add', attrs: { id: 'st-add', novalidate: '' } },
    el('label', { attrs: { for: 'st-add-id' }, text: 'New assistant\'s id' }),
    el('input', { attrs: { id: 'st-add-id', name: 'id', maxlength: 64, spellcheck: 'false', autocomplete: 'off', placeholder: 'shop', 'aria-describedby': 'st-add-help st-add-errors' } }),
    el('button', { attrs: { type: 'submit' }, text: 'Add assistant' }));
  const addErrors = el('ul', { cls: 'field-errors', attrs: { id: 'st-add-errors', 'aria-live': 'assertive' } });
  const picker = el('select', { attrs: { id: 'st-assistant', name: 'assistant' } });
  const form = el('form', { cls: 'st-form', attrs: { id: 'st-form', novalidate: '', 'aria-labelledby': 'st-form-title' } });
  const formErrors = el('ul', { cls: 'field-errors', attrs: { id: 'st-form-errors', 'aria-live': 'assertive' } });
  const save = el('button', { cls: 'primary', attrs: { type: 'submit', form: 'st-form' }, text: 'Save settings' });
  const undo = el('button', { cls: 'quiet', attrs: { type: 'button' }, text: 'Undo changes' });

  view.append(
    el('section', { cls: 'st-block', attrs: { 'aria-labelledby': 'st-assistants-title' } },
      el('h3', { attrs: { id: 'st-assistants-title' }, text: 'Assistants' }),
      el('p', { cls: 'muted', attrs: { id: 'st-add-help' }, text: 'Each has its own settings and knowledge. Paste an assistant\'s snippet into the pages of your site, before </body>. An id is 1 to 64 letters, digits, - and _.' }),
      assistantList, addForm, addErrors),
    el('div', { cls: 'st-head' },
      el('h3', { attrs: { id: 'st-form-title' }, text: 'Settings of' }),
      el('label', { cls: 'visually-hidden', attrs: { for: 'st-assistant' }, text: 'Assistant whose settings to change' }),
      picker),
    form,
    el('div', { cls: 'st-actions' }, save, undo, status),
  );

  /** As last read: the defaults and placeholders, the directory, the assistants, the settings. */
  let defaults = null;
  let directory = { teams: [], agents: [] };
  let assistants = [];
  let shown = null; // {assistant, settings}
  let fields = [];

  const say = (text) => { status.textContent = text; };
  const chosen = () => picker.value || 'default';
  const snippet = (id) => `<script src="${location.origin}/widget.js" data-assistant="${id}" async></script>`;

  // ---------- assistants ----------

  function renderAssistants() {
    const current = chosen();
    assistantList.replaceChildren(...assistants.map((a) => {
      const code = el('input', { cls: 'st-snippet', attrs: { id: `st-snippet-${a.id}`, readonly: '', spellcheck: 'false', value: snippet(a.id) } });
      const li = el('li', { cls: 'st-assistant' },
        el('div', { cls: 'st-inline' },
          el('strong', { cls: 'st-assistant-id', text: a.id }),
          el('span', { cls: 'muted', text: a.id === 'default' ? 'widgets without data-assistant' : a.id === 'demo' ? 'the demo page' : a.added_at ? `added ${new Date(a.added_at).toLocaleDateString()}` : '' }),
          el('button', { cls: 'quiet edit', attrs: { type: 'button', 'aria-label': `Edit settings of ${a.id}` }, text: 'Edit settings' })),
        el('div', { cls: 'st-inline' },
          el('label', { attrs: { for: `st-snippet-${a.id}` }, text: 'Embed snippet' }), code,
          el('button', { cls: 'copy', attrs: { type: 'button', 'aria-label': `Copy the embed snippet of ${a.id}` }, text: 'Copy' })));
      li.dataset.assistant = a.id;
      return li;
    }));
    picker.replaceChildren(...assistants.map((a) => el('option', { attrs: { value: a.id }, text: a.id })));
    picker.value = assistants.some((a) => a.id === current) ? current : 'default';
  }

  assistantList.addEventListener('click', async (ev) => {
    const li = ev.target.closest('li[data-assistant]');
    if (!li) return;
    const id = li.dataset.assistant;
    if (ev.target.closest('button.edit')) {
      if (!(await leave())) return;
      picker.value = id;
      await loadSettings();
      form.querySelector('input, select, textarea')?.focus();
    } else if (ev.target.closest('button.copy')) {
      const code = li.querySelector('input.st-snippet');
      try {
        if (!navigator.clipboard) throw new Error('no clipboard');
        await navigator.clipboard.writeText(code.value);
        say(`Copied the embed snippet of ${id}.`);
      } catch {
        // No clipboard here (or it was refused): the snippet, selected, to copy by hand.
        code.focus();
        code.select();
        say(`The snippet of ${id} is selected: press Ctrl+C (⌘C on a Mac) to copy it.`);
      }
    }
  });

  addForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const input = addForm.elements.id;
    addErrors.replaceChildren();
    input.removeAttribute('aria-invalid');
    const id = input.value.trim();
    try {
      await api.assistants.add(id);
      assistants = (await api.assistants.list()).assistants;
      input.value = '';
      renderAssistants();
      if (await leave()) {
        picker.value = id;
        await loadSettings();
      }
      say(`Added ${id}: its settings start at the defaults and its knowledge base is empty. Copy its snippet into your site.`);
      assistantList.querySelector(`li[data-assistant="${CSS.escape(id)}"] button.copy`)?.focus();
    } catch (err) {
      addErrors.replaceChildren(el('li', { text: err.message }));
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    }
  });

  // ---------- the settings form ----------

  function build() {
    const allowed = (key) => defaults.placeholders[key] ?? [];
    const sample = { ...SAMPLE, '{agent}': me()?.name ?? directory.agents[0]?.name ?? 'Ana' };
    const msg = (key) => message(key, MESSAGES[key][0], { help: MESSAGES[key][1], allowed: allowed(key), sample });
    const groups = [
      ['st-when', 'When to hand over', 'When a conversation goes from the assistant to a person.', [
        select('mode', 'Who answers', MODES, 'Whether the assistant answers, people do, or both.'),
        check('handover_on_unknown', 'Hand over when the assistant does not know', 'Off: the visitor reads "The assistant does not know" instead.'),
        check('handover_on_request', 'Hand over when the visitor asks for a person', 'At once, without asking the assistant, when the message has one of the phrases below.'),
        lines('request_phrases', 'Phrases that ask for a person, one per line', { none: 'none', noun: 'phrases' }, 'Whole words, ignoring case, accents and punctuation; this list replaces the shipped one.'),
        number('suggestions', 'Closest questions to offer first', { min: 0, max: 5 }, '"Did you mean…?" with up to this many of the assistant\'s closest questions before handing over; 0: no suggestion step.'),
        select('form.name', 'Ask for the visitor\'s name', RULES, 'In a form before the first handover of a conversation.'),
        select('form.email', 'Ask for the visitor\'s email', RULES, 'In the same form; an email needs an @ and a dotted domain.'),
        optionalText('bot_url', 'External bot', { none: 'none: the built-in assistant answers', placeholder: 'https://bot.example/answer' }, 'Empty: the built-in assistant answers from the knowledge base. An http(s) address: each question is sent there instead (docs/protocol.md, "External bot").'),
      ]],
      ['st-read', 'What the visitor reads', 'Plain text, at most 4,000 characters each; an empty message is not sent.', [
        msg('welcome'), msg('handover'), msg('queue_position'),
        check('notify_agent_assigned', 'Tell the visitor when an agent joins', 'Sends "An agent joined" below.'),
        msg('agent_assigned'), msg('offline_agent'), msg('no_agent'), msg('dont_know'), msg('back_to_assistant'),
        msg('closed'), msg('holder_silent'), msg('transferred'), msg('suggestions'), msg('form'),
        msg('message_left'),
      ]],
      ['st-who', 'Who receives handovers', 'Which agents may take this assistant\'s handovers, and how they reach them.', [
        eligible(directory), languages(directory), defaultTeam(directory),
        select('availability', 'With nobody online', AVAILABILITY, 'Whether an offline (or away) agent may be given the conversation.'),
        assignment(),
      ]],
      ['st-timers', 'Timers', 'A timer already running keeps the length it started with.', [
        seconds('queue_timeout_secs', 'Cancel a handover nobody takes after', 'Wait for ever', 'The visitor then reads "Nobody available".'),
        seconds('holder_silence_secs', 'Put it back in the queue when the agent is silent for', 'Never', 'From the claim, or from the visitor\'s first unanswered message.'),
        seconds('visitor_leave_secs', 'The visitor has left when gone for', 'Never', 'Their last tab closed and not back: a waiting handover is cancelled, a held one ends.'),
      ]],
      ['st-ratings', 'Ratings', 'The visitor rates a resolved handover, or a chat the assistant answered alone, 1 to 5, once, with an optional comment.', [
        check('rating', 'Ask the visitor for a rating', 'Off: no prompt, and ratings are refused.'),
        seconds('assistant_rating_secs', 'Ask a visitor the assistant alone answered, when quiet for', 'Never', 'Counted from the assistant\'s last reply; a message from the visitor puts it off.'),
        msg('rating_prompt'),
      ]],
      ['st-site', 'The site', 'Where the widget may start chats with this assistant.', [
        lines('allowed_origins', 'Allowed sites, one per line', { none: 'none: any site', noun: 'sites' }, 'Such as https://shop.example or http://localhost:8080, with no path. Empty: any site. The demo page is on this Baton\'s own address.'),
      ]],
    ];
    fields = groups.flatMap(([, , , list]) => list);
    form.replaceChildren(...groups.map(([id, heading, intro, list]) => el('section', { cls: 'st-group', attrs: { 'aria-labelledby': id } },
      el('h4', { attrs: { id }, text: heading }),
      el('p', { cls: 'muted st-intro', text: intro }),
      ...list.map((f) => f.node))), formErrors);
    for (const f of fields) f.setDefault(get(defaults.settings, f.path));
  }

  function fill(settings) {
    for (const f of fields) f.fill(get(settings, f.path));
    clearErrors();
  }

  function clearErrors() {
    for (const f of fields) f.showErrors([]);
    formErrors.replaceChildren();
  }

  /** The fields that differ from what is stored, as a PUT body; throws {problems}. */
  function changes() {
    const patch = {};
    const problems = [];
    for (const f of fields) {
      let value;
      try {
        value = f.read();
      } catch (err) {
        if (!(err instanceof Problem)) throw err;
        problems.push({ field: f.path, problem: err.message });
        continue;
      }
      if (canonical(value) !== canonical(get(shown.settings, f.path))) put(patch, f.path, value);
    }
    if (problems.length) throw Object.assign(new Error('not saved'), { fields: problems });
    return patch;
  }

  /** The field a refusal names: the one whose path is the longest start of it. */
  function fieldFor(name) {
    let best = null;
    for (const f of fields) {
      const starts = name === f.path || name.startsWith(`${f.path}.`) || name.startsWith(`${f.path}[`);
      if (starts && (!best || f.path.length > best.path.length)) best = f;
    }
    return best;
  }

  function showErrors(err) {
    clearErrors();
    const byField = new Map();
    const loose = [];
    for (const { field, problem } of err.fields?.length ? err.fields : [{ field: '', problem: err.message }]) {
      const f = field ? fieldFor(field) : null;
      if (!f) loose.push(field ? `${field}: ${problem}` : problem);
      else byField.set(f, [...(byField.get(f) ?? []), field === f.path ? problem : `${field.slice(f.path.length).replace(/^\./, '')}: ${problem}`]);
    }
    for (const [f, texts] of byField) f.showErrors(texts);
    formErrors.replaceChildren(...loose.map((text) => el('li', { text })));
    const count = byField.size + loose.length;
    say(`Not saved: ${count === 1 ? 'one problem' : `${count} problems`}, shown beside ${byField.size === 1 && !loose.length ? 'its field' : 'the fields'}. Nothing changed.`);
    const first = fields.find((f) => byField.has(f));
    if (first) first.focus();
    else formErrors.scrollIntoView?.({ block: 'nearest' });
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!shown) return;
    let patch;
    try {
      patch = changes();
    } catch (err) {
      if (!err.fields) throw err;
      showErrors(err);
      return;
    }
    if (!Object.keys(patch).length) {
      clearErrors();
      say('Nothing to save: no setting was changed.');
      return;
    }
    const { assistant } = shown;
    save.disabled = true;
    try {
      const settings = await api.settings.put(assistant, patch);
      shown = { assistant, settings };
      fill(settings);
      if (!assistants.some((a) => a.id === assistant)) await loadAssistants();
      say(`Saved the settings of ${assistant}. New conversations follow them at once, those under way within moments.`);
    } catch (err) {
      if (err.status === 400) showErrors(err);
      else report(err);
    } finally {
      save.disabled = false;
    }
  });

  undo.addEventListener('click', () => {
    if (!shown) return;
    fill(shown.settings);
    say('Back to the stored settings.');
  });

  function unchanged() {
    try { return !Object.keys(changes()).length; } catch { return false; }
  }

  /** Whether the page may show something else: nothing unsaved, or the admin agrees to drop it. */
  async function leave() {
    return !shown || unchanged()
      || window.confirm(`The settings of ${shown.assistant} have changes that are not saved. Drop them?`);
  }

  picker.addEventListener('change', async () => {
    const next = picker.value;
    if (shown) picker.value = shown.assistant;
    if (!(await leave())) return;
    picker.value = next;
    await loadSettings();
  });

  async function loadAssistants() {
    assistants = (await api.assistants.list()).assistants;
    renderAssistants();
  }

  async function loadSettings() {
    const assistant = chosen();
    say(`Reading the settings of ${assistant}…`);
    try {
      const settings = await api.settings.get(assistant);
      if (assistant !== chosen()) return;
      shown = { assistant, settings };
      fill(settings);
      say('');
    } catch (err) {
      say('');
      report(err);
    }
  }

  /** Everything read again and the form built anew, unless it holds unsaved changes. */
  async function load() {
    if (shown && !unchanged()) {
      await loadAssistants().catch(report);
      return;
    }
    try {
      const [d, dir] = await Promise.all([defaults ?? api.settings.defaults(), api.directory()]);
      defaults = d;
      directory = { teams: dir.teams ?? [], agents: dir.agents ?? [] };
      await loadAssistants();
      build();
      await loadSettings();
    } catch (err) {
      report(err);
    }
  }

  return adminPage(view, title, load);
}
