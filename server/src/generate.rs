//! `cairn generate --objects N`: writes the synthetic demo and benchmark dataset
//! (see `cairn_stix::generate`) as a STIX 2.1 bundle, streamed.

use std::io::Write;

use anyhow::Context;

use crate::cli::GenerateArgs;

pub fn run(args: &GenerateArgs) -> anyhow::Result<bool> {
    let writer: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        ),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::new(writer);
    let mut failure: Option<std::io::Error> = None;
    let mut count = 0usize;
    write!(
        out,
        "{{\"type\":\"bundle\",\"id\":\"bundle--{}\",\"objects\":[",
        uuid_from_seed(args.seed)
    )
    .context("cannot write the bundle")?;
    cairn_stix::generate::generate(args.objects, args.seed, |object| {
        if failure.is_some() {
            return;
        }
        let separator = if count == 0 { "\n" } else { ",\n" };
        count += 1;
        if let Err(e) = out
            .write_all(separator.as_bytes())
            .and_then(|()| serde_json::to_writer(&mut out, &object).map_err(std::io::Error::other))
        {
            failure = Some(e);
        }
    });
    if let Some(e) = failure {
        return Err(e).context("cannot write the bundle");
    }
    out.write_all(b"\n]}\n")
        .and_then(|()| out.flush())
        .context("cannot write the bundle")?;
    eprintln!("generated {count} objects");
    Ok(true)
}

/// A stable bundle id for a seed, so the same command writes the same file.
fn uuid_from_seed(seed: u64) -> String {
    let hex = format!(
        "{:016x}{:016x}",
        seed,
        seed.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15
    );
    format!(
        "{}-{}-4{}-8{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}
