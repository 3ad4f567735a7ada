//! The tallies of relationships (schema migration 17), whose rows each hold
//! many counts as a map:
//!
//! - `tally_end`: how many relationships each target (location, identity,
//!   technique, vulnerability) and each source (intrusion set, threat actor,
//!   campaign, malware, tool, incident) has, for the widgets that rank ends
//!   ("most targeted sectors", "most active intrusion sets") and the ATT&CK
//!   matrix. A row's key is the side, the end's type, the relationship type,
//!   the other end's type, the markings and the ingestion day; its map goes
//!   from the end's STIX id to its count.
//! - `tally_relationship`: relationships by type, source and target type and
//!   markings; its map goes from `"DAY MONTH"` (the ingestion day and the
//!   month of STIX `created`) to the count.
//!
//! A table view (SurrealDB's `DEFINE TABLE … AS SELECT … GROUP BY`) keeps a
//! row per combination, which at 1M objects is 100,000+ rows to read to rank
//! 10,000 intrusion sets and 20,000 to draw relationships per month; reading
//! a row costs about as much as reading one of its map's entries costs a
//! hundredth of. So these rows are kept by the statements that write
//! relationships, inside their transaction: [`cells`] lists the cells a set
//! of relationships is counted in, once before the write (`$tally_gone`) and
//! once after (`$tally_came`), and [`APPLY`] moves the difference into the
//! rows, writing each changed row once.

use std::collections::BTreeMap;

use surrealdb::Surreal;
use surrealdb::engine::any::Any;
use surrealdb::types::{SurrealValue, Value};

use crate::error::StoreError;

/// The end types counted as targets and as sources.
pub const TARGETS: [&str; 4] = ["location", "identity", "attack-pattern", "vulnerability"];
pub const SOURCES: [&str; 6] = [
    "intrusion-set",
    "threat-actor",
    "campaign",
    "malware",
    "tool",
    "incident",
];

