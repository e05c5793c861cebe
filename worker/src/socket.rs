//! What both objects' hibernatable WebSockets share.

use crate::bench::{self, Counter};
use serde::Serialize;
use worker::WebSocket;

/// Sends a frame, ignoring sockets that are closing: they catch up when they reconnect.
pub fn send<T: Serialize>(ws: &WebSocket, frame: &T) {
    send_all(std::slice::from_ref(ws), frame);
}

/// Sends one frame to every socket of `to`, written once.
pub fn send_all<T: Serialize>(to: &[WebSocket], frame: &T) {
    if to.is_empty() {
        return;
    }
    let Ok(json) = serde_json::to_string(frame) else {
        return;
    };
    for ws in to {
        bench::count(Counter::FramesSent);
        let _ = ws.send_with_str(&json);
    }
}

/// Completes a close the client started. 1005 and 1006 are reserved and may not be sent.
pub fn close_back(ws: &WebSocket, code: usize, reason: String) {
    let code = if code == 1005 || code == 1006 {
        1000
    } else {
        code as u16
    };
    let _ = ws.close(Some(code), Some(reason));
}

/// Closes the socket of an agent whose account changed (disabled, removed, another role or
/// password): code 4001, on which the inbox signs in again.
pub fn close_signed_out(ws: &WebSocket) {
    let _ = ws.close(Some(4001), Some("signed out: the account changed"));
}
