// HTTP and WebSocket plumbing for the inbox. Bodies are exactly the serde types of
// shared/src/protocol.rs; errors are ErrorBody {error, message, holder?}.

/** An API call that failed; `body` is the ErrorBody when the server sent one. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message
      || (body?.holder ? `${body.holder.name} already holds this conversation` : '')
      || (status ? `The server answered ${status}.` : 'The server could not be reached. Check your connection.'));
    this.status = status;
    this.code = body?.error ?? null;
    this.holder = body?.holder ?? null;
    /** A refused change's problems, field by field: [{field, problem}]. */
    this.fields = body?.fields ?? [];
  }
}

/**
 * `getToken()` gives the bearer token; `onUnauthorized(message)` is called on any 401
 * (the call still rejects, with an ApiError of status 401).
 */
export function createApi({ getToken, onUnauthorized }) {
  /** `body` is sent as JSON; a `{file, type}` is sent as it is, with its own type. */
  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    const raw = body?.file !== undefined;
    if (body !== undefined) headers['Content-Type'] = raw ? body.type : 'application/json';
    let res;
    try {
      res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : raw ? body.file : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, null);
    }
    let data = null;
    const text = await res.text().catch(() => '');
    if (text) {
      try { data = JSON.parse(text); } catch { data = null; }
    }
    if (!res.ok) {
      const err = new ApiError(res.status, data);
      if (res.status === 401 && path !== '/api/login') onUnauthorized(err.message);
      throw err;
    }
    return data ?? text;
  }

  const conv = (id) => `/api/conversations/${encodeURIComponent(id)}`;
  const kb = (assistant, path = '', query = '') => `/api/knowledge${path}?assistant=${encodeURIComponent(assistant)}${query}`;
  const entry = (assistant, id) => kb(assistant, `/entries/${encodeURIComponent(id)}`);
  return {
    login: (email, password) => request('POST', '/api/login', { email, password }),
    setPresence: (status) => request('PUT', '/api/presence', { status }),
    queue: () => request('GET', '/api/queue'),
    ended: () => request('GET', '/api/handovers/ended'),
    history: (id, after = 0) => request('GET', `${conv(id)}/messages?after=${after}`),
    claim: (id) => request('POST', `${conv(id)}/claim`),
    send: (id, text, client_id) => request('POST', `${conv(id)}/messages`, { client_id, text }),
    note: (id, text, client_id) => request('POST', `${conv(id)}/notes`, { client_id, text }),
    context: (id) => request('GET', `${conv(id)}/context`),
    end: (id, note) => request('POST', `${conv(id)}/end`, { note }),
    close: (id, note) => request('POST', `${conv(id)}/close`, { note }),
    transfer: (id, to, reason) => request('POST', `${conv(id)}/transfer`, { to, reason }),
    directory: () => request('GET', '/api/agents'),
    /** `range`: {from, to, utcOffset} (milliseconds, minutes east of UTC), each optional. */
    analytics: (assistant, range) => request('GET', `/api/analytics${analyticsQuery(assistant, range)}`),
    /** The CSV of the same handovers' records, as text. */
    analyticsExport: (assistant, range) => request('GET', `/api/analytics/export${analyticsQuery(assistant, range)}`),
    settings: {
      get: (assistant) => request('GET', `/api/settings?assistant=${encodeURIComponent(assistant)}`),
      /** Changes only the fields `patch` names. */
      put: (assistant, patch) => request('PUT', `/api/settings?assistant=${encodeURIComponent(assistant)}`, patch),
      /** {settings: the defaults, placeholders: {message: ["{agent}"]}}. */
      defaults: () => request('GET', '/api/settings/defaults'),
    },
    assistants: {
      list: () => request('GET', '/api/assistants'),
      add: (id) => request('POST', '/api/assistants', { id }),
    },
    acceptInvitation: (token, password) => request('POST', '/api/invitations/accept', { token, password }),
    changePassword: (current, next) => request('PUT', '/api/password', { current, new: next }),
    replies: {
      list: () => request('GET', '/api/replies'),
      add: (body) => request('POST', '/api/replies', body),
      change: (id, body) => request('PUT', `/api/replies/${encodeURIComponent(id)}`, body),
      remove: (id) => request('DELETE', `/api/replies/${encodeURIComponent(id)}`),
    },
    team: {
      get: () => request('GET', '/api/team'),
      add: (member) => request('POST', '/api/team/agents', member),
      change: (id, body) => request('PUT', `/api/team/agents/${encodeURIComponent(id)}`, body),
      remove: (id) => request('DELETE', `/api/team/agents/${encodeURIComponent(id)}`),
      invite: (id) => request('POST', `/api/team/agents/${encodeURIComponent(id)}/invitation`),
      addTeam: (id) => request('POST', '/api/team/teams', { id }),
      renameTeam: (id, to) => request('PUT', `/api/team/teams/${encodeURIComponent(id)}`, { id: to }),
      removeTeam: (id) => request('DELETE', `/api/team/teams/${encodeURIComponent(id)}`),
    },
    knowledge: {
      list: (assistant) => request('GET', kb(assistant)),
      add: (assistant, body) => request('POST', kb(assistant, '/entries'), body),
      change: (assistant, id, body) => request('PUT', entry(assistant, id), body),
      remove: (assistant, id) => request('DELETE', entry(assistant, id)),
      import: (assistant, mode, file, type) => request('POST', kb(assistant, '/import', `&mode=${mode}`), { file, type }),
      export: (assistant, format) => request('GET', kb(assistant, '/export', `&format=${format}`)),
      closest: (assistant, q) => request('GET', kb(assistant, '/closest', `&q=${encodeURIComponent(q)}`)),
      save: (assistant, body) => request('POST', kb(assistant, '/suggestions'), body),
      suggestions: (assistant) => request('GET', kb(assistant, '/suggestions')),
      publish: (assistant, id, body) => request('POST', kb(assistant, `/suggestions/${id}/publish`), body),
      discard: (assistant, id) => request('DELETE', kb(assistant, `/suggestions/${id}`)),
    },
  };
}

