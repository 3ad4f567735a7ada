//! Investigations: named graph workspaces saved in the store, owned by the
//! analyst who created them and, when shared, open read-only to everyone
//! else. A workspace keeps which objects and relationships it holds and where
//! they were drawn; what they are is read from the knowledge base through the
//! reader's scope each time it opens ([`Store::subgraph`]).

use cairn_model::graph::{Investigation, InvestigationSummary};
use surrealdb::types::RecordId;

use crate::connect::Store;
use crate::edit::now;
use crate::error::StoreError;

/// The table investigations live in.
const TABLE: &str = "investigation";
/// The longest name accepted.
pub const MAX_NAME_CHARS: usize = 200;
/// The most objects one workspace holds.
pub const MAX_NODES: usize = 20_000;
/// The longest notes accepted, in characters.
pub const MAX_NOTES_CHARS: usize = 100_000;

fn record(id: &str) -> RecordId {
    RecordId::new(TABLE, id)
}

/// The fields of an [`Investigation`], for SELECTs.
const FIELDS: &str =
    "record::id(id) AS id, name, owner, shared, notes, nodes, edges, created, modified";

impl Store {
    /// Creates an empty investigation owned by `owner`.
    pub async fn create_investigation(
        &self,
        owner: &str,
        name: &str,
    ) -> Result<Investigation, StoreError> {
        let name = checked_name(name)?;
        let id = format!("investigation--{}", uuid::Uuid::new_v4());
        let at = now();
        self.db()
            .query(
                "CREATE $record SET name = $name, owner = $owner, shared = false, notes = '',
                        nodes = [], edges = [], created = $at, modified = $at",
            )
            .bind(("record", record(&id)))
            .bind(("name", name))
            .bind(("owner", owner.to_owned()))
            .bind(("at", at))
            .await?
            .check()?;
        self.investigation(owner, &id)
            .await?
            .ok_or_else(|| StoreError::Unreadable("the new investigation was not saved".into()))
    }

    /// One investigation, if `reader` owns it or it is shared.
    pub async fn investigation(
        &self,
        reader: &str,
        id: &str,
    ) -> Result<Option<Investigation>, StoreError> {
        let row: Option<Investigation> = self
            .db()
            .query(format!(
                "SELECT {FIELDS} FROM ONLY $record WHERE owner = $reader OR shared = true"
            ))
            .bind(("record", record(id)))
            .bind(("reader", reader.to_owned()))
            .await?
            .check()?
            .take(0)?;
        Ok(row)
    }

    /// The investigations `reader` owns and those shared with everyone,
    /// latest changed first.
    pub async fn investigations(
        &self,
        reader: &str,
    ) -> Result<Vec<InvestigationSummary>, StoreError> {
        Ok(self
            .db()
            .query(
                "SELECT record::id(id) AS id, name, owner, shared, array::len(nodes) AS nodes, modified
                   FROM investigation WHERE owner = $reader OR shared = true ORDER BY modified DESC",
            )
            .bind(("reader", reader.to_owned()))
            .await?
            .check()?
            .take(0)?)
    }

    /// Saves what the workspace holds and its name, notes and sharing; only
    /// its owner may. Returns the saved investigation, or `None` when there is
    /// no such investigation for `owner` to see.
    pub async fn save_investigation(
        &self,
        owner: &str,
        investigation: &Investigation,
    ) -> Result<Option<Investigation>, StoreError> {
        let name = checked_name(&investigation.name)?;
        if investigation.nodes.len() > MAX_NODES {
            return Err(StoreError::Invalid {
                field: "nodes",
                reason: format!("an investigation holds at most {MAX_NODES} objects"),
            });
        }
        if investigation.notes.chars().count() > MAX_NOTES_CHARS {
            return Err(StoreError::Invalid {
                field: "notes",
                reason: format!("must be at most {MAX_NOTES_CHARS} characters"),
            });
        }
        if let Some(bad) = investigation
            .nodes
            .iter()
            .find(|n| !n.x.is_finite() || !n.y.is_finite())
        {
            return Err(StoreError::Invalid {
                field: "nodes",
                reason: format!("{} has no finite position", bad.id),
            });
        }
        let Some(stored) = self.investigation(owner, &investigation.id).await? else {
            return Ok(None);
        };
        if stored.owner != owner {
            return Err(not_owner());
        }
        self.db()
            .query(
                "UPDATE $record SET name = $name, shared = $shared, notes = $notes, nodes = $nodes,
                        edges = $edges, modified = $at",
            )
            .bind(("record", record(&investigation.id)))
            .bind(("name", name))
            .bind(("shared", investigation.shared))
            .bind(("notes", investigation.notes.clone()))
            .bind(("nodes", investigation.nodes.clone()))
            .bind(("edges", investigation.edges.clone()))
            .bind(("at", now()))
            .await?
            .check()?;
        self.investigation(owner, &investigation.id).await
    }

    /// Deletes an investigation its owner no longer needs (the knowledge in it
    /// stays). Returns whether there was one.
    pub async fn delete_investigation(&self, owner: &str, id: &str) -> Result<bool, StoreError> {
        let Some(stored) = self.investigation(owner, id).await? else {
            return Ok(false);
        };
        if stored.owner != owner {
            return Err(not_owner());
        }
        self.db()
            .query("DELETE $record")
            .bind(("record", record(id)))
            .await?
            .check()?;
        Ok(true)
    }
}

fn checked_name(name: &str) -> Result<String, StoreError> {
    crate::error::required_text("name", name, MAX_NAME_CHARS)
}

fn not_owner() -> StoreError {
    StoreError::Invalid {
        field: "owner",
        reason: "only the analyst who created this investigation can change it".into(),
    }
}
