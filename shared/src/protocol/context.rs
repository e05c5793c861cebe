//! The visitor's context: what page they are on and what their browser says about them,
//! sent by the widget when a conversation connects and when the page changes, kept by the
//! conversation and shown to agents beside it. Only coarse words are kept: the browser and
//! device families come from the user agent, which is read and dropped; no address is
//! ever part of it. Every value is cut to a length here, once, and is text, never HTML.

use super::{FormAnswers, HandoverRecord, Millis, Rating};
use serde::{Deserialize, Serialize};

/// The longest page URL and referrer kept, in characters.
pub const MAX_URL_CHARS: usize = 500;
/// The longest page title kept, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// How many of the latest pages a conversation keeps (the current one last).
pub const PAGES_KEPT: usize = 5;

/// The `context` frame's body (and `POST /api/conversations/{id}/context`'s), as the
/// widget's loader reads it from the page. Missing fields are empty.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct PageReport {
    /// The browser's own random id, kept in its storage: links the conversations of one
    /// browser, nothing else. 16 to 64 letters, digits, `-` and `_`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visitor: Option<String>,
    pub url: String,
    pub title: String,
    pub referrer: String,
    /// `navigator.language`, a tag such as `pt-BR`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// An IANA time zone such as `Europe/Madrid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// `navigator.userAgent`: read for the two families, never stored.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub user_agent: String,
}

/// One page the visitor was on.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct PageVisit {
    pub url: String,
    pub title: String,
    /// When the conversation heard of it.
    pub at: Millis,
}

/// What a conversation keeps of its visitor's context; agents read it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct VisitorContext {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visitor: Option<String>,
    /// The page now (the last of `pages`).
    pub url: String,
    pub title: String,
    /// Where the visitor came from to the first page reported.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub referrer: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// `Chrome`, `Edge`, `Firefox`, `Safari`, `Opera`, `Samsung Internet` or `other`.
    pub browser: String,
    /// `desktop`, `phone` or `tablet`.
    pub device: String,
    /// The latest pages, at most [`PAGES_KEPT`], the current one last.
    pub pages: Vec<PageVisit>,
    /// How many page changes were reported in all, the first page included.
    pub page_count: u32,
    pub updated_at: Millis,
}

impl VisitorContext {
    /// The context after `report` arrived at `now`, from the one kept so far (`None` on
    /// the first report). A page that did not change only refreshes the rest; the first
    /// referrer stays, as does the visitor id once known. Errs, saying why, on a visitor
    /// id, language or time zone that is not one.
    pub fn update(
        kept: Option<VisitorContext>,
        report: PageReport,
        now: Millis,
    ) -> Result<VisitorContext, String> {
        if let Some(v) = &report.visitor {
            if !(16..=64).contains(&v.len())
                || !v
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            {
                return Err("visitor must be 16 to 64 letters, digits, - and _".into());
            }
        }
        if let Some(l) = &report.language {
            if !(1..=35).contains(&l.len())
                || !l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return Err(format!(
                    "language {:?} is not a language tag such as en or pt-BR",
                    cut(l, 40)
                ));
            }
        }
        if let Some(z) = &report.time_zone {
            if !(1..=64).contains(&z.len())
                || !z
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"/_+-".contains(&b))
            {
                return Err(format!(
                    "time_zone {:?} is not a time zone such as Europe/Madrid",
                    cut(z, 70)
                ));
            }
        }
        let (browser, device) = families(&report.user_agent);
        let page = PageVisit {
            url: cut(&report.url, MAX_URL_CHARS),
            title: cut(&report.title, MAX_TITLE_CHARS),
            at: now,
        };
        let (mut pages, mut page_count, referrer, visitor) = match kept {
            Some(k) => (
                k.pages,
                k.page_count,
                k.referrer,
                k.visitor.or(report.visitor),
            ),
            None => (
                Vec::new(),
                0,
                cut(&report.referrer, MAX_URL_CHARS),
                report.visitor,
            ),
        };
        let current = match pages.last_mut() {
            // The same page again (a reconnect, a reload): only its title may be newer.
            Some(last) if last.url == page.url => {
                last.title = page.title;
                last.clone()
            }
            _ => {
                pages.push(page.clone());
                page_count = page_count.saturating_add(1);
                if pages.len() > PAGES_KEPT {
                    pages.remove(0);
                }
                page
            }
        };
        Ok(VisitorContext {
            visitor,
            url: current.url,
            title: current.title,
            referrer,
            language: report.language,
            time_zone: report.time_zone,
            browser: browser.into(),
            device: device.into(),
            pages,
            page_count,
            updated_at: now,
        })
    }
}

/// `text` without control characters (a title's line breaks become spaces), trimmed, and
/// at most `max` characters, the last of them `…` when it was longer.
pub fn cut(text: &str, max: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    if clean.chars().count() <= max {
        return clean.to_string();
    }
    let mut short: String = clean.chars().take(max.saturating_sub(1)).collect();
    short.push('…');
    short
}

