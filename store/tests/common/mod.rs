//! Helpers shared by the store's integration tests: corpus files, bundles, and a
//! small marked knowledge base.
#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;

use cairn_store::{ImportOptions, Store};

/// A corpus file, decompressed when it is `.xz`.
pub fn corpus(path: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "xz") {
        let mut out = Vec::new();
        liblzma::read::XzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .expect("xz");
        out
    } else {
        bytes
    }
}

/// A bundle holding `objects` (JSON texts).
pub fn bundle(objects: &[String]) -> Vec<u8> {
    format!(
        r#"{{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[{}]}}"#,
        objects.join(",")
    )
    .into_bytes()
}

/// A fresh in-memory store holding `objects`, all created.
pub async fn store_with(objects: &[String]) -> Store {
    let store = Store::open("mem://").await.expect("open");
    let summary = store
        .import_bundle(&bundle(objects), &ImportOptions::default(), |_, _| {})
        .await
        .expect("import");
    assert_eq!(
        (summary.created, summary.rejected),
        (objects.len(), 0),
        "{:?}",
        summary.errors
    );
    store
}

pub const GREEN: &str = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
pub const AMBER: &str = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
pub const RED: &str = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

pub fn sdo(ty: &str, n: u32, name: &str, markings: &[&str]) -> String {
    let refs: Vec<String> = markings.iter().map(|m| format!("\"{m}\"")).collect();
    let extra = if ty == "malware" {
        r#","is_family":true"#
    } else {
        ""
    };
    format!(
        r#"{{"type":"{ty}","spec_version":"2.1","id":"{ty}--00000000-0000-4000-8000-00000000000{n}","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"{name}"{extra}{}}}"#,
        if refs.is_empty() {
            String::new()
        } else {
            format!(r#","object_marking_refs":[{}]"#, refs.join(","))
        }
    )
}

pub fn rel(n: u32, ty: &str, from: &str, to: &str) -> String {
    format!(
        r#"{{"type":"relationship","spec_version":"2.1","id":"relationship--00000000-0000-4000-8000-00000000010{n}","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","relationship_type":"{ty}","source_ref":"{from}","target_ref":"{to}"}}"#
    )
}

/// Four objects under different markings and three relationships between them:
/// Alpha (unmarked) uses Delta (GREEN+AMBER); Bravo (GREEN) and Charlie (RED) are
/// related to Alpha.
pub async fn store() -> Store {
    store_with(&[
        sdo("malware", 1, "Alpha", &[]),
        sdo("malware", 2, "Bravo", &[GREEN]),
        sdo("malware", 3, "Charlie", &[RED]),
        sdo("tool", 4, "Delta", &[GREEN, AMBER]),
        rel(
            1,
            "uses",
            "malware--00000000-0000-4000-8000-000000000001",
            "tool--00000000-0000-4000-8000-000000000004",
        ),
        rel(
            2,
            "related-to",
            "malware--00000000-0000-4000-8000-000000000002",
            "malware--00000000-0000-4000-8000-000000000001",
        ),
        rel(
            3,
            "related-to",
            "malware--00000000-0000-4000-8000-000000000003",
            "malware--00000000-0000-4000-8000-000000000001",
        ),
    ])
    .await
}
