// The holder's other ways out of a handover: transfer to a team or a colleague (back to
// pending for them, with a reason the next agent sees on the record), or close the chat.

/**
 * `getConv()` is the open conversation, `me()` the signed-in agent; `left(id, state)`
 * runs after the conversation left this agent's hands; `report(err)` shows an error.
 */
export function setupHandoverActions({ api, getConv, me, left, report, clearError }) {
  const $ = (sel) => document.querySelector(sel);
  const ui = {
    transfer: $('#transfer'), close: $('#close-chat'), form: $('#transfer-form'),
    noteField: $('#note-field'), note: $('#handback-note'),
    to: $('#transfer-to'), reason: $('#transfer-reason'), cancel: $('#transfer-cancel'),
  };

  function hideForm() {
    ui.form.hidden = true;
    ui.transfer.setAttribute('aria-expanded', 'false');
  }

  async function fillChoices() {
    const { teams, agents } = await api.directory();
    const group = (label, options) => {
      const g = document.createElement('optgroup');
      g.label = label;
      for (const [value, text] of options) g.append(new Option(text, value));
      return g;
    };
    ui.to.replaceChildren(
      group('Teams', teams.map((t) => [JSON.stringify({ team: t }), t])),
      group('Agents', agents.filter((a) => a.id !== me()?.id)
        .map((a) => [JSON.stringify({ agent: { id: a.id, name: a.name } }), a.name])),
    );
  }

  ui.transfer.addEventListener('click', async () => {
    if (!ui.form.hidden) return hideForm();
    clearError();
    try {
      await fillChoices();
    } catch (err) {
      return report(err);
    }
    ui.form.hidden = false;
    ui.transfer.setAttribute('aria-expanded', 'true');
    ui.to.focus();
  });
  ui.cancel.addEventListener('click', hideForm);

  ui.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const c = getConv();
    if (!c || !ui.to.value) return;
    clearError();
    try {
      const state = await api.transfer(c.id, JSON.parse(ui.to.value), ui.reason.value.trim());
      ui.reason.value = '';
      hideForm();
      left(c.id, state);
    } catch (err) {
      report(err);
    }
  });

  ui.close.addEventListener('click', async () => {
    const c = getConv();
    if (!c) return;
    clearError();
    ui.close.disabled = true;
    try {
      left(c.id, await api.close(c.id, takeNote()));
    } catch (err) {
      report(err);
    } finally {
      ui.close.disabled = false;
    }
  });

  /** The holder's closing note, emptied for the next conversation. */
  function takeNote() {
    const note = ui.note.value.trim();
    ui.note.value = '';
    return note;
  }

  /** Shows the buttons and the closing note to the holder only. */
  const update = (mine) => {
    ui.transfer.hidden = !mine;
    ui.close.hidden = !mine;
    ui.noteField.hidden = !mine;
    if (!mine) hideForm();
  };
  return { update, takeNote };
}
