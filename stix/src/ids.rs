//! STIX identifiers: `type--UUID` syntax, and the deterministic ids of cyber
//! observables (UUIDv5 in the STIX namespace over the JSON Canonicalization
//! Scheme form of the type's ID-contributing properties, STIX 2.1 §2.9).

use std::borrow::Cow;
use std::fmt::Write;

use crate::json::{Json, Object};
use crate::types::TypeDef;

/// The namespace of deterministic SCO ids.
const SCO_NAMESPACE: [u8; 16] = [
    0x00, 0xab, 0xed, 0xb4, 0xaa, 0x42, 0x46, 0x6c, 0x9c, 0x01, 0xfe, 0xd2, 0x33, 0x15, 0xa9, 0xb7,
];

/// Why an identifier was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    NoSeparator,
    BadType,
    BadUuid,
}

impl std::fmt::Display for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            IdError::NoSeparator => "is not an identifier of the form type--UUID",
            IdError::BadType => "has a type part that is not a valid STIX type name",
            IdError::BadUuid => "has a UUID part that is not an RFC 4122 UUID",
        })
    }
}

/// Whether `name` is a valid STIX type name: lowercase ASCII letters, digits and
/// hyphens, 3 to 250 characters, starting with a letter.
pub fn is_type_name(name: &str) -> bool {
    (3..=250).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !name.contains("--")
}

/// Whether `text` is a UUID in its canonical hyphenated form.
pub fn is_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Splits and checks `type--UUID`, returning the type part.
pub fn parse_id(id: &str) -> Result<&str, IdError> {
    let (ty, uuid) = id.split_once("--").ok_or(IdError::NoSeparator)?;
    if !is_type_name(ty) {
        return Err(IdError::BadType);
    }
    if !is_uuid(uuid) {
        return Err(IdError::BadUuid);
    }
    Ok(ty)
}

/// The type part of an identifier, without checking the rest.
pub fn id_type(id: &str) -> Option<&str> {
    id.split_once("--").map(|(ty, _)| ty)
}

/// A name-based (version 5) UUID of `name` in `namespace`.
pub fn uuid_v5(namespace: &[u8; 16], name: &[u8]) -> String {
    let mut sha = sha1_smol::Sha1::new();
    sha.update(namespace);
    sha.update(name);
    let digest = sha.digest().bytes();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    format_uuid(&bytes)
}

fn format_uuid(bytes: &[u8; 16]) -> String {
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The hash kept when `hashes` contributes to an id: the reference library
/// keeps one, by preference MD5, SHA-1, SHA-256, SHA-512, else the first.
fn choose_one_hash<'a>(hashes: &Object<'a>) -> Object<'a> {
    for preferred in ["MD5", "SHA-1", "SHA-256", "SHA-512"] {
        if let Some((k, v)) = hashes.0.iter().find(|(k, _)| k == preferred) {
            return Object(vec![(k.clone(), v.clone())]);
        }
    }
    Object(hashes.0.iter().take(1).cloned().collect())
}

/// The deterministic id of a cyber observable, or `None` when its type has no
/// ID-contributing properties or the object carries none of them (the spec then
/// asks for a random UUIDv4).
pub fn deterministic_id(object: &Object<'_>) -> Option<String> {
    let ty = object.get_str("type")?;
    let def = TypeDef::get(ty)?;
    if def.id_contributing.is_empty() {
        return None;
    }
    let mut contributing = Object::default();
    for name in def.id_contributing {
        let Some(value) = object.get(name) else {
            continue;
        };
        let value = match (name, value) {
            (&"hashes", Json::Object(hashes)) => Json::Object(choose_one_hash(hashes)),
            _ => value.clone(),
        };
        contributing.0.push((Cow::Borrowed(*name), value));
    }
    if contributing.is_empty() {
        return None;
    }
    let canonical = canonical_json(&Json::Object(contributing));
    Some(format!(
        "{ty}--{}",
        uuid_v5(&SCO_NAMESPACE, canonical.as_bytes())
    ))
}

/// The JSON Canonicalization Scheme (RFC 8785) form of `value`.
pub fn canonical_json(value: &Json<'_>) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Json<'_>, out: &mut String) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Json::UInt(u) => {
            let _ = write!(out, "{u}");
        }
        Json::Float(f) => write_es6_number(*f, out),
        Json::Str(s) => write_string(s, out),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Json::Object(object) => {
            let mut members: Vec<_> = object.iter().collect();
            // RFC 8785 orders keys by their UTF-16 code units.
            members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_canonical(v, out);
            }
            out.push('}');
        }
    }
}

/// Numbers as ECMAScript prints them: integral values without a fraction.
fn write_es6_number(f: f64, out: &mut String) {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e21 {
        let _ = write!(out, "{}", f as i128);
    } else if let Ok(text) = serde_json::to_string(&f) {
        out.push_str(&text);
    } else {
        out.push_str("null");
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_identifier_syntax() {
        assert_eq!(
            parse_id("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
            Ok("indicator")
        );
        assert_eq!(parse_id("indicator-8e2e2d2b"), Err(IdError::NoSeparator));
        assert_eq!(
            parse_id("Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
            Err(IdError::BadType)
        );
        assert_eq!(
            parse_id("indicator--8e2e2d2b-17d4-4cbf-938f"),
            Err(IdError::BadUuid)
        );
        assert!(is_type_name("x-mitre-tactic"));
        assert!(!is_type_name("x_"));
    }

    #[test]
    fn canonical_json_sorts_keys_and_prints_integral_floats_bare() {
        let value: Json =
            serde_json::from_str(r#"{"b":[2.0,1.5],"a":"x\ny","é":1,"Z":null}"#).expect("parse");
        assert_eq!(
            canonical_json(&value),
            r#"{"Z":null,"a":"x\ny","b":[2,1.5],"é":1}"#
        );
    }

    #[test]
    fn the_spec_example_ipv4_id() {
        let object: Object = serde_json::from_str(
            r#"{"type":"ipv4-addr","spec_version":"2.1","value":"198.51.100.3"}"#,
        )
        .expect("parse");
        assert_eq!(
            deterministic_id(&object).as_deref(),
            Some("ipv4-addr--28bb3599-77cd-5a82-a950-b5bc3caf07c4")
        );
    }

    #[test]
    fn a_process_has_no_deterministic_id() {
        let object: Object = serde_json::from_str(r#"{"type":"process","pid":1}"#).expect("parse");
        assert_eq!(deterministic_id(&object), None);
    }
}
