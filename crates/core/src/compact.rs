//! A compact text encoding of operations for browser storage, where every character counts
//! against a quota of about five million.
//!
//! It rewrites the JSON of operations without changing its meaning: long field names become
//! short ones from a fixed table, and UUIDs (36 characters) become `~` plus their 16 bytes in
//! base64url (23 characters). A text that itself starts with `~` is escaped as `~~`. Decoding
//! reverses both, so `decode_ops(&encode_ops(ops)) == ops` for every operation; the wire format
//! is untouched.

use serde_json::{Map, Value};

use crate::op::Operation;

/// Long names and their short forms. Short forms are unique and no field is named like one.
const KEYS: &[(&str, &str)] = &[
    ("id", "i"),
    ("hlc", "h"),
    ("wall_ms", "w"),
    ("counter", "c"),
    ("author", "a"),
    ("member", "m"),
    ("device", "d"),
    ("payload", "p"),
    ("kind", "k"),
    ("address", "A"),
    ("visit", "v"),
    ("at_ms", "t"),
    ("outcome", "o"),
    ("interests", "I"),
    ("pledge_cents", "$"),
    ("note", "n"),
    ("follow_up", "f"),
    ("street", "s"),
    ("number", "#"),
    ("letter", "l"),
    ("addition", "+"),
    ("postcode", "P"),
    ("display_name", "D"),
    ("roles", "r"),
    ("step", "S"),
    ("project", "j"),
    ("title", "T"),
    ("description", "x"),
    ("phase", "F"),
    ("owner", "O"),
    ("order", "="),
    ("done", "!"),
];

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn short(key: &str) -> &str {
    KEYS.iter()
        .find(|(long, _)| *long == key)
        .map_or(key, |(_, s)| s)
}

fn long(key: &str) -> &str {
    KEYS.iter()
        .find(|(_, s)| *s == key)
        .map_or(key, |(long, _)| long)
}

fn encode_uuid(bytes: &[u8; 16]) -> String {
    let mut out = String::with_capacity(23);
    out.push('~');
    let mut bits: u32 = 0;
    let mut n = 0;
    for &b in bytes {
        bits = (bits << 8) | u32::from(b);
        n += 8;
        while n >= 6 {
            n -= 6;
            out.push(char::from(B64[((bits >> n) & 63) as usize]));
        }
    }
    out.push(char::from(B64[((bits << (6 - n)) & 63) as usize]));
    out
}

fn decode_uuid(text: &str) -> Option<uuid::Uuid> {
    let digits = text.strip_prefix('~')?;
    if digits.len() != 22 {
        return None;
    }
    let mut bytes = [0u8; 16];
    let (mut bits, mut n, mut i) = (0u32, 0, 0);
    for c in digits.bytes() {
        bits = (bits << 6) | B64.iter().position(|&x| x == c)? as u32;
        n += 6;
        if n >= 8 && i < 16 {
            n -= 8;
            bytes[i] = (bits >> n) as u8;
            i += 1;
        }
    }
    Some(uuid::Uuid::from_bytes(bytes))
}

fn shrink(value: Value) -> Value {
    match value {
        Value::String(s) => match uuid::Uuid::try_parse(&s) {
            // Only the canonical form shrinks, so the text comes back exactly as it was.
            Ok(u) if u.hyphenated().to_string() == s => Value::String(encode_uuid(u.as_bytes())),
            _ if s.starts_with('~') => Value::String(format!("~{s}")),
            _ => Value::String(s),
        },
        Value::Array(items) => Value::Array(items.into_iter().map(shrink).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (shrink_key(k), shrink(v)))
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

fn shrink_key(key: String) -> String {
    // Map keys may be UUIDs too (interests per project).
    match uuid::Uuid::try_parse(&key) {
        Ok(u) if u.hyphenated().to_string() == key => encode_uuid(u.as_bytes()),
        _ => short(&key).to_owned(),
    }
}

fn grow(value: Value) -> Value {
    match value {
        Value::String(s) => {
            if let Some(rest) = s.strip_prefix("~~") {
                Value::String(format!("~{rest}"))
            } else if let Some(u) = decode_uuid(&s) {
                Value::String(u.hyphenated().to_string())
            } else {
                Value::String(s)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(grow).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let key = decode_uuid(&k)
                        .map_or_else(|| long(&k).to_owned(), |u| u.hyphenated().to_string());
                    (key, grow(v))
                })
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

/// Encodes operations compactly.
pub fn encode_ops(ops: &[Operation]) -> String {
    let value = serde_json::to_value(ops).unwrap_or(Value::Null);
    shrink(value).to_string()
}

/// Encodes one operation compactly.
pub fn encode_op(op: &Operation) -> String {
    shrink(serde_json::to_value(op).unwrap_or(Value::Null)).to_string()
}

/// Decodes what [`encode_ops`] wrote. Corrupt text is an error, never a panic.
pub fn decode_ops(text: &str) -> Result<Vec<Operation>, serde_json::Error> {
    serde_json::from_value(grow(serde_json::from_str(text)?))
}

/// Decodes what [`encode_op`] wrote.
pub fn decode_op(text: &str) -> Result<Operation, serde_json::Error> {
    serde_json::from_value(grow(serde_json::from_str(text)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::factory::{OpFactory, sample_log};

    #[test]
    fn short_keys_are_unique_and_uuids_round_trip() {
        let mut shorts: Vec<&str> = KEYS.iter().map(|(_, s)| *s).collect();
        shorts.sort_unstable();
        shorts.dedup();
        assert_eq!(shorts.len(), KEYS.len());
        for (long, _) in KEYS {
            assert!(
                !KEYS.iter().any(|(_, s)| s == long),
                "{long} is also a short key"
            );
        }
        for i in 0..200u8 {
            let u = uuid::Uuid::from_bytes([i; 16]);
            assert_eq!(decode_uuid(&encode_uuid(u.as_bytes())), Some(u));
        }
    }

    #[test]
    fn a_realistic_log_round_trips_and_shrinks() {
        let ops = sample_log(&mut OpFactory::new(3), 200, 600);
        let compact = encode_ops(&ops);
        assert_eq!(decode_ops(&compact).expect("decodes"), ops);
        let json = serde_json::to_string(&ops).expect("json");
        assert!(
            compact.len() * 10 < json.len() * 7,
            "at least 30% smaller: {} vs {}",
            compact.len(),
            json.len()
        );
    }

    #[test]
    fn texts_that_look_like_encodings_survive() {
        let mut f = OpFactory::new(4);
        for name in [
            "~",
            "~~",
            "~AAAAAAAAAAAAAAAAAAAAAA",
            "~~AAAAAAAAAAAAAAAAAAAAAA",
            "0190e2c4-0000-7000-8000-000000000000",
        ] {
            let op = f.op(crate::op::Payload::TeamUpdate {
                name: Some(name.into()),
                neighbourhood: None,
            });
            assert_eq!(decode_op(&encode_op(&op)).expect("decodes"), op, "{name}");
        }
        assert!(decode_ops("[{\"i\": 3}]").is_err());
        assert!(decode_ops("not json").is_err());
    }
}
