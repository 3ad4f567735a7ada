//! Works: every import is a `work` record (source, who, file, status, counts,
//! errors, times) with its file kept in the store, so a work left `running` by a
//! crash is queued again and re-run on the next start. Re-running is safe: the
//! import upserts, so what was applied before is `unchanged` the second time —
//! nothing duplicated, nothing lost.

use std::io::Read;

use serde::{Deserialize, Serialize};
use surrealdb::types::{RecordId, SurrealValue};

use crate::connect::Store;
use crate::error::StoreError;
use crate::ingest::{ImportOptions, ImportSummary};

/// Most per-object errors kept on a work.
const MAX_ERRORS: usize = 1000;

/// A work as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, SurrealValue)]
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

#[derive(Debug, SurrealValue)]
struct FileRow {
    bytes: surrealdb::types::Bytes,
}

fn work_record(id: &str) -> RecordId {
    RecordId::new("work", id)
}

const WORK_FIELDS: &str = "record::id(id) AS id, source, user, filename, status, expected, processed, created, \
     updated, unchanged, rejected, attempts, failure, <string> queued_at AS queued_at, \
     <string> finished_at AS finished_at";

/// The bytes of a file, decompressed when it is gzip or xz (by magic bytes).
pub fn decompress(raw: Vec<u8>) -> Result<Vec<u8>, String> {
    let decompress = |format: &str, mut reader: Box<dyn Read + '_>| {
        let mut out = Vec::with_capacity(raw.len() * 8);
        reader
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|e| format!("cannot decompress ({format}): {e}"))
    };
    if raw.starts_with(&[0x1f, 0x8b]) {
        decompress(
            "gzip",
            Box::new(flate2::read::MultiGzDecoder::new(&raw[..])),
        )
    } else if raw.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        decompress(
            "xz",
            Box::new(liblzma::read::XzDecoder::new_multi_decoder(&raw[..])),
        )
    } else {
        Ok(raw)
    }
}

