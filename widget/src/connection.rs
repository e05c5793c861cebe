//! The conversation's life cycle: create or resume it, one WebSocket with
//! `after=<last seq>`, a heartbeat that notices a dead socket, reconnection with backoff
//! (and at once when the network comes back or the page is seen again), and the frames
//! that arrive.

use std::rc::Rc;

use baton_shared::protocol::{ConversationState, NewConversation};
use baton_shared::protocol::{PING, PONG};
use gloo_events::EventListener;
use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::JsValue;
use web_sys::{MessageEvent, WebSocket};

use crate::browser::{fetch, read_json, save};
use crate::compose::send_frame;
use crate::context;
use crate::dom::dec;
use crate::handover;
use crate::state::{on, Problem, S};
use crate::wire::{self, object, text, Frame};

/// The stored conversation, as `POST /api/conversations` answered it.
pub fn conversation(v: &JsValue) -> Option<NewConversation> {
    Some(NewConversation {
        id: text(v, "id")?,
        token: text(v, "token")?,
        // Read where it is shown (`State::welcome`).
        welcome: None,
    })
}

fn encode(s: &str) -> String {
    js_sys::encode_uri_component(s).into()
}

pub fn start(s: &S) {
    if s.borrow().conv.is_some() {
        connect(s)
    } else {
        create(s)
    }
}

/// `POST /api/conversations` for the page's assistant, in the visitor's language,
/// remembered in `localStorage` for reloads.
fn create(s: &S) {
    let (url, body) = {
        let st = s.borrow();
        // A `StartConversation`.
        let start = object(&[
            ("assistant", st.assistant.as_str().into()),
            ("language", st.lang.as_str().into()),
        ]);
        ([&st.api, "api/conversations"].concat(), start)
    };
    let w = Rc::downgrade(s);
    fetch(&url, Some(&body), None, move |r| match r {
        Some(r) if r.ok() => read_json(&r, move |answer| {
            let c = answer.as_ref().and_then(conversation);
            if let (Some(s), Some(c), Some(answer)) = (w.upgrade(), c, answer) {
                {
                    let mut st = s.borrow_mut();
                    // Kept as answered, the welcome with it, for reloads.
                    save(&st.conv_key, Some(&answer));
                    st.conv = Some(c);
                    st.welcome(&answer);
                }
                connect(&s);
            } else if let Some(s) = w.upgrade() {
                unreachable(&s);
            }
        }),
        // Only a site the assistant's allowed_origins does not list is refused (403);
        // asking again cannot change that.
        Some(r) if r.status() == 403 => {
            let Some(s) = w.upgrade() else { return };
            let mut st = s.borrow_mut();
            st.status.set_text_content(Some("Unavailable"));
            st.set_error(
                Problem::Refused,
                "Sorry, this chat is not available on this site.",
            );
        }
        _ => {
            if let Some(s) = w.upgrade() {
                unreachable(&s);
            }
        }
    });
}

/// A start that failed (unreachable, or an answer that was not one): try again later.
fn unreachable(s: &S) {
    let mut st = s.borrow_mut();
    st.fails += 1;
    st.set_error(Problem::Conn, "Can't reach the chat — retrying…");
    drop(st);
    schedule(s, start);
}

