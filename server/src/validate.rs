//! `cairn validate FILE...`: prints each object's errors and warnings and a
//! summary per file. Exit status: 0 all valid, 1 some object invalid, 2 some file
//! unreadable (not JSON, not STIX, or not there).

use std::io::Write;
use std::path::PathBuf;

use cairn_stix::bundle::for_each_object;
use cairn_stix::validate::{Severity, validate_into};

use crate::input::read_stix_file;

/// The outcome of validating files, ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    Valid = 0,
    Invalid = 1,
    Unreadable = 2,
}

/// Validates `files`, writing the report to `out`.
pub fn run(files: &[PathBuf], errors_only: bool, out: &mut impl Write) -> std::io::Result<Outcome> {
    let mut worst = Outcome::Valid;
    for path in files {
        let bytes = match read_stix_file(path) {
            Ok(bytes) => bytes,
            Err(error) => {
                writeln!(out, "{}: unreadable: {error}", path.display())?;
                worst = worst.max(Outcome::Unreadable);
                continue;
            }
        };
        let mut issues = Vec::new();
        let parsed = for_each_object(&bytes, |object| validate_into(&object, &mut issues));
        for issue in &issues {
            if !errors_only || issue.severity == Severity::Error {
                writeln!(out, "{}: {issue}", path.display())?;
            }
        }
        let errors = issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        let warnings = issues.len() - errors;
        match parsed {
            Err(error) => {
                writeln!(out, "{}: unreadable: {error}", path.display())?;
                worst = worst.max(Outcome::Unreadable);
            }
            Ok(info) => {
                for (index, found) in &info.not_objects {
                    writeln!(
                        out,
                        "{}: error: objects[{index}] is {found}, not a STIX object",
                        path.display()
                    )?;
                }
                let invalid = errors > 0 || !info.not_objects.is_empty();
                writeln!(
                    out,
                    "{}: {} objects, {} errors, {} warnings: {}",
                    path.display(),
                    info.objects,
                    errors + info.not_objects.len(),
                    warnings,
                    if invalid { "INVALID" } else { "valid" }
                )?;
                if invalid {
                    worst = worst.max(Outcome::Invalid);
                }
            }
        }
    }
    Ok(worst)
}
