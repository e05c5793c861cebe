// The settings page's fields, one builder per kind of control. A field is
// {path, node, read(), fill(value), setDefault(value), showErrors(texts), focus()}: `path`
// is the setting's dotted name in the API (`messages.handover`); `read()` gives the value
// to send, or throws a Problem shown beside the field; `node` holds the label, the
// control, a help line, the default and the field's errors, all tied to the control.
import { el } from './render.js';

/** Something the page can tell before asking the server (a number left blank). */
export class Problem extends Error {}

const idOf = (path) => `st-${path.replace(/[^a-z0-9]+/gi, '-')}`;

/** "5 min", "2 h", "7 days", "90 s". */
export function humanSeconds(s) {
  const units = [[86400, 'day'], [3600, 'h'], [60, 'min']];
  for (const [size, unit] of units) {
    if (s >= size && s % size === 0) {
      const n = s / size;
      return unit === 'day' ? `${n} ${n === 1 ? 'day' : 'days'}` : `${n} ${unit}`;
    }
  }
  return `${s} s`;
}

/**
 * The frame of every field. `build({id, described})` makes the controls and gives
 * {controls, read, fill, focus, invalid?}; `as` is `label` (a label for the control
 * `id`), `fieldset` (a group of controls under a legend) or `own` (the controls carry
 * their own label, as a checkbox does).
 */
function field(path, { label, help, describe, as = 'label' }, build) {
  const id = idOf(path);
  const described = `${id}-help ${id}-default ${id}-errors`;
  const helpLine = el('p', { cls: 'st-help muted', attrs: { id: `${id}-help` } },
    help ? document.createTextNode(`${help} `) : null, el('code', { text: path }));
  const defaultLine = el('p', { cls: 'st-default muted', attrs: { id: `${id}-default` } });
  const errors = el('ul', { cls: 'field-errors', attrs: { id: `${id}-errors`, 'aria-live': 'polite' } });
  const parts = build({ id, described });
  const tail = [helpLine, defaultLine, errors];
  let node;
  if (as === 'fieldset') {
    node = el('fieldset', { cls: 'st-field', attrs: { 'aria-describedby': described } },
      el('legend', { text: label }), ...parts.controls, ...tail);
  } else if (as === 'own') {
    node = el('div', { cls: 'st-field' }, ...parts.controls, ...tail);
  } else {
    node = el('div', { cls: 'st-field' }, el('label', { attrs: { for: id }, text: label }), ...parts.controls, ...tail);
  }
  node.dataset.field = path;
  let fallback;
  return {
    path,
    node,
    read: parts.read,
    fill: parts.fill,
    focus: parts.focus,
    /** The default, shown as words; `use` puts it in the control ("Use the default"). */
    setDefault(value) {
      fallback = value;
      defaultLine.replaceChildren(document.createTextNode(`Default: ${describe(value)}`));
      if (parts.resettable) {
        const use = el('button', { cls: 'quiet st-use-default', attrs: { type: 'button', 'aria-label': `Use the default for ${label}` }, text: 'Use the default' });
        use.addEventListener('click', () => { parts.fill(fallback); parts.changed?.(); });
        defaultLine.append(' ', use);
      }
    },
    showErrors(texts) {
      errors.replaceChildren(...texts.map((text) => el('li', { text })));
      node.classList.toggle('st-invalid', texts.length > 0);
      parts.invalid?.(texts.length > 0);
    },
  };
}

const markInvalid = (...controls) => (on) => {
  for (const c of controls) {
    if (on) c.setAttribute('aria-invalid', 'true');
    else c.removeAttribute('aria-invalid');
  }
};

/** A choice among `options`, [[value, words]]. */
export function select(path, label, options, help) {
  const words = new Map(options);
  return field(path, { label, help, describe: (v) => words.get(v) ?? String(v) }, ({ id, described }) => {
    const s = el('select', { attrs: { id, name: path, 'aria-describedby': described } },
      ...options.map(([value, text]) => el('option', { attrs: { value }, text })));
    return {
      controls: [s],
      read: () => s.value,
      fill: (v) => { s.value = v; },
      focus: () => s.focus(),
      invalid: markInvalid(s),
    };
  });
}

