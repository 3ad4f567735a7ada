//! The database schema and its migrations.
//!
//! Each migration is a block of idempotent SurrealQL (`IF NOT EXISTS`), applied in
//! order at every start; `meta:schema.version` records how far a store has come,
//! so a newer Cairn upgrades an older store in place and an older Cairn refuses
//! a store written by a newer one.

use surrealdb::Surreal;
use surrealdb::engine::any::Any;
use surrealdb::types::SurrealValue;

use crate::error::StoreError;

/// The schema version this build writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Migrations, oldest first; migration `i` brings a store to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: schema bookkeeping and the platform's own settings.
    r#"
    DEFINE TABLE IF NOT EXISTS platform SCHEMAFULL;
    DEFINE FIELD IF NOT EXISTS title ON platform TYPE string
        ASSERT string::len($value) > 0 AND string::len($value) <= 80;
    DEFINE FIELD IF NOT EXISTS updated_at ON platform TYPE datetime DEFAULT time::now();
    "#,
    // 2: the knowledge base. Every STIX object but relationships is an `object`
    // record keyed by its STIX id; relationships are `rel` edges between objects.
    // Indexed fields are copied out of the complete STIX JSON kept in `raw`.
    r#"
    DEFINE TABLE IF NOT EXISTS object SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS object_type ON object FIELDS type;
    DEFINE INDEX IF NOT EXISTS object_name ON object FIELDS name;
    DEFINE INDEX IF NOT EXISTS object_modified ON object FIELDS modified;
    DEFINE INDEX IF NOT EXISTS object_x_mitre_id ON object FIELDS x_mitre_id;
    DEFINE TABLE IF NOT EXISTS rel TYPE RELATION IN object OUT object SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS rel_type ON rel FIELDS relationship_type;
    DEFINE TABLE IF NOT EXISTS history SCHEMALESS;
    DEFINE FIELD IF NOT EXISTS at ON history TYPE datetime DEFAULT time::now();
    DEFINE INDEX IF NOT EXISTS history_object ON history FIELDS object;
    "#,
    // 3: full-text search over names, descriptions and observable values.
    r#"
    DEFINE ANALYZER IF NOT EXISTS cairn_text TOKENIZERS blank, class, punct
        FILTERS lowercase, ascii, snowball(english);
    DEFINE INDEX IF NOT EXISTS object_name_text ON object FIELDS name
        FULLTEXT ANALYZER cairn_text BM25 HIGHLIGHTS;
    DEFINE INDEX IF NOT EXISTS object_description_text ON object FIELDS description
        FULLTEXT ANALYZER cairn_text BM25 HIGHLIGHTS;
    DEFINE INDEX IF NOT EXISTS object_value_text ON object FIELDS value
        FULLTEXT ANALYZER cairn_text BM25 HIGHLIGHTS;
    "#,
    // 4: deduplication. Observables are recognised by their deterministic id,
    // mergeable domain objects by their name keys; `alias:⟨id⟩` records which
    // stored object an incoming id was merged into.
    r#"
    DEFINE INDEX IF NOT EXISTS object_det_id ON object FIELDS det_id;
    DEFINE TABLE IF NOT EXISTS alias SCHEMALESS;
    "#,
    // 5: works (imports) and their files, kept until the work is purged.
    r#"
    DEFINE TABLE IF NOT EXISTS work SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS work_status ON work FIELDS status, queued_at;
    DEFINE TABLE IF NOT EXISTS work_file SCHEMALESS;
    "#,
    // 6: the trash: deleted objects with their relationships, restorable for 30 days.
    r#"
    DEFINE TABLE IF NOT EXISTS trash SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS trash_deleted_at ON trash FIELDS deleted_at;
    "#,
    // 7: what reads filter and group on: containers' contents, labels, markings,
    // authors and creation dates.
    r#"
    DEFINE INDEX IF NOT EXISTS object_contains ON object FIELDS contains.*;
    DEFINE INDEX IF NOT EXISTS object_labels ON object FIELDS labels.*;
    DEFINE INDEX IF NOT EXISTS object_created_by ON object FIELDS created_by;
    DEFINE INDEX IF NOT EXISTS object_created ON object FIELDS created;
    "#,
    // 8: what objects point at becomes record links (see `rows`): markings,
    // authors and container contents link to objects; labels, kill-chain phases
    // and external references are records of their own. Stores written before
    // are relinked from their STIX JSON (`relink`). An index on an array of
    // record links covers its elements when defined on the field itself (in
    // SurrealDB 3.3 a `field.*` index misses record values), so the indexes of
    // migration 7 on `contains.*` and `labels.*` are replaced.
    r#"
    REMOVE INDEX IF EXISTS object_contains ON object;
    REMOVE INDEX IF EXISTS object_labels ON object;
    DEFINE INDEX IF NOT EXISTS object_contains_links ON object FIELDS contains;
    DEFINE INDEX IF NOT EXISTS object_label_links ON object FIELDS labels;
    DEFINE TABLE IF NOT EXISTS label SCHEMALESS;
    DEFINE TABLE IF NOT EXISTS kill_chain_phase SCHEMALESS;
    DEFINE TABLE IF NOT EXISTS external_reference SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS object_markings ON object FIELDS markings;
    DEFINE INDEX IF NOT EXISTS object_kill_chain_phases ON object FIELDS kill_chain_phases;
    DEFINE INDEX IF NOT EXISTS object_external_references ON object FIELDS external_references;
    DEFINE INDEX IF NOT EXISTS external_reference_id ON external_reference FIELDS source_name, external_id;
    "#,
    // 9: aliases are found by exact value and by full-text search.
    r#"
    DEFINE INDEX IF NOT EXISTS object_aliases ON object FIELDS aliases;
    DEFINE INDEX IF NOT EXISTS object_aliases_text ON object FIELDS aliases
        FULLTEXT ANALYZER cairn_text BM25 HIGHLIGHTS;
    "#,
    // 10: access control. Users, roles, groups (with their marking clearances),
    // sessions and API tokens (keyed by the SHA-256 of their secret, never the
    // secret), the one-time setup token, and the audit log. Objects gain
    // `granted` (organization restrictions), `class`, and the scheme and order
    // of marking definitions, filled by relinking.
    r#"
    DEFINE TABLE IF NOT EXISTS user SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS user_login ON user FIELDS login UNIQUE;
    DEFINE TABLE IF NOT EXISTS role SCHEMALESS;
    DEFINE TABLE IF NOT EXISTS user_group SCHEMALESS;
    DEFINE TABLE IF NOT EXISTS session SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS session_user ON session FIELDS user;
    DEFINE TABLE IF NOT EXISTS api_token SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS api_token_user ON api_token FIELDS user;
    DEFINE TABLE IF NOT EXISTS setup SCHEMALESS;
    DEFINE TABLE IF NOT EXISTS audit SCHEMALESS;
    DEFINE FIELD IF NOT EXISTS at ON audit TYPE datetime DEFAULT time::now();
    DEFINE INDEX IF NOT EXISTS audit_at ON audit FIELDS at;
    DEFINE INDEX IF NOT EXISTS history_at ON history FIELDS at;
    DEFINE INDEX IF NOT EXISTS object_granted ON object FIELDS granted;
    DEFINE INDEX IF NOT EXISTS object_marking_scheme ON object FIELDS marking_scheme, marking_order;
    "#,
    // 11: every object row names its registry kind, by which list pages and
    // their counts select (a sector and an organization are both identities).
    r#"
    DEFINE INDEX IF NOT EXISTS object_kind ON object FIELDS kind;
    "#,
    // 12: the containers an object is in are found by the STIX ids a container
    // holds (`held`, strings). SurrealDB 3.3 answers `CONTAINS` on the record
    // links of `contains` with a table scan (its `.*` index misses record
    // values), which at a million objects takes minutes; a `.*` index on
    // strings serves `held CONTAINSANY [id]` directly.
    // The index comes first: one defined after the update, in the same
    // transaction, is built from the rows as they were before it.
    r#"
    DEFINE INDEX IF NOT EXISTS object_held ON object FIELDS held.*;
    UPDATE object SET held = contains.map(|$r| record::id($r))
        WHERE contains != NONE AND array::len(contains) > 0 AND held = NONE;
    "#,
    // 13: objects keep the values of their kind's extra list columns
    // (`facets`, from `cairn_stix::columns`), by which lists show and sort.
    // SurrealQL cannot read the stored JSON text, so [`fill_facets`] computes
    // them in Rust before this version is recorded.
    // (`RETURN` would end the migration's transaction early: a no-op `LET`.)
    r#"
    LET $facets = NONE;
    "#,
    // 14: investigations, the analysts' saved graph workspaces.
    r#"
    DEFINE TABLE IF NOT EXISTS investigation SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS investigation_owner ON investigation FIELDS owner;
    "#,
    // 15: custom dashboards; objects and relationships keep when they came
    // into Cairn (`ingested`, kept by later versions). Stores written before
    // get the time of each row's first history entry (`fill_ingested`).
    // Relationships keep the markings of their ends (`end_markings`, computed
    // whenever the relationship is written, and again when an end's markings
    // change), so counts of relationships honour the ends' markings.
    r#"
    DEFINE TABLE IF NOT EXISTS dashboard SCHEMALESS;
    DEFINE INDEX IF NOT EXISTS dashboard_owner ON dashboard FIELDS owner;
    DEFINE FIELD IF NOT EXISTS ingested ON object VALUE $before ?? $value ?? time::now();
    DEFINE FIELD IF NOT EXISTS ingested ON rel VALUE $before ?? $value ?? time::now();
    DEFINE FIELD IF NOT EXISTS end_markings ON rel VALUE array::union(in.markings ?? [], out.markings ?? []);
    "#,
    // 16: the tallies dashboards read (`aggregate.rs`): SurrealDB keeps each
    // up to date in the transaction that writes the rows it counts. Every key
    // is read from the counted row itself (a relationship's end types from
    // its ends' ids, never by following the link, which is gone when the end
    // is deleted first), so a row leaves the cell it entered.
    r#"
    DEFINE TABLE IF NOT EXISTS tally_object AS
        SELECT count() AS n, kind, type, revoked, markings, granted, created_by AS author, labels,
               time::format(ingested, '%Y-%m-%d') AS day, string::slice(created ?? '', 0, 7) AS month
          FROM object
         GROUP BY kind, type, revoked, markings, granted, author, labels, day, month;
    DEFINE TABLE IF NOT EXISTS tally_rel AS
        SELECT count() AS n, relationship_type,
               string::split(record::id(in), '--')[0] AS source_type,
               string::split(record::id(out), '--')[0] AS target_type,
               array::union(markings ?? [], end_markings ?? []) AS markings,
               time::format(ingested, '%Y-%m-%d') AS day,
               string::slice(created ?? '', 0, 7) AS month
          FROM rel
         GROUP BY relationship_type, source_type, target_type, markings, day, month;
    DEFINE TABLE IF NOT EXISTS tally_target AS
        SELECT count() AS n, relationship_type, out AS target,
               string::split(record::id(in), '--')[0] AS source_type,
               string::split(record::id(out), '--')[0] AS target_type,
               array::union(markings ?? [], end_markings ?? []) AS markings,
               time::format(ingested, '%Y-%m-%d') AS day
          FROM rel
         WHERE string::split(record::id(out), '--')[0] IN ['location', 'identity', 'attack-pattern', 'vulnerability']
         GROUP BY relationship_type, target, source_type, target_type, markings, day;
    DEFINE TABLE IF NOT EXISTS tally_source AS
        SELECT count() AS n, relationship_type, in AS source,
               string::split(record::id(in), '--')[0] AS source_type,
               string::split(record::id(out), '--')[0] AS target_type,
               array::union(markings ?? [], end_markings ?? []) AS markings,
               time::format(ingested, '%Y-%m-%d') AS day
          FROM rel
         WHERE string::split(record::id(in), '--')[0] IN ['intrusion-set', 'threat-actor', 'campaign', 'malware', 'tool', 'incident']
         GROUP BY relationship_type, source, source_type, target_type, markings, day;
    DEFINE TABLE IF NOT EXISTS tally_activity AS
        SELECT count() AS n, action, type, user, time::format(at, '%Y-%m-%d') AS day
          FROM history
         GROUP BY action, type, user, day;
    "#,
    // 17: a tally's record id is its GROUP BY values in order, so a widget
    // filtered by its leading attributes reads ranges of ids instead of the
    // whole tally. Relationships move from views with a row per combination
    // to `tally_end` and `tally_relationship` (`rel_tally.rs`), whose rows
    // hold many counts each and are kept by the statements that write
    // relationships; stores written before get them from their relationships
    // (`rel_tally::fill`). The matrix reads techniques from their own small
    // tally, not from their objects.
    r#"
    REMOVE TABLE IF EXISTS tally_target;
    REMOVE TABLE IF EXISTS tally_source;
    REMOVE TABLE IF EXISTS tally_rel;
    DEFINE TABLE IF NOT EXISTS tally_end SCHEMALESS;
    DEFINE TABLE IF NOT EXISTS tally_relationship SCHEMALESS;
    DEFINE TABLE IF NOT EXISTS tally_technique AS
        SELECT count() AS n, revoked, markings, granted, stix_id, name, x_mitre_id,
               kill_chain_phases AS phases
          FROM object
         WHERE type = 'attack-pattern'
         GROUP BY revoked, markings, granted, stix_id, name, x_mitre_id, phases;
    "#,
];

