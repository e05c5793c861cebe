//! What the visitor does in a handover besides chatting: fill in the pre-handover form,
//! stop waiting for a person, and rate the help they got. Drawn in the `.extra` strip
//! above the message box from the `state` and `rating` frames; each action is a frame on
//! the socket, and a refusal (a required field left blank, say) comes back as an `error`
//! frame shown in the error line.

use baton_shared::protocol::{
    ClientFrame, ConversationState, FieldRule, FormAnswers, MessageForTeam, PreHandoverForm,
    RatingRequest,
};
use std::cell::Cell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

use crate::dom::button;
use crate::skeleton;
use crate::state::{on, Problem, State, S};

/// Draws the strip for the current state and rating; empty (and hidden) when there is
/// nothing to do.
pub fn redraw(s: &S) {
    let mut st = s.borrow_mut();
    st.extra_listeners.clear();
    st.extra.set_text_content(None);
    let mode = st.mode.clone();
    let rating = st.rating;
    let offline = st.offline;
    drop(st);
    let drawn = match mode {
        ConversationState::Form { form } => form_strip(s, form),
        ConversationState::Pending => stop_waiting(s),
        _ if rating => rating_strip(s),
        _ if offline => leave_strip(s),
        _ => Ok(false),
    };
    let st = s.borrow();
    // The strip takes room from the log: keep its last message in sight.
    let near_end = st.near_end();
    st.extra.set_hidden(!drawn.unwrap_or(false));
    st.scroll(near_end);
}

fn stop_waiting(s: &S) -> Result<bool, JsValue> {
    let mut st = s.borrow_mut();
    let b = button(&st.doc, "secondary", "Stop waiting")?;
    st.extra.append_child(&b)?;
    let listener = EventListener::new(
        &b,
        "click",
        on(s, |s, _: &web_sys::Event| {
            s.borrow_mut().send(&ClientFrame::Cancel);
        }),
    );
    st.extra_listeners.push(listener);
    Ok(true)
}

/// One labelled input of the form as markup (fixed text only), or none when the settings
/// leave the field off.
fn field(rule: FieldRule, name: &str, label: &str, kind: &str) -> String {
    let (note, required) = match rule {
        FieldRule::Off => return String::new(),
        FieldRule::Optional => (" (optional)", ""),
        FieldRule::Required => ("", " required"),
    };
    [
        "<label>",
        label,
        note,
        "<input name=",
        name,
        " type=",
        kind,
        " autocomplete=",
        name,
        " maxlength=200",
        required,
        "></label>",
    ]
    .concat()
}

