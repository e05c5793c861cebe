//! Baton's visitor chat widget. The loader (`widget/loader.js`, served as `/widget.js`)
//! owns the host element, its open shadow root and the bubble; on the first click it
//! imports this module and calls [`mount`], which builds the panel inside that shadow
//! root and keeps the conversation going (`connection`), sends what the visitor writes
//! (`compose`) and draws the handover's own steps: the form, "stop waiting", the rating
//! (`handover`). Every message is rendered as text.

mod browser;
mod compose;
mod connection;
mod context;
mod css;
mod dom;
mod handover;
mod skeleton;
mod state;
mod wire;

// The widget runs on the page's one thread and allocates little: a free-list allocator is
// a few hundred bytes of wasm where the default (dlmalloc) is about 7 KB.
// SAFETY: wasm32-unknown-unknown without threads: only one thread ever allocates.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

use std::cell::RefCell;
use std::rc::Rc;

use baton_shared::protocol::ConversationState;
use gloo_events::{EventListener, EventListenerOptions};
use js_sys::Reflect;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlTextAreaElement, KeyboardEvent, ShadowRoot};

use browser::load;
use dom::{attrs, el, render};
use state::{on, set_open, Problem, State, Unacked, S};

thread_local! {
    /// The page's one widget, from `mount` on: it lives as long as the page.
    static WIDGET: RefCell<Option<S>> = const { RefCell::new(None) };
}

/// Opens the panel if closed, closes it if open; returns whether it is now open. Before
/// `mount`, does nothing.
#[wasm_bindgen]
pub fn toggle() -> bool {
    WIDGET.with_borrow(|w| {
        let Some(s) = w else { return false };
        let open = !s.borrow().open;
        set_open(s, open);
        open
    })
}