/** On or off. */
export function check(path, label, help) {
  return field(path, { label, help, describe: (v) => (v ? 'on' : 'off'), as: 'own' }, ({ id, described }) => {
    const box = el('input', { attrs: { id, name: path, type: 'checkbox', 'aria-describedby': described } });
    return {
      controls: [el('label', { cls: 'check', attrs: { for: id } }, box, document.createTextNode(label))],
      read: () => box.checked,
      fill: (v) => { box.checked = Boolean(v); },
      focus: () => box.focus(),
      invalid: markInvalid(box),
    };
  });
}

/** A whole number from `min` to `max`. */
export function number(path, label, { min, max }, help) {
  return field(path, { label, help, describe: String }, ({ id, described }) => {
    const input = el('input', { cls: 'st-number', attrs: { id, name: path, type: 'number', min, max, step: 1, inputmode: 'numeric', 'aria-describedby': described } });
    return {
      controls: [input],
      read: () => {
        if (input.value.trim() === '') throw new Problem(`write a number from ${min} to ${max}`);
        return Number(input.value);
      },
      fill: (v) => { input.value = String(v); },
      focus: () => input.focus(),
      invalid: markInvalid(input),
    };
  });
}

/** Seconds, or never (`null`). */
export function seconds(path, label, never, help) {
  const describe = (v) => (v == null ? never.toLowerCase() : `${v} seconds (${humanSeconds(v)})`);
  return field(path, { label, help, describe, as: 'fieldset' }, ({ id, described }) => {
    const input = el('input', { cls: 'st-number', attrs: { id, name: path, type: 'number', min: 1, max: 604800, step: 1, inputmode: 'numeric', 'aria-describedby': described } });
    const off = el('input', { attrs: { id: `${id}-never`, type: 'checkbox', 'aria-describedby': described } });
    const words = el('span', { cls: 'muted st-human', attrs: { 'aria-hidden': 'true' } });
    const sync = () => {
      input.disabled = off.checked;
      const n = Number(input.value);
      words.textContent = !off.checked && input.value && Number.isInteger(n) && n > 0 ? `= ${humanSeconds(n)}` : '';
    };
    input.addEventListener('input', sync);
    off.addEventListener('change', sync);
    return {
      controls: [el('div', { cls: 'st-inline' },
        el('label', { cls: 'visually-hidden', attrs: { for: id }, text: `${label}, in seconds` }),
        input, el('span', { attrs: { 'aria-hidden': 'true' }, text: 'seconds' }), words,
        el('label', { cls: 'check', attrs: { for: `${id}-never` } }, off, document.createTextNode(never)))],
      read: () => {
        if (off.checked) return null;
        if (input.value.trim() === '') throw new Problem(`write how many seconds, or choose "${never}"`);
        return Number(input.value);
      },
      fill: (v) => {
        off.checked = v == null;
        input.value = v == null ? '' : String(v);
        sync();
      },
      focus: () => (off.checked ? off : input).focus(),
      invalid: markInvalid(input),
    };
  });
}

/** A list of strings, one per line; blank lines dropped. */
export function lines(path, label, { none, noun }, help) {
  const describe = (v) => {
    if (!v.length) return none;
    const shown = v.slice(0, 3).map((s) => `"${s}"`).join(', ');
    return v.length > 3 ? `${v.length} ${noun}: ${shown}, …` : shown;
  };
  return field(path, { label, help, describe }, ({ id, described }) => {
    const area = el('textarea', { attrs: { id, name: path, rows: 4, spellcheck: 'false', 'aria-describedby': described } });
    return {
      controls: [area],
      read: () => area.value.split('\n').map((s) => s.trim()).filter(Boolean),
      fill: (v) => { area.value = v.join('\n'); },
      focus: () => area.focus(),
      invalid: markInvalid(area),
    };
  });
}

