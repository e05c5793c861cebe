// The analytics page, for admins: one assistant's handovers over a period (the last 7,
// 30 or 90 days, or chosen days): the totals by status, which add up; handovers per day
// by outcome as a chart (uPlot, bundled from npm) with the same figures as a table; wait,
// first reply and resolution times (median and 90th percentile); per agent what they
// handled and how each turn ended, their first replies and ratings; ratings by path;
// the questions the assistant could not answer, each with "Answer this"; and the
// handover records of the period as CSV. The figures are the server's
// (GET /api/analytics, shared/src/analytics.rs); this page only shows them.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { el, saveFile, adminPage } from './render.js';

const DAY_MS = 86_400_000;

const RANGES = [['7', 'Last 7 days'], ['30', 'Last 30 days'], ['90', 'Last 90 days'], ['custom', 'Chosen days']];

/** The outcomes of a day's handovers, the bottom of each bar first. */
const OUTCOMES = [
  { key: 'resolved', label: 'Resolved', color: '#079455' },
  { key: 'in_progress', label: 'In progress', color: '#2f5bea' },
  { key: 'pending', label: 'Pending', color: '#dc6803' },
  { key: 'cancelled', label: 'Cancelled', color: '#667085' },
];

// Set through the CSSOM: the inbox's Content-Security-Policy refuses style attributes.
function swatch(color) {
  const span = el('span', { cls: 'an-swatch' });
  span.style.background = color;
  return span;
}

const TIMES = [
  ['wait', 'Wait', 'from the request to the first claim'],
  ['first_reply', 'First reply', 'from the first claim to the first reply'],
  ['resolution', 'Resolution', 'from the first claim to the end'],
];