/// The migration (index into [`MIGRATIONS`]) before which facets are filled.
const FACETS: usize = 12;
/// The migration before which stored rows get their ingestion time.
const TALLIES: usize = 15;
/// The migration before which relationships are tallied by end.
const END_TALLIES: usize = 16;

/// The last migration after which stored rows are relinked from their STIX JSON.
const RELINK: u32 = 11;

#[derive(Debug, SurrealValue)]
struct SchemaRow {
    version: i64,
}

/// The version recorded in the store (0 for a new store).
pub async fn current_version(db: &Surreal<Any>) -> Result<u32, StoreError> {
    let mut response = db
        .query("SELECT version FROM ONLY meta:schema")
        .await?
        .check()?;
    let row: Option<SchemaRow> = response.take(0)?;
    Ok(row.map_or(0, |r| u32::try_from(r.version).unwrap_or(u32::MAX)))
}

/// Brings the store up to [`VERSION`].
pub async fn apply(db: &Surreal<Any>) -> Result<(), StoreError> {
    // SurrealDB 3 refuses to read a table that does not exist yet.
    db.query("DEFINE TABLE IF NOT EXISTS meta SCHEMALESS")
        .await?
        .check()?;
    let found = current_version(db).await?;
    if found > VERSION {
        return Err(StoreError::Invalid {
            field: "schema",
            reason: format!(
                "the store was written by a newer Cairn (schema {found}, this build knows {VERSION})"
            ),
        });
    }
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        if index == FACETS && found > 0 {
            // Idempotent: a run cut short does it again.
            fill_facets(db).await?;
        }
        if index == TALLIES && found > 0 {
            fill_ingested(db).await?;
        }
        if index == END_TALLIES && found > 0 {
            crate::rel_tally::fill(db).await?;
        }
        db.query("BEGIN TRANSACTION")
            .query(*migration)
            .query("UPSERT meta:schema SET version = $version")
            .query("COMMIT TRANSACTION")
            .bind(("version", version))
            .await?
            .check()?;
        tracing::info!(version, "schema migrated");
    }
    if found > 0 && found < RELINK {
        relink(db).await?;
    }
    Ok(())
}

