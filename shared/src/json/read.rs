//! JSON text to a serde type: a self-describing deserializer over the bytes of a `&str`.

use super::{Error, MAX_DEPTH};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

/// Reads one JSON value into `T`; only whitespace may follow it.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    let mut reader = Reader {
        text,
        at: 0,
        depth: 0,
    };
    let value = T::deserialize(&mut reader)?;
    reader.skip_space();
    match reader.at < text.len() {
        true => Err(Error::Trailing(reader.at)),
        false => Ok(value),
    }
}

struct Reader<'a> {
    text: &'a str,
    at: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    /// The next byte that is not whitespace, not consumed.
    fn next_token(&mut self) -> Result<u8, Error> {
        self.skip_space();
        self.peek().ok_or(Error::Eof)
    }

    fn expect(&mut self, byte: u8) -> Result<(), Error> {
        match self.next_token()? {
            b if b == byte => {
                self.at += 1;
                Ok(())
            }
            _ => Err(Error::Syntax(self.at)),
        }
    }

    fn literal(&mut self, word: &str) -> Result<(), Error> {
        match self.text.as_bytes()[self.at..].starts_with(word.as_bytes()) {
            true => {
                self.at += word.len();
                Ok(())
            }
            false => Err(Error::Syntax(self.at)),
        }
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        match self.depth > MAX_DEPTH {
            true => Err(Error::TooDeep),
            false => Ok(()),
        }
    }

    /// A whole number; `-` makes it an `i64`.
    fn number<'de, V: Visitor<'de>>(&mut self, visitor: V) -> Result<V::Value, Error> {
        let start = self.at;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.at += 1;
        }
        let n = self.digits(start)?;
        match negative {
            false => visitor.visit_u64(n),
            true if n <= 1 << 63 => visitor.visit_i64((n as i64).wrapping_neg()),
            true => Err(Error::Number(start)),
        }
    }

    /// The digits of a number that began at `start`, as a `u64`. Not generic, so each
    /// type that reads a number shares it.
    fn digits(&mut self, start: usize) -> Result<u64, Error> {
        let digits = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        let leading_zero = self.at - digits > 1 && self.text.as_bytes()[digits] == b'0';
        if self.at == digits || leading_zero {
            return Err(Error::Syntax(digits));
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return Err(Error::Number(start));
        }
        let mut n: u64 = 0;
        for &d in &self.text.as_bytes()[digits..self.at] {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
                .ok_or(Error::Number(start))?;
        }
        Ok(n)
    }

    /// A string after its opening quote, up to and past its closing one.
    fn string(&mut self) -> Result<String, Error> {
        let mut out = String::new();
        loop {
            let run = self.at;
            while !matches!(self.peek(), None | Some(b'"' | b'\\' | 0..=0x1f)) {
                self.at += 1;
            }
            // Stopped at ASCII or the end, so `run..at` lies on character boundaries and
            // `get` always succeeds; unlike indexing it links no panic message.
            out.push_str(self.text.get(run..self.at).unwrap_or_default());
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return Err(Error::Syntax(self.at)),
                None => return Err(Error::Eof),
            }
        }
    }

    /// One escape, after its backslash.
    fn escape(&mut self) -> Result<char, Error> {
        let at = self.at;
        let byte = self.peek().ok_or(Error::Eof)?;
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xd800..=0xdbff => {
                        // A high surrogate must be followed by an escaped low one.
                        self.literal("\\u")?;
                        let low = self.hex4()?;
                        if !(0xdc00..=0xdfff).contains(&low) {
                            return Err(Error::Syntax(at));
                        }
                        0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)
                    }
                    _ => unit,
                };
                char::from_u32(code).ok_or(Error::Syntax(at))?
            }
            _ => return Err(Error::Syntax(at)),
        })
    }

    /// Four hex digits, by hand: `from_str_radix` would link more than this whole reader.
    fn hex4(&mut self) -> Result<u32, Error> {
        let start = self.at;
        let digits = self
            .text
            .as_bytes()
            .get(start..start + 4)
            .ok_or(Error::Eof)?;
        let mut value = 0;
        for &b in digits {
            value = value * 16 + char::from(b).to_digit(16).ok_or(Error::Syntax(start))?;
        }
        self.at += 4;
        Ok(value)
    }

    /// Before the next element of an array or object: a comma, unless it is the first
    /// or the end. True when one follows.
    fn more(&mut self, first: &mut bool, close: u8) -> Result<bool, Error> {
        match self.next_token()? {
            b if b == close => Ok(false),
            _ if *first => {
                *first = false;
                Ok(true)
            }
            b',' => {
                self.at += 1;
                Ok(true)
            }
            _ => Err(Error::Syntax(self.at)),
        }
    }
}

impl<'de> de::Deserializer<'de> for &mut Reader<'_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.next_token()? {
            b'n' => {
                self.literal("null")?;
                visitor.visit_unit()
            }
            b't' => {
                self.literal("true")?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.literal("false")?;
                visitor.visit_bool(false)
            }
            b'"' => {
                self.at += 1;
                visitor.visit_string(self.string()?)
            }
            b'-' | b'0'..=b'9' => self.number(visitor),
            b'[' => {
                self.at += 1;
                self.enter()?;
                let value = visitor.visit_seq(Elements {
                    reader: &mut *self,
                    first: true,
                })?;
                self.expect(b']')?;
                self.depth -= 1;
                Ok(value)
            }
            b'{' => {
                self.at += 1;
                self.enter()?;
                let value = visitor.visit_map(Entries {
                    reader: &mut *self,
                    first: true,
                })?;
                self.expect(b'}')?;
                self.depth -= 1;
                Ok(value)
            }
            _ => Err(Error::Syntax(self.at)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.next_token()? {
            b'n' => {
                self.literal("null")?;
                visitor.visit_none()
            }
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// Unit variants only, as strings: the protocol's plain enums.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.expect(b'"')?;
        let name: de::value::StringDeserializer<Error> = self.string()?.into_deserializer();
        visitor.visit_enum(name)
    }

    // Where the type says what it wants, only that is read, so the visitor's other
    // methods (a string's `visit_u64`, a number's `visit_str`) are never linked.
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.next_token()? {
            b'0'..=b'9' => visitor.visit_u64(self.digits(self.at)?),
            _ => Err(Error::Invalid),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.next_token()? {
            b'"' => {
                self.at += 1;
                visitor.visit_string(self.string()?)
            }
            _ => Err(Error::Invalid),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u128 f32 f64 char bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct ignored_any
    }
}

struct Elements<'r, 'a> {
    reader: &'r mut Reader<'a>,
    first: bool,
}

impl<'de> de::SeqAccess<'de> for Elements<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.reader.more(&mut self.first, b']')? {
            true => seed.deserialize(&mut *self.reader).map(Some),
            false => Ok(None),
        }
    }
}

struct Entries<'r, 'a> {
    reader: &'r mut Reader<'a>,
    first: bool,
}

impl<'de> de::MapAccess<'de> for Entries<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if !self.reader.more(&mut self.first, b'}')? {
            return Ok(None);
        }
        self.reader.expect(b'"')?;
        let key: de::value::StringDeserializer<Error> = self.reader.string()?.into_deserializer();
        self.reader.expect(b':')?;
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        seed.deserialize(&mut *self.reader)
    }
}