/** A duration for people: "850 ms", "12 s", "4 min 5 s", "2 h 10 min", "3 d 4 h"; "—" for none. */
export function span(ms) {
  if (ms == null) return '—';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

const mean = (r) => (r.mean == null ? '—' : r.mean.toFixed(1));
const ratingText = (r) => (r.count ? `${mean(r)} from ${r.count} ${r.count === 1 ? 'rating' : 'ratings'}` : 'no ratings');
const dateOf = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);
const dayLabel = (date, long = false) => new Date(`${date}T00:00:00Z`).toLocaleDateString(undefined, long
  ? { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }
  : { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "UTC+05:30" for 330 minutes east of UTC. */
function offsetName(minutes) {
  const a = Math.abs(minutes);
  return `UTC${minutes < 0 ? '−' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * The handovers asked for: `choice` is a number of days up to today, or 'custom' with
 * `first` and `last` days (YYYY-MM-DD, both included). Days start at midnight at this
 * browser's offset from UTC now, as the server counts them.
 * Gives {from, to, utcOffset, first, last} or {error}.
 */
export function periodOf(choice, firstValue, lastValue, now = Date.now()) {
  const utcOffset = -new Date(now).getTimezoneOffset();
  const shift = utcOffset * 60_000;
  let first;
  let last;
  if (choice === 'custom') {
    const day = (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? Math.floor(Date.parse(`${v}T00:00:00Z`) / DAY_MS) : NaN);
    [first, last] = [day(firstValue), day(lastValue)];
    if (Number.isNaN(first) || Number.isNaN(last)) return { error: 'Choose the first and the last day.' };
    if (last < first) return { error: 'The last day is before the first.' };
  } else {
    last = Math.floor((now + shift) / DAY_MS);
    first = last - Number(choice) + 1;
  }
  return { from: first * DAY_MS - shift, to: (last + 1) * DAY_MS - shift, utcOffset, first: dateOf(first), last: dateOf(last) };
}

/**
 * `api` is the inbox's; `report(err)` shows an error that belongs to no form;
 * `learn(options)` opens the "Save as answer" form.
 */
export function setupAnalytics({ api, report, learn }) {
  const view = document.querySelector('#analytics-view');
  const title = document.querySelector('#analytics-title');
  const field = (label, control) => el('label', { cls: 'an-field' }, el('span', { text: label }), control);
  const block = (id, heading, ...children) => el('section', { cls: 'kb-block an-block', attrs: { 'aria-labelledby': id } },
    el('h3', { attrs: { id }, text: heading }), ...children);
  const table = (cls, heads) => {
    const body = el('tbody');
    const t = el('table', { cls: `an-table ${cls}` },
      el('thead', {}, el('tr', {}, ...heads.map((h, i) => el('th', { attrs: { scope: 'col' } },
        i === 0 && !h ? el('span', { cls: 'visually-hidden', text: 'What' }) : h)))),
      body);
    return { t, body };
  };

  const ui = {
    assistant: el('input', { attrs: { id: 'an-assistant', name: 'assistant', value: 'default', maxlength: '64', spellcheck: 'false', list: 'kb-assistants' } }),
    range: el('select', { attrs: { id: 'an-range', name: 'range' } }, ...RANGES.map(([v, text]) => el('option', { attrs: { value: v }, text }))),
    first: el('input', { attrs: { id: 'an-first', name: 'first', type: 'date' } }),
    last: el('input', { attrs: { id: 'an-last', name: 'last', type: 'date' } }),
    export: el('button', { attrs: { id: 'an-export', type: 'button' }, text: 'Export CSV' }),
    error: el('p', { cls: 'an-error', attrs: { id: 'an-error', role: 'alert' } }),
    status: el('p', { cls: 'muted', attrs: { id: 'an-status', 'aria-live': 'polite' } }),
    totals: el('dl', { cls: 'an-totals', attrs: { id: 'an-totals' } }),
    sum: el('p', { cls: 'muted', attrs: { id: 'an-sum' } }),
    cancelled: el('p', { cls: 'muted', attrs: { id: 'an-cancelled' } }),
    chart: el('div', { cls: 'an-chart', attrs: { id: 'an-chart', role: 'img' } }),
    legend: el('ul', { cls: 'an-legend', attrs: { 'aria-hidden': 'true' } },
      ...[...OUTCOMES].reverse().map((o) => el('li', {}, swatch(o.color), o.label))),
    days: table('an-days', ['Day', 'Total', ...OUTCOMES.map((o) => o.label)]),
    times: table('an-times', ['', 'Median', '90th percentile', 'Mean', 'Of']),
    agents: table('an-agents', ['Agent', 'Handled', 'Resolved', 'Transferred away', 'Lost for silence', 'In progress', 'Median first reply', 'Mean rating']),
    agentsEmpty: el('p', { cls: 'muted', text: 'Nobody held a handover in this period.' }),
    ratings: el('dl', { cls: 'an-ratings', attrs: { id: 'an-ratings' } }),
    unanswered: el('ul', { cls: 'kb-list', attrs: { id: 'an-unanswered' } }),
    unansweredEmpty: el('p', { cls: 'muted', text: 'No unanswered questions in this period.' }),
  };
  ui.days.t.id = 'an-days';
  ui.times.t.id = 'an-times';
  ui.agents.t.id = 'an-agents';
  const custom = el('span', { cls: 'an-custom', attrs: { hidden: '' } }, field('First day', ui.first), field('Last day', ui.last));
  view.append(
    el('form', { cls: 'kb-row an-controls', attrs: { id: 'an-controls', novalidate: '' } },
      field('Assistant', ui.assistant), field('Period', ui.range), custom, ui.export),
    ui.error,
    ui.status,
    block('an-totals-title', 'Handovers', ui.totals, ui.sum, ui.cancelled),
    block('an-days-title', 'Handovers per day, by outcome',
      el('figure', { cls: 'an-figure' }, ui.chart, ui.legend),
      el('details', {}, el('summary', { text: 'The figures per day' }), ui.days.t)),
    block('an-times-title', 'Times', ui.times.t),
    block('an-agents-title', 'Agents', ui.agents.t, ui.agentsEmpty,
      el('p', { cls: 'muted an-note', text: 'Each time an agent takes a handover counts once; it ends resolved, transferred away, lost for silence (back to the queue) or is still in progress. Ratings are of the handovers they resolved.' })),
    block('an-ratings-title', 'Ratings by path', ui.ratings),
    block('an-unanswered-title', 'Questions the assistant could not answer', ui.unanswered, ui.unansweredEmpty),
  );

  /** {assistant, period, figures} as last shown. */
  let shown = null;
  let loads = 0;
  let chart = null;

  const assistant = () => ui.assistant.value.trim() || 'default';
  const period = () => periodOf(ui.range.value, ui.first.value, ui.last.value);

  async function load() {
    const a = assistant();
    const p = period();
    ui.error.textContent = p.error ?? '';
    if (p.error) return;
    const ticket = ++loads;
    ui.status.textContent = 'Loading…';
    try {
      const figures = await api.analytics(a, p);
      if (ticket !== loads) return;
      shown = { assistant: a, period: p, figures };
      render();
    } catch (err) {
      if (ticket !== loads) return;
      ui.status.textContent = '';
      report(err);
    }
  }

  function render() {
    const { period: p, figures: f } = shown;
    const days = `${dayLabel(p.first, true)} to ${dayLabel(p.last, true)}`;
    ui.status.textContent = `${shown.assistant}: handovers requested from ${days} (days in ${offsetName(p.utcOffset)}).`;

    const totals = [['total', 'Total'], ...OUTCOMES.map((o) => [o.key, o.label])];
    ui.totals.replaceChildren(...totals.map(([key, label]) => el('div', { cls: `an-total an-${key}`, attrs: { 'data-figure': key } },
      el('dt', { text: label }), el('dd', { cls: 'value', text: String(f[key]) }))));
    ui.sum.textContent = `${f.total} = ${OUTCOMES.map((o) => `${f[o.key]} ${o.label.toLowerCase()}`).join(' + ')}`;
    const c = f.cancelled_by;
    ui.cancelled.textContent = f.cancelled
      ? `Why the ${f.cancelled} cancelled: the visitor stopped waiting ${c.visitor}, nobody took it in time ${c.queue_timeout}, no agent could take it ${c.no_agent}, the visitor left before anyone took it ${c.visitor_left}.`
      : '';

    renderDays(f.days ?? []);

    ui.times.body.replaceChildren(...TIMES.map(([key, label, what]) => {
      const t = f[key] ?? {};
      const cell = (ms) => el('td', { attrs: { 'data-ms': ms ?? '' }, text: span(ms) });
      const row = el('tr', {},
        el('th', { attrs: { scope: 'row' } }, label, el('span', { cls: 'muted an-what', text: ` ${what}` })),
        cell(t.median_ms), cell(t.p90_ms), cell(t.mean_ms),
        el('td', { text: `${t.count ?? 0}` }));
      row.dataset.time = key;
      return row;
    }));

    const agents = f.agents ?? [];
    ui.agents.body.replaceChildren(...agents.map((a) => {
      const row = el('tr', {},
        el('th', { attrs: { scope: 'row' }, text: a.agent.name }),
        ...['handled', 'resolved', 'transferred_away', 'lost_for_silence', 'in_progress'].map((k) => el('td', { attrs: { 'data-figure': k }, text: String(a[k]) })),
        el('td', { attrs: { 'data-figure': 'first_reply', 'data-ms': a.first_reply.median_ms ?? '' }, text: span(a.first_reply.median_ms) }),
        el('td', { attrs: { 'data-figure': 'rating', 'data-count': a.ratings.count }, text: a.ratings.count ? `${mean(a.ratings)} (${a.ratings.count})` : '—' }));
      row.dataset.agent = a.agent.id;
      return row;
    }));
    ui.agents.t.hidden = agents.length === 0;
    ui.agentsEmpty.hidden = agents.length > 0;

    const paths = f.ratings_by_path ?? {};
    const rating = (key, label, text) => el('div', { attrs: { 'data-path': key } }, el('dt', { text: label }), el('dd', { text }));
    ui.ratings.replaceChildren(
      rating('all', 'All ratings', ratingText(f.ratings)),
      rating('assistant_only', 'The assistant only', ratingText(paths.assistant_only)),
      rating('assistant_then_person', 'Assistant, then a person', ratingText(paths.assistant_then_person)),
      rating('person_only', 'A person only (human-only assistant)', ratingText(paths.person_only)),
    );

    const unanswered = f.unanswered ?? [];
    ui.unanswered.replaceChildren(...unanswered.map((u) => {
      const li = el('li', { cls: 'kb-unanswered' },
        el('span', { cls: 'kb-question', text: u.question }),
        el('span', { cls: 'muted', text: ` asked ${u.count} ${u.count === 1 ? 'time' : 'times'} ` }),
        el('button', { cls: 'answer-this', attrs: { type: 'button', 'aria-label': `Answer this: ${u.question}` }, text: 'Answer this' }));
      li.dataset.question = u.question;
      return li;
    }));
    ui.unansweredEmpty.hidden = unanswered.length > 0;
  }

  function renderDays(days) {
    ui.days.body.replaceChildren(...days.map((d) => {
      const row = el('tr', {},
        el('th', { attrs: { scope: 'row' }, text: dayLabel(d.date, true) }),
        el('td', { attrs: { 'data-figure': 'total' }, text: String(d.total) }),
        ...OUTCOMES.map((o) => el('td', { attrs: { 'data-figure': o.key }, text: String(d[o.key]) })));
      row.dataset.date = d.date;
      return row;
    }));
    const busiest = days.reduce((b, d) => (d.total > (b?.total ?? 0) ? d : b), null);
    const total = days.reduce((n, d) => n + d.total, 0);
    ui.chart.setAttribute('aria-label', `Chart of handovers per day by outcome over ${days.length} days: ${total} in all${
      busiest ? `, most on ${dayLabel(busiest.date, true)} (${busiest.total})` : ''}. The figures per day follow as a table.`);
    drawChart(days);
  }

  /** Stacked bars: each outcome is drawn as the running total up to it, tallest first. */
  function drawChart(days) {
    chart?.destroy();
    chart = null;
    ui.chart.replaceChildren();
    if (!days.length) return;
    const stacks = [];
    let sum = days.map(() => 0);
    for (const o of OUTCOMES) {
      sum = sum.map((v, i) => v + days[i][o.key]);
      stacks.push(sum);
    }
    const order = OUTCOMES.map((_, i) => i).reverse();
    const step = Math.ceil(days.length / 12);
    const ticks = days.map((_, i) => i).filter((i) => (days.length - 1 - i) % step === 0);
    const bars = uPlot.paths.bars({ size: [0.7, 40] });
    const opts = {
      width: Math.max(320, ui.chart.clientWidth),
      height: 240,
      legend: { show: false },
      cursor: { show: false },
      scales: {
        x: { time: false, range: () => [-0.5, days.length - 0.5] },
        y: { range: (u, min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
      },
      axes: [
        { splits: () => ticks, values: (u, splits) => splits.map((i) => (days[i] ? dayLabel(days[i].date) : '')), grid: { show: false }, stroke: '#525b6b' },
        { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000], values: (u, splits) => splits.map(String), stroke: '#525b6b', grid: { stroke: '#e1e4ea' } },
      ],
      series: [{}, ...order.map((i) => ({ label: OUTCOMES[i].label, fill: OUTCOMES[i].color, stroke: OUTCOMES[i].color, width: 0, paths: bars, points: { show: false } }))],
    };
    chart = new uPlot(opts, [days.map((_, i) => i), ...order.map((i) => stacks[i])], ui.chart);
  }

  window.addEventListener('resize', () => {
    if (chart && !view.hidden) chart.setSize({ width: Math.max(320, ui.chart.clientWidth), height: 240 });
  });

  ui.range.addEventListener('change', () => {
    const customChosen = ui.range.value === 'custom';
    custom.hidden = !customChosen;
    if (customChosen && !ui.first.value && !ui.last.value && shown) {
      ui.first.value = shown.period.first;
      ui.last.value = shown.period.last;
    }
    load();
  });
  for (const input of [ui.assistant, ui.first, ui.last]) input.addEventListener('change', load);
  view.querySelector('#an-controls').addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });

  ui.export.addEventListener('click', async () => {
    const a = assistant();
    const p = period();
    ui.error.textContent = p.error ?? '';
    if (p.error) return;
    try {
      const csv = await api.analyticsExport(a, p);
      saveFile(`handovers-${a}-${p.first}-to-${p.last}.csv`, csv, 'text/csv');
      ui.status.textContent = `Exported the handovers of ${a} from ${p.first} to ${p.last} as CSV.`;
    } catch (err) {
      report(err);
    }
  });

  ui.unanswered.addEventListener('click', (ev) => {
    const question = ev.target.closest('button.answer-this') && ev.target.closest('li')?.dataset.question;
    if (question && shown) learn({ assistant: shown.assistant, question });
  });

  return adminPage(view, title, load);
}
