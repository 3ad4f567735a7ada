//! How a STIX object becomes rows: the indexed fields queries use, plus the
//! complete STIX JSON (`raw`) so that export gives back exactly what came in.
//!
//! Relationships become edges of the `rel` table (`in` = source, `out` =
//! target); every other object is a record of the `object` table. Both are keyed
//! by the STIX id (`object:⟨indicator--…⟩`), built with `RecordId::new`, never by
//! formatting ids into SurrealQL.

use cairn_stix::Object;
use cairn_stix::json::Json;
use surrealdb::types::{RecordId, SurrealValue};

pub const OBJECT_TABLE: &str = "object";
pub const EDGE_TABLE: &str = "rel";

/// The record id of a STIX object.
pub fn object_record(stix_id: &str) -> RecordId {
    RecordId::new(OBJECT_TABLE, stix_id)
}

/// The record id of a relationship edge.
pub fn edge_record(stix_id: &str) -> RecordId {
    RecordId::new(EDGE_TABLE, stix_id)
}

/// An `object` row.
#[derive(Debug, Clone, SurrealValue)]
pub struct ObjectRow {
    pub id: RecordId,
    pub stix_id: String,
    #[surreal(rename = "type")]
    pub stix_type: String,
    pub name: Option<String>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    pub revoked: bool,
    pub confidence: Option<i64>,
    pub labels: Vec<String>,
    pub markings: Vec<String>,
    pub created_by: Option<String>,
    pub x_mitre_id: Option<String>,
    /// The observable value of an SCO (`value`, `name`, `path`, `key` or a hash).
    pub value: Option<String>,
    /// For observables: the deterministic id (STIX 2.1 §2.9), by which copies
    /// under other ids are recognised.
    pub det_id: Option<String>,
    /// For mergeable domain objects: the normalised name and aliases (one space
    /// per type) by which the same thing under another id is recognised.
    pub name_keys: Vec<String>,
    /// For containers (reports, groupings, notes, opinions, observed data): the
    /// ids in `object_refs`.
    pub contains: Vec<String>,
    /// For sightings: what was sighted.
    pub sighting_of: Option<String>,
    /// The complete STIX JSON as text.
    pub raw: String,
}

/// Domain object types whose copies under other ids merge by name and aliases.
/// Objects carrying an ATT&CK id never merge by name (ATT&CK reuses names).
pub const MERGEABLE: &[&str] = &[
    "attack-pattern",
    "campaign",
    "course-of-action",
    "identity",
    "infrastructure",
    "intrusion-set",
    "location",
    "malware",
    "threat-actor",
    "tool",
    "vulnerability",
];

