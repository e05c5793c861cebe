//! The browser's storage and fetch, and JSON through `JSON.parse`/`stringify` with
//! serde-wasm-bindgen (serde_json would cost ~26 KB gzip here).

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response, Storage};

pub async fn fetch(url: &str, method: &str, token: Option<&str>) -> Result<Response, JsValue> {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Headers::new()?;
    if let Some(t) = token {
        headers.set("Authorization", &format!("Bearer {t}"))?;
    }
    if method == "POST" {
        headers.set("Content-Type", "application/json")?;
        init.set_body(&JsValue::from_str("{}"));
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
    serde_wasm_bindgen::from_value(js_sys::JSON::parse(&text).ok()?).ok()
}

pub fn save<T: Serialize>(key: &str, value: Option<&T>) {
    let Some(ls) = storage() else { return };
    let _ = match value.and_then(to_json) {
        Some(json) => ls.set_item(key, &json),
        None => ls.remove_item(key),
    };
}

pub fn to_json<T: Serialize>(value: &T) -> Option<String> {
    let v = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&v).ok()?.as_string()
}
