//! The browser's storage and fetch; values as JS objects (`wire`).

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response, Storage};

use crate::wire::{parse, stringify};

/// GETs `url`, or POSTs `body` (as JSON) to it when there is one.
pub async fn fetch(
    url: &str,
    body: Option<&JsValue>,
    token: Option<&str>,
) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    let headers = Headers::new()?;
    if let Some(t) = token {
        headers.set("Authorization", &["Bearer ", t].concat())?;
    }
    if let Some(body) = body.and_then(stringify) {
        init.set_method("POST");
        headers.set("Content-Type", "application/json")?;
        init.set_body(&body.into());
    }
    init.set_headers(&headers);
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    Ok(JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await?
        .unchecked_into())
}

pub fn storage() -> Option<Storage> {
    // Throws when storage is blocked (sandboxed iframes, some privacy modes).
    web_sys::window()?.local_storage().ok().flatten()
}

pub fn load(key: &str) -> Option<JsValue> {
    parse(&storage()?.get_item(key).ok()??)
}

pub fn save(key: &str, value: Option<&JsValue>) {
    let Some(ls) = storage() else { return };
    let _ = match value.and_then(stringify) {
        Some(json) => ls.set_item(key, &json),
        None => ls.remove_item(key),
    };
}

/// A response's body, parsed.
pub async fn read_json(response: &Response) -> Result<JsValue, JsValue> {
    JsFuture::from(response.json()?).await
}
