//! `cairn import FILE...`: runs the ingestion pipeline against the configured
//! store, with a progress line on a terminal and a summary per file (`--json`:
//! one JSON object). Exit status 1 when a file cannot be read or nothing in it
//! is valid.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use cairn_store::{ImportOptions, ImportSummary, Store};
use serde_json::json;

use crate::cli::ImportArgs;
use crate::input::read_stix_file;

/// Errors listed per file before "and N more".
const ERRORS_SHOWN: usize = 20;

pub async fn run(args: ImportArgs) -> anyhow::Result<bool> {
    let store = Store::open(&args.db).await?;
    let options = ImportOptions {
        strict: args.strict,
        work: None,
        user: Some("cli".into()),
    };
    let terminal = std::io::stderr().is_terminal() && !args.json;
    let mut total = ImportSummary::default();
    let mut files = Vec::new();
    let mut ok = true;
    for path in &args.files {
        let name = path.display().to_string();
        let summary = match read_stix_file(path) {
            Err(error) => Err(error.to_string()),
            Ok(bytes) => store
                .import_bundle(&bytes, &options, |done, all| {
                    if terminal {
                        eprint!("\r{name}: {done}/{all} objects");
                    }
                })
                .await
                .map_err(|e| e.to_string()),
        };
        if terminal {
            eprint!("\r\x1b[2K");
        }
        match summary {
            Err(error) => {
                ok = false;
                if !args.json {
                    println!("{name}: cannot import: {error}");
                }
                files.push(json!({ "file": name, "error": error }));
            }
            Ok(summary) => {
                if summary.objects == 0 || summary.rejected == summary.objects {
                    ok = false;
                }
                if !args.json {
                    print_summary(&name, &summary);
                }
                files.push(json!({ "file": name, "summary": summary }));
                total.objects += summary.objects;
                total.created += summary.created;
                total.updated += summary.updated;
                total.unchanged += summary.unchanged;
                total.rejected += summary.rejected;
                total.errors.extend(summary.errors);
            }
        }
    }
    crate::shutdown::close_store(store).await;
    if args.json {
        let mut report = serde_json::to_value(&total).context("cannot encode the summary")?;
        report["files"] = json!(files);
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &report).context("cannot write the summary")?;
        writeln!(out).context("cannot write the summary")?;
    }
    Ok(ok)
}

fn print_summary(name: &str, summary: &ImportSummary) {
    println!(
        "{name}: {} objects: {} created, {} updated, {} unchanged, {} rejected",
        summary.objects, summary.created, summary.updated, summary.unchanged, summary.rejected
    );
    for error in summary.errors.iter().take(ERRORS_SHOWN) {
        let at = if error.path.is_empty() {
            String::new()
        } else {
            format!(" at {}", error.path)
        };
        println!(
            "  rejected {}{at}: {}",
            error.id.as_deref().unwrap_or("(no id)"),
            error.message
        );
    }
    if summary.errors.len() > ERRORS_SHOWN {
        println!("  … and {} more", summary.errors.len() - ERRORS_SHOWN);
    }
}
