//! The HTTP side of the protocol (docs/protocol.md), blocking: it only sets the run up and
//! reads the counters, outside the measured chat.

use serde_json::{json, Value};

/// `method path` with an optional bearer token and JSON body; the status must be `want`.
pub fn call(
    base: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    want: u16,
) -> Result<Value, String> {
    // A saturated server answers late; past a minute the figure is not worth waiting for.
    let mut req =
        ureq::request(method, &format!("{base}{path}")).timeout(std::time::Duration::from_secs(60));
    if let Some(t) = token {
        req = req.set("authorization", &format!("Bearer {t}"));
    }
    let res = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let res = match res {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => {
            let text = r.into_string().unwrap_or_default();
            return Err(format!("{method} {path}: {code} {text}"));
        }
        Err(e) => return Err(format!("{method} {path}: {e}")),
    };
    if res.status() != want {
        return Err(format!("{method} {path}: {} (wanted {want})", res.status()));
    }
    res.into_json().map_err(|e| format!("{method} {path}: {e}"))
}

/// Signs an agent in and puts them online; returns their token.
pub fn agent_online(base: &str, email: &str, password: &str) -> Result<String, String> {
    let login = call(
        base,
        "POST",
        "/api/login",
        None,
        Some(json!({"email": email, "password": password})),
        200,
    )?;
    let token = login["token"]
        .as_str()
        .ok_or("login: no token")?
        .to_string();
    call(
        base,
        "PUT",
        "/api/presence",
        Some(&token),
        Some(json!({"status": "online"})),
        200,
    )?;
    Ok(token)
}

/// The Worker's counters (`GET /api/bench`; the server runs with `BENCH_COUNTERS=1`).
pub fn counters(base: &str) -> Result<Value, String> {
    call(base, "GET", "/api/bench", None, None, 200)
        .map_err(|e| format!("{e}\n(is the server running with BENCH_COUNTERS=1?)"))
}
