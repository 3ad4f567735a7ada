//! Validation of STIX objects against the type table, with errors and warnings
//! kept apart. Every issue names the object's id, the JSON path inside the object
//! and the reason.
//!
//! Errors are violations of STIX 2.1 (a missing required property, a malformed id
//! or timestamp, a value outside an enumeration, a reference to the wrong type).
//! Warnings are allowed but worth a look (a value outside an open vocabulary, a
//! custom property or type, a relationship that neither STIX nor OpenCTI lists).

use std::fmt::{self, Write};

use base64::Engine as _;

use crate::ids::{id_type, is_type_name, parse_id};
use crate::json::{Json, Object};
use crate::relationships::allows_types;
use crate::timestamp::Timestamp;
use crate::types::{Family, Prop, PropType, SDO_COMMON, TypeDef, is_sco_type, is_sdo_type};
use crate::vocab::{HASHING_ALGORITHM, hash_hex_len};

/// How bad an issue is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

/// One finding about one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    pub severity: Severity,
    /// The object's `id`, when it has a usable one.
    pub object_id: Option<String>,
    /// Where in the object, e.g. `kill_chain_phases[0].phase_name` (empty for the object itself).
    pub path: String,
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{level}: {}",
            self.object_id.as_deref().unwrap_or("(no id)")
        )?;
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// The issues found in one object.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub issues: Vec<Issue>,
}

impl Report {
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues
            .iter()
            .filter(|i| i.severity == Severity::Warning)
    }

    /// True when there is no error (warnings allowed).
    pub fn is_valid(&self) -> bool {
        self.errors().next().is_none()
    }
}

#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

struct Ctx<'a, 'r> {
    id: Option<&'a str>,
    path: Vec<Seg<'a>>,
    issues: &'r mut Vec<Issue>,
}

impl<'a> Ctx<'a, '_> {
    fn push(&mut self, severity: Severity, message: impl Into<String>) {
        let mut path = String::new();
        for seg in &self.path {
            match seg {
                Seg::Key(k) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(k);
                }
                Seg::Index(i) => {
                    let _ = write!(path, "[{i}]");
                }
            }
        }
        self.issues.push(Issue {
            severity,
            object_id: self.id.map(str::to_owned),
            path,
            message: message.into(),
        });
    }

    fn error(&mut self, message: impl Into<String>) {
        self.push(Severity::Error, message);
    }

    fn warning(&mut self, message: impl Into<String>) {
        self.push(Severity::Warning, message);
    }

    fn at<R>(&mut self, seg: Seg<'a>, f: impl FnOnce(&mut Self) -> R) -> R {
        self.path.push(seg);
        let result = f(self);
        self.path.pop();
        result
    }
}

/// Validates one object.
pub fn validate(object: &Object<'_>) -> Report {
    let mut issues = Vec::new();
    validate_into(object, &mut issues);
    Report { issues }
}

/// Validates one object, appending its issues to `issues`.
pub fn validate_into<'a>(object: &'a Object<'a>, issues: &mut Vec<Issue>) {
    let id = object.get_str("id").filter(|id| parse_id(id).is_ok());
    let mut ctx = Ctx {
        id,
        path: Vec::new(),
        issues,
    };
    let Some(ty) = object.get("type") else {
        ctx.error("the object has no `type`");
        return;
    };
    let Some(ty) = ty.as_str().filter(|t| is_type_name(t)) else {
        ctx.at(Seg::Key("type"), |c| {
            c.error("must be a STIX type name: 3-250 lowercase letters, digits and hyphens")
        });
        return;
    };
    check_id(&mut ctx, object, ty);
    match TypeDef::get(ty) {
        Some(def) => check_known(&mut ctx, object, def),
        None => check_custom(&mut ctx, object, ty),
    }
}

fn check_id<'a>(ctx: &mut Ctx<'a, '_>, object: &'a Object<'a>, ty: &str) {
    let Some(value) = object.get("id") else {
        ctx.error("the required property `id` is missing");
        return;
    };
    ctx.at(Seg::Key("id"), |c| match value.as_str() {
        None => c.error(format!("must be a string, found {}", value.kind())),
        Some(id) => match parse_id(id) {
            Err(e) => c.error(format!("`{id}` {e}")),
            Ok(id_ty) if id_ty != ty => c.error(format!(
                "the id's type `{id_ty}` does not match the object's type `{ty}`"
            )),
            Ok(_) => {}
        },
    });
}