#[derive(Debug, SurrealValue)]
struct StoredRaw {
    id: surrealdb::types::RecordId,
    raw: String,
}

/// Computes every stored object's `facets` from its STIX JSON, for the types
/// that have extra list columns, 1,000 rows per transaction.
///
/// Each type's rows are one range of record keys (a STIX id starts with its
/// type), walked with [`KeyWalk`].
async fn fill_facets(db: &Surreal<Any>) -> Result<(), StoreError> {
    #[derive(Debug, SurrealValue)]
    struct Facets {
        id: surrealdb::types::RecordId,
        facets: std::collections::BTreeMap<String, String>,
    }
    let mut filled = 0usize;
    for stix_type in cairn_stix::columns::types() {
        // `type--…` up to (not including) `type-.`: every id of the type.
        let mut walk = KeyWalk::new(
            "object",
            format!("{stix_type}--"),
            format!("{stix_type}-."),
            1_000,
        );
        while let Some(ids) = walk.next(db).await? {
            let rows: Vec<StoredRaw> = db
                .query("SELECT id, raw FROM $ids")
                .bind(("ids", ids))
                .await?
                .check()?
                .take(0)?;
            let facets: Vec<Facets> = rows
                .iter()
                .filter_map(|row| {
                    let object: cairn_stix::Object<'_> = serde_json::from_str(&row.raw).ok()?;
                    Some(Facets {
                        id: row.id.clone(),
                        facets: crate::rows::facets(&object),
                    })
                })
                .collect();
            filled += facets.len();
            db.query(
                "BEGIN TRANSACTION;
                 FOR $row IN $facets { UPDATE $row.id SET facets = $row.facets RETURN NONE; };
                 COMMIT TRANSACTION;",
            )
            .bind(("facets", facets))
            .await?
            .check()?;
        }
    }
    tracing::info!(filled, "list column values filled");
    Ok(())
}

