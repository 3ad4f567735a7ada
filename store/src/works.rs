//! Works: every import is a `work` record (source, who, file, status, counts,
//! errors, times) with its file kept in the store, so a work left `running` by a
//! crash is queued again and re-run on the next start. Re-running is safe: the
//! import upserts, so what was applied before is `unchanged` the second time —
//! nothing duplicated, nothing lost.

use cairn_model::imports::Work;
use std::io::Read;

use surrealdb::types::{RecordId, SurrealValue};

use crate::connect::Store;
use crate::error::StoreError;
use crate::ingest::ImportOptions;
use cairn_model::{ImportSummary, RejectedObject};

/// Most per-object errors kept on a work.
const MAX_ERRORS: usize = 1000;

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

/// The largest STIX file an import accepts, after decompression (512 MiB).
/// A larger file fails its work with one clear error instead of exhausting
/// memory; split it, or import its parts as a `.zip`.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// One bundle inside an uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpacked {
    /// The entry's name inside a `.zip`; `None` for a plain or gzip/xz file.
    pub name: Option<String>,
    pub bytes: Vec<u8>,
}

fn too_large(limit: u64) -> String {
    format!(
        "the file is larger than the {} MiB an import accepts; split it into several bundles",
        limit / (1024 * 1024)
    )
}

/// Reads at most `limit` bytes from `reader`; more is an error.
fn read_limited(reader: impl Read, format: &str, limit: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("cannot decompress ({format}): {e}"))?;
    if out.len() as u64 > limit {
        return Err(too_large(limit));
    }
    Ok(out)
}

/// The bundles in a file as uploaded: plain JSON, gzip, xz, or a `.zip` of
/// any of those (recognised by their magic bytes), each at most `limit` bytes.
pub fn unpack(raw: Vec<u8>, limit: u64) -> Result<Vec<Unpacked>, String> {
    let single = |bytes| Ok(vec![Unpacked { name: None, bytes }]);
    if raw.starts_with(&[0x1f, 0x8b]) {
        single(read_limited(
            flate2::read::MultiGzDecoder::new(&raw[..]),
            "gzip",
            limit,
        )?)
    } else if raw.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        single(read_limited(
            liblzma::read::XzDecoder::new_multi_decoder(&raw[..]),
            "xz",
            limit,
        )?)
    } else if raw.starts_with(b"PK\x03\x04") || raw.starts_with(b"PK\x05\x06") {
        unzip(&raw, limit)
    } else if raw.len() as u64 > limit {
        Err(too_large(limit))
    } else {
        single(raw)
    }
}

/// The files of a zip archive, in archive order, each unpacked in turn
/// (folders and macOS metadata skipped); an empty archive is an error.
fn unzip(raw: &[u8], limit: u64) -> Result<Vec<Unpacked>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(raw))
        .map_err(|e| format!("not a readable zip archive: {e}"))?;
    let mut out = Vec::new();
    let mut total = 0u64;
    for index in 0..archive.len() {
        let entry = archive
            .by_index(index)
            .map_err(|e| format!("zip entry {index}: {e}"))?;
        let name = entry.name().to_owned();
        if entry.is_dir() || name.starts_with("__MACOSX/") {
            continue;
        }
        let bytes = read_limited(entry, "zip", limit.saturating_sub(total))
            .map_err(|e| format!("{name}: {e}"))?;
        total += bytes.len() as u64;
        for inner in unpack(bytes, limit.saturating_sub(total))? {
            out.push(Unpacked {
                name: Some(match inner.name {
                    Some(inner_name) => format!("{name}/{inner_name}"),
                    None => name.clone(),
                }),
                bytes: inner.bytes,
            });
        }
    }
    if out.is_empty() {
        return Err("the zip archive holds no files".into());
    }
    Ok(out)
}

