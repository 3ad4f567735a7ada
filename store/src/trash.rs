//! Deleting and restoring. Rules:
//!
//! - Deleting an object deletes the relationships attached to it (in either
//!   direction), since an edge without both ends means nothing; they go to the
//!   trash together, as one entry, and come back together.
//! - Deleting a relationship deletes only it.
//! - A trash entry keeps the complete STIX JSON of everything it holds, so a
//!   restore is exact; entries older than 30 days are purged.
//! - Restoring puts back the object and those of its relationships whose other
//!   end still exists; the others are reported, never left dangling.
//!
//! Every step runs in one transaction, so no edge is ever left without its ends.

use surrealdb::types::{RecordId, SurrealValue};

use cairn_stix::Object;

use crate::TrashEntry;
use crate::connect::Store;
use crate::error::StoreError;
use crate::rows::{EdgeRow, ObjectRow, edge_record, edge_row, object_record, object_row};
use crate::scope::Scope;

/// How long deleted things stay restorable.
pub const RETENTION_DAYS: i64 = 30;

#[derive(Debug, SurrealValue)]
struct Held {
    object: Option<String>,
    edges: Vec<String>,
}

#[derive(Debug, SurrealValue)]
struct RawRow {
    raw: String,
}

fn trash_record(id: &str) -> RecordId {
    RecordId::new("trash", id)
}

impl Store {
    /// Moves an object (and its relationships) or a relationship to the trash.
    /// Returns the trash entry id, or `None` when the scope does not see it.
    pub async fn delete(
        &self,
        scope: &Scope,
        stix_id: &str,
        user: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        let is_edge = stix_id.starts_with("relationship--");
        let record = if is_edge {
            edge_record(stix_id)
        } else {
            object_record(stix_id)
        };
        let found: Option<RawRow> = self
            .read(
                scope,
                format!("SELECT raw FROM ONLY $record WHERE {}", Scope::FILTER),
            )
            .bind(("record", record.clone()))
            .await?
            .check()?
            .take(0)?;
        let Some(found) = found else { return Ok(None) };
        let id = uuid::Uuid::new_v4().simple().to_string();
        let parsed: serde_json::Value = serde_json::from_str(&found.raw).unwrap_or_default();
        use crate::rel_tally::{APPLY, MARKINGS, cells};
        self.db()
            .query(format!(
                "BEGIN TRANSACTION;
                 LET $edges = IF $is_edge {{ [] }} ELSE {{ array::union((SELECT VALUE id FROM $record->rel), (SELECT VALUE id FROM $record<-rel)) }};
                 {MARKINGS} {gone}
                 LET $edge_raws = (SELECT VALUE raw FROM $edges);
                 CREATE $trash CONTENT {{
                     stix_id: $stix_id, stix_type: $stix_type, name: $name, user: $user,
                     object: IF $is_edge {{ NONE }} ELSE {{ $raw }},
                     edges: IF $is_edge {{ [$raw] }} ELSE {{ $edge_raws }},
                     relationships: IF $is_edge {{ 0 }} ELSE {{ array::len($edge_raws) }},
                     deleted_at: time::now()
                 }} RETURN NONE;
                 FOR $edge IN $edges {{ DELETE $edge; }};
                 DELETE $record;
                 {APPLY}
                 INSERT INTO history (SELECT VALUE {{ action: 'delete', object: stix_id, user: $user, fields: [] }} FROM $edges) RETURN NONE;
                 CREATE history CONTENT {{ action: 'delete', object: $stix_id, user: $user, fields: [] }} RETURN NONE;
                 COMMIT TRANSACTION;",
                gone = cells(
                    "$tally_gone",
                    "(IF $is_edge { [$record] } ELSE { $edges })"
                ),
            ))
            .bind(("is_edge", is_edge))
            .bind(("record", record))
            .bind(("trash", trash_record(&id)))
            .bind(("stix_id", stix_id.to_owned()))
            .bind(("stix_type", parsed["type"].as_str().unwrap_or_default().to_owned()))
            .bind(("name", parsed["name"].as_str().map(str::to_owned)))
            .bind(("user", user.map(str::to_owned)))
            .bind(("raw", found.raw))
            .await?
            .check()?;
        Ok(Some(id))
    }

