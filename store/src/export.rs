//! Export: the knowledge base, or a part of it, as a STIX 2.1 bundle or CSV.
//! Objects are written from their stored STIX JSON, so an export gives back
//! exactly what was imported. Every export reads through a [`Scope`].

use std::collections::BTreeSet;
use std::io::Write;

use surrealdb::types::{RecordId, SurrealValue};

use crate::connect::Store;
use crate::error::StoreError;
use crate::rows::{edge_record, object_record};
use crate::scope::Scope;

/// What to export.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportFilter {
    /// STIX types to keep (all when empty); applies to whole-base exports.
    pub types: Vec<String>,
    /// Start from these objects instead of the whole base (relationship ids
    /// among them are exported when both their ends are).
    pub ids: Vec<String>,
    /// With `ids`: also the objects up to this many relationships away, and the
    /// relationships among everything exported. A container always comes
    /// with its contents.
    pub depth: u32,
    /// Instead: the rows of a list page, in its order (at most [`MAX_LIST`]).
    pub list: Option<crate::ListFilter>,
}

/// Most rows a list export writes.
pub const MAX_LIST: usize = 100_000;

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Stix,
    Csv,
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "type",
    "name",
    "value",
    "description",
    "created",
    "modified",
    "revoked",
    "confidence",
    "labels",
    "markings",
    "created_by",
    "x_mitre_id",
    "relationship_type",
    "source_ref",
    "target_ref",
];

#[derive(Debug, SurrealValue)]
struct ExportRow {
    raw: String,
}

/// Most objects a neighbourhood export follows.
const MAX_NEIGHBOURHOOD: usize = 100_000;

impl Store {
    /// Writes the export to `out`; returns how many objects were written.
    pub async fn export(
        &self,
        scope: &Scope,
        filter: &ExportFilter,
        format: ExportFormat,
        out: &mut impl Write,
    ) -> Result<usize, StoreError> {
        let raws = if let Some(list) = &filter.list {
            self.export_list(scope, list).await?
        } else if filter.ids.is_empty() {
            self.export_all(scope, &filter.types).await?
        } else {
            self.export_neighbourhood(scope, &filter.ids, filter.depth)
                .await?
        };
        let io =
            |e: std::io::Error| StoreError::Unreadable(format!("cannot write the export: {e}"));
        match format {
            ExportFormat::Stix => {
                write!(
                    out,
                    "{{\"type\":\"bundle\",\"id\":\"bundle--{}\",\"objects\":[",
                    uuid::Uuid::new_v4()
                )
                .map_err(io)?;
                for (i, raw) in raws.iter().enumerate() {
                    if i > 0 {
                        out.write_all(b",").map_err(io)?;
                    }
                    out.write_all(b"\n").map_err(io)?;
                    out.write_all(raw.as_bytes()).map_err(io)?;
                }
                out.write_all(b"\n]}\n").map_err(io)?;
            }
            ExportFormat::Csv => {
                writeln!(out, "{}", CSV_COLUMNS.join(",")).map_err(io)?;
                for raw in &raws {
                    let object: serde_json::Value = serde_json::from_str(raw)
                        .map_err(|e| StoreError::Unreadable(e.to_string()))?;
                    let cells: Vec<String> =
                        CSV_COLUMNS.iter().map(|c| csv_cell(&object, c)).collect();
                    writeln!(out, "{}", cells.join(",")).map_err(io)?;
                }
            }
        }
        Ok(raws.len())
    }

    async fn export_all(&self, scope: &Scope, types: &[String]) -> Result<Vec<String>, StoreError> {
        let mut response = self
            .read(scope, format!(
                "SELECT raw, stix_id FROM object WHERE {f} AND (array::len($types) = 0 OR type IN $types) ORDER BY stix_id;
                 SELECT raw, stix_id FROM rel WHERE {f} AND (array::len($types) = 0 OR 'relationship' IN $types)
                     AND in.stix_id != NONE AND out.stix_id != NONE
                     AND {ends}
                     ORDER BY stix_id;",
                f = Scope::FILTER,
                ends = Scope::visible(&["in.", "out."])
            ))
            .bind(("types", types.to_vec()))
            .await?
            .check()?;
        let objects: Vec<ExportRow> = response.take(0)?;
        let edges: Vec<ExportRow> = response.take(1)?;
        Ok(objects.into_iter().chain(edges).map(|r| r.raw).collect())
    }

