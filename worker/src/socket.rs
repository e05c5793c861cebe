//! What both objects' hibernatable WebSockets share.

use crate::bench::{self, Counter};
use serde::Serialize;
use worker::WebSocket;

/// Sends a frame, ignoring sockets that are closing: they catch up when they reconnect.
pub fn send<T: Serialize>(ws: &WebSocket, frame: &T) {
    bench::count(Counter::FramesSent);
    if let Ok(json) = serde_json::to_string(frame) {
        let _ = ws.send_with_str(json);
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