/// SurrealQL: `LET {var}` be the cells the relationships `rels` (an
/// expression giving `rel` records) are counted in, each `{ table, key,
/// fields, entry }`: the row (its table and key), the row's fields (what
/// reads filter on, all read from the key) and the map entry counted.
/// Missing records give none. Needs [`MARKINGS`] first.
pub fn cells(var: &str, rels: &str) -> String {
    let list = |types: &[&str]| {
        types
            .iter()
            .map(|t| format!("'{t}'"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (targets, sources) = (list(&TARGETS), list(&SOURCES));
    format!(
        "LET {var}_rows = (SELECT relationship_type AS rt,
                string::split(record::id(in), '--')[0] AS st,
                string::split(record::id(out), '--')[0] AS tt,
                $tally_markings(markings, end_markings) AS ms,
                time::format(ingested, '%Y-%m-%d') AS day,
                string::slice(created ?? '', 0, 7) AS month,
                record::id(in) AS source, record::id(out) AS target
             FROM {rels} WHERE id != NONE);
         LET {var} = array::flatten({var}_rows.map(|$r| [
             {{ table: 'tally_relationship', key: [$r.rt, $r.st, $r.tt, $r.ms],
                fields: {{ relationship_type: $r.rt, source_type: $r.st, target_type: $r.tt, markings: $r.ms }},
                entry: $r.day + ' ' + $r.month }},
             IF $r.tt IN [{targets}] {{
                 {{ table: 'tally_end', key: ['target', $r.tt, $r.rt, $r.st, $r.ms, $r.day],
                    fields: {{ side: 'target', relationship_type: $r.rt, source_type: $r.st,
                              target_type: $r.tt, markings: $r.ms, day: $r.day }},
                    entry: $r.target }}
             }},
             IF $r.st IN [{sources}] {{
                 {{ table: 'tally_end', key: ['source', $r.st, $r.rt, $r.tt, $r.ms, $r.day],
                    fields: {{ side: 'source', relationship_type: $r.rt, source_type: $r.st,
                              target_type: $r.tt, markings: $r.ms, day: $r.day }},
                    entry: $r.source }}
             }}
         ])).filter(|$c| $c != NONE);"
    )
}

/// SurrealQL defining `$tally_markings`, the markings a cell carries: the
/// relationship's and its ends', sorted so a set has one key.
pub const MARKINGS: &str =
    "LET $tally_markings = |$own, $ends| array::sort(array::union($own ?? [], $ends ?? []));";

/// SurrealQL moving `$tally_gone` out of the rows and `$tally_came` into
/// them: the changes are summed by row and entry, and each changed row is
/// read and written once; an entry whose count falls to zero leaves its row.
pub const APPLY: &str = "
    LET $tally_changes = (SELECT table, key, fields, entry, math::sum(d) AS d FROM array::concat(
        ($tally_gone ?? []).map(|$c| object::extend($c, { d: -1 })),
        ($tally_came ?? []).map(|$c| object::extend($c, { d: 1 }))) GROUP BY table, key, fields, entry);
    LET $tally_rows = (SELECT table, key, fields, array::group({ entry: entry, d: d }) AS changes
        FROM $tally_changes WHERE d != 0 GROUP BY table, key, fields);
    FOR $w IN $tally_rows {
        LET $row = type::record($w.table, $w.key);
        LET $counts = $row.counts ?? {};
        LET $sums = $w.changes.map(|$c| [$c.entry, ($counts[$c.entry] ?? 0) + $c.d]);
        UPSERT $row CONTENT object::extend($w.fields, {
            counts: object::remove(
                object::extend($counts, object::from_entries($sums.filter(|$s| $s[1] > 0))),
                $sums.filter(|$s| $s[1] <= 0).map(|$s| $s[0]))
        }) RETURN NONE;
    };";

/// Relationships read per query while [`fill`]ing (a few in unit tests, so
/// they walk several batches).
const FILL_BATCH: usize = if cfg!(test) { 2 } else { 5_000 };

/// Builds the tallies from every stored relationship (for stores written
/// before migration 17), reading relationships [`FILL_BATCH`] at a time in
/// key order (`schema::KeyWalk`) and writing each row once at the end. Idempotent: it starts
/// from empty.
pub async fn fill(db: &Surreal<Any>) -> Result<(), StoreError> {
    #[derive(Debug, SurrealValue)]
    struct Counted {
        table: String,
        key: Vec<Value>,
        fields: Value,
        entry: String,
    }
    #[derive(Debug, SurrealValue)]
    struct Row {
        table: String,
        key: Vec<Value>,
        fields: Value,
        counts: BTreeMap<String, i64>,
    }
    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut walk = crate::schema::KeyWalk::every("rel", FILL_BATCH);
    let mut batches = 0usize;
    while let Some(ids) = walk.next(db).await? {
        let cells: Vec<Counted> = db
            .query(format!(
                "{MARKINGS} {} RETURN $tally_came;",
                cells("$tally_came", "$batch")
            ))
            .bind(("batch", ids))
            .await?
            .check()?
            .take(3)?;
        batches += 1;
        for cell in cells {
            let row = rows
                .entry(format!("{} {:?}", cell.table, cell.key))
                .or_insert_with(|| Row {
                    table: cell.table,
                    key: cell.key,
                    fields: cell.fields,
                    counts: BTreeMap::new(),
                });
            *row.counts.entry(cell.entry).or_default() += 1;
        }
    }
    db.query(
        "DEFINE TABLE IF NOT EXISTS tally_end SCHEMALESS;
         DEFINE TABLE IF NOT EXISTS tally_relationship SCHEMALESS;
         DELETE tally_end; DELETE tally_relationship;",
    )
    .await?
    .check()?;
    let mut rows: Vec<Row> = rows.into_values().collect();
    let written = rows.len();
    while !rows.is_empty() {
        let batch: Vec<Row> = rows.drain(..rows.len().min(1_000)).collect();
        db.query(
            "BEGIN TRANSACTION;
             FOR $w IN $rows {
                 UPSERT type::record($w.table, $w.key)
                     CONTENT object::extend($w.fields, { counts: $w.counts }) RETURN NONE;
             };
             COMMIT TRANSACTION;",
        )
        .bind(("rows", batch))
        .await?
        .check()?;
    }
    tracing::info!(batches, rows = written, "relationship tallies built");
    Ok(())
}
