//! A small JSON reader and writer for serde types, for the visitor's widget.
//!
//! The Worker uses serde_json. In the widget every byte counts, and the serde adapters it
//! could use instead (serde_json, serde-wasm-bindgen) format serde's error details, which
//! pulls in the formatting of floats and escaped strings: about 15 KB of wasm that a
//! widget never shows anyone. Here the errors are plain enum values, so that code is never
//! linked. The protocol has no fractional numbers, so neither has this JSON: a number with
//! a fraction or an exponent is refused.

mod read;
mod write;

#[cfg(test)]
mod tests;

pub use read::from_str;
pub use write::to_string;

use std::fmt;

/// Why a value could not be read or written. Deliberately without serde's details
/// (see the module's comment); the names of fields are kept, as they cost nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Not JSON: an unexpected character at this byte offset.
    Syntax(usize),
    /// The text ended inside a value.
    Eof,
    /// Something other than whitespace after the value, at this byte offset.
    Trailing(usize),
    /// A number with a fraction or an exponent, or out of the 64-bit range.
    Number(usize),
    /// Arrays and objects nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A required field is absent.
    MissingField(&'static str),
    /// The same field twice.
    DuplicateField(&'static str),
    /// A value of the wrong JSON type, or one the type refuses (serde's invalid type,
    /// invalid value, invalid length, unknown variant or a custom refusal).
    Invalid,
    /// Written: a float, bytes, or a map key that is not a string.
    Unsupported,
}

/// How deep arrays and objects may nest; deeper text is refused rather than risk the stack.
pub const MAX_DEPTH: usize = 64;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Syntax(at) => write!(f, "not JSON at byte {at}"),
            Error::Eof => f.write_str("the JSON ends too early"),
            Error::Trailing(at) => write!(f, "more text after the JSON value at byte {at}"),
            Error::Number(at) => write!(f, "not a whole 64-bit number at byte {at}"),
            Error::TooDeep => write!(f, "nested deeper than {MAX_DEPTH} levels"),
            Error::MissingField(name) => write!(f, "missing field `{name}`"),
            Error::DuplicateField(name) => write!(f, "duplicate field `{name}`"),
            Error::Invalid => f.write_str("a value of the wrong type or out of range"),
            Error::Unsupported => f.write_str("floats, bytes and non-string keys are not written"),
        }
    }
}

impl std::error::Error for Error {}

// The details serde passes in are dropped on purpose: formatting them is the code this
// module exists to leave out.
impl serde::de::Error for Error {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Error::Invalid
    }
    fn invalid_type(_: serde::de::Unexpected, _: &dyn serde::de::Expected) -> Self {
        Error::Invalid
    }
    fn invalid_value(_: serde::de::Unexpected, _: &dyn serde::de::Expected) -> Self {
        Error::Invalid
    }
    fn invalid_length(_: usize, _: &dyn serde::de::Expected) -> Self {
        Error::Invalid
    }
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        Error::Invalid
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        Error::Invalid
    }
    fn missing_field(field: &'static str) -> Self {
        Error::MissingField(field)
    }
    fn duplicate_field(field: &'static str) -> Self {
        Error::DuplicateField(field)
    }
}

impl serde::ser::Error for Error {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Error::Unsupported
    }
}
