// Sound and browser notifications for new handovers. Both optional: any failure is silent.

let audio = null;

/** Creates/resumes the AudioContext; call from a user gesture so later beeps may play. */
export function unlockAudio() {
  try {
    audio ??= new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === 'suspended') audio.resume().catch(() => {});
  } catch { audio = null; }
}

/** A short two-tone chime made with WebAudio (no file). */
export function beep() {
  try {
    unlockAudio();
    if (!audio) return;
    const t = audio.currentTime;
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = 'sine';
    osc.frequency.setValueAtTime(880, t);
    osc.frequency.setValueAtTime(1320, t + 0.12);
    gain.gain.setValueAtTime(0.0001, t);
    gain.gain.exponentialRampToValueAtTime(0.15, t + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + 0.3);
    osc.connect(gain).connect(audio.destination);
    osc.start(t);
    osc.stop(t + 0.32);
  } catch { /* no sound, no harm */ }
}

/** Asks for notification permission once (call from a user gesture, e.g. going online). */
export function askPermission() {
  try {
    if ('Notification' in window && Notification.permission === 'default') {
      Promise.resolve(Notification.requestPermission()).catch(() => {});
    }
  } catch { /* unsupported */ }
}

/** Beeps and, if allowed, shows a notification for `fresh` queue entries; click opens the first. */
export function announce(fresh, onOpen) {
  beep();
  try {
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    const first = fresh[0];
    const title = fresh.length > 1
      ? `${fresh.length} visitors are waiting for a person`
      : 'A visitor is waiting for a person';
    const n = new Notification(title, { body: first.preview || '', tag: `baton-${first.conversation_id}` });
    n.onclick = () => {
      window.focus();
      onOpen(first.conversation_id);
      n.close();
    };
  } catch { /* e.g. mobile browsers without the constructor */ }
}