    /// The rows a list shows under `list`, every page of them.
    async fn export_list(
        &self,
        scope: &Scope,
        list: &crate::ListFilter,
    ) -> Result<Vec<String>, StoreError> {
        let mut ids = Vec::new();
        let mut after = None;
        while ids.len() < MAX_LIST {
            let page = self
                .list_objects(scope, list, after.as_deref(), 1000)
                .await?;
            ids.extend(page.items.into_iter().map(|o| o.stix_id));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        ids.truncate(MAX_LIST);
        let records: Vec<RecordId> = ids.iter().map(|id| object_record(id)).collect();
        let rows: Vec<ExportRow> = self
            .read(
                scope,
                format!("SELECT raw FROM $records WHERE {}", Scope::FILTER),
            )
            .bind(("records", records))
            .await?
            .check()?
            .take(0)?;
        Ok(rows.into_iter().map(|r| r.raw).collect())
    }

    async fn export_neighbourhood(
        &self,
        scope: &Scope,
        ids: &[String],
        depth: u32,
    ) -> Result<Vec<String>, StoreError> {
        // The union of each start's capped neighbourhood (the same graph the UI draws).
        let mut objects: BTreeSet<String> = BTreeSet::new();
        let mut relationships: BTreeSet<String> = BTreeSet::new();
        // Relationship ids stand for themselves (an investigation's edges).
        let (given, ids): (Vec<&String>, Vec<&String>) =
            ids.iter().partition(|id| id.starts_with("relationship--"));
        relationships.extend(given.into_iter().cloned());
        for id in ids {
            let graph = self
                .neighbourhood(scope, id, depth, MAX_NEIGHBOURHOOD)
                .await?;
            objects.extend(graph.nodes.into_iter().map(|n| n.id));
            relationships.extend(graph.edges.into_iter().map(|e| e.id));
            // A container comes with what it holds (its `object_refs`), so that
            // the bundle is whole; the scope filter below drops what is hidden.
            let held: Vec<String> = self
                .read(scope, "RETURN $record.held ?? []")
                .bind(("record", object_record(id)))
                .await?
                .check()?
                .take(0)?;
            for held in held {
                if held.starts_with("relationship--") {
                    relationships.insert(held);
                } else {
                    objects.insert(held);
                }
            }
        }
        let object_records: Vec<RecordId> = objects.iter().map(|id| object_record(id)).collect();
        let edge_records: Vec<RecordId> = relationships.iter().map(|id| edge_record(id)).collect();
        let mut response = self
            .read(
                scope,
                format!(
                    "SELECT raw FROM $objects WHERE {f};
                 SELECT raw FROM $edges WHERE {f} AND in.stix_id IN $ids AND out.stix_id IN $ids;",
                    f = Scope::FILTER
                ),
            )
            .bind(("objects", object_records))
            .bind(("edges", edge_records))
            .bind(("ids", objects.iter().cloned().collect::<Vec<_>>()))
            .await?
            .check()?;
        let found: Vec<ExportRow> = response.take(0)?;
        let edges: Vec<ExportRow> = response.take(1)?;
        Ok(found.into_iter().chain(edges).map(|r| r.raw).collect())
    }
}

/// One CSV cell (RFC 4180 quoting); lists are joined with `;`.
fn csv_cell(object: &serde_json::Value, column: &str) -> String {
    use serde_json::Value;
    let key = match column {
        "markings" => "object_marking_refs",
        "created_by" => "created_by_ref",
        other => other,
    };
    let value = if key == "x_mitre_id" {
        object["external_references"]
            .as_array()
            .and_then(|refs| {
                refs.iter().find(|r| {
                    r["source_name"]
                        .as_str()
                        .is_some_and(|s| s.starts_with("mitre-"))
                })
            })
            .and_then(|r| r["external_id"].as_str())
            .map(str::to_owned)
            .unwrap_or_default()
    } else {
        match &object[key] {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                .collect::<Vec<_>>()
                .join(";"),
            other => other.to_string(),
        }
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}