fn check_known<'a>(ctx: &mut Ctx<'a, '_>, object: &'a Object<'a>, def: &'static TypeDef) {
    for prop in def.props.iter().chain(def.common()) {
        if prop.required && prop.name != "id" && object.get(prop.name).is_none() {
            ctx.error(format!("the required property `{}` is missing", prop.name));
        }
    }
    for (key, value) in object.iter() {
        match def.prop(key) {
            Some(prop) => ctx.at(Seg::Key(key), |c| check_value(c, &prop.ty, value)),
            None => check_custom_property(ctx, key, def.name),
        }
    }
    if !def.at_least_one.is_empty() && def.at_least_one.iter().all(|p| object.get(p).is_none()) {
        ctx.error(format!(
            "at least one of {} must be present",
            join_names(def.at_least_one)
        ));
    }
    check_time_order(ctx, object, "created", "modified");
    for (first, last) in [
        ("first_seen", "last_seen"),
        ("first_observed", "last_observed"),
        ("valid_from", "valid_until"),
        ("start_time", "stop_time"),
        ("start", "end"),
        ("analysis_started", "analysis_ended"),
    ] {
        check_time_order(ctx, object, first, last);
    }
    match def.name {
        "relationship" => check_relationship(ctx, object),
        "indicator" => check_indicator(ctx, object),
        "artifact" => {
            if object.get("payload_bin").is_some() && object.get("url").is_some() {
                ctx.error("`payload_bin` and `url` must not both be present");
            }
            if object.get("url").is_some() && object.get("hashes").is_none() {
                ctx.error("`hashes` must be present when `url` is");
            }
        }
        _ => {}
    }
    if def.family == Family::Sco && object.get("created").is_some() {
        ctx.at(Seg::Key("created"), |c| {
            c.warning("cyber observables have no `created` property")
        });
    }
}

/// A type STIX 2.1 does not define (e.g. ATT&CK's `x-mitre-tactic`): the common
/// properties it carries are checked, the rest is its own business.
fn check_custom<'a>(ctx: &mut Ctx<'a, '_>, object: &'a Object<'a>, ty: &str) {
    if !ty.starts_with("x-") {
        ctx.at(Seg::Key("type"), |c| {
            c.warning(format!(
                "`{ty}` is a custom object type without the `x-` prefix"
            ))
        });
    }
    for (key, value) in object.iter() {
        match SDO_COMMON.iter().find(|p| p.name == key) {
            Some(prop) => ctx.at(Seg::Key(key), |c| check_value(c, &prop.ty, value)),
            None => {
                if !is_property_name(key) {
                    ctx.at(Seg::Key(key), |c| c.error(PROPERTY_NAME_RULE));
                }
            }
        }
    }
    check_time_order(ctx, object, "created", "modified");
}

const PROPERTY_NAME_RULE: &str =
    "is not a valid property name (3-250 ASCII letters, digits and underscores)";

fn is_property_name(name: &str) -> bool {
    (3..=250).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn check_custom_property<'a>(ctx: &mut Ctx<'a, '_>, key: &'a str, ty: &str) {
    if !is_property_name(key) {
        ctx.at(Seg::Key(key), |c| c.error(PROPERTY_NAME_RULE));
    } else if !key.starts_with("x_") {
        ctx.at(Seg::Key(key), |c| {
            c.warning(format!(
                "custom property: STIX 2.1 defines no `{key}` on `{ty}`"
            ))
        });
    }
}

fn join_names(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn check_time_order<'a>(ctx: &mut Ctx<'a, '_>, object: &'a Object<'a>, first: &str, last: &'a str) {
    let (Some(a), Some(b)) = (object.get_str(first), object.get_str(last)) else {
        return;
    };
    if let (Ok(ta), Ok(tb)) = (Timestamp::parse(a), Timestamp::parse(b))
        && tb < ta
    {
        ctx.at(Seg::Key(last), |c| {
            c.error(format!("must not be earlier than `{first}` ({a})"))
        });
    }
}

