//! Benchmark: Enterprise ATT&CK into an empty embedded (SurrealKV) store.
//!
//! `cargo run --release -p cairn-store --example bench_import -- FILE[.xz]` (or
//! `make bench-import`). In one run, on fresh stores with the same schema, it
//! times (1) a raw batch `INSERT` of the same rows, built beforehand, 1,000 per
//! transaction — the baseline; (2) Cairn's import (validation, dependency order,
//! upsert decisions, history); (3) a re-import of the same bundle.

use std::io::Read;
use std::time::Instant;

use cairn_stix::Json;
use cairn_stix::bundle::for_each_object;
use cairn_store::rows::{EdgeRow, ObjectRow, edge_row, object_row};
use cairn_store::{ImportOptions, Store};

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(10 * 1024 * 1024)
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/attack/enterprise-attack.json.xz".into());
    let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut bytes = Vec::new();
    liblzma::read::XzDecoder::new(&raw[..])
        .read_to_end(&mut bytes)
        .expect("xz");
    let dir = tempfile::tempdir().expect("temp dir");

    // Rows for the baseline, built before timing.
    let mut objects: Vec<ObjectRow> = Vec::new();
    let mut edges: Vec<EdgeRow> = Vec::new();
    for_each_object(&bytes, |o| {
        let text = Json::Object(o.clone()).to_string();
        if o.get_str("type") == Some("relationship") {
            edges.extend(edge_row(&o, text));
        } else {
            objects.extend(object_row(&o, text));
        }
    })
    .expect("parses");
    let total = objects.len() + edges.len();
    println!("{path}: {total} objects ({} relationships)", edges.len());

    let store = Store::open(&format!("surrealkv://{}", dir.path().join("raw").display()))
        .await
        .expect("open");
    let start = Instant::now();
    store.raw_insert(objects, edges).await.expect("raw insert");
    let baseline = start.elapsed().as_secs_f64();
    println!(
        "raw batch INSERT (baseline): {baseline:.2} s ({:.0} objects/s)",
        total as f64 / baseline
    );
    store.close();

    let store = Store::open(&format!(
        "surrealkv://{}",
        dir.path().join("cairn").display()
    ))
    .await
    .expect("open");
    let start = Instant::now();
    let first = store
        .import_bundle(&bytes, &ImportOptions::default(), |_, _| {})
        .await
        .expect("import");
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
        .await
        .expect("re-import");
    let reimport = start.elapsed().as_secs_f64();
    println!(
        "cairn re-import:             {reimport:.2} s ({} created, {} updated, {} unchanged)",
        again.created, again.updated, again.unchanged
    );
}
