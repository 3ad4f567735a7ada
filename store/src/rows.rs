//! How a STIX object becomes rows: the indexed fields queries use, plus the
//! complete STIX JSON (`raw`) so that export gives back exactly what came in.
//!
//! Relationships become edges of the `rel` table (`in` = source, `out` =
//! target); every other object is a record of the `object` table. Both are keyed
//! by the STIX id (`object:⟨indicator--…⟩`), built with `RecordId::new`, never by
//! formatting ids into SurrealQL.
//!
//! What an object points at is stored as record links, so traversals are native
//! (`created_by.name`, `markings.*.name`): `created_by`, `markings`, a
//! container's `contains` and a sighting's `sighting_of` link to `object`
//! records; `labels`, `kill_chain_phases` and `external_references` link to
//! records of their own tables (`label`, `kill_chain_phase`,
//! `external_reference`), shared by every object that carries the same one.

use cairn_stix::Object;
use cairn_stix::json::Json;
use surrealdb::types::{RecordId, SurrealValue};

pub const OBJECT_TABLE: &str = "object";
pub const EDGE_TABLE: &str = "rel";
pub const LABEL_TABLE: &str = "label";
pub const PHASE_TABLE: &str = "kill_chain_phase";
pub const REFERENCE_TABLE: &str = "external_reference";

/// The record id of a STIX object.
pub fn object_record(stix_id: &str) -> RecordId {
    RecordId::new(OBJECT_TABLE, stix_id)
}

/// The record id of a relationship edge.
pub fn edge_record(stix_id: &str) -> RecordId {
    RecordId::new(EDGE_TABLE, stix_id)
}

/// The record ids of these objects.
pub fn object_records(stix_ids: &[String]) -> Vec<RecordId> {
    stix_ids.iter().map(|id| object_record(id)).collect()
}

/// The record ids of these relationships.
pub fn edge_records(stix_ids: &[String]) -> Vec<RecordId> {
    stix_ids.iter().map(|id| edge_record(id)).collect()
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
    pub labels: Vec<RecordId>,
    pub markings: Vec<RecordId>,
    pub created_by: Option<RecordId>,
    pub kill_chain_phases: Vec<RecordId>,
    pub external_references: Vec<RecordId>,
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
    /// objects in `object_refs`.
    pub contains: Vec<RecordId>,
    /// The STIX ids in `contains`, as strings: what `containers_of` looks up
    /// (schema migration 12 says why).
    pub held: Vec<String>,
    /// For sightings: what was sighted.
    pub sighting_of: Option<RecordId>,
    /// The organizations the object is restricted to (`x_opencti_granted_refs`);
    /// empty when it is not restricted.
    pub granted: Vec<RecordId>,
    /// For identities and locations: `identity_class` or
    /// `x_opencti_location_type` (organizations are identities of class
    /// `organization`).
    pub class: Option<String>,
    /// The registry kind (`Intrusion-Set`, `Sector`, `Stix-Cyber-Observable`, …)
    /// whose list shows it; none for relationships and marking definitions.
    pub kind: Option<String>,
    /// For marking definitions: the scheme (`TLP`, `PAP`, …) and the order
    /// within it, by which a clearance covers lower levels; and the colour.
    pub marking_scheme: Option<String>,
    pub marking_order: Option<i64>,
    pub color: Option<String>,
    /// The values of the kind's extra list columns, by key
    /// ([`cairn_stix::columns`]), by which lists show and sort.
    pub facets: std::collections::BTreeMap<String, String>,
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

/// The values of the object's extra list columns, by key, as a row keeps them.
pub(crate) fn facets(object: &Object<'_>) -> std::collections::BTreeMap<String, String> {
    cairn_stix::columns::values(object)
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect()
}

/// The key of a record id as text.
pub(crate) fn record_key(id: &RecordId) -> String {
    match &id.key {
        surrealdb::types::RecordIdKey::String(s) => s.clone(),
        other => format!("{other:?}"),
    }
}

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
    if !MERGEABLE.contains(&ty) || revoked || cairn_stix::columns::attack_id(object).is_some() {
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
    pub labels: Vec<RecordId>,
    pub markings: Vec<RecordId>,
    pub created_by: Option<RecordId>,
    pub kill_chain_phases: Vec<RecordId>,
    pub external_references: Vec<RecordId>,
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
    let rank = cairn_stix::markings::rank(object);
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
        labels: label_links(object),
        markings: object_links(object, "object_marking_refs"),
        created_by: string(object, "created_by_ref").map(|id| object_record(&id)),
        kill_chain_phases: phase_links(object),
        external_references: reference_links(object),
        x_mitre_id: cairn_stix::columns::attack_id(object),
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
        contains: object_links(object, "object_refs"),
        held: strings(object, "object_refs"),
        sighting_of: string(object, "sighting_of_ref").map(|id| object_record(&id)),
        granted: object_links(object, "x_opencti_granted_refs"),
        class: string(object, "identity_class")
            .or_else(|| string(object, "x_opencti_location_type")),
        kind: cairn_stix::Kind::of_object(object).map(|k| k.name.to_owned()),
        marking_scheme: rank.as_ref().map(|(scheme, _)| scheme.clone()),
        marking_order: rank.map(|(_, order)| order),
        color: string(object, "x_opencti_color").or_else(|| {
            let known = cairn_stix::markings::Tlp::by_id(object.get_str("id")?)?;
            Some(known.color.to_owned())
        }),
        facets: facets(object),
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
        labels: label_links(object),
        markings: object_links(object, "object_marking_refs"),
        created_by: string(object, "created_by_ref").map(|id| object_record(&id)),
        kill_chain_phases: phase_links(object),
        external_references: reference_links(object),
        stix_id,
        raw,
    })
}

