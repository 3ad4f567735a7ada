//! `cairn export`: writes the knowledge base, or part of it, as a STIX 2.1 bundle
//! or CSV, through the same export code the web client uses.

use std::io::Write;

use anyhow::Context;
use cairn_store::{ExportFilter, ExportFormat, Scope, Store};

use crate::cli::{ExportArgs, Format};

pub async fn run(args: ExportArgs) -> anyhow::Result<bool> {
    let store = Store::open(&args.db).await?;
    let filter = ExportFilter {
        types: args.types,
        ids: args.ids,
        depth: args.depth,
        list: None,
    };
    let format = match args.format {
        Format::Stix => ExportFormat::Stix,
        Format::Csv => ExportFormat::Csv,
    };
    // The command line acts for the operator of the store, who sees everything.
    let scope = Scope::bypass();
    let count = match &args.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let count = store.export(&scope, &filter, format, &mut out).await?;
            out.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            count
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let count = store.export(&scope, &filter, format, &mut out).await?;
            out.flush().context("cannot write the export")?;
            count
        }
    };
    eprintln!("exported {count} objects");
    crate::shutdown::close_store(store).await;
    Ok(true)
}
