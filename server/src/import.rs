//! `cairn import FILE...`: queues each file as a work in the configured store and
//! runs it here, through the same pipeline the server's workers use; a summary
//! per file (`--json`: one JSON object). A work cut short (the process killed) is
//! resumed by the next `cairn serve`. Exit status 1 when a file cannot be read or
//! nothing in it is valid.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use cairn_store::{ImportSummary, Store};
use serde_json::json;

use crate::cli::ImportArgs;
use crate::input::read_raw;

/// Errors listed per file before "and N more".
const ERRORS_SHOWN: usize = 20;

pub async fn run(args: ImportArgs) -> anyhow::Result<bool> {
    let store = Store::open(&args.db).await?;
    let mut total = ImportSummary::default();
    let mut files = Vec::new();
    let mut ok = true;
    for path in &args.files {
        let name = path.display().to_string();
        let summary = match read_raw(path) {
            Err(error) => Err(error.to_string()),
            Ok(raw) => run_file(&store, &name, raw, args.strict).await,
        };
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

/// Queues `raw` as a work and runs it; the summary, or why the file failed.
async fn run_file(
    store: &Store,
    name: &str,
    raw: Vec<u8>,
    strict: bool,
) -> Result<ImportSummary, String> {
    let filename = std::path::Path::new(name)
        .file_name()
        .map_or(name.to_owned(), |n| n.to_string_lossy().into_owned());
    let id = store
        .enqueue_import("cli", &filename, Some("cli"), raw)
        .await
        .map_err(|e| e.to_string())?;
    eprintln!("{name}: work {id}");
    store
        .claim_work(Some(&id))
        .await
        .map_err(|e| e.to_string())?;
    let terminal = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if terminal {
            eprint!("\r{name}: {done}/{total} objects\x1b[K");
        } else {
            eprintln!("{name}: progress {done}/{total}");
        }
    };
    let (work, summary) = store
        .run_work(&id, strict, progress)
        .await
        .map_err(|e| e.to_string())?;
    if terminal {
        eprint!("\r\x1b[K");
    }
    summary.ok_or_else(|| work.failure.unwrap_or_else(|| "the import failed".into()))
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
