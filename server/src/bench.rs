//! `cairn bench-import FILE` (hidden; `make bench-import`): a bundle into empty
//! embedded (SurrealKV) stores. In one run, on fresh stores with the same schema,
//! it times (1) a raw batch `INSERT` of the same rows, built beforehand, 1,000 per
//! transaction — the baseline; (2) Cairn's import (validation, dependency order,
//! merge and upsert decisions, history); (3) a re-import of the same bundle.
//! It lives in the binary so that it measures the release build `make run` uses.

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use cairn_stix::Json;
use cairn_stix::bundle::for_each_object;
use cairn_store::rows::{EdgeRow, ObjectRow, edge_row, object_row};
use cairn_store::{ImportOptions, Store};

use crate::input::read_stix_file;

pub async fn run(path: &Path) -> anyhow::Result<bool> {
    let bytes = read_stix_file(path)?;
    let dir = std::env::temp_dir().join(format!("cairn-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);

    // Rows for the baseline, built before timing.
    let mut objects: Vec<ObjectRow> = Vec::new();
    let mut edges: Vec<EdgeRow> = Vec::new();
    for_each_object(&bytes, |o| {
        let text = Json::Object(o.clone()).to_string();
        if o.get_str("type") == Some("relationship") {
            edges.extend(edge_row(&o, text, str::to_owned));
        } else {
            objects.extend(object_row(&o, text));
        }
    })
    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let total = objects.len() + edges.len();
    println!(
        "{}: {total} objects ({} relationships)",
        path.display(),
        edges.len()
    );

    let store = Store::open(&format!("surrealkv://{}", dir.join("raw").display())).await?;
    let start = Instant::now();
    store.raw_insert(objects, edges).await?;
    let baseline = start.elapsed().as_secs_f64();
    println!(
        "raw batch INSERT (baseline): {baseline:.2} s ({:.0} objects/s)",
        total as f64 / baseline
    );
    crate::shutdown::close_store(store).await;

    let store = Store::open(&format!("surrealkv://{}", dir.join("cairn").display())).await?;
    let start = Instant::now();
    let first = store
        .import_bundle(&bytes, &ImportOptions::default(), |_, _| {})
        .await?;
    let import = start.elapsed().as_secs_f64();
    println!(
        "cairn import:                {import:.2} s ({:.0} objects/s; {} created, {} rejected) = {:.2}x the baseline",
        total as f64 / import,
        first.created,
        first.rejected,
        import / baseline
    );
    let start = Instant::now();
    let again = store
        .import_bundle(&bytes, &ImportOptions::default(), |_, _| {})
        .await?;
    let reimport = start.elapsed().as_secs_f64();
    println!(
        "cairn re-import:             {reimport:.2} s ({} created, {} updated, {} unchanged)",
        again.created, again.updated, again.unchanged
    );
    crate::shutdown::close_store(store).await;
    std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
    Ok(true)
}
