//! Imports: what one did, the works that run them, and the history of changes.

use serde::{Deserialize, Serialize};
// The derive names these unqualified.
#[cfg(feature = "surreal")]
#[allow(unused_imports)]
use surrealdb::types::{SurrealValue, Value};

/// One object that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct RejectedObject {
    pub id: Option<String>,
    pub path: String,
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Objects in the bundle.
    pub objects: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: usize,
    pub errors: Vec<RejectedObject>,
}

/// One history entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct HistoryEntry {
    pub action: String,
    pub fields: Vec<String>,
    pub work: Option<String>,
    pub user: Option<String>,
    /// RFC 3339 time of the change.
    pub at: String,
}

/// A work as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct Work {
    pub id: String,
    pub source: String,
    pub user: Option<String>,
    pub filename: String,
    /// `queued`, `running`, `complete` or `failed`.
    pub status: String,
    pub expected: i64,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    pub attempts: i64,
    /// Why the work failed, when it did.
    pub failure: Option<String>,
    pub queued_at: String,
    pub finished_at: Option<String>,
}

/// One trash entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct TrashEntry {
    pub id: String,
    /// The STIX id of what was deleted.
    pub stix_id: String,
    pub stix_type: String,
    pub name: Option<String>,
    /// How many relationships went with it.
    pub relationships: i64,
    pub user: Option<String>,
    pub deleted_at: String,
}
