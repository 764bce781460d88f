//! A compact text encoding of operations for browser storage, where every character counts
//! against a quota of about five million.
//!
//! It rewrites the JSON of operations without changing its meaning: long field names become
//! short ones from a fixed table, and UUIDs (36 characters) become `~` plus their 16 bytes in
//! base64url (23 characters). A text that itself starts with `~` is escaped as `~~`. Decoding
//! reverses both, so `decode_ops(&encode_ops(ops)) == ops` for every operation; the wire format
//! is untouched.

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
    ("pledges", "$"),
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

/// The value of each base64url digit, 255 for bytes that are not one (a table, not a search:
/// decoding a page of a thousand operations looks up about a hundred thousand digits).
const B64_VALUE: [u8; 256] = {
    let mut table = [255u8; 256];
    let mut i = 0;
    while i < 64 {
        table[B64[i] as usize] = i as u8;
        i += 1;
    }
    table
};

fn short(key: &str) -> &str {
    KEYS.iter()
        .find(|(long, _)| *long == key)
        .map_or(key, |(_, s)| s)
}

/// Index into `KEYS` by the byte of a (one-byte) short key, `u8::MAX` for none.
const LONG_BY_SHORT: [u8; 128] = {
    let mut table = [u8::MAX; 128];
    let mut i = 0;
    while i < KEYS.len() {
        let short = KEYS[i].1.as_bytes();
        assert!(
            short.len() == 1 && short[0] < 128,
            "short keys are one ASCII byte"
        );
        table[short[0] as usize] = i as u8;
        i += 1;
    }
    table
};

fn long(key: &str) -> &str {
    match key.as_bytes() {
        [b] if *b < 128 && LONG_BY_SHORT[usize::from(*b)] != u8::MAX => {
            KEYS[usize::from(LONG_BY_SHORT[usize::from(*b)])].0
        }
        _ => key,
    }
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
        let value = B64_VALUE[usize::from(c)];
        if value == 255 {
            return None;
        }
        bits = (bits << 6) | u32::from(value);
        n += 6;
        if n >= 8 && i < 16 {
            n -= 8;
            bytes[i] = (bits >> n) as u8;
            i += 1;
        }
    }
    Some(uuid::Uuid::from_bytes(bytes))
}

/// Copies `text` (JSON as serde_json writes it) to a new string, passing every string token
/// through `string` (with whether it is an object key) and everything else through unchanged.
/// An unterminated string is copied as it is, for the JSON parser to report.
fn rewrite(text: &str, string: impl Fn(&str, bool, &mut String)) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    let mut copied = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < bytes.len() && bytes[j] != b'"' {
            j += if bytes[j] == b'\\' { 2 } else { 1 };
        }
        if j >= bytes.len() {
            break;
        }
        let is_key = bytes[j + 1..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|&b| b == b':');
        out.push_str(&text[copied..i]);
        out.push('"');
        string(&text[i + 1..j], is_key, &mut out);
        out.push('"');
        i = j + 1;
        copied = i;
    }
    out.push_str(&text[copied..]);
    out
}

/// The UUID `raw` names, if it is one in canonical (lower-case, hyphenated) form.
fn canonical_uuid(raw: &str) -> Option<uuid::Uuid> {
    if raw.len() != 36 {
        return None;
    }
    uuid::Uuid::try_parse(raw)
        .ok()
        // Only the canonical form shrinks, so the text comes back exactly as it was.
        .filter(|u| {
            u.hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer())
                == raw
        })
}

fn shrink(raw: &str, is_key: bool, out: &mut String) {
    if let Some(u) = canonical_uuid(raw) {
        // Map keys may be UUIDs too (interests per project).
        out.push_str(&encode_uuid(u.as_bytes()));
    } else if is_key {
        out.push_str(short(raw));
    } else {
        if raw.starts_with('~') {
            out.push('~');
        }
        out.push_str(raw);
    }
}

fn grow(raw: &str, is_key: bool, out: &mut String) {
    if let Some(rest) = raw.strip_prefix("~~").filter(|_| !is_key) {
        out.push('~');
        out.push_str(rest);
    } else if let Some(u) = decode_uuid(raw) {
        out.push_str(
            u.hyphenated()
                .encode_lower(&mut uuid::Uuid::encode_buffer()),
        );
    } else if is_key {
        out.push_str(long(raw));
    } else {
        out.push_str(raw);
    }
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    // Operations serialize infallibly: no maps with non-string keys, no failing impls.
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

/// How an id appears inside compact text (`~` and 22 base64url digits): a record that mentions
/// an entity contains this, so a store can skip decoding records that do not.
pub fn encode_id(id: &uuid::Uuid) -> String {
    encode_uuid(id.as_bytes())
}

/// Encodes operations compactly.
pub fn encode_ops(ops: &[Operation]) -> String {
    rewrite(&to_json(ops), shrink)
}

/// Encodes one operation compactly.
pub fn encode_op(op: &Operation) -> String {
    rewrite(&to_json(op), shrink)
}

/// Decodes what [`encode_ops`] wrote. Corrupt text is an error, never a panic.
pub fn decode_ops(text: &str) -> Result<Vec<Operation>, serde_json::Error> {
    serde_json::from_str(&rewrite(text, grow))
}

/// Decodes what [`encode_op`] wrote.
pub fn decode_op(text: &str) -> Result<Operation, serde_json::Error> {
    serde_json::from_str(&rewrite(text, grow))
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
        let op = OpFactory::new(9).address("Lindelaan", 1);
        let crate::op::Payload::AddressAdd { address, .. } = &op.payload else {
            panic!("an address")
        };
        assert!(encode_op(&op).contains(&encode_id(&address.0)));
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
        assert!(decode_op("{\"i\":\"unterminated").is_err());
        // Escapes inside texts are copied as they are.
        let op = f.op(crate::op::Payload::TeamUpdate {
            name: Some("\"~quoted\" \\ ~".into()),
            neighbourhood: Some("line\nbreak".into()),
        });
        assert_eq!(decode_op(&encode_op(&op)).expect("decodes"), op);
        assert!(decode_ops("not json").is_err());
    }
}