function analyticsQuery(assistant, { from, to, utcOffset } = {}) {
  const q = new URLSearchParams({ assistant });
  if (from != null) q.set('from', String(from));
  if (to != null) q.set('to', String(to));
  if (utcOffset != null) q.set('utc_offset', String(utcOffset));
  return `?${q}`;
}

/** Absolute ws:/wss: URL for a same-origin path. */
export function wsUrl(path) {
  const u = new URL(path, location.href);
  u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
  return u.href;
}

/**
 * A WebSocket that reconnects with exponential backoff until stopped.
 * `url()` is asked again before every attempt (so it can carry `after=<last seq>`).
 * Handlers: onFrame(obj), onStatus('connecting'|'open'|'reconnecting'), onDrop() after
 * each lost or failed connection (a good moment for an HTTP catch-up or auth check).
 */
export class LiveSocket {
  /**
   * `heartbeat`: ping every 10 s and reconnect when nothing was heard for 20 s (the
   * inbox's socket: the workspace counts an agent there only while it is alive; the
   * numbers are shared/src/presence.rs's).
   */
  constructor(url, { onFrame, onStatus = () => {}, onDrop = () => {}, heartbeat = false }) {
    Object.assign(this, { url, onFrame, onStatus, onDrop, heartbeat });
    this.ws = null;
    this.stopped = false;
    this.attempt = 0;
    this.timer = null;
    this.beat = null;
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  connect() {
    if (this.stopped) return;
    this.onStatus(this.attempt ? 'reconnecting' : 'connecting');
    let ws;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.retry();
      return;
    }
    this.ws = ws;
    let heard = Date.now();
    ws.onopen = () => {
      this.attempt = 0;
      this.onStatus('open');
      heard = Date.now();
      if (this.heartbeat) {
        clearInterval(this.beat);
        this.beat = setInterval(() => {
          // Silent for 20 s: the connection is dead even if the browser has not said so
          // (its close could take minutes): let it go and connect again now.
          if (Date.now() - heard < 20_000) {
            if (ws.readyState === WebSocket.OPEN) ws.send('ping');
            return;
          }
          const onclose = ws.onclose;
          ws.onclose = null;
          try { ws.close(); } catch { /* already closed */ }
          onclose();
        }, 10_000);
      }
    };
    ws.onmessage = (ev) => {
      heard = Date.now();
      if (ev.data === 'pong') return;
      let frame;
      try { frame = JSON.parse(ev.data); } catch { return; }
      this.onFrame(frame);
    };
    ws.onclose = () => {
      clearInterval(this.beat);
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.stopped) return;
      this.onDrop();
      this.retry();
    };
    ws.onerror = () => { /* onclose follows */ };
  }

  retry() {
    if (this.stopped) return;
    this.attempt += 1;
    this.onStatus('reconnecting');
    const base = Math.min(15000, 500 * 2 ** (this.attempt - 1));
    const delay = base / 2 + Math.random() * base / 2;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  /** Sends a frame if connected; returns whether it went out. */
  send(obj) {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.beat);
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try { ws.close(1000); } catch { /* already closed */ }
    }
  }
}
