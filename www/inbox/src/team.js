// The Team page, for admins: the agents (role, teams, disable or enable, remove, a new
// invitation for one who has not signed in), adding an agent with a one-time
// invitation link, and the teams (create, rename, delete).
import { adminPage, el, showProblems } from './render.js';

const STATUS = { invited: 'invited, not signed in yet', active: 'active', disabled: 'disabled' };

/** `api` is the inbox's; `me()` the signed-in admin; `report(err)` shows an error. */
export function setupTeam({ api, me, report }) {
  const $ = (sel) => document.querySelector(sel);
  const ui = {
    view: $('#team-view'), title: $('#team-title'), status: $('#team-status'),
    agents: $('#team-agents'), add: $('#team-add'), addErrors: $('#team-add .field-errors'),
    addTeams: $('#team-add .team-teams'),
    invitation: $('#team-invitation'), invitationWho: $('#team-invitation-who'),
    invitationLink: $('#team-invitation-link'), invitationCopy: $('#team-invitation-copy'),
    teams: $('#team-teams'), newTeam: $('#team-new-team'), teamErrors: $('#team-teams-errors'),
  };
  /** {agents: [Member], teams: [id]} as last read. */
  let team = { agents: [], teams: [] };

  const say = (text) => { ui.status.textContent = text; };

  async function load() {
    try {
      team = await api.team.get();
      render();
    } catch (err) {
      report(err);
    }
  }

  function teamBoxes(chosen, name) {
    if (!team.teams.length) return [el('span', { cls: 'muted', text: 'No teams yet.' })];
    return team.teams.map((t) => el('label', { cls: 'check' },
      el('input', { attrs: { type: 'checkbox', name, value: t, checked: chosen.includes(t) ? '' : null } }),
      el('span', { text: t })));
  }

  function agentRow(m) {
    const self = m.id === me()?.id;
    const role = el('select', { attrs: { 'aria-label': `Role of ${m.name}`, 'data-change': 'role' } },
      el('option', { attrs: { value: 'agent', selected: m.role === 'agent' ? '' : null }, text: 'Agent' }),
      el('option', { attrs: { value: 'admin', selected: m.role === 'admin' ? '' : null }, text: 'Admin' }));
    const teams = el('fieldset', { cls: 'team-teams' },
      el('legend', { cls: 'visually-hidden', text: `Teams of ${m.name}` }), ...teamBoxes(m.teams, 'member-team'));
    const actions = el('div', { cls: 'kb-row' },
      m.status === 'invited'
        ? el('button', { cls: 'quiet', attrs: { type: 'button', 'data-action': 'invite' }, text: 'New invitation link' })
        : el('button', { cls: 'quiet', attrs: { type: 'button', 'data-action': m.status === 'active' ? 'disable' : 'enable' }, text: m.status === 'active' ? 'Disable' : 'Enable' }),
      el('button', { cls: 'quiet danger', attrs: { type: 'button', 'data-action': 'remove' }, text: 'Remove' }));
    const row = el('tr', { cls: `team-agent status-${m.status}` },
      el('th', { attrs: { scope: 'row' } },
        el('span', { cls: 'team-name', text: `${m.name}${self ? ' (you)' : ''}` }),
        el('span', { cls: 'muted team-email', text: m.email })),
      el('td', {}, role),
      el('td', {}, teams),
      el('td', { cls: 'team-status', text: STATUS[m.status] ?? m.status }),
      el('td', {}, actions));
    row.dataset.agent = m.id;
    return row;
  }

  function render() {
    ui.agents.replaceChildren(...team.agents.map(agentRow));
    ui.addTeams.replaceChildren(el('legend', { text: 'Teams' }), ...teamBoxes([], 'team'));
    ui.teams.replaceChildren(...team.teams.map((t) => {
      const li = el('li', { cls: 'kb-row' },
        el('span', { cls: 'kb-question', text: t }),
        el('span', { cls: 'muted', text: `${team.agents.filter((a) => a.teams.includes(t)).length} agents` }),
        el('button', { cls: 'quiet', attrs: { type: 'button', 'data-action': 'rename', 'aria-label': `Rename ${t}` }, text: 'Rename' }),
        el('button', { cls: 'quiet danger', attrs: { type: 'button', 'data-action': 'delete', 'aria-label': `Delete ${t}` }, text: 'Delete' }));
      li.dataset.team = t;
      return li;
    }));
  }

  function showInvitation(who, invitation) {
    ui.invitationWho.textContent = who;
    ui.invitationLink.value = new URL(invitation.path, location.href).href;
    ui.invitation.hidden = false;
    ui.invitationLink.select();
  }

  ui.invitationCopy.addEventListener('click', async () => {
    ui.invitationLink.select();
    try {
      await navigator.clipboard.writeText(ui.invitationLink.value);
      say('The invitation link is copied.');
    } catch {
      say('Copy the selected link by hand (Ctrl+C).');
    }
  });

  ui.add.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ui.add.elements;
    const teams = [...ui.add.querySelectorAll('input[name=team]:checked')].map((i) => i.value);
    ui.addErrors.replaceChildren();
    try {
      const { agent, invitation } = await api.team.add({ name: f.name.value, email: f.email.value, role: f.role.value, teams });
      ui.add.reset();
      await load();
      showInvitation(agent.name, invitation);
      say(`${agent.name} is added. Send them the invitation link.`);
    } catch (err) {
      showProblems(ui.addErrors, err);
    }
  });

  /** Changes one agent; a refusal is shown and the page read again. */
  async function change(id, body, done) {
    try {
      const m = await api.team.change(id, body);
      await load();
      say(done(m));
    } catch (err) {
      report(err);
      await load();
    }
  }

  ui.agents.addEventListener('change', (ev) => {
    const id = ev.target.closest('tr[data-agent]')?.dataset.agent;
    if (!id) return;
    if (ev.target.dataset.change === 'role') {
      change(id, { role: ev.target.value }, (m) => `${m.name} is now ${m.role === 'admin' ? 'an admin' : 'an agent'}.`);
    } else if (ev.target.name === 'member-team') {
      const row = ev.target.closest('tr');
      const teams = [...row.querySelectorAll('input[name=member-team]:checked')].map((i) => i.value);
      change(id, { teams }, (m) => `${m.name}'s teams: ${m.teams.join(', ') || 'none'}.`);
    }
  });

  ui.agents.addEventListener('click', async (ev) => {
    const action = ev.target.closest('button[data-action]')?.dataset.action;
    const id = ev.target.closest('tr[data-agent]')?.dataset.agent;
    const m = team.agents.find((a) => a.id === id);
    if (!action || !m) return;
    if (action === 'disable') change(id, { status: 'disabled' }, (x) => `${x.name} is disabled and signed out.`);
    else if (action === 'enable') change(id, { status: 'active' }, (x) => `${x.name} can sign in again.`);
    else if (action === 'invite') {
      try {
        showInvitation(m.name, (await api.team.invite(id)).invitation);
        say(`A new invitation link for ${m.name}; the earlier one no longer works.`);
      } catch (err) {
        report(err);
      }
    } else if (action === 'remove') {
      if (!window.confirm(`Remove ${m.name}? They can no longer sign in.`)) return;
      try {
        await api.team.remove(id);
        await load();
        say(`${m.name} is removed.`);
      } catch (err) {
        report(err);
      }
    }
  });

  ui.newTeam.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    ui.teamErrors.replaceChildren();
    try {
      const { id } = await api.team.addTeam(ui.newTeam.elements.id.value);
      ui.newTeam.reset();
      await load();
      say(`Team ${id} is created.`);
    } catch (err) {
      showProblems(ui.teamErrors, err);
    }
  });

  ui.teams.addEventListener('click', async (ev) => {
    const action = ev.target.closest('button[data-action]')?.dataset.action;
    const id = ev.target.closest('li[data-team]')?.dataset.team;
    if (!action || !id) return;
    ui.teamErrors.replaceChildren();
    try {
      if (action === 'rename') {
        const to = window.prompt(`Rename team ${id} to:`, id);
        if (!to || to === id) return;
        await api.team.renameTeam(id, to);
        say(`Team ${id} is now ${to}.`);
      } else {
        if (!window.confirm(`Delete team ${id}? Its agents stay, in their other teams.`)) return;
        await api.team.removeTeam(id);
        say(`Team ${id} is deleted.`);
      }
      await load();
    } catch (err) {
      showProblems(ui.teamErrors, err);
    }
  });

  return adminPage(ui.view, ui.title, load);
}
