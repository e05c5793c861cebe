//! The reader and writer against serde_json, the Worker's JSON: same text out, same values in.

use super::{from_str, to_string, Error, MAX_DEPTH};
use crate::protocol::samples::{every_client_frame, every_frame};
use crate::protocol::{ErrorCode, Millis, NewConversation, ServerFrame};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

/// Written as serde_json writes it, and read back as itself from serde_json's text.
fn same_as_serde_json<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let theirs = serde_json::to_string(value).unwrap();
    assert_eq!(to_string(value).unwrap(), theirs);
    let back: T = from_str(&theirs).unwrap_or_else(|e| panic!("{theirs}: {e}"));
    assert_eq!(&back, value, "{theirs}");
}

#[test]
fn every_server_frame_and_client_frame_matches_serde_json() {
    for frame in every_frame() {
        same_as_serde_json(&frame);
    }
    for frame in every_client_frame() {
        same_as_serde_json(&frame);
    }
    same_as_serde_json(&NewConversation {
        id: "c-1".into(),
        token: "t.o.k".into(),
    });
    same_as_serde_json(&vec![Some(1u32), None, Some(3)]);
    same_as_serde_json(&(u64::MAX, i64::MIN, -1i8, true, ()));
}

#[test]
fn whitespace_escapes_and_unknown_fields_are_read() {
    let text =
        " {\n\t\"type\" : \"message\", \"extra\": [1, {\"x\": null}, \"\\u00e9\"],\r\n \"seq\":3,\
                \"at\":4,\"author\":{\"role\":\"visitor\"},\
                \"text\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"} ";
    let frame: ServerFrame = from_str(text).unwrap();
    let ServerFrame::Message(m) = frame else {
        panic!("{frame:?}")
    };
    assert_eq!(m.text, "a\"b\\c/d\u{8}\u{c}\n\r\té😀");
    assert_eq!((m.seq, m.at), (3, Millis(4)));
}

#[test]
fn bad_text_is_refused_with_where() {
    let cases: &[(&str, Error)] = &[
        ("", Error::Eof),
        ("{\"id\":\"a\",\"token\":\"b\"} x", Error::Trailing(23)),
        ("{\"id\":\"a\" \"token\":\"b\"}", Error::Syntax(10)),
        ("{\"id\":\"a\",\"token\":\"b\"", Error::Eof),
        ("{\"id\":\"a\",\"token\":\"b\",}", Error::Syntax(22)),
        ("{\"id\":\"a\",\"token\":tru}", Error::Invalid),
        ("{\"id\":\"a\\q\",\"token\":\"b\"}", Error::Syntax(9)),
        ("{\"id\":\"a\\ud83d\",\"token\":\"b\"}", Error::Syntax(14)),
        ("{\"id\":\"a\\u+041\",\"token\":\"b\"}", Error::Syntax(10)),
        ("{\"id\":\"\\u00é\",\"token\":\"b\"}", Error::Syntax(9)),
        (
            "{\"id\":\"line\nbreak\",\"token\":\"b\"}",
            Error::Syntax(11),
        ),
        ("{\"id\":\"a\"}", Error::MissingField("token")),
        (
            "{\"id\":\"a\",\"id\":\"b\",\"token\":\"c\"}",
            Error::DuplicateField("id"),
        ),
        ("{\"id\":1,\"token\":\"b\"}", Error::Invalid),
    ];
    for (text, want) in cases {
        assert_eq!(
            from_str::<NewConversation>(text).unwrap_err(),
            *want,
            "{text}"
        );
    }
    assert_eq!(
        from_str::<serde::de::IgnoredAny>("[1, tru]"),
        Err(Error::Syntax(4))
    );
}

#[test]
fn only_whole_64_bit_numbers_are_read() {
    assert_eq!(from_str::<u64>("18446744073709551615"), Ok(u64::MAX));
    assert_eq!(from_str::<i64>("-9223372036854775808"), Ok(i64::MIN));
    assert_eq!(
        from_str::<u64>("18446744073709551616"),
        Err(Error::Number(0))
    );
    assert_eq!(
        from_str::<i64>("-9223372036854775809"),
        Err(Error::Number(0))
    );
    assert_eq!(from_str::<u64>("1.5"), Err(Error::Number(0)));
    assert_eq!(from_str::<u64>("1e3"), Err(Error::Number(0)));
    assert_eq!(from_str::<u64>("012"), Err(Error::Syntax(0)));
    assert_eq!(from_str::<i64>("-"), Err(Error::Syntax(1)));
    assert_eq!(from_str::<u8>("256"), Err(Error::Invalid));
    assert_eq!(to_string(&1.5f64), Err(Error::Unsupported));
}

#[test]
fn enums_read_their_names_and_refuse_others() {
    assert_eq!(
        from_str::<ErrorCode>("\"already_held\""),
        Ok(ErrorCode::AlreadyHeld)
    );
    assert_eq!(from_str::<ErrorCode>("\"shrug\""), Err(Error::Invalid));
    assert_eq!(
        from_str::<ServerFrame>("{\"type\":\"shrug\"}"),
        Err(Error::Invalid)
    );
}

#[test]
fn a_frame_without_a_field_its_type_needs_is_refused() {
    // serde's try_from conversions report through `custom`, whose text is dropped here.
    assert_eq!(
        from_str::<ServerFrame>("{\"type\":\"state\",\"mode\":\"assigned\"}"),
        Err(Error::Invalid)
    );
    assert_eq!(
        from_str::<ServerFrame>("{\"type\":\"rating\"}"),
        Err(Error::Invalid)
    );
}

#[test]
fn nesting_deeper_than_the_limit_is_refused() {
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(from_str::<serde::de::IgnoredAny>(&ok).is_ok());
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    assert_eq!(
        from_str::<serde::de::IgnoredAny>(&deep),
        Err(Error::TooDeep)
    );
}

#[test]
fn map_keys_must_be_strings() {
    let keyed: std::collections::BTreeMap<u8, u8> = [(1, 2)].into();
    assert_eq!(to_string(&keyed), Err(Error::Unsupported));
    let named: std::collections::BTreeMap<String, u8> = [("a\"".to_string(), 2)].into();
    same_as_serde_json(&named);
}

proptest! {
    #[test]
    fn any_text_and_numbers_round_trip_as_serde_json_writes_them(
        text in any::<String>(),
        n in any::<u64>(),
        i in any::<i64>(),
    ) {
        same_as_serde_json(&(text, n, i));
    }

    #[test]
    fn any_input_is_refused_or_read_without_panicking(text in any::<String>()) {
        let _ = from_str::<ServerFrame>(&text);
    }
}
