//! The browser's storage and fetch, and JSON through `baton_shared::json` (serde_json or
//! serde-wasm-bindgen would cost the widget 5 to 26 KB gzip).

use baton_shared::json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response, Storage};

/// GETs `url`, or POSTs `body` (JSON) to it when there is one.
pub async fn fetch(
    url: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    let headers = Headers::new()?;
    if let Some(t) = token {
        headers.set("Authorization", &format!("Bearer {t}"))?;
    }
    if let Some(body) = body {
        init.set_method("POST");
        headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str(body));
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

pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    let text = storage()?.get_item(key).ok()??;
    json::from_str(&text).ok()
}

pub fn save<T: Serialize>(key: &str, value: Option<&T>) {
    let Some(ls) = storage() else { return };
    let _ = match value.and_then(to_json) {
        Some(json) => ls.set_item(key, &json),
        None => ls.remove_item(key),
    };
}

pub fn to_json<T: Serialize>(value: &T) -> Option<String> {
    json::to_string(value).ok()
}

/// A response's body as `T`.
pub async fn read_json<T: DeserializeOwned>(response: &Response) -> Result<T, JsValue> {
    let text = JsFuture::from(response.text()?).await?;
    json::from_str(&text.as_string().unwrap_or_default()).map_err(|_| JsValue::NULL)
}
