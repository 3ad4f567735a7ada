//! Benchmark: parse + validate a STIX bundle, in memory, several rounds.
//!
//! `cargo run --release -p cairn-stix --example bench -- FILE[.xz]` (or `make bench-stix`).
//! Decompression is done once, before timing. Prints objects per second and the
//! ratio to the Python reference figures measured on this machine for Enterprise
//! ATT&CK (stix2 parse 4.7 s, stix2-validator 60 s of CPU).

use std::io::Read;
use std::time::{Duration, Instant};

use cairn_stix::bundle::for_each_object;
use cairn_stix::validate::validate_into;

const PYTHON_PARSE_S: f64 = 4.7;
const PYTHON_VALIDATE_S: f64 = 60.0;
const ROUNDS: usize = 7;

fn main() {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/attack/enterprise-attack.json.xz".to_owned());
    let raw = match std::fs::read(&path) {
        Ok(raw) => raw,
        Err(e) => {
            eprintln!("bench: cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let bytes = if path.ends_with(".xz") {
        let mut out = Vec::new();
        if let Err(e) = liblzma::read::XzDecoder::new(&raw[..]).read_to_end(&mut out) {
            eprintln!("bench: cannot decompress {path}: {e}");
            std::process::exit(2);
        }
        out
    } else {
        raw
    };
    println!("{path}: {:.1} MB of JSON", bytes.len() as f64 / 1e6);

    let mut parse_only = Vec::new();
    let mut full = Vec::new();
    let mut objects = 0;
    let mut errors = 0;
    let mut warnings = 0;
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let info = for_each_object(&bytes, |_| {}).expect("the bundle parses");
        parse_only.push(start.elapsed());
        objects = info.objects;

        let mut issues = Vec::new();
        let start = Instant::now();
        for_each_object(&bytes, |object| validate_into(&object, &mut issues)).expect("parses");
        full.push(start.elapsed());
        errors = issues
            .iter()
            .filter(|i| i.severity == cairn_stix::Severity::Error)
            .count();
        warnings = issues.len() - errors;
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64()
    };
    let (parse_s, full_s) = (median(&mut parse_only), median(&mut full));
    println!("objects: {objects}; validation: {errors} errors, {warnings} warnings");
    println!(
        "parse only:        {:>8.1} ms  {:>10.0} objects/s",
        parse_s * 1e3,
        objects as f64 / parse_s
    );
    println!(
        "parse + validate:  {:>8.1} ms  {:>10.0} objects/s",
        full_s * 1e3,
        objects as f64 / full_s
    );
    println!(
        "vs Python stix2 parse ({PYTHON_PARSE_S} s): {:.0}x faster; vs stix2-validator ({PYTHON_VALIDATE_S} s): {:.0}x faster (median of {ROUNDS} rounds)",
        PYTHON_PARSE_S / parse_s,
        PYTHON_VALIDATE_S / full_s
    );
}
