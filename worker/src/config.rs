//! The settings the Worker reads from its environment (README, "Configure"). Their names
//! are listed once, in `worker/environment.txt`, from which `scripts/serve` writes
//! workerd's bindings: a setting named here and not there fails the build, so no runtime
//! can be left without one.

use crate::error::{ApiError, ApiResult};
use worker::{js_sys, Env};

const LISTED: &str = include_str!("../environment.txt");

macro_rules! settings {
    ($($variant:ident = $name:literal, $required:literal;)*) => {
        /// A setting of the Worker's environment.
        #[derive(Clone, Copy, Debug)]
        pub enum Setting { $($variant,)* }

        impl Setting {
            const ALL: &[Setting] = &[$(Setting::$variant,)*];

            pub const fn name(self) -> &'static str {
                match self { $(Setting::$variant => $name,)* }
            }

            const fn required(self) -> bool {
                match self { $(Setting::$variant => $required,)* }
            }
        }
    };
}

settings! {
    AuthSecret = "AUTH_SECRET", true;
    Agents = "AGENTS", true;
    Teams = "TEAMS", false;
    Admins = "ADMINS", false;
    WebhookUrl = "WEBHOOK_URL", false;
    WebhookSecret = "WEBHOOK_SECRET", false;
    BenchCounters = "BENCH_COUNTERS", false;
}

// Every setting is in the list, as required or optional as here, and the list names no
// other: checked while compiling.
const _: () = {
    let mut i = 0;
    while i < Setting::ALL.len() {
        let s = Setting::ALL[i];
        assert!(
            listed(s.name(), s.required()),
            "a setting is missing from worker/environment.txt, or is required there and not here (or the other way)"
        );
        i += 1;
    }
    assert!(
        count_listed() == Setting::ALL.len(),
        "worker/environment.txt lists a setting that worker/src/config.rs does not read"
    );
};

/// Whether `LISTED` has the line `name required` (or `name optional`).
const fn listed(name: &str, required: bool) -> bool {
    let want: &[u8] = if required { b"required" } else { b"optional" };
    let (text, name) = (LISTED.as_bytes(), name.as_bytes());
    let mut at = 0;
    while at < text.len() {
        if starts_with(text, at, name)
            && starts_with(text, at + name.len(), b" ")
            && starts_with(text, at + name.len() + 1, want)
        {
            return true;
        }
        at = next_line(text, at);
    }
    false
}

/// The lines of `LISTED` that are neither comments nor blank.
const fn count_listed() -> usize {
    let text = LISTED.as_bytes();
    let (mut at, mut n) = (0, 0);
    while at < text.len() {
        if text[at] != b'#' && text[at] != b'\n' {
            n += 1;
        }
        at = next_line(text, at);
    }
    n
}

const fn starts_with(text: &[u8], at: usize, word: &[u8]) -> bool {
    if at + word.len() > text.len() {
        return false;
    }
    let mut i = 0;
    while i < word.len() {
        if text[at + i] != word[i] {
            return false;
        }
        i += 1;
    }
    true
}

const fn next_line(text: &[u8], mut at: usize) -> usize {
    while at < text.len() && text[at] != b'\n' {
        at += 1;
    }
    at + 1
}

/// The setting's value, or `None` when it is unset or empty. Read from the environment
/// object directly: workerd binds an unset variable as `null`, which workers-rs's
/// `Env::var` cannot take (the request then hangs instead of failing).
pub fn optional(env: &Env, setting: Setting) -> Option<String> {
    js_sys::Reflect::get(env, &setting.name().into())
        .ok()
        .and_then(|v| v.as_string())
        .filter(|v| !v.trim().is_empty())
}

/// A required setting's value, or an error that names it.
pub fn required(env: &Env, setting: Setting) -> ApiResult<String> {
    optional(env, setting).ok_or_else(|| {
        ApiError::Misconfigured(format!(
            "{} is not set: put it in worker/.dev.vars (wrangler dev), `npx wrangler secret put {}` \
             (Cloudflare) or the environment of scripts/serve",
            setting.name(),
            setting.name()
        ))
    })
}