fn connect(s: &S) {
    let mut st = s.borrow_mut();
    let Some(c) = &st.conv else {
        drop(st);
        return create(s);
    };
    let base = &st.api;
    let ws_base = match base.strip_prefix("http") {
        Some(rest) => ["ws", rest].concat(),
        None => base.clone(),
    };
    let url = [
        &ws_base,
        "api/conversations/",
        &encode(&c.id),
        "/ws?token=",
        &encode(&c.token),
        "&after=",
        &dec(st.last_seq),
    ]
    .concat();
    st.ws_listeners.clear();
    if let Some(old) = st.ws.take() {
        let _ = old.close();
    }
    st.opened = false;
    st.synced = false;
    let Ok(ws) = WebSocket::new(&url) else {
        drop(st);
        return on_close(s);
    };
    st.ws_listeners = vec![
        EventListener::new(
            &ws,
            "open",
            on(s, |s, _: &web_sys::Event| {
                let mut st = s.borrow_mut();
                st.opened = true;
                st.heard = js_sys::Date::now();
                let w = Rc::downgrade(s);
                st.beat = Some(Interval::new(BEAT_MS, move || {
                    if let Some(s) = w.upgrade() {
                        beat(&s)
                    }
                }));
            }),
        ),
        EventListener::new(
            &ws,
            "message",
            on(s, |s, m: &MessageEvent| {
                s.borrow_mut().heard = js_sys::Date::now();
                let Some(text) = m.data().as_string() else {
                    return;
                };
                if text == PONG {
                    return;
                }
                if let Some(frame) = wire::read(&text) {
                    on_frame(s, frame);
                }
            }),
        ),
        EventListener::new(&ws, "close", on(s, |s, _: &web_sys::Event| on_close(s))),
    ];
    st.ws = Some(ws);
}

/// How often the open socket is pinged, and how long a silence means it is dead: a dead
/// socket (a network gone without a close, which the browser notices only after minutes)
/// is given up within 12 s.
const BEAT_MS: u32 = 4_000;
const SILENT_MS: f64 = 10_000.0;

fn beat(s: &S) {
    let st = s.borrow();
    if js_sys::Date::now() - st.heard > SILENT_MS {
        drop(st);
        return lost(s);
    }
    if let Some(ws) = &st.ws {
        let _ = ws.send_with_str(PING);
    }
}

/// The socket is dead, or the browser says the network is gone: drop it and reconnect.
pub fn lost(s: &S) {
    let ws = {
        let mut st = s.borrow_mut();
        st.ws_listeners.clear();
        st.ws.take()
    };
    if let Some(ws) = ws {
        let _ = ws.close();
        on_close(s);
    }
}

/// The network is back or the page is visible again: a socket that is not caught up is
/// tried again now, backoff or not; one that is gets a ping, so a dead one is noticed.
pub fn now(s: &S) {
    let mut st = s.borrow_mut();
    if st.err == Problem::Refused {
        return;
    }
    if st.synced {
        if let Some(ws) = &st.ws {
            let _ = ws.send_with_str(PING);
        }
        return;
    }
    st.fails = 0;
    st.timer = None;
    drop(st);
    start(s);
}

fn on_close(s: &S) {
    let mut st = s.borrow_mut();
    let was_open = st.opened;
    st.ws_listeners.clear();
    st.ws = None;
    st.beat = None;
    st.opened = false;
    st.synced = false;
    st.set_online(false);
    st.fails += 1;
    // A socket that worked and dropped is most often back within the first retry (0.5 s):
    // the header says "Reconnecting…"; the red line only once a retry has failed.
    if !was_open {
        st.set_error(Problem::Conn, "Can't reach the chat — retrying…");
    }
    // A refused upgrade looks like any failure: on the first one, ask whether the stored
    // conversation still exists for this token.
    let check_it = !was_open && st.fails == 1 && st.conv.is_some();
    drop(st);
    if check_it {
        check(s)
    } else {
        schedule(s, start)
    }
}

/// `GET .../messages?after=0`: 401/404 means the stored conversation is gone; start anew
/// (unacknowledged messages are kept and go to the new one).
fn check(s: &S) {
    let (url, token) = {
        let st = s.borrow();
        let Some(c) = &st.conv else { return };
        (
            [
                &st.api,
                "api/conversations/",
                &encode(&c.id),
                "/messages?after=0",
            ]
            .concat(),
            c.token.clone(),
        )
    };
    let w = Rc::downgrade(s);
    fetch(&url, None, Some(&token), move |r| {
        let Some(s) = w.upgrade() else { return };
        let status = r.map(|r| r.status()).unwrap_or(0);
        if status == 401 || status == 404 {
            {
                let mut st = s.borrow_mut();
                save(&st.conv_key, None);
                st.conv = None;
                st.last_seq = 0;
                st.fails = 0;
                // Drop the old history; keep what the visitor has not got through yet.
                st.log.set_text_content(None);
                for u in &st.unacked {
                    let _ = st.log.append_child(&u.el);
                }
                st.status.set_text_content(Some("Connecting…"));
            }
            create(&s);
        } else {
            schedule(&s, start);
        }
    });
}

