//! Small DOM helpers. Every message is rendered with `textContent`, never as markup.

use js_sys::Date;
use wasm_bindgen::JsValue;
use web_sys::{Document, Element};

pub fn el(doc: &Document, tag: &str, class: &str) -> Result<Element, JsValue> {
    let e = doc.create_element(tag)?;
    e.set_class_name(class);
    Ok(e)
}

pub fn attrs(e: &Element, list: &[(&str, &str)]) -> Result<(), JsValue> {
    for (k, v) in list {
        e.set_attribute(k, v)?;
    }
    Ok(())
}

/// A button with a visible label.
pub fn button(doc: &Document, class: &str, label: &str) -> Result<Element, JsValue> {
    let b = el(doc, "button", class)?;
    b.set_attribute("type", "button")?;
    b.set_text_content(Some(label));
    Ok(b)
}

/// One `.msg` element.
pub fn render(
    doc: &Document,
    class: &str,
    name: Option<&str>,
    text: &str,
    seq: Option<u64>,
    at: Option<u64>,
    lang: &str,
) -> Result<Element, JsValue> {
    let m = el(doc, "div", &["msg ", class].concat())?;
    if let Some(seq) = seq {
        m.set_attribute("data-seq", &dec(seq))?;
    }
    if let Some(at) = at {
        m.set_attribute("title", &time(at, lang))?;
    }
    if let Some(name) = name {
        let n = el(doc, "span", "name")?;
        n.set_text_content(Some(name));
        m.append_child(&n)?;
    }
    let t = el(doc, "span", "text")?;
    t.set_text_content(Some(text));
    m.append_child(&t)?;
    Ok(m)
}

pub fn time(at: u64, lang: &str) -> String {
    Date::new(&JsValue::from_f64(at as f64))
        .to_locale_time_string(lang)
        .into()
}

/// `n` in decimal, without `core::fmt` (its machinery is a few KB of wasm).
pub fn dec(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| char::from(d)).collect()
}