/// Walks a table's records in key order, some at a time, from `from` up to
/// (not including) `end`: each batch is read from where the last one ended,
/// because a `WHERE id > $last` over an index would scan from the start again
/// for every batch. For the migrations that fill in stored rows.
pub(crate) struct KeyWalk {
    table: &'static str,
    from: String,
    end: String,
    size: usize,
}

impl KeyWalk {
    pub(crate) fn new(table: &'static str, from: String, end: String, size: usize) -> KeyWalk {
        KeyWalk {
            table,
            from,
            end,
            size,
        }
    }

    /// Every record of a table keyed by STIX id (they all sort before `~`).
    pub(crate) fn every(table: &'static str, size: usize) -> KeyWalk {
        KeyWalk::new(table, String::new(), "~".to_owned(), size)
    }

    /// The next batch of record ids, or `None` at the end.
    pub(crate) async fn next(
        &mut self,
        db: &Surreal<Any>,
    ) -> Result<Option<Vec<surrealdb::types::RecordId>>, StoreError> {
        let ids: Vec<surrealdb::types::RecordId> = db
            .query("SELECT VALUE id FROM type::record($table, $from..$end) LIMIT $limit")
            .bind(("table", self.table))
            .bind(("from", self.from.clone()))
            .bind(("end", self.end.clone()))
            .bind(("limit", self.size as i64 + 1))
            .await?
            .check()?
            .take(0)?;
        // The range starts at the last id of the batch before: skip it.
        let ids: Vec<surrealdb::types::RecordId> = ids
            .into_iter()
            .filter(|id| crate::rows::record_key(id) != self.from)
            .collect();
        let Some(tail) = ids.last() else {
            return Ok(None);
        };
        self.from = crate::rows::record_key(tail);
        Ok(Some(ids))
    }
}