/** One line of text, or `null` when left empty. */
export function optionalText(path, label, { none, placeholder }, help) {
  return field(path, { label, help, describe: (v) => v ?? none }, ({ id, described }) => {
    const input = el('input', { attrs: { id, name: path, type: 'url', placeholder, spellcheck: 'false', 'aria-describedby': described } });
    return {
      controls: [input],
      read: () => input.value.trim() || null,
      fill: (v) => { input.value = v ?? ''; },
      focus: () => input.focus(),
      invalid: markInvalid(input),
    };
  });
}

/**
 * What the visitor reads with `template`'s placeholders filled in from `sample`, as the
 * Worker fills them (only `allowed` ones); `stray` lists any other `{word}`.
 */
export function preview(template, allowed, sample) {
  const stray = [];
  const text = template.replace(/\{[^{}\s]*\}/g, (token) => {
    if (allowed.includes(token)) return sample[token] ?? token;
    stray.push(token);
    return token;
  });
  return { text, stray, off: !template.trim() };
}

/** A message the visitor reads, with its placeholders, a preview and "Use the default". */
export function message(key, label, { help, allowed, sample }) {
  const path = `messages.${key}`;
  const describe = (v) => (v.trim() ? `"${v}"` : 'empty: not sent');
  return field(path, { label, help, describe }, ({ id, described }) => {
    const area = el('textarea', { attrs: { id, name: path, rows: 2, maxlength: 4000, 'aria-describedby': `${described} ${id}-preview` } });
    const can = allowed.length
      ? `Placeholders: ${allowed.join(', ')}`
      : 'No placeholders.';
    const shown = el('output', { cls: 'st-preview-text', attrs: { for: id } });
    const stray = el('p', { cls: 'st-stray' });
    const box = el('div', { cls: 'st-preview', attrs: { id: `${id}-preview` } },
      el('span', { cls: 'st-preview-label', text: 'The visitor reads: ' }), shown, stray);
    const update = () => {
      const p = preview(area.value, allowed, sample);
      shown.textContent = p.off ? '(nothing: an empty message is not sent)' : p.text;
      shown.classList.toggle('muted', p.off);
      stray.textContent = p.stray.length
        ? `${p.stray.join(', ')} ${p.stray.length === 1 ? 'is' : 'are'} not filled in here. ${allowed.length ? `This message can use ${allowed.join(', ')}.` : 'This message takes no placeholders.'}`
        : '';
    };
    area.addEventListener('input', update);
    return {
      controls: [area, el('p', { cls: 'st-placeholders muted', text: can }), box],
      read: () => area.value,
      fill: (v) => { area.value = v; update(); },
      changed: update,
      resettable: true,
      focus: () => area.focus(),
      invalid: markInvalid(area),
    };
  });
}

