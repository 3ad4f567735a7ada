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
];

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
        db.query("BEGIN TRANSACTION")
            .query(*migration)
            .query("UPSERT meta:schema SET version = $version")
            .query("COMMIT TRANSACTION")
            .bind(("version", version))
            .await?
            .check()?;
        tracing::info!(version, "schema migrated");
    }
    Ok(())
}
