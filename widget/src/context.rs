//! The visitor's context (docs/protocol.md, `context`): the loader's `context()` reads the
//! page (address, title, referrer, language, time zone, user agent) and writes the frame,
//! which costs the loader a few bytes where web-sys bindings would cost the widget
//! hundreds. It goes on the socket whenever it differs from what this conversation last
//! got: once the socket has caught up, on history moves (`popstate`, which a `#` link fires
//! too), and before each message, since a single-page site's `pushState` fires no event.

use gloo_events::EventListener;
use js_sys::{Function, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::state::{on, State, S};

pub struct Context {
    read: Function,
    /// The conversation and the frame it last got.
    sent: (String, String),
    /// A move in the history: going back, a `#` link (both fire `popstate`).
    _moved: EventListener,
}

/// The page's reporter, when the loader passed `config.context`.
pub fn new(s: &S, config: &JsValue) -> Option<Context> {
    let read = Reflect::get(config, &"context".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let window = web_sys::window()?;
    Some(Context {
        read,
        sent: Default::default(),
        _moved: EventListener::new(
            &window,
            "popstate",
            on(s, |s, _: &web_sys::Event| report(&mut s.borrow_mut())),
        ),
    })
}

/// Sends the page's `context` frame if the socket is up and the conversation lacks it.
pub fn report(st: &mut State) {
    let (Some(ws), Some(conv), true) = (&st.ws, &st.conv, st.synced) else {
        return;
    };
    let Some(c) = &mut st.context else { return };
    let Some(frame) = c
        .read
        .call0(&JsValue::NULL)
        .ok()
        .and_then(|v| v.as_string())
    else {
        return;
    };
    let now = (conv.id.clone(), frame);
    if now != c.sent && ws.send_with_str(&now.1).is_ok() {
        c.sent = now;
    }
}