/// Normalised name for matching: lowercase, single spaces.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The keys a domain object merges on (empty when it never merges).
pub fn name_keys(object: &Object<'_>) -> Vec<String> {
    let Some(ty) = object.get_str("type") else {
        return Vec::new();
    };
    let revoked = object
        .get("revoked")
        .and_then(Json::as_bool)
        .unwrap_or(false);
    if !MERGEABLE.contains(&ty) || revoked || x_mitre_id(object).is_some() {
        return Vec::new();
    }
    // Identities and locations of different classes are different things.
    let class = object
        .get_str("identity_class")
        .or(object.get_str("x_opencti_location_type"))
        .unwrap_or("");
    let mut keys: Vec<String> = std::iter::once(string(object, "name"))
        .flatten()
        .chain(strings(object, "aliases"))
        .chain(strings(object, "x_opencti_aliases"))
        .map(|n| format!("{class}|{}", name_key(&n)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// A `rel` edge row (a STIX relationship).
#[derive(Debug, Clone, SurrealValue)]
pub struct EdgeRow {
    pub id: RecordId,
    #[surreal(rename = "in")]
    pub source: RecordId,
    #[surreal(rename = "out")]
    pub target: RecordId,
    pub stix_id: String,
    pub relationship_type: String,
    pub created: Option<String>,
    pub modified: Option<String>,
    pub revoked: bool,
    pub confidence: Option<i64>,
    pub labels: Vec<String>,
    pub markings: Vec<String>,
    pub created_by: Option<String>,
    pub raw: String,
}

fn string(object: &Object<'_>, key: &str) -> Option<String> {
    object.get_str(key).map(str::to_owned)
}

fn strings(object: &Object<'_>, key: &str) -> Vec<String> {
    object
        .get(key)
        .and_then(Json::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Json::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// ATT&CK's id (`T1059.001`, `G0007`, …) from the `mitre-attack` external reference.
fn x_mitre_id(object: &Object<'_>) -> Option<String> {
    object
        .get("external_references")?
        .as_array()?
        .iter()
        .find_map(|reference| {
            let reference = reference.as_object()?;
            let source = reference.get_str("source_name")?;
            matches!(
                source,
                "mitre-attack" | "mitre-ics-attack" | "mitre-mobile-attack"
            )
            .then(|| reference.get_str("external_id").map(str::to_owned))?
        })
}

/// The value an analyst knows an observable by.
fn observable_value(object: &Object<'_>) -> Option<String> {
    ["value", "name", "path", "key", "number", "pid"]
        .iter()
        .find_map(|key| match object.get(key)? {
            Json::Str(s) => Some(s.to_string()),
            Json::Int(n) => Some(n.to_string()),
            _ => None,
        })
        .or_else(|| {
            let hashes = object.get("hashes")?.as_object()?;
            hashes
                .iter()
                .find_map(|(_, v)| v.as_str().map(str::to_owned))
        })
}

/// The `object` row for a (validated) STIX object.
pub fn object_row(object: &Object<'_>, raw: String) -> Option<ObjectRow> {
    let stix_id = string(object, "id")?;
    let stix_type = string(object, "type")?;
    let is_sco = cairn_stix::types::is_sco_type(&stix_type);
    let mut aliases = strings(object, "aliases");
    aliases.extend(strings(object, "x_mitre_aliases"));
    aliases.extend(strings(object, "x_opencti_aliases"));
    Some(ObjectRow {
        id: object_record(&stix_id),
        name: string(object, "name"),
        aliases,
        description: string(object, "description"),
        created: string(object, "created"),
        modified: string(object, "modified"),
        revoked: object
            .get("revoked")
            .and_then(Json::as_bool)
            .unwrap_or(false),
        confidence: object.get("confidence").and_then(Json::as_i64),
        labels: strings(object, "labels"),
        markings: strings(object, "object_marking_refs"),
        created_by: string(object, "created_by_ref"),
        x_mitre_id: x_mitre_id(object),
        value: if is_sco {
            observable_value(object)
        } else {
            None
        },
        det_id: if is_sco {
            cairn_stix::ids::deterministic_id(object)
        } else {
            None
        },
        name_keys: name_keys(object),
        contains: strings(object, "object_refs"),
        sighting_of: string(object, "sighting_of_ref"),
        stix_id,
        stix_type,
        raw,
    })
}

/// The `rel` edge for a (validated) STIX relationship; `resolve` maps an id to
/// the stored object it was merged into, if any.
pub fn edge_row(
    object: &Object<'_>,
    raw: String,
    resolve: impl Fn(&str) -> String,
) -> Option<EdgeRow> {
    let stix_id = string(object, "id")?;
    Some(EdgeRow {
        id: edge_record(&stix_id),
        source: object_record(&resolve(object.get_str("source_ref")?)),
        target: object_record(&resolve(object.get_str("target_ref")?)),
        relationship_type: string(object, "relationship_type")?,
        created: string(object, "created"),
        modified: string(object, "modified"),
        revoked: object
            .get("revoked")
            .and_then(Json::as_bool)
            .unwrap_or(false),
        confidence: object.get("confidence").and_then(Json::as_i64),
        labels: strings(object, "labels"),
        markings: strings(object, "object_marking_refs"),
        created_by: string(object, "created_by_ref"),
        stix_id,
        raw,
    })
}