fn check_relationship<'a>(ctx: &mut Ctx<'a, '_>, object: &'a Object<'a>) {
    let Some(rel) = object.get_str("relationship_type") else {
        return;
    };
    if !rel
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        ctx.at(Seg::Key("relationship_type"), |c| {
            c.warning("should use lowercase letters, digits and hyphens")
        });
    }
    let from = object.get_str("source_ref").and_then(id_type);
    let to = object.get_str("target_ref").and_then(id_type);
    if let (Some(from), Some(to)) = (from, to)
        && !allows_types(from, rel, to)
    {
        ctx.at(Seg::Key("relationship_type"), |c| {
            c.warning(format!(
                "`{from}` {rel} `{to}` is in neither the STIX 2.1 tables nor OpenCTI's matrix"
            ))
        });
    }
}

fn check_indicator<'a>(ctx: &mut Ctx<'a, '_>, object: &'a Object<'a>) {
    if object.get_str("pattern_type") != Some("stix") {
        return;
    }
    let Some(pattern) = object.get_str("pattern") else {
        return;
    };
    ctx.at(
        Seg::Key("pattern"),
        |c| match crate::pattern::Pattern::parse(pattern) {
            Err(error) => c.error(format!("invalid STIX pattern: {error}")),
            Ok(parsed) => {
                for warning in parsed.warnings() {
                    c.warning(warning);
                }
            }
        },
    );
}

fn check_value<'a>(ctx: &mut Ctx<'a, '_>, ty: &PropType, value: &'a Json<'a>) {
    match ty {
        PropType::Any => {}
        PropType::Dict => {
            if value.as_object().is_none() {
                ctx.error(format!("must be an object, found {}", value.kind()));
            }
        }
        PropType::String => {
            if value.as_str().is_none() {
                ctx.error(format!("must be a string, found {}", value.kind()));
            }
        }
        PropType::Timestamp => match value.as_str() {
            None => ctx.error(format!(
                "must be a timestamp string, found {}",
                value.kind()
            )),
            Some(text) => {
                if let Err(e) = Timestamp::parse(text) {
                    ctx.error(format!("`{text}` {e}"));
                }
            }
        },
        PropType::Bool => {
            if value.as_bool().is_none() {
                ctx.error(format!("must be true or false, found {}", value.kind()));
            }
        }
        PropType::Integer { min, max } => match value {
            Json::Int(_) | Json::UInt(_) => match value.as_i64() {
                Some(n) if n >= *min && n <= *max => {}
                _ => ctx.error(format!("must be an integer from {min} to {max}")),
            },
            _ => ctx.error(format!("must be an integer, found {}", value.kind())),
        },
        PropType::Float { min, max } => match value.as_f64() {
            Some(n) if n >= *min && n <= *max => {}
            Some(_) => ctx.error(format!("must be a number from {min} to {max}")),
            None => ctx.error(format!("must be a number, found {}", value.kind())),
        },
        PropType::Ref(_) | PropType::ScoRef | PropType::SdoRef => check_ref(ctx, ty, value),
        PropType::List(item) => match value.as_array() {
            None => ctx.error(format!("must be a list, found {}", value.kind())),
            Some([]) => ctx.error("must not be an empty list"),
            Some(items) => {
                for (i, element) in items.iter().enumerate() {
                    ctx.at(Seg::Index(i), |c| check_value(c, item, element));
                }
            }
        },
        PropType::Enum(values) => match value.as_str() {
            None => ctx.error(format!("must be a string, found {}", value.kind())),
            Some(text) if values.contains(&text) => {}
            Some(text) => ctx.error(format!("`{text}` is not one of {}", join_names(values))),
        },
        PropType::Vocab(values) => match value.as_str() {
            None => ctx.error(format!("must be a string, found {}", value.kind())),
            Some(text) if values.contains(&text) => {}
            Some(text) => ctx.warning(format!("`{text}` is not in the suggested vocabulary")),
        },
        PropType::Hashes => check_hashes(ctx, value),
        PropType::Binary => match value.as_str() {
            None => ctx.error(format!("must be a base64 string, found {}", value.kind())),
            Some(text) => {
                if base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .is_err()
                {
                    ctx.error("is not valid base64");
                }
            }
        },
        PropType::Hex => match value.as_str() {
            Some(text)
                if text.len().is_multiple_of(2) && text.bytes().all(|b| b.is_ascii_hexdigit()) => {}
            Some(_) => ctx.error("is not a hex string"),
            None => ctx.error(format!("must be a hex string, found {}", value.kind())),
        },
        PropType::Struct(props) => match value.as_object() {
            None => ctx.error(format!("must be an object, found {}", value.kind())),
            Some(object) => check_struct(ctx, props, object),
        },
    }
}

