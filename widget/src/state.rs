//! The widget's one piece of state, shared by every callback as `Rc<RefCell<State>>`;
//! callbacks hold a `Weak` so that dropping the widget frees everything.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use baton_shared::protocol::{Author, ClientFrame, ConversationState, Message, NewConversation};
use gloo_events::EventListener;
use gloo_timers::callback::{Interval, Timeout};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement, HtmlTextAreaElement, ShadowRoot, WebSocket};

use crate::browser::{save, storage};
use crate::dom::{dec, render, time};
use crate::wire;

pub type S = Rc<RefCell<State>>;

/// Which kind of problem the `.error` line shows, so the right event clears it.
#[derive(Clone, Copy, PartialEq)]
pub enum Problem {
    None,
    /// Connection trouble: cleared when the socket is synced again.
    Conn,
    /// Input or server complaints: cleared by the next send or valid input.
    Other,
    /// The site may not use this chat (a refused start): it stays, and nothing is sent.
    Refused,
}

pub struct Unacked {
    pub client_id: String,
    pub text: String,
    pub el: Element,
}

pub struct State {
    /// Absolute http(s) base ending in `/`; routes are `{api}api/...`.
    pub api: String,
    /// The page's `data-assistant`: whose settings the conversation follows.
    pub assistant: String,
    pub conv_key: String,
    pub pending_key: String,
    pub lang: String,
    pub doc: Document,
    pub root: ShadowRoot,
    pub panel: HtmlElement,
    pub log: Element,
    pub status: Element,
    /// "Ana is typing…", hidden again by `typing_timer`.
    pub typing: HtmlElement,
    pub typing_timer: Option<Timeout>,
    /// When the visitor's typing was last signalled (ms), to send it every few seconds.
    pub typed_at: f64,
    /// The strip above the message box for the form, "stop waiting" and the rating.
    pub extra: HtmlElement,
    pub error: HtmlElement,
    pub input: HtmlTextAreaElement,
    pub err: Problem,
    pub open: bool,
    pub conv: Option<NewConversation>,
    /// Who answers now, from the last `state` frame.
    pub mode: ConversationState,
    /// Whether the visitor may rate the handover that ended (the `rating` frame).
    pub rating: bool,
    /// The visitor sent a rating: thank them when the server closes the rating.
    pub rated: bool,
    /// Nobody was available: the visitor may leave a message (the `offline` frame).
    pub offline: bool,
    pub last_seq: u64,
    pub unacked: Vec<Unacked>,
    pub ws: Option<WebSocket>,
    pub ws_listeners: Vec<EventListener>,
    /// The current socket reached `open`.
    pub opened: bool,
    /// The current socket delivered its `state` frame (history replay done).
    pub synced: bool,
    /// Consecutive failures; drives the backoff.
    pub fails: u32,
    /// When the socket last delivered anything (ms); the heartbeat's measure.
    pub heard: f64,
    /// Pings the open socket and gives up on a silent one (`connection::beat`).
    pub beat: Option<Interval>,
    pub timer: Option<Timeout>,
    pub ui_listeners: Vec<EventListener>,
    pub extra_listeners: Vec<EventListener>,
    pub context: Option<crate::context::Context>,
}

impl Drop for State {
    fn drop(&mut self) {
        self.ws_listeners.clear();
        if let Some(ws) = self.ws.take() {
            let _ = ws.close();
        }
        self.panel.remove();
    }
}

/// A DOM callback that runs `f` with the state while the widget lives.
pub fn on<E: JsCast>(s: &S, f: impl Fn(&S, &E) + 'static) -> impl FnMut(&web_sys::Event) {
    let w: Weak<RefCell<State>> = Rc::downgrade(s);
    move |e: &web_sys::Event| {
        if let (Some(s), Some(e)) = (w.upgrade(), e.dyn_ref::<E>()) {
            f(&s, e)
        }
    }
}

impl State {
    /// The server stored what this widget sent as `client_id` (an `ack`, or the message
    /// itself when it comes back in a catch-up): it is no longer pending.
    pub fn acked(&mut self, client_id: &str, seq: u64, at: u64) -> Result<(), JsValue> {
        if seq <= self.last_seq {
            return Ok(());
        }
        // Not `Vec::remove`: its bounds check links `core::fmt`'s number formatting.
        let (mut hit, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.unacked)
            .into_iter()
            .partition(|u| u.client_id == client_id);
        self.unacked = rest;
        let Some(u) = hit.pop() else {
            return Ok(());
        };
        self.last_seq = seq;
        self.save_unacked();
        u.el.class_list().remove_1("pending")?;
        u.el.set_attribute("data-seq", &dec(seq))?;
        u.el.set_attribute("title", &time(at, &self.lang))?;
        // Moving it would have the log's live region read it out a second time: only a
        // message stored out of the order it was written in moves.
        let next = self.unacked.first().map(|n| n.el.clone());
        if u.el.next_element_sibling() == next {
            return Ok(());
        }
        self.place(&u.el)
    }

