//! Reading bundles as a stream of objects.
//!
//! [`for_each_object`] walks a bundle's `objects` array and hands each object to
//! a callback as soon as it is parsed, so memory stays at the input plus one
//! object however large the bundle. A file holding a single STIX object (not a
//! bundle) yields that object.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::json::{Json, Object};

/// What the top level of the file said about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BundleInfo {
    /// The bundle's `id`, when the file is a bundle.
    pub id: Option<String>,
    /// Number of objects handed to the callback.
    pub objects: usize,
    /// Entries of `objects` that were not JSON objects: (index, what was found).
    pub not_objects: Vec<(usize, &'static str)>,
}

/// Why a file could not be read as STIX.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    /// The text is not JSON (or breaks off); line and column are 1-based.
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON is not a bundle nor a STIX object.
    NotStix(String),
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::Json {
                line,
                column,
                message,
            } => {
                write!(f, "invalid JSON at line {line}, column {column}: {message}")
            }
            BundleError::NotStix(why) => write!(f, "not a STIX bundle: {why}"),
        }
    }
}

impl std::error::Error for BundleError {}

/// Calls `each` with every object of the bundle in `input`, in order.
pub fn for_each_object<'a>(
    input: &'a [u8],
    mut each: impl FnMut(Object<'a>),
) -> Result<BundleInfo, BundleError> {
    let mut info = BundleInfo::default();
    let mut de = serde_json::Deserializer::from_slice(input);
    let top = TopLevel {
        info: &mut info,
        each: &mut each,
    };
    let outcome = top.deserialize(&mut de).and_then(|()| de.end());
    match outcome {
        Ok(()) => Ok(info),
        Err(e) if e.is_data() && e.line() == 0 => Err(BundleError::NotStix(e.to_string())),
        Err(e) if e.classify() == serde_json::error::Category::Data => {
            Err(BundleError::NotStix(strip_position(&e)))
        }
        Err(e) => Err(BundleError::Json {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e),
        }),
    }
}

/// Parses a whole bundle into owned objects (for small inputs and tests).
pub fn parse_bundle(input: &[u8]) -> Result<(BundleInfo, Vec<Object<'_>>), BundleError> {
    let mut objects = Vec::new();
    let info = for_each_object(input, |o| objects.push(o))?;
    Ok((info, objects))
}

fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

struct TopLevel<'i, 'f, F> {
    info: &'i mut BundleInfo,
    each: &'f mut F,
}

impl<'de, F: FnMut(Object<'de>)> DeserializeSeed<'de> for TopLevel<'_, '_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, F: FnMut(Object<'de>)> Visitor<'de> for TopLevel<'_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a STIX bundle (a JSON object with \"type\": \"bundle\")")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut ty: Option<Json<'de>> = None;
        let mut saw_objects = false;
        // Members of a lone object, kept in case it turns out not to be a bundle.
        let mut members: Vec<(std::borrow::Cow<'de, str>, Json<'de>)> = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "objects" if ty.as_ref().is_none_or(|t| t.as_str() == Some("bundle")) => {
                    saw_objects = true;
                    map.next_value_seed(Objects {
                        info: &mut *self.info,
                        each: &mut *self.each,
                    })?;
                }
                _ => {
                    let value: Json<'de> = map.next_value()?;
                    if key == "type" {
                        ty = Some(value.clone());
                    }
                    if key == "id" {
                        self.info.id = value.as_str().map(str::to_owned);
                    }
                    members.push((key, value));
                }
            }
        }
        match ty.as_ref().and_then(Json::as_str) {
            Some("bundle") => Ok(()),
            Some(_) if !saw_objects => {
                self.info.id = None;
                self.info.objects += 1;
                (self.each)(Object(members));
                Ok(())
            }
            Some(other) => Err(de::Error::custom(format_args!(
                "top-level type is `{other}`, not `bundle`"
            ))),
            None => Err(de::Error::custom("the top-level object has no `type`")),
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Err(de::Error::custom(
            "the top level is a list, not a bundle object",
        ))
    }
}

struct Objects<'i, 'f, F> {
    info: &'i mut BundleInfo,
    each: &'f mut F,
}

impl<'de, F: FnMut(Object<'de>)> DeserializeSeed<'de> for Objects<'_, '_, F> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, F: FnMut(Object<'de>)> Visitor<'de> for Objects<'_, '_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of STIX objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut index = 0;
        while let Some(item) = seq.next_element::<Json<'de>>()? {
            match item {
                Json::Object(object) => {
                    self.info.objects += 1;
                    (self.each)(object);
                }
                other => self.info.not_objects.push((index, other.kind())),
            }
            index += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_the_objects_of_a_bundle() {
        let text = br#"{"type":"bundle","id":"bundle--1","objects":[{"type":"a","id":"a--1"},7,{"type":"b"}]}"#;
        let (info, objects) = parse_bundle(text).expect("parses");
        assert_eq!(info.id.as_deref(), Some("bundle--1"));
        assert_eq!(info.objects, 2);
        assert_eq!(info.not_objects, vec![(1, "an integer")]);
        assert_eq!(objects[1].get_str("type"), Some("b"));
    }

    #[test]
    fn a_lone_object_is_yielded() {
        let (info, objects) =
            parse_bundle(br#"{"type":"indicator","id":"indicator--1"}"#).expect("parses");
        assert_eq!((info.objects, info.id), (1, None));
        assert_eq!(objects[0].get_str("id"), Some("indicator--1"));
    }

    #[test]
    fn broken_json_reports_line_and_column() {
        let error =
            parse_bundle(b"{\"type\":\"bundle\",\n\"objects\":[{\"type\":}]}").expect_err("broken");
        let BundleError::Json { line, column, .. } = &error else {
            panic!("{error:?}")
        };
        assert_eq!((*line, *column), (2, 20), "{error}");
    }

    #[test]
    fn json_that_is_not_stix_is_named() {
        for text in [
            &b"[1,2]"[..],
            b"{\"hello\":1}",
            b"\"text\"",
            b"{\"objects\":[]}",
        ] {
            let error = parse_bundle(text).expect_err("not stix");
            assert!(matches!(error, BundleError::NotStix(_)), "{error:?}");
        }
    }
}