fn form_strip(s: &S, rules: PreHandoverForm) -> Result<bool, JsValue> {
    let mut st = s.borrow_mut();
    // The browser's own check would block the submit with a passing tooltip; ours puts a
    // lasting message in the error line (`novalidate`), and `required` stays for screen
    // readers.
    st.extra.set_inner_html(
        &[
            "<form class=prechat aria-label=\"Before a person joins\" novalidate>",
            &field(rules.name, "name", "Your name", "text"),
            &field(rules.email, "email", "Your email", "email"),
            "<div class=actions><button type=submit>Continue</button>\
             <button type=button class=secondary>Not now</button></div></form>",
        ]
        .concat(),
    );
    let input = |name: &str| -> Result<Option<HtmlInputElement>, JsValue> {
        let found = st
            .extra
            .query_selector(&["input[name=", name, "]"].concat())?;
        Ok(found.map(|i| i.unchecked_into()))
    };
    let name = input("name")?;
    let email = input("email")?;
    let (Some(form), Some(skip)) = (
        st.extra.query_selector("form")?,
        st.extra.query_selector(".secondary")?,
    ) else {
        return Ok(false);
    };
    let value = |i: &Option<HtmlInputElement>| {
        i.as_ref()
            .map(|i| i.value().trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let rules_ = rules;
    let submitted = on(s, move |s, e: &web_sys::Event| {
        e.prevent_default();
        let answers = FormAnswers {
            name: value(&name),
            email: value(&email),
        };
        let missing = [
            (rules_.name, &answers.name, "name"),
            (rules_.email, &answers.email, "email"),
        ]
        .into_iter()
        .find(|(rule, v, _)| *rule == FieldRule::Required && v.is_none())
        .map(|(_, _, field)| field);
        submit(s, missing, &ClientFrame::Form { answers });
    });
    let listeners = [
        EventListener::new_with_options(
            &form,
            "submit",
            EventListenerOptions::enable_prevent_default(),
            submitted,
        ),
        EventListener::new(
            &skip,
            "click",
            on(s, |s, _: &web_sys::Event| {
                s.borrow_mut().send(&ClientFrame::Cancel);
            }),
        ),
    ];
    st.extra_listeners.extend(listeners);
    Ok(true)
}

fn rating_strip(s: &S) -> Result<bool, JsValue> {
    let mut st = s.borrow_mut();
    let Some((form, more, comment)) = draw(&st, skeleton::RATING, ".more", "input")? else {
        return Ok(false);
    };
    let more: HtmlElement = more.unchecked_into();
    let comment: HtmlInputElement = comment.unchecked_into();
    let stars = st.extra.query_selector_all(".star")?;
    // The score chosen; nothing is sent before the visitor presses "Send rating".
    let chosen = Rc::new(Cell::new(0u8));
    let mut listeners = Vec::new();
    for score in 1..=5u8 {
        let (Some(star), stars, chosen, more) = (
            stars.get(u32::from(score) - 1),
            stars.clone(),
            chosen.clone(),
            more.clone(),
        ) else {
            break;
        };
        listeners.push(EventListener::new(&star, "click", move |_| {
            chosen.set(score);
            for i in 0..5 {
                if let Some(b) = stars.get(i).and_then(|b| b.dyn_into::<Element>().ok()) {
                    let on = if i < u32::from(score) {
                        "true"
                    } else {
                        "false"
                    };
                    let _ = b.set_attribute("aria-pressed", on);
                }
            }
            more.set_hidden(false);
        }));
    }
    listeners.push(EventListener::new_with_options(
        &form,
        "submit",
        EventListenerOptions::enable_prevent_default(),
        on(s, move |s, e: &web_sys::Event| {
            e.prevent_default();
            let score = chosen.get();
            if score == 0 {
                return;
            }
            let comment = comment.value().trim().to_string();
            let mut st = s.borrow_mut();
            // The thank-you follows the server's word that the rating is in.
            st.rated = st.send(&ClientFrame::Rate(RatingRequest {
                score,
                comment: (!comment.is_empty()).then_some(comment),
            }));
        }),
    ));
    st.extra_listeners.extend(listeners);
    Ok(true)
}

fn leave_strip(s: &S) -> Result<bool, JsValue> {
    let mut st = s.borrow_mut();
    let Some((form, email, message)) = draw(&st, skeleton::LEAVE, "input", "textarea")? else {
        return Ok(false);
    };
    let email: HtmlInputElement = email.unchecked_into();
    let message: HtmlTextAreaElement = message.unchecked_into();
    let listener = EventListener::new_with_options(
        &form,
        "submit",
        EventListenerOptions::enable_prevent_default(),
        on(s, move |s, e: &web_sys::Event| {
            e.prevent_default();
            let (email, text) = (email.value().trim().to_string(), message.value());
            let missing = match (email.is_empty(), text.trim().is_empty()) {
                (true, _) => Some("email"),
                (_, true) => Some("message"),
                _ => None,
            };
            submit(
                s,
                missing,
                &ClientFrame::LeaveMessage(MessageForTeam { email, text }),
            );
        }),
    );
    st.extra_listeners.push(listener);
    Ok(true)
}

/// Sends a strip's form, or says which field is missing: the server checks too, and
/// asking here saves a round trip.
fn submit(s: &S, missing: Option<&str>, frame: &ClientFrame) {
    let mut st = s.borrow_mut();
    if let Some(field) = missing {
        return st.set_error(
            Problem::Other,
            &["Please fill in your ", field, "."].concat(),
        );
    }
    if st.err == Problem::Other {
        st.set_error(Problem::None, "");
    }
    st.send(frame);
}

/// Puts `markup` (fixed text) in the strip and finds its form and the two parts named.
fn draw(
    st: &State,
    markup: &str,
    a: &str,
    b: &str,
) -> Result<Option<(Element, Element, Element)>, JsValue> {
    st.extra.set_inner_html(markup);
    let find = |selector: &str| st.extra.query_selector(selector);
    Ok(match (find("form")?, find(a)?, find(b)?) {
        (Some(form), Some(a), Some(b)) => Some((form, a, b)),
        _ => None,
    })
}