fn object_links(object: &Object<'_>, key: &str) -> Vec<RecordId> {
    strings(object, key)
        .iter()
        .map(|id| object_record(id))
        .collect()
}

/// The record of a label (keyed by the label itself).
pub fn label_record(label: &str) -> RecordId {
    RecordId::new(LABEL_TABLE, label)
}

fn label_links(object: &Object<'_>) -> Vec<RecordId> {
    strings(object, "labels")
        .iter()
        .map(|l| label_record(l))
        .collect()
}

fn items<'a, 'o>(object: &'a Object<'o>, key: &str) -> impl Iterator<Item = &'a Object<'o>> {
    object
        .get(key)
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
        .filter_map(Json::as_object)
}

/// The key of a kill-chain phase record: `kill_chain_name:phase_name`.
fn phase_key(phase: &Object<'_>) -> Option<String> {
    Some(format!(
        "{}:{}",
        phase.get_str("kill_chain_name")?,
        phase.get_str("phase_name")?
    ))
}

fn phase_links(object: &Object<'_>) -> Vec<RecordId> {
    items(object, "kill_chain_phases")
        .filter_map(phase_key)
        .map(|k| RecordId::new(PHASE_TABLE, k))
        .collect()
}

/// External references are keyed by a UUIDv5 of their canonical JSON, so the
/// same citation carried by many objects is one record.
const REFERENCE_NAMESPACE: [u8; 16] = *b"cairn-ext-refs\0\0";

fn reference_key(reference: &Object<'_>) -> String {
    let canonical = cairn_stix::ids::canonical_json(&Json::Object(reference.clone()));
    format!(
        "external-reference--{}",
        cairn_stix::ids::uuid_v5(&REFERENCE_NAMESPACE, canonical.as_bytes())
    )
}

fn reference_links(object: &Object<'_>) -> Vec<RecordId> {
    items(object, "external_references")
        .map(|r| RecordId::new(REFERENCE_TABLE, reference_key(r)))
        .collect()
}

/// A `label` record.
#[derive(Debug, Clone, SurrealValue)]
pub struct LabelRow {
    pub id: RecordId,
    pub value: String,
}

/// A `kill_chain_phase` record.
#[derive(Debug, Clone, SurrealValue)]
pub struct PhaseRow {
    pub id: RecordId,
    pub kill_chain_name: String,
    pub phase_name: String,
}

/// An `external_reference` record.
#[derive(Debug, Clone, SurrealValue)]
pub struct ReferenceRow {
    pub id: RecordId,
    pub source_name: String,
    pub external_id: Option<String>,
    pub url: Option<String>,
    pub description: Option<String>,
}

/// The shared records a batch of objects links to, each once.
#[derive(Debug, Default, SurrealValue)]
pub struct LinkedRows {
    pub labels: Vec<LabelRow>,
    pub phases: Vec<PhaseRow>,
    pub references: Vec<ReferenceRow>,
}

impl LinkedRows {
    /// Collects what `objects` link to.
    pub fn of<'a, 'o: 'a>(objects: impl IntoIterator<Item = &'a Object<'o>>) -> LinkedRows {
        let mut seen = std::collections::HashSet::new();
        let mut rows = LinkedRows::default();
        for object in objects {
            for label in strings(object, "labels") {
                if seen.insert(format!("l{label}")) {
                    rows.labels.push(LabelRow {
                        id: label_record(&label),
                        value: label,
                    });
                }
            }
            for phase in items(object, "kill_chain_phases") {
                let Some(key) = phase_key(phase) else {
                    continue;
                };
                if seen.insert(format!("k{key}")) {
                    rows.phases.push(PhaseRow {
                        id: RecordId::new(PHASE_TABLE, key),
                        kill_chain_name: string(phase, "kill_chain_name").unwrap_or_default(),
                        phase_name: string(phase, "phase_name").unwrap_or_default(),
                    });
                }
            }
            for reference in items(object, "external_references") {
                let key = reference_key(reference);
                if seen.insert(key.clone()) {
                    rows.references.push(ReferenceRow {
                        id: RecordId::new(REFERENCE_TABLE, key),
                        source_name: string(reference, "source_name").unwrap_or_default(),
                        external_id: string(reference, "external_id"),
                        url: string(reference, "url"),
                        description: string(reference, "description"),
                    });
                }
            }
        }
        rows
    }

    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty() && self.phases.is_empty() && self.references.is_empty()
    }

    /// SurrealQL that writes the rows bound as `$linked`, keeping existing ones.
    pub const INSERT: &'static str = "
        IF array::len($linked.labels) > 0 { INSERT IGNORE INTO label $linked.labels RETURN NONE; };
        IF array::len($linked.phases) > 0 { INSERT IGNORE INTO kill_chain_phase $linked.phases RETURN NONE; };
        IF array::len($linked.references) > 0 { INSERT IGNORE INTO external_reference $linked.references RETURN NONE; };";
}
