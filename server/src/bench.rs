//! Hidden benchmark commands (`make bench-import`, `make bench-scale`). They
//! live in the binary so that they measure the release build `make run` uses.
//!
//! - `cairn bench-import FILE`: on fresh SurrealKV stores with the same schema,
//!   times (1) a raw batch `INSERT` of the same rows, built beforehand, 1,000 per
//!   transaction — the baseline; (2) Cairn's import (validation, dependency
//!   order, merge and upsert decisions, history); (3) a re-import.
//! - `cairn bench-scale --objects N`: the same on a generated dataset of N
//!   objects, then the reads on the imported store: entity page (object,
//!   links, neighbours, containers, read as its server function does), 2-hop
//!   neighbourhood capped at 500 nodes, full-text search, and expanding one
//!   of the 20 most linked objects to 500 neighbours (a graph double-click);
//!   p50/p95 over a few hundred samples; and the process's peak memory.

use std::path::Path;
use std::time::Instant;

use cairn_stix::Json;
use cairn_stix::bundle::for_each_object;
use cairn_store::rows::{EdgeRow, LinkedRows, ObjectRow, edge_row, object_row};
use cairn_store::{ImportOptions, Scope, Store};

use crate::input::read_stix_file;

/// Samples per read measurement.
const SAMPLES: usize = 300;

fn scratch() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("cairn-bench-{}", std::process::id()))
}

/// Baseline, import and re-import of `bytes`; returns the imported store.
async fn import_versus_baseline(bytes: &[u8], label: &str, dir: &Path) -> anyhow::Result<Store> {
    let mut objects: Vec<ObjectRow> = Vec::new();
    let mut edges: Vec<EdgeRow> = Vec::new();
    let mut all = Vec::new();
    for_each_object(bytes, |o| {
        let text = Json::Object(o.clone()).to_string();
        if o.get_str("type") == Some("relationship") {
            edges.extend(edge_row(&o, text, str::to_owned));
        } else {
            objects.extend(object_row(&o, text));
        }
        all.push(o);
    })
    .map_err(|e| anyhow::anyhow!("{label}: {e}"))?;
    let total = objects.len() + edges.len();
    println!("{label}: {total} objects ({} relationships)", edges.len());

    let store = Store::open(&format!("surrealkv://{}", dir.join("raw").display())).await?;
    let linked = LinkedRows::of(&all);
    let start = Instant::now();
    store.raw_insert(linked, objects, edges).await?;
    let baseline = start.elapsed().as_secs_f64();
    println!(
        "raw batch INSERT (baseline): {baseline:.2} s ({:.0} objects/s)",
        total as f64 / baseline
    );
    crate::shutdown::close_store(store).await;

    let store = Store::open(&format!("surrealkv://{}", dir.join("cairn").display())).await?;
    let start = Instant::now();
    let first = store
        .import_bundle(bytes, &ImportOptions::default(), |_, _| {})
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
        .import_bundle(bytes, &ImportOptions::default(), |_, _| {})
        .await?;
    println!(
        "cairn re-import:             {:.2} s ({} created, {} updated, {} unchanged)",
        start.elapsed().as_secs_f64(),
        again.created,
        again.updated,
        again.unchanged
    );
    Ok(store)
}

/// `cairn bench-import FILE`.
pub async fn import(path: &Path) -> anyhow::Result<bool> {
    let bytes = read_stix_file(path)?;
    let dir = scratch();
    let _ = std::fs::remove_dir_all(&dir);
    let store = import_versus_baseline(&bytes, &path.display().to_string(), &dir).await?;
    crate::shutdown::close_store(store).await;
    let _ = std::fs::remove_dir_all(&dir);
    Ok(true)
}

