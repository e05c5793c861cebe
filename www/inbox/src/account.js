// An agent's own account: following an invitation (choose a password, then signed in)
// and changing one's password. Both end with a new token from the server.
import { showProblems } from './render.js';

/**
 * `api` is the inbox's; `signedIn(loginResponse)` starts a session with what the server
 * answered; `showError(message)` shows a message above the page.
 */
export function setupAccount({ api, signedIn, showError }) {
  const $ = (sel) => document.querySelector(sel);
  const ui = {
    view: $('#invite-view'), invite: $('#invite'),
    dialog: $('#password'), form: $('#password-form'), errors: $('#password-form .field-errors'),
    open: $('#change-password'), cancel: $('#password-cancel'),
  };
  const problems = (err) => showProblems(ui.errors, err);

  /** The invitation's secret in the link (`/inbox/#invite=…`), if this page was opened with one. */
  const invitation = () => (location.hash.startsWith('#invite=') ? location.hash.slice('#invite='.length) : null);

  ui.invite.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ui.invite.elements;
    if (f.password.value !== f.again.value) {
      showError('The two passwords are not the same.');
      f.again.select();
      return;
    }
    showError('');
    try {
      const res = await api.acceptInvitation(invitation(), f.password.value);
      history.replaceState(null, '', location.pathname);
      ui.view.hidden = true;
      signedIn(res);
    } catch (err) {
      showError(err.fields?.length ? err.fields.map((x) => x.problem).join('; ') : err.message);
    }
  });

  ui.open.addEventListener('click', () => {
    ui.form.reset();
    ui.errors.replaceChildren();
    ui.dialog.showModal();
    ui.form.elements.current.focus();
  });
  ui.cancel.addEventListener('click', () => ui.dialog.close());
  ui.form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ui.form.elements;
    if (f.new.value !== f.again.value) {
      problems({ message: 'The two new passwords are not the same.' });
      return;
    }
    try {
      const res = await api.changePassword(f.current.value, f.new.value);
      ui.dialog.close();
      signedIn(res, 'Your password is changed; your other sign-ins have ended.');
    } catch (err) {
      problems(err);
    }
  });

  return {
    invitation,
    /** Shows the "choose your password" form of an invitation link. */
    showInvitation() {
      ui.view.hidden = false;
      ui.invite.elements.password.focus();
    },
  };
}