    /// The trash, newest first.
    pub async fn trash(&self) -> Result<Vec<TrashEntry>, StoreError> {
        let entries = self
            .db()
            .query(
                "SELECT record::id(id) AS id, stix_id, stix_type, name, relationships, user,
                        <string> deleted_at AS deleted_at
                   FROM trash ORDER BY deleted_at DESC",
            )
            .await?
            .check()?
            .take(0)?;
        Ok(entries)
    }

    /// Puts a trash entry back. Returns the ids of relationships that could not
    /// come back because their other end no longer exists.
    pub async fn restore(
        &self,
        trash_id: &str,
        user: Option<&str>,
    ) -> Result<Vec<String>, StoreError> {
        let held: Option<Held> = self
            .db()
            .query("SELECT object, edges FROM ONLY $trash")
            .bind(("trash", trash_record(trash_id)))
            .await?
            .check()?
            .take(0)?;
        let Some(held) = held else {
            return Err(StoreError::Invalid {
                field: "trash",
                reason: format!("no trash entry {trash_id}"),
            });
        };
        let object: Option<ObjectRow> = match &held.object {
            Some(raw) => {
                let parsed: Object<'_> =
                    serde_json::from_str(raw).map_err(|e| StoreError::Unreadable(e.to_string()))?;
                object_row(&parsed, raw.clone())
            }
            None => None,
        };
        let restored_id = object.as_ref().map(|o| o.stix_id.clone());
        let mut edges: Vec<EdgeRow> = Vec::new();
        let mut skipped = Vec::new();
        for raw in &held.edges {
            let parsed: Object<'_> =
                serde_json::from_str(raw).map_err(|e| StoreError::Unreadable(e.to_string()))?;
            let Some(row) = edge_row(&parsed, raw.clone(), str::to_owned) else {
                continue;
            };
            let ends: Vec<RecordId> = [&row.source, &row.target]
                .into_iter()
                .filter(|end| {
                    restored_id
                        .as_ref()
                        .is_none_or(|id| **end != object_record(id))
                })
                .cloned()
                .collect();
            let present: Vec<RecordId> = self
                .db()
                .query("SELECT VALUE id FROM $ends")
                .bind(("ends", ends.clone()))
                .await?
                .check()?
                .take(0)?;
            if present.len() == ends.len() {
                edges.push(row);
            } else {
                skipped.push(row.stix_id.clone());
            }
        }
        use crate::rel_tally::{APPLY, MARKINGS, cells};
        self.db()
            .query(format!(
                "BEGIN TRANSACTION;
                 IF $object != NONE {{ INSERT INTO object $object RETURN NONE; }};
                 IF array::len($edges) > 0 {{ INSERT RELATION INTO rel $edges RETURN NONE; }};
                 {MARKINGS} {came} {APPLY}
                 CREATE history CONTENT {{ action: 'restore', object: $stix_id, user: $user, fields: [] }} RETURN NONE;
                 DELETE $trash;
                 COMMIT TRANSACTION;",
                came = cells("$tally_came", "$edges.map(|$e| $e.id)"),
            ))
            .bind(("object", object))
            .bind(("edges", edges))
            .bind(("stix_id", restored_id.unwrap_or_default()))
            .bind(("user", user.map(str::to_owned)))
            .bind(("trash", trash_record(trash_id)))
            .await?
            .check()?;
        Ok(skipped)
    }

    /// Removes trash entries older than the retention; returns how many.
    pub async fn purge_trash(&self) -> Result<usize, StoreError> {
        let purged: Option<i64> = self
            .db()
            .query(format!(
                "LET $old = (SELECT VALUE id FROM trash WHERE deleted_at < time::now() - {RETENTION_DAYS}d);
                 FOR $entry IN $old {{ DELETE $entry; }};
                 RETURN array::len($old);"
            ))
            .await?
            .check()?
            .take(2)?;
        Ok(purged.unwrap_or(0) as usize)
    }

    /// Edges whose source or target does not exist (there should be none).
    pub async fn orphan_edges(&self) -> Result<u64, StoreError> {
        let count: Option<i64> = self
            .db()
            .query("RETURN count(SELECT VALUE id FROM rel WHERE in.stix_id = NONE OR out.stix_id = NONE)")
            .await?
            .check()?
            .take(0)?;
        Ok(count.unwrap_or(0) as u64)
    }
}