impl Store {
    /// Queues an import of `bytes` (as uploaded, possibly compressed); returns the work id.
    pub async fn enqueue_import(
        &self,
        source: &str,
        filename: &str,
        user: Option<&str>,
        bytes: Vec<u8>,
    ) -> Result<String, StoreError> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        self.db()
            .query(
                "BEGIN TRANSACTION;
                 CREATE $file CONTENT { bytes: $bytes } RETURN NONE;
                 CREATE $work CONTENT {
                     source: $source, user: $user, filename: $filename, status: 'queued',
                     expected: 0, processed: 0, created: 0, updated: 0, unchanged: 0, rejected: 0,
                     attempts: 0, errors: [], queued_at: time::now()
                 } RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("file", RecordId::new("work_file", id.as_str())))
            .bind(("bytes", surrealdb::types::Bytes::from(bytes)))
            .bind(("work", work_record(&id)))
            .bind(("source", source.to_owned()))
            .bind(("user", user.map(str::to_owned)))
            .bind(("filename", filename.to_owned()))
            .await?
            .check()?;
        Ok(id)
    }

    /// Puts works left `running` (by a crash) back in the queue; returns how many.
    pub async fn requeue_interrupted(&self) -> Result<usize, StoreError> {
        let ids: Vec<RecordId> = self
            .db()
            .query("UPDATE work SET status = 'queued' WHERE status = 'running' RETURN VALUE id")
            .await?
            .check()?
            .take(0)?;
        Ok(ids.len())
    }

    /// Claims the oldest queued work (or `only` that one), marking it running.
    pub async fn claim_work(&self, only: Option<&str>) -> Result<Option<String>, StoreError> {
        let candidates: Vec<String> = match only {
            Some(id) => vec![id.to_owned()],
            None => self
                .db()
                .query("SELECT VALUE record::id(id) FROM work WHERE status = 'queued' ORDER BY queued_at LIMIT 5")
                .await?
                .check()?
                .take(0)?,
        };
        for id in candidates {
            let claimed: Vec<RecordId> = self
                .db()
                .query(
                    "UPDATE $work SET status = 'running', attempts += 1, started_at = time::now()
                     WHERE status = 'queued' RETURN VALUE id",
                )
                .bind(("work", work_record(&id)))
                .await?
                .check()?
                .take(0)?;
            if !claimed.is_empty() {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// Runs a claimed work to its end and records the outcome; returns the work
    /// and, when the file could be read, the import's summary with every error.
    pub async fn run_work(
        &self,
        id: &str,
        strict: bool,
        progress: impl FnMut(usize, usize),
    ) -> Result<(Work, Option<ImportSummary>), StoreError> {
        let file: Option<FileRow> = self
            .db()
            .query("SELECT bytes FROM ONLY $file")
            .bind(("file", RecordId::new("work_file", id)))
            .await?
            .check()?
            .take(0)?;
        let user = self.work(id).await?.and_then(|w| w.user);
        let options = ImportOptions {
            strict,
            work: Some(id.to_owned()),
            user,
        };
        let outcome = match file {
            None => Err("the work's file is missing".to_owned()),
            Some(file) => match decompress(file.bytes.into_inner().to_vec()) {
                Err(e) => Err(e),
                Ok(bytes) => self
                    .import_bundle(&bytes, &options, progress)
                    .await
                    .map_err(|e| e.to_string()),
            },
        };
        let summary = match outcome {
            Ok(summary) => {
                self.finish_work(id, &summary).await?;
                Some(summary)
            }
            Err(failure) => {
                self.db()
                    .query("UPDATE $work SET status = 'failed', failure = $failure, finished_at = time::now() RETURN NONE")
                    .bind(("work", work_record(id)))
                    .bind(("failure", failure))
                    .await?
                    .check()?;
                None
            }
        };
        let work = self
            .work(id)
            .await?
            .ok_or_else(|| StoreError::Unreadable(format!("work {id} vanished")))?;
        Ok((work, summary))
    }

    async fn finish_work(&self, id: &str, summary: &ImportSummary) -> Result<(), StoreError> {
        let errors: Vec<serde_json::Value> = summary
            .errors
            .iter()
            .take(MAX_ERRORS)
            .map(|e| serde_json::json!({ "id": e.id, "path": e.path, "message": e.message }))
            .collect();
        let failed = summary.objects == 0 || summary.rejected == summary.objects;
        self.db()
            .query(
                "UPDATE $work SET status = $status, expected = $objects, processed = $objects,
                     created = $created, updated = $updated, unchanged = $unchanged,
                     rejected = $rejected, errors = $errors, finished_at = time::now(),
                     failure = IF $failed { 'nothing in the file could be imported' } ELSE { NONE }
                 RETURN NONE",
            )
            .bind(("work", work_record(id)))
            .bind(("status", if failed { "failed" } else { "complete" }))
            .bind(("objects", summary.objects as i64))
            .bind(("created", summary.created as i64))
            .bind(("updated", summary.updated as i64))
            .bind(("unchanged", summary.unchanged as i64))
            .bind(("rejected", summary.rejected as i64))
            .bind(("errors", errors))
            .bind(("failed", failed))
            .await?
            .check()?;
        Ok(())
    }

    /// One work.
    pub async fn work(&self, id: &str) -> Result<Option<Work>, StoreError> {
        let work = self
            .db()
            .query(format!("SELECT {WORK_FIELDS} FROM ONLY $work"))
            .bind(("work", work_record(id)))
            .await?
            .check()?
            .take(0)?;
        Ok(work)
    }

    /// The latest works, newest first.
    pub async fn works(&self, limit: u64) -> Result<Vec<Work>, StoreError> {
        let works = self
            .db()
            .query(format!(
                "SELECT {WORK_FIELDS} FROM work ORDER BY queued_at DESC LIMIT $limit"
            ))
            .bind(("limit", limit as i64))
            .await?
            .check()?
            .take(0)?;
        Ok(works)
    }
}