/// The browser family and the device family a user agent names, as coarse words. The
/// order matters: Edge, Opera and Samsung's browser also say "Chrome", and Chrome also
/// says "Safari".
pub fn families(user_agent: &str) -> (&'static str, &'static str) {
    let has = |s: &str| user_agent.contains(s);
    let browser = if has("Edg/") || has("EdgA/") || has("EdgiOS/") {
        "Edge"
    } else if has("OPR/") || has("Opera") {
        "Opera"
    } else if has("SamsungBrowser/") {
        "Samsung Internet"
    } else if has("Firefox/") || has("FxiOS/") {
        "Firefox"
    } else if has("Chrome/") || has("CriOS/") || has("Chromium/") {
        "Chrome"
    } else if has("Safari/") {
        "Safari"
    } else {
        "other"
    };
    let device = if has("iPad") || has("Tablet") || (has("Android") && !has("Mobile")) {
        "tablet"
    } else if has("Mobi") || has("iPhone") || has("Android") {
        "phone"
    } else {
        "desktop"
    };
    (browser, device)
}

/// The conversation's title for agents: the visitor's name or email when the form gave
/// them, else "Visitor on <page title>" (the page's address when it has no title), else
/// "Visitor".
pub fn conversation_title(form: Option<&FormAnswers>, context: Option<&VisitorContext>) -> String {
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    if let Some(known) = form.and_then(|f| given(&f.name).or(given(&f.email))) {
        return cut(known, MAX_TITLE_CHARS);
    }
    match context {
        Some(c) if !c.title.is_empty() => format!("Visitor on {}", c.title),
        Some(c) if !c.url.is_empty() => format!("Visitor on {}", c.url),
        _ => "Visitor".into(),
    }
}

/// Another conversation of the same browser, for the agents' summary panel.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct EarlierChat {
    pub conversation_id: String,
    /// When the conversation first reported its context.
    pub at: Millis,
    /// Its latest handover, with its outcome and rating; none when the assistant alone
    /// answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handover: Option<HandoverRecord>,
    /// The visitor's rating of the assistant, for a chat without a handover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assistant_rating: Option<Rating>,
}

