//! The browser's storage and fetch; values as JS objects (`wire`).

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Headers, RequestInit, Response, Storage};

use crate::wire::{parse, stringify};

/// GETs `url`, or POSTs `body` (as JSON) to it when there is one; `done` gets the
/// response, or `None` when the server could not be reached. Promise callbacks, not
/// futures: wasm-bindgen-futures' executor was about 3 KB of the widget's wasm.
pub fn fetch(
    url: &str,
    body: Option<&JsValue>,
    token: Option<&str>,
    done: impl FnOnce(Option<Response>) + 'static,
) {
    let init = RequestInit::new();
    let Ok(headers) = Headers::new() else {
        return done(None);
    };
    if let Some(t) = token {
        let _ = headers.set("Authorization", &["Bearer ", t].concat());
    }
    if let Some(body) = body.and_then(stringify) {
        init.set_method("POST");
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&body.into());
    }
    init.set_headers(&headers);
    let Some(window) = web_sys::window() else {
        return done(None);
    };
    settled(window.fetch_with_str_and_init(url, &init), move |r| {
        done(r.dyn_into().ok())
    });
}

#[wasm_bindgen]
extern "C" {
    /// A promise, for `then` with plain functions (js-sys's takes `Closure`s it must
    /// outlive).
    type Thenable;
    /// `promise.then(f, f)`.
    #[wasm_bindgen(method, js_name = then)]
    fn then_either(this: &Thenable, on: &JsValue, or: &JsValue);
}

/// Calls `f` once with what `promise` settles with, its value or its error. One callback
/// for both: it is called exactly once, which frees it.
pub fn settled(promise: Promise, f: impl FnOnce(JsValue) + 'static) {
    let f = Closure::once_into_js(f);
    promise.unchecked_ref::<Thenable>().then_either(&f, &f);
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

/// A response's body, parsed: `done` gets it, or `None` when it is not JSON.
pub fn read_json(response: &Response, done: impl FnOnce(Option<JsValue>) + 'static) {
    let Ok(promise) = response.json() else {
        return done(None);
    };
    // A rejection is an `Error` object, an answer a plain one.
    settled(promise, move |v| {
        done((!v.is_instance_of::<js_sys::Error>()).then_some(v))
    });
}
