// Private notes: an agent's words for the other agents of the workspace, kept in the
// conversation's history. The server never sends one to the visitor; any agent viewing the
// conversation may add one, holder or not, and a note is no reply (nothing tells the
// visitor someone is typing it).

/**
 * Wires the note form. `current()` is the open conversation's id (or null), `stored(msg)`
 * shows the stored note, `failed(err)` says why it was refused.
 */
export function setupNotes({ form, text, api, current, newClientId, stored, failed }) {
  async function add() {
    const id = current();
    const words = text.value.trim();
    if (!id || !words) return;
    try {
      const note = await api.note(id, words, newClientId());
      if (current() !== id) return;
      text.value = '';
      stored(note);
    } catch (err) {
      if (current() === id) failed(err);
    }
  }
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    add();
  });
  text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing && !ev.altKey && !ev.ctrlKey && !ev.metaKey) {
      ev.preventDefault();
      add();
    }
  });
}
