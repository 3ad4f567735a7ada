//! What reads of the knowledge base answer and take: list filters and pages,
//! summaries, neighbours, search hits, an object's links.

use serde::{Deserialize, Serialize};
// The derive names these unqualified.
#[cfg(feature = "surreal")]
#[allow(unused_imports)]
use surrealdb::types::{SurrealValue, Value};

/// One object as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct ObjectSummary {
    pub stix_id: String,
    #[cfg_attr(feature = "surreal", surreal(rename = "type"))]
    pub stix_type: String,
    /// The registry kind, when it is an entity.
    pub kind: Option<String>,
    pub name: Option<String>,
    pub value: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    pub revoked: bool,
    pub confidence: Option<i64>,
    /// The name and STIX id of the identity in `created_by_ref`, when visible.
    pub author: Option<String>,
    pub author_id: Option<String>,
    pub labels: Vec<String>,
    pub markings: Vec<String>,
    /// The values of the kind's extra list columns, by key.
    pub facets: std::collections::BTreeMap<String, String>,
}

/// A neighbour reached through one relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct Neighbour {
    /// The relationship's STIX id.
    pub relationship: String,
    pub relationship_type: String,
    /// `out` when the object is the source, `in` when it is the target.
    pub direction: String,
    pub other_id: String,
    pub other_type: String,
    pub other_kind: Option<String>,
    pub other_name: Option<String>,
}

/// A filter for lists. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListFilter {
    /// STIX types to keep.
    pub types: Vec<String>,
    /// Registry kinds to keep (`Sector`, `Intrusion-Set`, …): what a list page shows.
    pub kinds: Vec<String>,
    /// Keep objects whose name contains this text (case-insensitive).
    pub name_contains: Option<String>,
    /// Keep objects carrying any of these labels.
    pub labels: Vec<String>,
    /// Keep objects carrying any of these markings.
    pub markings: Vec<String>,
    /// Keep objects created by this identity.
    pub created_by: Option<String>,
    /// Keep objects whose confidence is at least this.
    pub min_confidence: Option<i64>,
    /// Keep objects created in [from, to) (RFC 3339; compared as STIX timestamps).
    pub created_from: Option<String>,
    pub created_to: Option<String>,
    /// Keep objects modified in [from, to).
    pub modified_from: Option<String>,
    pub modified_to: Option<String>,
    /// Include revoked objects.
    pub revoked: bool,
    /// Sort field and direction.
    pub sort: Sort,
}

/// What a list is sorted by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sort {
    #[default]
    NameAsc,
    NameDesc,
    CreatedAsc,
    CreatedDesc,
    ModifiedAsc,
    ModifiedDesc,
    /// By one of the kind's extra columns (`cairn_stix::columns`), by key.
    ColumnAsc(String),
    ColumnDesc(String),
}

/// One object as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// The complete STIX JSON.
    pub stix: String,
    pub links: Links,
    pub neighbours: Vec<Neighbour>,
    /// The reports, groupings, notes, opinions and observed data holding it
    /// (the newest few) and how many.
    pub containers: Page<ObjectSummary>,
    /// For a container: what it holds (the first few, by name) and how many.
    pub contents: Page<ObjectSummary>,
}

/// One page of a list and the total behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    /// The cursor of the next page; `None` on the last page.
    pub next: Option<String>,
}

/// One full-text match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct SearchHit {
    pub stix_id: String,
    #[cfg_attr(feature = "surreal", surreal(rename = "type"))]
    pub stix_type: String,
    pub kind: Option<String>,
    pub name: Option<String>,
    pub value: Option<String>,
    /// The best matching text with `<mark>` around the matched words.
    pub highlight: Option<String>,
    pub score: f64,
}

/// An external reference as stored once for every object citing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct ExternalReference {
    pub source_name: String,
    pub external_id: Option<String>,
    pub url: Option<String>,
    pub description: Option<String>,
}

/// What an object is linked to: its author, markings, labels, kill-chain
/// phases and external references, read through the record links.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct Links {
    pub created_by: Option<String>,
    pub created_by_name: Option<String>,
    pub markings: Vec<String>,
    pub labels: Vec<String>,
    /// `kill_chain_name:phase_name`.
    pub kill_chain_phases: Vec<String>,
    pub external_references: Vec<ExternalReference>,
}

/// An ATT&CK technique an object uses, with the tactics it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct UsedTechnique {
    pub stix_id: String,
    pub name: Option<String>,
    pub x_mitre_id: Option<String>,
    pub revoked: bool,
    /// `kill_chain_name:phase_name`, e.g. `mitre-attack:initial-access`.
    pub phases: Vec<String>,
}

/// A change applied to every object of a selection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum BulkChange {
    AddLabels(Vec<String>),
    RemoveLabels(Vec<String>),
    AddMarkings(Vec<String>),
    RemoveMarkings(Vec<String>),
}