/// Builds the panel inside `root`, opens it and starts the conversation; the loader calls
/// it once, on the visitor's first click, then `toggle`.
/// `config`: `{api, assistant, lang, color, position, title}`; `api` is the absolute base URL
/// the routes hang off (`{api}api/conversations`), all others optional.
#[wasm_bindgen]
pub fn mount(root: ShadowRoot, config: JsValue) -> Result<(), JsValue> {
    let cfg = |k: &str| {
        Reflect::get(&config, &k.into())
            .ok()
            .and_then(|v| v.as_string())
    };
    let mut api = cfg("api").ok_or("baton: config.api missing")?;
    if !api.ends_with('/') {
        api.push('/');
    }
    let assistant = cfg("assistant").unwrap_or_else(|| "default".into());
    let lang = cfg("lang").unwrap_or_else(|| "en".into());
    let title = cfg("title").unwrap_or_else(|| "Chat with us".into());
    let window = web_sys::window().ok_or("no window")?;
    let doc = window.document().ok_or("no document")?;

    // `off` until the socket has caught up (`State::set_online`).
    let panel: HtmlElement = el(&doc, "div", "panel off")?.unchecked_into();
    panel.set_inner_html(skeleton::HTML);
    let style = doc.create_element("style")?;
    style.set_text_content(Some(css::CSS));
    panel.prepend_with_node_1(&style)?;
    if cfg("position").as_deref() == Some("left") {
        panel.class_list().add_1("left")?;
    }
    if let Some(c) = cfg("color") {
        panel.style().set_property("--c", &c)?;
    }
    attrs(
        &panel,
        &[("role", "dialog"), ("aria-label", &title), ("lang", &lang)],
    )?;
    panel.set_hidden(true);
    let part = |selector: &str| {
        panel
            .query_selector(selector)?
            .ok_or_else(|| JsValue::from_str(selector))
    };
    part(".title")?.set_text_content(Some(&title));
    let status = part(".status")?;
    let close = part(".close")?;
    let log = part(".log")?;
    let typing: HtmlElement = part(".typing")?.unchecked_into();
    let extra: HtmlElement = part(".extra")?.unchecked_into();
    let error: HtmlElement = part(".error")?.unchecked_into();
    let form = part("form")?;
    let input: HtmlTextAreaElement = part("textarea")?.unchecked_into();

    // Before the bubble, so `.panel:not([hidden]) ~ .bubble` can hide it on phones.
    root.insert_before(
        &panel,
        root.query_selector(".bubble")?.as_ref().map(|b| b.as_ref()),
    )?;

    let s: S = Rc::new(RefCell::new(State {
        conv_key: ["baton:conv:", &assistant].concat(),
        pending_key: ["baton:pending:", &assistant].concat(),
        assistant,
        api,
        lang,
        doc: doc.clone(),
        root,
        panel: panel.clone(),
        log,
        typing,
        typing_timer: None,
        typed_at: 0.0,
        status,
        extra,
        error,
        input: input.clone(),
        err: Problem::None,
        open: false,
        conv: None,
        mode: ConversationState::Bot,
        rating: false,
        rated: false,
        offline: false,
        last_seq: 0,
        unacked: Vec::new(),
        ws: None,
        ws_listeners: Vec::new(),
        opened: false,
        synced: false,
        fails: 0,
        heard: 0.0,
        beat: None,
        timer: None,
        ui_listeners: Vec::new(),
        extra_listeners: Vec::new(),
        context: None,
    }));

    let active = EventListenerOptions::enable_prevent_default();
    let listeners = vec![
        EventListener::new_with_options(
            &form,
            "submit",
            active,
            on(&s, |s, e: &web_sys::Event| {
                e.prevent_default();
                compose::send_input(s);
            }),
        ),
        EventListener::new_with_options(
            &input,
            "keydown",
            active,
            on(&s, |s, k: &KeyboardEvent| {
                if k.key() == "Enter" && !k.shift_key() && !k.is_composing() {
                    k.prevent_default();
                    compose::send_input(s);
                }
            }),
        ),
        EventListener::new(
            &input,
            "input",
            on(&s, |s, _: &web_sys::Event| compose::check_length(s)),
        ),
        EventListener::new_with_options(
            &panel,
            "keydown",
            active,
            on(&s, |s, k: &KeyboardEvent| match k.key().as_str() {
                "Escape" => set_open(s, false),
                "Tab" => trap(s, k),
                _ => {}
            }),
        ),
        EventListener::new(
            &close,
            "click",
            on(&s, |s, _: &web_sys::Event| set_open(s, false)),
        ),
        // The network is back, or the page is seen again: reconnect (or check) at once
        // instead of waiting out the backoff or the next heartbeat.
        EventListener::new(
            &window,
            "online",
            on(&s, |s, _: &web_sys::Event| connection::now(s)),
        ),
        EventListener::new(
            &window,
            "offline",
            on(&s, |s, _: &web_sys::Event| connection::lost(s)),
        ),
        EventListener::new(
            &doc,
            "visibilitychange",
            on(&s, |s, _: &web_sys::Event| {
                let visible = !s.borrow().doc.hidden();
                if visible {
                    connection::now(s)
                }
            }),
        ),
    ];
    {
        let mut st = s.borrow_mut();
        st.ui_listeners = listeners;
        st.context = context::new(&s, &config);
        // Conversation and sends that were not acknowledged before a reload.
        let stored = load(&st.conv_key).unwrap_or_default();
        st.conv = connection::conversation(&stored);
        st.welcome(&stored);
        let saved = load(&st.pending_key).and_then(|v| v.dyn_into::<js_sys::Array>().ok());
        for p in saved.iter().flat_map(|a| a.iter()) {
            if let (Some(id), Some(text)) = (wire::text(&p, "client_id"), wire::text(&p, "text")) {
                let e = render(
                    &st.doc,
                    "visitor pending",
                    None,
                    &text,
                    None,
                    None,
                    &st.lang,
                )?;
                st.log.append_child(&e)?;
                st.unacked.push(Unacked {
                    client_id: id,
                    text,
                    el: e,
                });
            }
        }
    }
    connection::start(&s);
    set_open(&s, true);
    WIDGET.with_borrow_mut(|w| *w = Some(s));
    Ok(())
}

/// On a phone the panel covers the page: Tab and Shift+Tab go round the panel's controls
/// instead of on to the page's links hidden behind it.
fn trap(s: &S, k: &KeyboardEvent) {
    let full = web_sys::window()
        .and_then(|w| w.match_media(css::FULL_SCREEN).ok().flatten())
        .is_some_and(|m| m.matches());
    let st = s.borrow();
    let (true, Ok(all)) = (full, st.panel.query_selector_all(FOCUSABLE)) else {
        return;
    };
    // Only what is shown can take focus (a hidden strip's buttons cannot).
    let shown: Vec<HtmlElement> = (0..all.length())
        .filter_map(|i| all.get(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|e| e.offset_width() > 0)
        .collect();
    let (Some(first), Some(last)) = (shown.first(), shown.last()) else {
        return;
    };
    let active = st.root.active_element();
    let (from, to) = if k.shift_key() {
        (first, last)
    } else {
        (last, first)
    };
    if active.as_ref() == Some(from.as_ref()) {
        k.prevent_default();
        let _ = to.focus();
    }
}

const FOCUSABLE: &str = "button,textarea,input,[tabindex]";