/// Gives every stored object and relationship without an ingestion time the
/// time of its first history entry (or now, when it has none), 1,000 rows per
/// transaction, in record key order.
async fn fill_ingested(db: &Surreal<Any>) -> Result<(), StoreError> {
    let mut filled = 0usize;
    for table in ["object", "rel"] {
        let mut walk = KeyWalk::every(table, 1_000);
        while let Some(ids) = walk.next(db).await? {
            filled += ids.len();
            db.query(
                "BEGIN TRANSACTION;
                 FOR $id IN $ids {
                     UPDATE $id SET ingested = (SELECT VALUE at FROM history
                         WHERE object = record::id($id) ORDER BY at LIMIT 1)[0] ?? time::now()
                         WHERE ingested = NONE RETURN NONE;
                 };
                 COMMIT TRANSACTION;",
            )
            .bind(("ids", ids))
            .await?
            .check()?;
        }
    }
    tracing::info!(filled, "ingestion times filled");
    Ok(())
}

/// The link fields of a row, rebuilt from its STIX JSON.
#[derive(Debug, SurrealValue)]
struct Links {
    id: surrealdb::types::RecordId,
    labels: Vec<surrealdb::types::RecordId>,
    markings: Vec<surrealdb::types::RecordId>,
    created_by: Option<surrealdb::types::RecordId>,
    kill_chain_phases: Vec<surrealdb::types::RecordId>,
    external_references: Vec<surrealdb::types::RecordId>,
    contains: Vec<surrealdb::types::RecordId>,
    sighting_of: Option<surrealdb::types::RecordId>,
    granted: Vec<surrealdb::types::RecordId>,
    class: Option<String>,
    kind: Option<String>,
    marking_scheme: Option<String>,
    marking_order: Option<i64>,
    color: Option<String>,
}