    pub fn add_message(&mut self, m: Message) -> Result<(), JsValue> {
        if let (Author::Visitor, Some(id)) = (&m.author, &m.client_id) {
            if self.unacked.iter().any(|u| &u.client_id == id) {
                return self.acked(id, m.seq, m.at.0);
            }
        }
        if m.seq <= self.last_seq {
            return Ok(()); // already shown (replay after a reconnect)
        }
        self.last_seq = m.seq;
        let (role, name) = match &m.author {
            Author::Visitor => ("visitor", None),
            Author::Assistant => ("assistant", None),
            Author::Agent(a) => ("agent", Some(a.name.as_str())),
            Author::System => ("system", None),
        };
        if self.synced && !self.open && role != "visitor" {
            if let Some(b) = self.root.query_selector(".bubble")? {
                b.class_list().add_1("unread")?;
            }
        }
        let el = render(
            &self.doc,
            role,
            name,
            &m.text,
            Some(m.seq),
            Some(m.at.0),
            &self.lang,
        )?;
        self.place(&el)
    }

    /// Puts a stored message after the others, before the ones still pending.
    fn place(&self, el: &Element) -> Result<(), JsValue> {
        let near_end = self.near_end();
        let before = self.unacked.first().map(|u| u.el.clone());
        self.log
            .insert_before(el, before.as_ref().map(|e| e.as_ref()))?;
        self.scroll(near_end);
        Ok(())
    }

    /// Whether the log shows its end (or nearly): then what comes next is scrolled to.
    pub fn near_end(&self) -> bool {
        self.log.scroll_height() - self.log.scroll_top() - self.log.client_height() < 80
    }

    /// A notice of the widget's own in the log, as the server's system messages look.
    pub fn notice(&self, text: &str) -> Result<(), JsValue> {
        let el = render(&self.doc, "system", None, text, None, None, &self.lang)?;
        self.place(&el)
    }

    /// What `POST /api/conversations` answered as `welcome`: the greeting as the
    /// assistant's first words, then who answers and how the queue stands, as notices.
    pub fn welcome(&self, answer: &JsValue) {
        let w = wire::get(answer, "welcome");
        if let Some(g) = wire::text(&w, "greeting") {
            if let Ok(el) = render(&self.doc, "assistant", None, &g, None, None, &self.lang) {
                let _ = self.place(&el);
            }
        }
        for line in ["who", "wait"] {
            if let Some(t) = wire::text(&w, line) {
                let _ = self.notice(&t);
            }
        }
    }

    pub fn scroll(&self, force: bool) {
        if force {
            self.log.set_scroll_top(self.log.scroll_height());
        }
    }

    /// Shows whether the socket is caught up: while it is not, the header says so and a
    /// message waiting to be sent reads "Not sent yet" (`.off .pending` in the CSS).
    pub fn set_online(&self, online: bool) {
        let _ = self.panel.class_list().toggle_with_force("off", !online);
        if !online && self.err != Problem::Refused {
            self.status.set_text_content(Some("Reconnecting…"));
        }
    }

    pub fn set_error(&mut self, kind: Problem, text: &str) {
        self.err = kind;
        self.error.set_text_content(Some(text));
        self.error.set_hidden(kind == Problem::None);
    }

    pub fn save_unacked(&self) {
        let list = js_sys::Array::new();
        for u in &self.unacked {
            list.push(&wire::post(&u.client_id, &u.text));
        }
        save(&self.pending_key, (list.length() > 0).then_some(&list));
    }

    /// Sends `frame` on the socket once it has caught up; says so when it cannot.
    pub fn send(&mut self, frame: &ClientFrame) -> bool {
        let sent = match (&self.ws, self.synced, wire::write(frame)) {
            // A failed send is retried after the reconnect that must follow.
            (Some(ws), true, Some(json)) => ws.send_with_str(&json).is_ok(),
            _ => false,
        };
        if !sent {
            self.set_error(
                Problem::Other,
                "Not connected yet — please try again in a moment.",
            );
        }
        sent
    }
}

pub fn set_open(s: &S, open: bool) {
    let mut st = s.borrow_mut();
    st.open = open;
    st.panel.set_hidden(!open);
    if let Some(ls) = storage() {
        let _ = ls.set_item("baton:open", if open { "1" } else { "0" });
    }
    let bubble = st.root.query_selector(".bubble").ok().flatten();
    if let Some(b) = &bubble {
        let _ = b.set_attribute("aria-expanded", if open { "true" } else { "false" });
    }
    if open {
        if let Some(b) = &bubble {
            let _ = b.class_list().remove_1("unread");
        }
        st.scroll(true);
        let _ = st.input.focus();
    } else {
        let focus_inside = st
            .root
            .active_element()
            .is_some_and(|a| st.panel.contains(Some(a.as_ref())));
        if focus_inside {
            if let Some(b) = bubble.and_then(|b| b.dyn_into::<HtmlElement>().ok()) {
                let _ = b.focus();
            }
        }
    }
    if st.err == Problem::Other {
        st.err = Problem::None;
    }
    if st.err == Problem::None {
        st.error.set_hidden(true);
    }
}