/// `cairn bench-scale --objects N [--keep DIR]`. With `--keep`, the imported
/// store stays in `DIR` and a later run with the same `DIR` measures only the
/// reads on it (a 1M import takes half an hour; the reads a minute).
pub async fn scale(objects: usize, keep: Option<&Path>) -> anyhow::Result<bool> {
    let mut bytes = Vec::with_capacity(objects * 600);
    bytes.extend_from_slice(b"{\"type\":\"bundle\",\"id\":\"bundle--6a1b3c1e-4d2f-4a8b-9c3d-2e1f0a9b8c7d\",\"objects\":[");
    let mut ids: Vec<(String, String)> = Vec::new();
    // Links per object, to find the hubs that graph expansion is timed on.
    let mut degree: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    let mut first = true;
    let start = Instant::now();
    cairn_stix::generate::generate(objects, 1, |o| {
        if !first {
            bytes.push(b',');
        }
        first = false;
        if o["type"] == "relationship" {
            for end in ["source_ref", "target_ref"] {
                if let Some(id) = o[end].as_str() {
                    *degree.entry(id.to_owned()).or_default() += 1;
                }
            }
        }
        if let (Some(id), Some(ty)) = (o["id"].as_str(), o["type"].as_str())
            && !matches!(ty, "relationship" | "marking-definition")
        {
            ids.push((
                id.to_owned(),
                o["name"].as_str().unwrap_or_default().to_owned(),
            ));
        }
        if serde_json::to_writer(&mut bytes, &o).is_err() {
            bytes.extend_from_slice(b"null");
        }
    });
    bytes.extend_from_slice(b"]}");
    println!(
        "generated {objects} objects ({:.0} MB) in {:.1} s",
        bytes.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );

    let dir = keep.map_or_else(scratch, Path::to_path_buf);
    let kept = dir.join("cairn");
    let store = if keep.is_some() && kept.exists() {
        println!("reusing the store in {} (no import)", kept.display());
        Store::open(&format!("surrealkv://{}", kept.display())).await?
    } else {
        let _ = std::fs::remove_dir_all(&dir);
        let store = import_versus_baseline(&bytes, "generated", &dir).await?;
        let _ = std::fs::remove_dir_all(dir.join("raw"));
        store
    };
    drop(bytes);

    let scope = Scope::bypass();
    let mut pick = 0x9e37_79b9_u64;
    let mut sample = || {
        pick ^= pick << 13;
        pick ^= pick >> 7;
        pick ^= pick << 17;
        &ids[(pick % ids.len() as u64) as usize]
    };
    let mut entity = Vec::new();
    let mut hop2 = Vec::new();
    let mut search = Vec::new();
    // CAIRN_BENCH_VERBOSE=1 prints every sample, with the entity page's
    // parts timed one by one afterwards (warm), to see which one is slow.
    let verbose = std::env::var_os("CAIRN_BENCH_VERBOSE").is_some();
    for round in 0..SAMPLES {
        if round > 0 && round % 25 == 0 {
            // A slow read shows itself long before the last sample.
            let mean = |t: &[f64]| t.iter().sum::<f64>() / t.len() as f64;
            eprintln!(
                "{round}/{SAMPLES} samples: mean entity page {:.1} ms, 2-hop {:.1} ms, search {:.1} ms",
                mean(&entity),
                mean(&hop2),
                mean(&search)
            );
        }
        let (id, name) = sample().clone();
        let t = Instant::now();
        // What the entity page's server function reads, concurrently.
        store.entity(&scope, &id, 500).await?;
        entity.push(t.elapsed().as_secs_f64() * 1e3);
        if verbose {
            let mut lap = Instant::now();
            let mut part = || {
                let ms = lap.elapsed().as_secs_f64() * 1e3;
                lap = Instant::now();
                ms
            };
            store.get_object(&scope, &id).await?;
            let object = part();
            store.links(&scope, &id).await?;
            let links = part();
            store.neighbours(&scope, &id).await?;
            let neighbours = part();
            store.containers_of(&scope, &id, 500).await?;
            let containers = part();
            eprintln!(
                "{id}: entity page {:.1} ms; warm, one by one: object {object:.1}, links {links:.1}, neighbours {neighbours:.1}, containers {containers:.1}",
                entity[round]
            );
        }
        let t = Instant::now();
        store.neighbourhood(&scope, &id, 2, 500).await?;
        hop2.push(t.elapsed().as_secs_f64() * 1e3);
        if verbose {
            eprintln!("  2-hop {:.1} ms", hop2[round]);
        }
        let word = name
            .split_whitespace()
            .next()
            .unwrap_or("report")
            .to_owned();
        let t = Instant::now();
        store.search(&scope, &word, 20).await?;
        search.push(t.elapsed().as_secs_f64() * 1e3);
        if verbose {
            eprintln!("  search {word:?} {:.1} ms", search[round]);
        }
    }
    // Expanding a hub in a graph: the most linked objects, to 500 neighbours,
    // as the graph server function reads it (one call).
    let mut hubs: Vec<(String, u32)> = degree.into_iter().filter(|(_, d)| *d >= 500).collect();
    hubs.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    hubs.truncate(20);
    let mut expand = Vec::new();
    if let (Some(most), Some(least)) = (hubs.first(), hubs.last()) {
        println!(
            "hubs: the {} most linked objects, {} to {} relationships each",
            hubs.len(),
            least.1,
            most.1
        );
        let filter = cairn_store::GraphFilter::default();
        for round in 0..SAMPLES {
            let (hub, _) = &hubs[round % hubs.len()];
            let t = Instant::now();
            let graph = store
                .graph(&scope, std::slice::from_ref(hub), &filter, 1, 500)
                .await?;
            expand.push(t.elapsed().as_secs_f64() * 1e3);
            if round < hubs.len() && verbose {
                eprintln!(
                    "{hub}: {} nodes, {} hidden, {:.1} ms",
                    graph.nodes.len(),
                    graph.hidden,
                    expand[round]
                );
            }
        }
    }
    for (label, mut times) in [
        (
            "entity page (object, links, neighbours, containers)",
            entity,
        ),
        ("2-hop neighbourhood, cap 500", hop2),
        ("full-text search, top 20", search),
        ("expand a hub to 500 neighbours", expand),
    ] {
        if times.is_empty() {
            continue;
        }
        times.sort_by(f64::total_cmp);
        let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
        println!(
            "{label:52} p50 {:7.2} ms  p95 {:7.2} ms  ({SAMPLES} samples)",
            at(0.5),
            at(0.95)
        );
    }
    print_memory();
    crate::shutdown::close_store(store).await;
    if keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(true)
}

/// Prints the process's peak and current resident memory.
pub fn print_memory() {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    for line in status
        .lines()
        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
    {
        println!("{line}");
    }
}