/// The bytes of a file holding one bundle, decompressed when it is gzip or xz.
pub fn decompress(raw: Vec<u8>) -> Result<Vec<u8>, String> {
    let mut files = unpack(raw, MAX_FILE_BYTES)?;
    if files.len() != 1 {
        return Err(format!(
            "the archive holds {} files; import it as a whole",
            files.len()
        ));
    }
    Ok(files.remove(0).bytes)
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
        let mut progress = progress;
        let tracked = |done: usize, expected: usize| {
            self.set_progress(id, done as u64, expected as u64);
            progress(done, expected);
        };
        let outcome = match file {
            None => Err("the work's file is missing".to_owned()),
            Some(file) => match unpack(file.bytes.into_inner().to_vec(), MAX_FILE_BYTES) {
                Err(e) => Err(e),
                Ok(files) => self.import_files(files, &options, tracked).await,
            },
        };
        self.clear_progress(id);
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

    /// Imports the bundles of one uploaded file in turn; the summary adds them
    /// up, and errors inside a zip name the entry they come from.
    async fn import_files(
        &self,
        files: Vec<Unpacked>,
        options: &ImportOptions,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<ImportSummary, String> {
        let mut total = ImportSummary::default();
        for file in files {
            let summary = self
                .import_bundle(&file.bytes, options, &mut progress)
                .await
                .map_err(|e| match &file.name {
                    Some(name) => format!("{name}: {e}"),
                    None => e.to_string(),
                })?;
            total.objects += summary.objects;
            total.created += summary.created;
            total.updated += summary.updated;
            total.unchanged += summary.unchanged;
            total.rejected += summary.rejected;
            total.errors.extend(summary.errors.into_iter().map(|mut e| {
                if let Some(name) = &file.name {
                    e.path = format!("{name}: {}", e.path);
                }
                e
            }));
        }
        Ok(total)
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

    /// The per-object errors a work recorded (at most 1,000), in bundle order.
    pub async fn work_errors(&self, id: &str) -> Result<Vec<RejectedObject>, StoreError> {
        let errors: Option<Vec<RejectedObject>> = self
            .db()
            .query("SELECT VALUE errors FROM ONLY $work")
            .bind(("work", work_record(id)))
            .await?
            .check()?
            .take(0)?;
        Ok(errors.unwrap_or_default())
    }

    /// One work.
    pub async fn work(&self, id: &str) -> Result<Option<Work>, StoreError> {
        let work = self
            .db()
            .query(format!("SELECT {WORK_FIELDS} FROM ONLY $work"))
            .bind(("work", work_record(id)))
            .await?
            .check()?
            .take::<Option<Work>>(0)?;
        Ok(work.map(|w| self.with_progress(w)))
    }

    /// The latest works, newest first.
    pub async fn works(&self, limit: u64) -> Result<Vec<Work>, StoreError> {
        let works: Vec<Work> = self
            .db()
            .query(format!(
                "SELECT {WORK_FIELDS} FROM work ORDER BY queued_at DESC LIMIT $limit"
            ))
            .bind(("limit", limit as i64))
            .await?
            .check()?
            .take(0)?;
        Ok(works.into_iter().map(|w| self.with_progress(w)).collect())
    }

    /// A running work with the progress this process has seen.
    fn with_progress(&self, mut work: Work) -> Work {
        if work.status == "running"
            && let Some((done, expected)) = self.progress_of(&work.id)
        {
            work.processed = done as i64;
            work.expected = expected as i64;
        }
        work
    }
}

#[cfg(test)]
mod tests {
    use super::{Unpacked, unpack};
    use std::io::Write;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(bytes).expect("gzip");
        encoder.finish().expect("gzip")
    }

    #[test]
    fn plain_gzip_and_zipped_files_unpack_to_their_bundles() {
        assert_eq!(
            unpack(b"{}".to_vec(), 10).expect("plain"),
            [Unpacked {
                name: None,
                bytes: b"{}".to_vec()
            }]
        );
        assert_eq!(unpack(gzip(b"{}"), 10).expect("gzip")[0].bytes, b"{}");
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        zip.add_directory("dir/", options).expect("dir");
        zip.start_file("dir/a.json", options).expect("a");
        zip.write_all(b"[1]").expect("a");
        zip.start_file("b.json.gz", options).expect("b");
        zip.write_all(&gzip(b"[2]")).expect("b");
        let archive = zip.finish().expect("zip").into_inner();
        let files = unpack(archive, 100).expect("zip");
        assert_eq!(
            files,
            [
                Unpacked {
                    name: Some("dir/a.json".into()),
                    bytes: b"[1]".to_vec()
                },
                Unpacked {
                    name: Some("b.json.gz".into()),
                    bytes: b"[2]".to_vec()
                },
            ]
        );
    }

    #[test]
    fn what_unpacks_beyond_the_limit_is_refused_without_reading_it_all() {
        // 64 MiB of zeros gzip to a few tens of KiB: a decompression bomb in small.
        let bomb = gzip(&vec![0u8; 64 << 20]);
        assert!(bomb.len() < 1 << 20);
        let error = unpack(bomb, 1 << 20).expect_err("too large");
        assert!(error.contains("larger than the 1 MiB"), "{error}");
        let error = unpack(vec![b' '; 2 << 20], 1 << 20).expect_err("too large");
        assert!(error.contains("larger than"), "{error}");
        let error = unpack(b"PK\x05\x06".to_vec(), 100).expect_err("broken zip");
        assert!(error.contains("zip"), "{error}");
    }
}
