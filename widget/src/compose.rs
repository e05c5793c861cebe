//! The message box: length checks, optimistic sends matched later by `client_id`, and the
//! list of unacknowledged messages kept across reloads (the server stores a `client_id`
//! once, so resending is safe).

use baton_shared::protocol::{ClientFrame, PostMessage, MAX_TEXT_CHARS};
use js_sys::{Date, Math, Number};
use web_sys::WebSocket;

use crate::context;
use crate::dom::{dec, render};
use crate::state::{Problem, Unacked, S};
use crate::wire;

pub fn check_length(s: &S) {
    let mut st = s.borrow_mut();
    // The holder sees "the visitor is typing", refreshed every few seconds.
    let now = Date::now();
    if let (Some(ws), true) = (&st.ws, st.synced && now - st.typed_at > 3000.0) {
        if let Some(json) = wire::write(&ClientFrame::Typing) {
            let _ = ws.send_with_str(&json);
        }
        st.typed_at = now;
    }
    let n = chars(&st.input.value());
    if n > MAX_TEXT_CHARS {
        st.set_error(Problem::Other, &too_long(n));
    } else if st.err == Problem::Other {
        st.set_error(Problem::None, "");
    }
}

/// Characters as the server counts them (Unicode scalar values): the bytes that do not
/// continue one. `str::chars().count()` is a fast counter of about 0.5 KB of wasm.
fn chars(s: &str) -> usize {
    s.bytes().filter(|b| b & 0xC0 != 0x80).count()
}

fn too_long(n: usize) -> String {
    [
        "Message too long: ",
        &dec(n as u64),
        " of ",
        &dec(MAX_TEXT_CHARS as u64),
        " characters.",
    ]
    .concat()
}

pub fn send_input(s: &S) {
    let mut st = s.borrow_mut();
    let raw = st.input.value();
    let text = raw.trim();
    if text.is_empty() || st.err == Problem::Refused {
        return;
    }
    let n = chars(text);
    if n > MAX_TEXT_CHARS {
        st.set_error(Problem::Other, &too_long(n));
        return;
    }
    if st.err == Problem::Other {
        st.set_error(Problem::None, "");
    }
    let client_id = [
        "w",
        &base36(Date::now()),
        base36(Math::random()).trim_start_matches("0."),
    ]
    .concat();
    let Ok(el) = render(&st.doc, "visitor pending", None, text, None, None, &st.lang) else {
        return;
    };
    let _ = st.log.append_child(&el);
    st.scroll(true);
    context::report(&mut st);
    if let (Some(ws), true) = (&st.ws, st.synced) {
        send_frame(ws, &client_id, text);
    }
    st.unacked.push(Unacked {
        client_id,
        text: text.to_string(),
        el,
    });
    st.save_unacked();
    st.input.set_value("");
}

fn base36(n: f64) -> String {
    Number::from(n)
        .to_string_with_radix(36)
        .map(String::from)
        .unwrap_or_default()
}

pub fn send_frame(ws: &WebSocket, client_id: &str, text: &str) {
    let frame = ClientFrame::Send(PostMessage {
        client_id: Some(client_id.into()),
        text: text.into(),
    });
    if let Some(json) = wire::write(&frame) {
        // A failed send is retried after the reconnect that must follow.
        let _ = ws.send_with_str(&json);
    }
}