fn check_struct<'a>(ctx: &mut Ctx<'a, '_>, props: &'static [Prop], object: &'a Object<'a>) {
    for prop in props {
        if prop.required && object.get(prop.name).is_none() {
            ctx.error(format!("the required property `{}` is missing", prop.name));
        }
    }
    for (key, value) in object.iter() {
        if let Some(prop) = props.iter().find(|p| p.name == key) {
            ctx.at(Seg::Key(key), |c| check_value(c, &prop.ty, value));
        }
    }
    let has = |k| object.get(k).is_some();
    if props.iter().any(|p| p.name == "source_name")
        && !(has("description") || has("url") || has("external_id"))
    {
        ctx.error("an external reference needs `description`, `url` or `external_id`");
    }
    if props.iter().any(|p| p.name == "selectors") && has("lang") == has("marking_ref") {
        ctx.error("a granular marking needs exactly one of `lang` and `marking_ref`");
    }
}

fn check_ref<'a>(ctx: &mut Ctx<'a, '_>, ty: &PropType, value: &'a Json<'a>) {
    let Some(id) = value.as_str() else {
        ctx.error(format!(
            "must be an identifier string, found {}",
            value.kind()
        ));
        return;
    };
    let target = match parse_id(id) {
        Ok(target) => target,
        Err(e) => {
            ctx.error(format!("`{id}` {e}"));
            return;
        }
    };
    let custom = TypeDef::get(target).is_none();
    match ty {
        PropType::Ref(types) if !types.is_empty() && !types.contains(&target) => {
            ctx.error(format!(
                "must refer to {}, not `{target}`",
                types
                    .iter()
                    .map(|t| format!("`{t}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            ))
        }
        PropType::ScoRef if !is_sco_type(target) && !custom => {
            ctx.error(format!("must refer to a cyber observable, not `{target}`"))
        }
        PropType::SdoRef if !is_sdo_type(target) && !custom => {
            ctx.error(format!("must refer to a domain object, not `{target}`"))
        }
        _ => {}
    }
}

fn check_hashes<'a>(ctx: &mut Ctx<'a, '_>, value: &'a Json<'a>) {
    let Some(hashes) = value.as_object() else {
        ctx.error(format!("must be a hashes object, found {}", value.kind()));
        return;
    };
    if hashes.is_empty() {
        ctx.error("must not be empty");
    }
    for (algorithm, digest) in hashes.iter() {
        ctx.at(Seg::Key(algorithm), |c| {
            let Some(digest) = digest.as_str() else {
                c.error(format!("must be a string, found {}", digest.kind()));
                return;
            };
            if let Some(len) = hash_hex_len(algorithm) {
                if digest.len() != len || !digest.bytes().all(|b| b.is_ascii_hexdigit()) {
                    c.error(format!("a {algorithm} digest is {len} hex digits"));
                }
            } else if !HASHING_ALGORITHM.contains(&algorithm) {
                c.warning(format!(
                    "`{algorithm}` is not in the hashing-algorithm vocabulary"
                ));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues(json: &str) -> Vec<String> {
        let object: Object = serde_json::from_str(json).expect("test object parses");
        validate(&object)
            .issues
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    const GOOD: &str = r#"{"type":"malware","spec_version":"2.1","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","created":"2016-04-06T20:07:09.000Z","modified":"2016-04-06T20:07:09.000Z","name":"Poison Ivy","is_family":true,"malware_types":["remote-access-trojan"],"kill_chain_phases":[{"kill_chain_name":"mandiant-attack-lifecycle-model","phase_name":"establish-foothold"}]}"#;

    #[test]
    fn a_valid_object_has_no_issue() {
        assert_eq!(issues(GOOD), Vec::<String>::new());
    }

    #[test]
    fn errors_name_the_object_the_path_and_the_reason() {
        let bad = GOOD
            .replace(r#""is_family":true,"#, "")
            .replace(
                "2016-04-06T20:07:09.000Z\",\"name",
                "2015-01-01T00:00:00Z\",\"name",
            )
            .replace(r#""phase_name":"establish-foothold""#, r#""phase_name":7"#)
            .replace("remote-access-trojan", "bespoke");
        let found = issues(&bad);
        let id = "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b";
        assert!(
            found.contains(&format!(
                "error: {id}: the required property `is_family` is missing"
            )),
            "{found:#?}"
        );
        assert!(found.contains(&format!("error: {id} at modified: must not be earlier than `created` (2016-04-06T20:07:09.000Z)")), "{found:#?}");
        assert!(
            found.contains(&format!(
                "error: {id} at kill_chain_phases[0].phase_name: must be a string, found an integer"
            )),
            "{found:#?}"
        );
        assert!(
            found.contains(&format!(
                "warning: {id} at malware_types[0]: `bespoke` is not in the suggested vocabulary"
            )),
            "{found:#?}"
        );
    }

    #[test]
    fn references_must_point_at_the_right_types() {
        let bad = GOOD.replace(
            r#""name":"Poison Ivy""#,
            r#""name":"Poison Ivy","created_by_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","object_marking_refs":["marking-definition--nope"]"#,
        );
        let found = issues(&bad);
        assert!(
            found
                .iter()
                .any(|i| i.contains("at created_by_ref: must refer to `identity`, not `malware`")),
            "{found:#?}"
        );
        assert!(
            found.iter().any(|i| i
                .contains("at object_marking_refs[0]: `marking-definition--nope` has a UUID part")),
            "{found:#?}"
        );
    }

    #[test]
    fn ids_and_timestamps_are_strict() {
        let bad = GOOD.replace("malware--31b940d4", "tool--31b940d4").replace(
            "2016-04-06T20:07:09.000Z\",\"modified",
            "2016-04-06 20:07:09\",\"modified",
        );
        let found = issues(&bad);
        assert!(
            found
                .iter()
                .any(|i| i.contains("at id: the id's type `tool` does not match")),
            "{found:#?}"
        );
        assert!(
            found
                .iter()
                .any(|i| i.contains("at created: `2016-04-06 20:07:09` is not an RFC 3339")),
            "{found:#?}"
        );
    }

    #[test]
    fn unlisted_relationships_are_warnings_and_custom_types_are_accepted() {
        let rel = r#"{"type":"relationship","spec_version":"2.1","id":"relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","relationship_type":"uses","source_ref":"vulnerability--44298a74-ba52-4f0c-87a3-1824e67d7fad","target_ref":"intrusion-set--44298a74-ba52-4f0c-87a3-1824e67d7fad"}"#;
        let found = issues(rel);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert!(
            found[0].starts_with("warning:")
                && found[0].contains("`vulnerability` uses `intrusion-set`")
        );
        let custom = r#"{"type":"x-mitre-tactic","id":"x-mitre-tactic--44298a74-ba52-4f0c-87a3-1824e67d7fad","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","x_mitre_shortname":"execution"}"#;
        assert_eq!(issues(custom), Vec::<String>::new());
    }

    #[test]
    fn indicator_patterns_are_parsed() {
        let indicator = r#"{"type":"indicator","spec_version":"2.1","id":"indicator--44298a74-ba52-4f0c-87a3-1824e67d7fad","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","pattern":"[file:hashes.MD5 = 'x'","pattern_type":"stix","valid_from":"2020-01-01T00:00:00Z"}"#;
        let found = issues(indicator);
        assert!(
            found
                .iter()
                .any(|i| i.starts_with("error:") && i.contains("at pattern: invalid STIX pattern")),
            "{found:#?}"
        );
    }
}