/** `routing.eligible`: everyone, or chosen teams and agents (ticked from the directory). */
export function eligible(directory) {
  const path = 'routing.eligible';
  const describe = (v) => (v === 'everyone' ? 'every agent' : 'the chosen teams and agents');
  return field(path, { label: 'Who may take a handover', help: 'Others cannot claim it, and it is never assigned to them.', describe, as: 'fieldset' }, ({ id, described }) => {
    const everyone = el('input', { attrs: { id: `${id}-everyone`, type: 'radio', name: path, value: 'everyone', 'aria-describedby': described } });
    const chosen = el('input', { attrs: { id: `${id}-chosen`, type: 'radio', name: path, value: 'chosen', 'aria-describedby': described } });
    const picks = el('div', { cls: 'st-picks' });
    let teams = [];
    let agents = [];
    const box = (kind, value, text, on) => {
      const cid = `${id}-${kind}-${value.replace(/[^a-z0-9]+/gi, '-')}`;
      const input = el('input', { attrs: { id: cid, type: 'checkbox', value } });
      input.checked = on;
      input.dataset.kind = kind;
      return el('label', { cls: 'check', attrs: { for: cid } }, input, document.createTextNode(text));
    };
    const sync = () => {
      for (const input of picks.querySelectorAll('input')) input.disabled = !chosen.checked;
    };
    everyone.addEventListener('change', sync);
    chosen.addEventListener('change', sync);
    return {
      controls: [
        el('label', { cls: 'check', attrs: { for: `${id}-everyone` } }, everyone, document.createTextNode('Every agent')),
        el('label', { cls: 'check', attrs: { for: `${id}-chosen` } }, chosen, document.createTextNode('Only these teams and agents:')),
        picks,
      ],
      read: () => {
        if (everyone.checked) return 'everyone';
        const ticked = (kind) => [...picks.querySelectorAll(`input[data-kind=${kind}]:checked`)].map((i) => i.value);
        return { chosen: { teams: ticked('team'), agents: ticked('agent') } };
      },
      fill: (v) => {
        ({ teams = [], agents = [] } = v?.chosen ?? {});
        everyone.checked = v === 'everyone';
        chosen.checked = v !== 'everyone';
        // The directory's, and any the settings name that it no longer has.
        const teamIds = [...new Set([...directory.teams, ...teams])];
        const people = [...directory.agents.map((a) => [a.id, a.name]),
          ...agents.filter((a) => !directory.agents.some((d) => d.id === a)).map((a) => [a, `${a} (not an agent any more)`])];
        picks.replaceChildren(
          el('p', { cls: 'st-picks-title muted', text: teamIds.length ? 'Teams' : 'No teams yet: add them on the Team page.' }),
          ...teamIds.map((t) => box('team', t, teamName(directory, t), teams.includes(t))),
          el('p', { cls: 'st-picks-title muted', text: 'Agents' }),
          ...people.map(([aid, name]) => box('agent', aid, name, agents.includes(aid))));
        sync();
      },
      focus: () => (everyone.checked ? everyone : chosen).focus(),
      invalid: markInvalid(everyone, chosen),
    };
  });
}

/** A team's id as a picker shows it: one the settings name that the workspace no longer has, said so. */
const teamName = (directory, team) => (directory.teams.includes(team) ? team : `${team} (no such team now)`);

/** A team picker's options: none (`''`), then every team, and `current` if it is not one. */
function teamOptions(directory, current, none) {
  const teams = [...new Set([...directory.teams, ...(current ? [current] : [])])];
  return [el('option', { attrs: { value: '' }, text: none }),
    ...teams.map((t) => el('option', { attrs: { value: t }, text: teamName(directory, t) }))];
}

/** `routing.default_team`: a team, or none (`null`). */
export function defaultTeam(directory) {
  const none = 'None: every eligible agent';
  return field('routing.default_team', {
    label: 'Default team',
    help: 'For a visitor whose language has no team of its own.',
    describe: (v) => v ?? none.toLowerCase(),
  }, ({ id, described }) => {
    const s = el('select', { attrs: { id, name: 'routing.default_team', 'aria-describedby': described } });
    return {
      controls: [s],
      read: () => s.value || null,
      fill: (v) => { s.replaceChildren(...teamOptions(directory, v, none)); s.value = v ?? ''; },
      focus: () => s.focus(),
      invalid: markInvalid(s),
    };
  });
}

