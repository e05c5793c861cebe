//! Which websites may start a widget conversation with an assistant: the
//! `allowed_origins` setting. Browsers name the page's site in the `Origin` header of
//! every cross-site request, so a list of origins keeps another site from embedding an
//! assistant (and spending its agents' time). Requests without the header (a server
//! calling the HTTP API) are not a site's widget and are let through.

use super::settings::Settings;

/// Most origins one assistant may list.
pub const MAX_ORIGINS: usize = 100;

impl Settings {
    /// Whether a page of `origin` (the request's `Origin` header) may start a widget
    /// conversation. An empty list allows every site.
    pub fn allows_origin(&self, origin: Option<&str>) -> bool {
        match origin {
            None => true,
            Some(_) if self.allowed_origins.is_empty() => true,
            Some(origin) => self
                .allowed_origins
                .iter()
                .any(|allowed| allowed.eq_ignore_ascii_case(origin)),
        }
    }
}

/// Why `origin` is not an origin as browsers send it: `http` or `https`, `://`, a host
/// name and an optional port, nothing after.
pub fn origin_problem(origin: &str) -> Option<String> {
    let example = "write it as the browser's address bar shows the site, without a path: https://shop.example or http://localhost:8080";
    let Some(rest) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
    else {
        return Some(format!(
            "{origin:?} does not start with https:// or http://; {example}"
        ));
    };
    let (host, port) = match rest.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    // Host names only: an IP address literal for a website's widget is surely a mistake.
    let host_ok = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    let port_ok =
        port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    match host_ok && port_ok {
        true => None,
        false => Some(format!("{origin:?} is not a site's origin; {example}")),
    }
}