/// `GET /api/conversations/{id}/context` answer (agents only).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ContextView {
    /// [`conversation_title`]'s.
    pub title: String,
    pub assistant: String,
    /// `null` until the widget reported one.
    pub context: Option<VisitorContext>,
    /// The pre-handover form's latest answers in this conversation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub form: Option<FormAnswers>,
    /// This conversation's last handover that ended: its rating and closing note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_handover: Option<HandoverRecord>,
    /// The same browser's other conversations, latest first.
    pub earlier: Vec<EarlierChat>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";

    fn report(url: &str, title: &str) -> PageReport {
        PageReport {
            visitor: Some("v0123456789abcdef".into()),
            url: url.into(),
            title: title.into(),
            referrer: "https://search.example/?q=shoes".into(),
            language: Some("pt-BR".into()),
            time_zone: Some("America/Sao_Paulo".into()),
            user_agent: CHROME.into(),
        }
    }

    #[test]
    fn a_first_report_keeps_the_page_and_the_families_but_not_the_user_agent() {
        let c = VisitorContext::update(None, report("https://shop.example/a", "Shoes"), Millis(5))
            .unwrap();
        assert_eq!(c.url, "https://shop.example/a");
        assert_eq!(c.title, "Shoes");
        assert_eq!(c.referrer, "https://search.example/?q=shoes");
        assert_eq!(c.language.as_deref(), Some("pt-BR"));
        assert_eq!(c.time_zone.as_deref(), Some("America/Sao_Paulo"));
        assert_eq!(
            (c.browser.as_str(), c.device.as_str()),
            ("Chrome", "desktop")
        );
        assert_eq!(c.page_count, 1);
        assert_eq!(c.updated_at, Millis(5));
        let json = serde_json::to_string(&c).unwrap();
        assert!(
            !json.contains("Mozilla") && !json.contains("user_agent"),
            "{json}"
        );
    }

    #[test]
    fn long_values_are_cut_and_control_characters_go() {
        let long_url = format!("https://shop.example/{}", "x".repeat(2000));
        let title = format!("Line\none {}", "é".repeat(400));
        let c = VisitorContext::update(None, report(&long_url, &title), Millis(1)).unwrap();
        assert_eq!(c.url.chars().count(), MAX_URL_CHARS);
        assert!(c.url.ends_with('…'));
        assert_eq!(c.title.chars().count(), MAX_TITLE_CHARS);
        assert!(c.title.starts_with("Line one é"), "{}", c.title);
        assert_eq!(cut("  <b>hi</b>  ", 10), "<b>hi</b>", "text stays text");
        assert_eq!(cut("abcdef", 4), "abc…");
    }

    #[test]
    fn page_changes_keep_the_latest_few_and_the_first_referrer() {
        let mut c = None;
        for i in 0..7 {
            let mut r = report(&format!("https://shop.example/{i}"), &format!("Page {i}"));
            r.referrer = format!("https://elsewhere.example/{i}");
            c = Some(VisitorContext::update(c, r, Millis(i)).unwrap());
        }
        let c = c.unwrap();
        assert_eq!(c.page_count, 7);
        assert_eq!(c.pages.len(), PAGES_KEPT);
        assert_eq!(c.pages[0].url, "https://shop.example/2");
        assert_eq!(c.url, "https://shop.example/6");
        assert_eq!(c.title, "Page 6");
        assert_eq!(c.referrer, "https://elsewhere.example/0");
    }

    #[test]
    fn the_same_page_again_is_not_a_page_change() {
        let first = VisitorContext::update(None, report("https://a.example/", "A"), Millis(1));
        let again =
            VisitorContext::update(first.ok(), report("https://a.example/", "A (2)"), Millis(9))
                .unwrap();
        assert_eq!(again.page_count, 1);
        assert_eq!(again.pages.len(), 1);
        assert_eq!(again.title, "A (2)");
        assert_eq!(again.updated_at, Millis(9));
    }

    #[test]
    fn the_visitor_id_once_known_stays() {
        let first = VisitorContext::update(None, report("https://a.example/", "A"), Millis(1));
        let mut other = report("https://a.example/b", "B");
        other.visitor = Some("another-browser-0000".into());
        let c = VisitorContext::update(first.ok(), other, Millis(2)).unwrap();
        assert_eq!(c.visitor.as_deref(), Some("v0123456789abcdef"));
    }

    #[test]
    fn malformed_ids_languages_and_time_zones_are_refused_with_a_reason() {
        let with = |f: fn(&mut PageReport)| {
            let mut r = report("https://a.example/", "A");
            f(&mut r);
            VisitorContext::update(None, r, Millis(1))
        };
        assert!(with(|r| r.visitor = Some("short".into()))
            .unwrap_err()
            .contains("visitor"));
        assert!(with(|r| r.visitor = Some("has spaces in it ok".into()))
            .unwrap_err()
            .contains("visitor"));
        assert!(with(|r| r.language = Some("<script>".into()))
            .unwrap_err()
            .contains("language"));
        assert!(with(|r| r.time_zone = Some("Europe/Madrid; drop".into()))
            .unwrap_err()
            .contains("time_zone"));
        let bare = with(|r| {
            r.visitor = None;
            r.language = None;
            r.time_zone = None;
            r.user_agent.clear();
        })
        .unwrap();
        assert_eq!(
            (bare.browser.as_str(), bare.device.as_str()),
            ("other", "desktop")
        );
        assert_eq!(bare.language, None);
    }

    #[test]
    fn the_frame_the_widget_writes_parses() {
        use crate::protocol::ClientFrame;
        let json = r#"{"type":"context","context":{"visitor":"v0123456789abcdef","url":"https://a.example/","title":"A","referrer":"","language":"en-GB","time_zone":"Europe/London","user_agent":"x","extra":1}}"#;
        let frame: ClientFrame = serde_json::from_str(json).unwrap();
        let ClientFrame::Context { context } = frame else {
            panic!("not a context frame: {frame:?}")
        };
        assert_eq!(context.url, "https://a.example/");
        assert_eq!(context.time_zone.as_deref(), Some("Europe/London"));
        // Nothing in Rust writes it (see `ClientFrame::Context`).
        assert!(serde_json::to_string(&ClientFrame::Context { context }).is_err());
    }

    #[test]
    fn user_agents_become_coarse_families() {
        let cases = [
            (CHROME, ("Chrome", "desktop")),
            ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0 Safari/537.36", ("Chrome", "desktop")),
            ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0", ("Edge", "desktop")),
            ("Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", ("Firefox", "desktop")),
            ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1", ("Safari", "phone")),
            ("Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1", ("Chrome", "tablet")),
            ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36", ("Chrome", "phone")),
            ("Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0 Safari/537.36", ("Samsung Internet", "tablet")),
            ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 OPR/105.0", ("Opera", "desktop")),
            ("curl/8.4.0", ("other", "desktop")),
        ];
        for (ua, want) in cases {
            assert_eq!(families(ua), want, "{ua}");
        }
    }

    #[test]
    fn the_title_is_the_name_or_email_else_the_page() {
        let c = VisitorContext::update(None, report("https://a.example/p", "Pricing"), Millis(1))
            .unwrap();
        let named = FormAnswers {
            name: Some(" Ana ".into()),
            email: Some("ana@example.com".into()),
        };
        let emailed = FormAnswers {
            name: Some("  ".into()),
            email: Some("bo@example.com".into()),
        };
        assert_eq!(conversation_title(Some(&named), Some(&c)), "Ana");
        assert_eq!(
            conversation_title(Some(&emailed), Some(&c)),
            "bo@example.com"
        );
        assert_eq!(
            conversation_title(Some(&FormAnswers::default()), Some(&c)),
            "Visitor on Pricing"
        );
        let untitled =
            VisitorContext::update(None, report("https://a.example/p", ""), Millis(1)).unwrap();
        assert_eq!(
            conversation_title(None, Some(&untitled)),
            "Visitor on https://a.example/p"
        );
        assert_eq!(conversation_title(None, None), "Visitor");
    }
}
