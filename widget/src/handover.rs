//! What the visitor does in a handover besides chatting: fill in the pre-handover form,
//! stop waiting for a person, and rate the help they got. Drawn in the `.extra` strip
//! above the message box from the `state` and `rating` frames; each action is a frame on
//! the socket, and a refusal (a required field left blank, say) comes back as an `error`
//! frame shown in the error line.

use baton_shared::protocol::{
    ClientFrame, ConversationState, FieldRule, FormAnswers, PreHandoverForm, RatingRequest,
};
use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement};

use crate::dom::{attrs, button, el};
use crate::state::{on, Problem, State, S};

/// Draws the strip for the current state and rating; empty (and hidden) when there is
/// nothing to do.
pub fn redraw(s: &S) {
    let mut st = s.borrow_mut();
    st.extra_listeners.clear();
    st.extra.set_text_content(None);
    let mode = st.mode.clone();
    let rating = st.rating;
    drop(st);
    let drawn = match mode {
        ConversationState::Form { form } => form_strip(s, form),
        ConversationState::Pending => stop_waiting(s),
        _ if rating => rating_strip(s),
        _ => Ok(false),
    };
    let st = s.borrow();
    st.extra.set_hidden(!drawn.unwrap_or(false));
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

/// One labelled input of the form, or none when the settings leave the field off.
fn field(
    st: &State,
    form: &Element,
    rule: FieldRule,
    name: &str,
    label: &str,
    kind: &str,
) -> Result<Option<HtmlInputElement>, JsValue> {
    if rule == FieldRule::Off {
        return Ok(None);
    }
    let l = el(&st.doc, "label", "")?;
    let required = rule == FieldRule::Required;
    let text = if required {
        label.to_string()
    } else {
        format!("{label} (optional)")
    };
    l.set_text_content(Some(&text));
    let input: HtmlInputElement = st.doc.create_element("input")?.unchecked_into();
    attrs(
        &input,
        &[
            ("name", name),
            ("type", kind),
            ("autocomplete", name),
            ("maxlength", "200"),
        ],
    )?;
    input.set_required(required);
    l.append_child(&input)?;
    form.append_child(&l)?;
    Ok(Some(input))
}

fn form_strip(s: &S, rules: PreHandoverForm) -> Result<bool, JsValue> {
    let mut st = s.borrow_mut();
    let form = el(&st.doc, "form", "prechat")?;
    form.set_attribute("aria-label", "Before a person joins")?;
    // The browser's own check would block the submit with a passing tooltip; ours puts a
    // lasting message in the error line, and `required` stays for screen readers.
    form.set_attribute("novalidate", "")?;
    let name = field(&st, &form, rules.name, "name", "Your name", "text")?;
    let email = field(&st, &form, rules.email, "email", "Your email", "email")?;
    let actions = el(&st.doc, "div", "actions")?;
    let submit = button(&st.doc, "", "Continue")?;
    submit.set_attribute("type", "submit")?;
    let skip = button(&st.doc, "secondary", "Not now")?;
    actions.append_child(&submit)?;
    actions.append_child(&skip)?;
    form.append_child(&actions)?;
    st.extra.append_child(&form)?;
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
        let mut st = s.borrow_mut();
        // The server checks too; asking here saves a round trip.
        let missing = [
            (rules_.name, &answers.name, "name"),
            (rules_.email, &answers.email, "email"),
        ]
        .into_iter()
        .find(|(rule, v, _)| *rule == FieldRule::Required && v.is_none());
        if let Some((_, _, field)) = missing {
            st.set_error(Problem::Other, &format!("Please fill in your {field}."));
            return;
        }
        if st.err == Problem::Other {
            st.set_error(Problem::None, "");
        }
        st.send(&ClientFrame::Form { answers });
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
    let group = el(&st.doc, "div", "rating")?;
    attrs(
        &group,
        &[("role", "group"), ("aria-label", "Rate this conversation")],
    )?;
    let comment: HtmlInputElement = st.doc.create_element("input")?.unchecked_into();
    attrs(
        &comment,
        &[
            ("name", "comment"),
            ("type", "text"),
            ("maxlength", "4000"),
            ("placeholder", "A comment (optional)"),
            ("aria-label", "Comment"),
        ],
    )?;
    let stars = el(&st.doc, "div", "stars")?;
    let mut listeners = Vec::new();
    for score in 1..=5u8 {
        let b = button(&st.doc, "star", "★")?;
        b.set_attribute("aria-label", &format!("{score} of 5"))?;
        stars.append_child(&b)?;
        let comment = comment.clone();
        listeners.push(EventListener::new(
            &b,
            "click",
            on(s, move |s, _: &web_sys::Event| {
                let comment = comment.value().trim().to_string();
                s.borrow_mut().send(&ClientFrame::Rate(RatingRequest {
                    score,
                    comment: (!comment.is_empty()).then_some(comment),
                }));
            }),
        ));
    }
    group.append_child(&stars)?;
    group.append_child(&comment)?;
    st.extra.append_child(&group)?;
    st.extra_listeners.extend(listeners);
    Ok(true)
}