/// Rewrites every stored row's links from its `raw` STIX JSON, 1,000 rows per
/// transaction, creating the label, kill-chain phase and reference records.
async fn relink(db: &Surreal<Any>) -> Result<(), StoreError> {
    use crate::rows::{LinkedRows, edge_row, object_row};
    let mut relinked = 0usize;
    for table in [crate::rows::OBJECT_TABLE, crate::rows::EDGE_TABLE] {
        let mut last: Option<surrealdb::types::RecordId> = None;
        loop {
            let rows: Vec<StoredRaw> = db
                .query(
                    "SELECT id, raw FROM type::table($table) WHERE $last = NONE OR id > $last
                     ORDER BY id LIMIT 1000",
                )
                .bind(("table", table))
                .bind(("last", last.clone()))
                .await?
                .check()?
                .take(0)?;
            let Some(tail) = rows.last() else {
                break;
            };
            last = Some(tail.id.clone());
            let objects: Vec<cairn_stix::Object<'_>> = rows
                .iter()
                .filter_map(|r| serde_json::from_str(&r.raw).ok())
                .collect();
            let links: Vec<Links> = objects
                .iter()
                .filter_map(|o| {
                    if table == crate::rows::EDGE_TABLE {
                        let e = edge_row(o, String::new(), str::to_owned)?;
                        Some(Links {
                            id: e.id,
                            labels: e.labels,
                            markings: e.markings,
                            created_by: e.created_by,
                            kill_chain_phases: e.kill_chain_phases,
                            external_references: e.external_references,
                            contains: Vec::new(),
                            sighting_of: None,
                            granted: Vec::new(),
                            class: None,
                            kind: None,
                            marking_scheme: None,
                            marking_order: None,
                            color: None,
                        })
                    } else {
                        let r = object_row(o, String::new())?;
                        Some(Links {
                            id: r.id,
                            labels: r.labels,
                            markings: r.markings,
                            created_by: r.created_by,
                            kill_chain_phases: r.kill_chain_phases,
                            external_references: r.external_references,
                            contains: r.contains,
                            sighting_of: r.sighting_of,
                            granted: r.granted,
                            class: r.class,
                            kind: r.kind,
                            marking_scheme: r.marking_scheme,
                            marking_order: r.marking_order,
                            color: r.color,
                        })
                    }
                })
                .collect();
            relinked += links.len();
            db.query(format!(
                "BEGIN TRANSACTION; {}
                 FOR $row IN $links {{ UPDATE $row.id MERGE $row RETURN NONE; }};
                 COMMIT TRANSACTION;",
                LinkedRows::INSERT
            ))
            .bind(("linked", LinkedRows::of(&objects)))
            .bind(("links", links))
            .await?
            .check()?;
        }
    }
    tracing::info!(rows = relinked, "stored rows relinked");
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::{ImportOptions, Scope, Store};

    const BUNDLE: &str = r#"{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[
        {"type":"identity","spec_version":"2.1","id":"identity--00000000-0000-4000-8000-000000000001","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Author","identity_class":"organization"},
        {"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--00000000-0000-4000-8000-000000000002","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Phish","labels":["email"],
         "created_by_ref":"identity--00000000-0000-4000-8000-000000000001",
         "object_marking_refs":["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"],
         "kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"initial-access"}],
         "external_references":[{"source_name":"capec","external_id":"CAPEC-98"}]}]}"#;

    /// An embedded store holding `bundle`, taken back to an older schema by
    /// `downgrade`, then reopened (which migrates it); with its folder.
    async fn downgraded(bundle: &str, downgrade: &str) -> (Store, tempfile::TempDir) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("surrealkv://{}", dir.path().join("store").display());
        let store = Store::open(&url).await.expect("open");
        store
            .import_bundle(bundle.as_bytes(), &ImportOptions::default(), |_, _| {})
            .await
            .expect("import");
        store
            .db()
            .query(downgrade)
            .await
            .expect("downgrade")
            .check()
            .expect("downgrade");
        store.close();
        // The engine shuts down in the background once the last handle is gone.
        for _ in 0..50 {
            match Store::open(&url).await {
                Ok(store) => return (store, dir),
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            }
        }
        panic!("the store does not reopen");
    }

    /// The plan SurrealDB picks for the containers lookup.
    async fn containers_plan(store: &Store) -> String {
        let plan: surrealdb::types::Value = store
            .read(
                &Scope::bypass(),
                format!("{} EXPLAIN", crate::query::containers_lookup()),
            )
            .bind(("id", "tool--00000000-0000-4000-8000-000000000003"))
            .await
            .expect("explain")
            .check()
            .expect("explain")
            .take(0)
            .expect("plan");
        format!("{plan:?}")
    }

    #[tokio::test]
    async fn the_containers_lookup_uses_its_index_in_the_process_that_made_the_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("surrealkv://{}", dir.path().join("store").display());
        let store = Store::open(&url).await.expect("open");
        store
            .import_bundle(
                br#"{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[
                    {"type":"tool","spec_version":"2.1","id":"tool--00000000-0000-4000-8000-000000000003","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Hammer"},
                    {"type":"report","spec_version":"2.1","id":"report--00000000-0000-4000-8000-000000000004","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Hammer time","published":"2020-01-01T00:00:00Z","object_refs":["tool--00000000-0000-4000-8000-000000000003"]}]}"#,
                &ImportOptions::default(),
                |_, _| {},
            )
            .await
            .expect("import");
        let plan = containers_plan(&store).await;
        assert!(plan.contains("object_held"), "{plan}");
    }

    #[tokio::test]
    async fn a_store_from_before_the_links_is_relinked_from_its_stix_json() {
        // What a schema-7 store held: plain strings and no shared records.
        let (store, _dir) = downgraded(
            BUNDLE,
            "UPDATE object SET labels = ['email'], markings = [], created_by = 'x',
                 kill_chain_phases = NONE, external_references = NONE;
             DELETE label; DELETE kill_chain_phase; DELETE external_reference;
             UPSERT meta:schema SET version = 7;",
        )
        .await;
        let links = store
            .links(
                &Scope::bypass(),
                "attack-pattern--00000000-0000-4000-8000-000000000002",
            )
            .await
            .expect("links")
            .expect("object");
        assert_eq!(links.labels, ["email"]);
        assert_eq!(links.created_by_name.as_deref(), Some("Author"));
        assert_eq!(
            links.markings,
            ["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]
        );
        assert_eq!(links.kill_chain_phases, ["mitre-attack:initial-access"]);
        assert_eq!(
            links.external_references[0].external_id.as_deref(),
            Some("CAPEC-98")
        );
        assert_eq!(store.labels().await.expect("labels"), ["email"]);
        assert_eq!(
            super::current_version(store.db()).await.expect("version"),
            super::VERSION
        );
    }

    #[tokio::test]
    async fn a_schema_11_store_finds_containers_after_migrating() {
        let report = r#"{"type":"bundle","id":"bundle--00000000-0000-4000-8000-00000000000b","objects":[
            {"type":"tool","spec_version":"2.1","id":"tool--00000000-0000-4000-8000-000000000003","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Hammer"},
            {"type":"report","spec_version":"2.1","id":"report--00000000-0000-4000-8000-000000000004","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Hammer time","published":"2020-01-01T00:00:00Z","object_refs":["tool--00000000-0000-4000-8000-000000000003"]}]}"#;
        // What a schema-11 store held: no `held`, no index on it.
        let (store, _dir) = downgraded(
            report,
            "REMOVE INDEX object_held ON object; UPDATE object UNSET held;
             UPSERT meta:schema SET version = 11;",
        )
        .await;
        let containers = store
            .containers_of(
                &Scope::bypass(),
                "tool--00000000-0000-4000-8000-000000000003",
                10,
            )
            .await
            .expect("containers");
        let ids: Vec<&str> = containers
            .items
            .iter()
            .map(|c| c.stix_id.as_str())
            .collect();
        assert_eq!(ids, ["report--00000000-0000-4000-8000-000000000004"]);
    }

    #[tokio::test]
    async fn filling_list_column_values_walks_every_batch_of_a_type() {
        // More tools than one batch holds, and one of another type after them.
        let mut objects: Vec<String> = (0..1_002)
            .map(|n| {
                format!(
                    r#"{{"type":"tool","spec_version":"2.1","id":"tool--00000000-0000-4000-8000-{n:012}","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Tool {n}","tool_types":["remote-access"]}}"#
                )
            })
            .collect();
        objects.push(r#"{"type":"campaign","spec_version":"2.1","id":"campaign--00000000-0000-4000-8000-000000000001","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"C","first_seen":"2019-01-01T00:00:00Z"}"#.to_owned());
        let bundle = format!(
            r#"{{"type":"bundle","id":"bundle--00000000-0000-4000-8000-00000000000c","objects":[{}]}}"#,
            objects.join(",")
        );
        let (store, _dir) = downgraded(
            &bundle,
            "UPDATE object UNSET facets; UPSERT meta:schema SET version = 12;",
        )
        .await;
        let missing: Vec<i64> = store
            .db()
            .query("SELECT VALUE count() FROM object WHERE facets = NONE AND type IN ['tool', 'campaign'] GROUP ALL")
            .await
            .expect("count")
            .take(0)
            .expect("count");
        assert_eq!(missing.iter().sum::<i64>(), 0, "rows left without facets");
        let filled: Vec<i64> = store
            .db()
            .query("SELECT VALUE count() FROM object WHERE facets.tool_types = 'remote-access' OR facets.first_seen != NONE GROUP ALL")
            .await
            .expect("count")
            .take(0)
            .expect("count");
        assert_eq!(filled, [1_003]);
    }

    #[tokio::test]
    async fn a_schema_16_store_counts_relationships_by_end_and_type_after_migrating() {
        use cairn_model::dashboard::{GroupBy, Period, Perspective, WidgetQuery};
        let sdo = |ty: &str, n: u32, name: &str| {
            format!(
                r#"{{"type":"{ty}","spec_version":"2.1","id":"{ty}--00000000-0000-4000-8000-00000000000{n}","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"{name}"{}}}"#,
                if ty == "malware" {
                    r#","is_family":true"#
                } else {
                    ""
                }
            )
        };
        let rel = |n: u32, ty: &str, from: &str, to: &str| {
            format!(
                r#"{{"type":"relationship","spec_version":"2.1","id":"relationship--00000000-0000-4000-8000-00000000010{n}","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","relationship_type":"{ty}","source_ref":"{from}","target_ref":"{to}"}}"#
            )
        };
        let (apt, phish, sector, worm) = (
            "intrusion-set--00000000-0000-4000-8000-000000000001",
            "attack-pattern--00000000-0000-4000-8000-000000000002",
            "identity--00000000-0000-4000-8000-000000000003",
            "malware--00000000-0000-4000-8000-000000000004",
        );
        let objects = [
            sdo("intrusion-set", 1, "APT"),
            sdo("attack-pattern", 2, "Phish"),
            r#"{"type":"identity","spec_version":"2.1","id":"identity--00000000-0000-4000-8000-000000000003","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Energy","identity_class":"class"}"#.to_owned(),
            sdo("malware", 4, "Worm"),
            rel(1, "uses", apt, phish),
            rel(2, "targets", apt, sector),
            rel(3, "uses", worm, phish),
            rel(4, "uses", apt, worm),
            rel(5, "targets", worm, sector),
        ];
        let bundle = format!(
            r#"{{"type":"bundle","id":"bundle--00000000-0000-4000-8000-00000000000d","objects":[{}]}}"#,
            objects.join(",")
        );
        // What a schema-16 store held: no tally by end.
        let (store, _dir) = downgraded(
            &bundle,
            "REMOVE TABLE tally_end; REMOVE TABLE tally_relationship;
             UPSERT meta:schema SET version = 16;",
        )
        .await;
        let ends = |group_by| {
            let store = &store;
            async move {
                let query = WidgetQuery {
                    perspective: Perspective::Relationships,
                    group_by: Some(group_by),
                    top: 10,
                    ..Default::default()
                };
                let aggregate = store
                    .aggregate(&Scope::bypass(), &query, &Period::default())
                    .await
                    .expect("series");
                aggregate
                    .buckets
                    .into_iter()
                    .map(|b| (b.label, b.count))
                    .collect::<Vec<_>>()
            }
        };
        let pairs = |p: &[(&str, u64)]| -> Vec<(String, u64)> {
            p.iter().map(|(n, c)| ((*n).to_owned(), *c)).collect()
        };
        assert_eq!(
            ends(GroupBy::Source).await,
            pairs(&[("APT", 3), ("Worm", 2)])
        );
        assert_eq!(
            ends(GroupBy::Target).await,
            pairs(&[("Phish", 2), ("Energy", 2)])
        );
        let by_type = store
            .aggregate(
                &Scope::bypass(),
                &WidgetQuery {
                    perspective: Perspective::Relationships,
                    group_by: Some(GroupBy::RelationshipType),
                    top: 10,
                    ..Default::default()
                },
                &Period::default(),
            )
            .await
            .expect("by type");
        let by_type: Vec<(String, u64)> = by_type
            .buckets
            .into_iter()
            .map(|b| (b.label, b.count))
            .collect();
        assert_eq!(by_type, pairs(&[("uses", 3), ("targets", 2)]));
        assert_eq!(
            super::current_version(store.db()).await.expect("version"),
            super::VERSION
        );
    }

    #[tokio::test]
    async fn a_schema_12_store_gets_its_list_column_values() {
        // What a schema-12 store held: no `facets`.
        let (store, _dir) = downgraded(
            BUNDLE,
            "UPDATE object UNSET facets; UPSERT meta:schema SET version = 12;",
        )
        .await;
        let page = store
            .list_objects(
                &Scope::bypass(),
                &crate::ListFilter {
                    types: vec!["attack-pattern".into()],
                    sort: crate::Sort::ColumnDesc("kill_chain_phases".into()),
                    ..Default::default()
                },
                None,
                10,
            )
            .await
            .expect("list");
        assert_eq!(page.items.len(), 1);
        assert_eq!(
            page.items[0]
                .facets
                .get("kill_chain_phases")
                .map(String::as_str),
            Some("initial-access")
        );
        assert_eq!(
            super::current_version(store.db()).await.expect("version"),
            super::VERSION
        );
    }
}