/// Retry `f` after 0.5 s, 1 s, 2 s, … at most 10 s, by consecutive failures.
fn schedule(s: &S, f: fn(&S)) {
    let mut st = s.borrow_mut();
    let ms = (500u32 << st.fails.clamp(1, 6).saturating_sub(1)).min(10_000);
    let w = Rc::downgrade(s);
    st.timer = Some(Timeout::new(ms, move || {
        if let Some(s) = w.upgrade() {
            f(&s)
        }
    }));
}

fn on_frame(s: &S, frame: Frame) {
    let mut st = s.borrow_mut();
    match frame {
        Frame::Message(m) => {
            // Their words are in: no longer "typing".
            if matches!(m.author, baton_shared::protocol::Author::Agent(_)) {
                st.typing.set_hidden(true);
            }
            let _ = st.add_message(m);
        }
        // Sent just now, so the time the visitor sees is this clock's.
        Frame::Ack(client_id, seq) => {
            let _ = st.acked(&client_id, seq, js_sys::Date::now() as u64);
        }
        Frame::State(state) => {
            let (mode, text) = match &state {
                ConversationState::Bot => ("bot", "Assistant".into()),
                ConversationState::Pending => ("pending", "Waiting for a person…".into()),
                ConversationState::Assigned { agent } => {
                    ("assigned", ["Chatting with ", &agent.name].concat())
                }
                ConversationState::Form { .. } => ("form", "A few details first".into()),
                ConversationState::Closed => ("closed", "Chat closed".into()),
            };
            st.status.set_text_content(Some(&text));
            let _ = st.panel.set_attribute("data-mode", mode);
            // A reconnect repeats the state: redraw only on a change, so that what the
            // visitor typed into the form stays.
            let mut changed = st.mode != state;
            st.mode = state;
            if !st.synced {
                // After a reconnect's `state`, `rating` and `offline` frames follow if
                // they are open.
                changed |= std::mem::replace(&mut st.rating, false);
                changed |= std::mem::replace(&mut st.offline, false);
                // History is in: whatever is still unacknowledged was never stored. Resend.
                st.synced = true;
                st.set_online(true);
                st.fails = 0;
                if st.err == Problem::Conn {
                    st.set_error(Problem::None, "");
                }
                context::report(&mut st);
                if let Some(ws) = &st.ws {
                    for u in &st.unacked {
                        send_frame(ws, &u.client_id, &u.text);
                    }
                }
            }
            drop(st);
            if changed {
                handover::redraw(s);
            }
        }
        Frame::Rating(open) => {
            st.rating = open;
            if !open && std::mem::take(&mut st.rated) {
                let _ = st.notice("Thank you for your rating!");
            }
            drop(st);
            handover::redraw(s);
        }
        Frame::Offline(open) => {
            st.offline = open;
            drop(st);
            handover::redraw(s);
        }
        Frame::Error(message) => st.set_error(Problem::Other, &message),
        Frame::Typing(name) => {
            st.typing
                .set_text_content(Some(&[&name, " is typing…"].concat()));
            st.typing.set_hidden(false);
            let w = Rc::downgrade(s);
            st.typing_timer = Some(Timeout::new(5_000, move || {
                if let Some(s) = w.upgrade() {
                    s.borrow().typing.set_hidden(true);
                }
            }));
        }
    }
}