/** `routing.languages`: rows of a language tag and its team, added and removed. */
export function languages(directory) {
  const path = 'routing.languages';
  const describe = (v) => (Object.keys(v).length ? Object.entries(v).map(([l, t]) => `${l} → ${t}`).join(', ') : 'none: every language alike');
  return field(path, {
    label: 'Teams by the visitor\'s language',
    help: 'A visitor whose language has a team goes to that team only; pt-br falls back to pt.',
    describe,
    as: 'fieldset',
  }, ({ id, described }) => {
    const rows = el('ul', { cls: 'st-languages' });
    const add = el('button', { attrs: { type: 'button', 'aria-describedby': described }, text: 'Add a language' });
    let n = 0;
    const row = (tag = '', team = '') => {
      n += 1;
      const tid = `${id}-${n}`;
      const tagInput = el('input', { cls: 'st-tag', attrs: { id: `${tid}-tag`, value: tag, maxlength: 16, spellcheck: 'false', placeholder: 'es', 'data-role': 'tag' } });
      const teamSelect = el('select', { attrs: { id: `${tid}-team`, 'data-role': 'team' } }, ...teamOptions(directory, team, 'choose a team'));
      teamSelect.value = team;
      const remove = el('button', { cls: 'quiet danger', attrs: { type: 'button' }, text: 'Remove' });
      const li = el('li', { cls: 'st-inline' },
        el('label', { attrs: { for: `${tid}-tag` }, text: 'Language' }), tagInput,
        el('label', { attrs: { for: `${tid}-team` }, text: 'goes to' }), teamSelect, remove);
      remove.setAttribute('aria-label', `Remove the language ${tag || 'row'}`);
      remove.addEventListener('click', () => { li.remove(); add.focus(); });
      return li;
    };
    add.addEventListener('click', () => {
      const li = row();
      rows.append(li);
      li.querySelector('input').focus();
    });
    return {
      controls: [rows, add],
      read: () => Object.fromEntries([...rows.children].map((li) => [
        li.querySelector('[data-role=tag]').value.trim().toLowerCase(),
        li.querySelector('[data-role=team]').value,
      ])),
      fill: (v) => { rows.replaceChildren(...Object.entries(v).map(([tag, team]) => row(tag, team))); },
      focus: () => (rows.querySelector('input') ?? add).focus(),
      invalid: (on) => markInvalid(...rows.querySelectorAll('input, select'))(on),
    };
  });
}

/** `assignment`: agents claim, or the least busy is given it, up to a number of chats. */
export function assignment() {
  const path = 'assignment';
  const describe = (v) => (v === 'claim' ? 'agents claim from the queue' : `auto-assign, at most ${v.auto_assign.max_chats} chats each`);
  return field(path, { label: 'How a handover reaches an agent', help: 'Auto-assign gives it at once to the least busy eligible online agent with room; with everyone full it waits in the queue.', describe, as: 'fieldset' }, ({ id, described }) => {
    const claim = el('input', { attrs: { id: `${id}-claim`, type: 'radio', name: path, value: 'claim', 'aria-describedby': described } });
    const auto = el('input', { attrs: { id: `${id}-auto`, type: 'radio', name: path, value: 'auto', 'aria-describedby': described } });
    const max = el('input', { cls: 'st-number', attrs: { id: `${id}-max`, type: 'number', min: 1, max: 100, step: 1, inputmode: 'numeric', 'aria-describedby': described } });
    const sync = () => { max.disabled = !auto.checked; };
    claim.addEventListener('change', sync);
    auto.addEventListener('change', sync);
    return {
      controls: [
        el('label', { cls: 'check', attrs: { for: `${id}-claim` } }, claim, document.createTextNode('Agents claim handovers from the queue')),
        el('div', { cls: 'st-inline' },
          el('label', { cls: 'check', attrs: { for: `${id}-auto` } }, auto, document.createTextNode('Auto-assign, at most')),
          el('label', { cls: 'visually-hidden', attrs: { for: `${id}-max` }, text: 'Most chats per agent' }), max,
          el('span', { attrs: { 'aria-hidden': 'true' }, text: 'open chats per agent' })),
      ],
      read: () => {
        if (claim.checked) return 'claim';
        if (max.value.trim() === '') throw new Problem('write the most chats an agent is given, from 1 to 100');
        return { auto_assign: { max_chats: Number(max.value) } };
      },
      fill: (v) => {
        claim.checked = v === 'claim';
        auto.checked = v !== 'claim';
        max.value = v === 'claim' ? '3' : String(v.auto_assign.max_chats);
        sync();
      },
      focus: () => (claim.checked ? claim : auto).focus(),
      invalid: markInvalid(max),
    };
  });
}
