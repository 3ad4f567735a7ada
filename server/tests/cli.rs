//! `cairn validate` and `cairn import` as a user runs them: real files from the corpus, real exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

fn corpus(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(path)
}

fn validate(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .arg("validate")
        .args(args)
        .output()
        .expect("run cairn validate");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn a_valid_bundle_exits_zero_with_a_summary() {
    let file = corpus("stix/poisonivy.json");
    let (code, out) = validate(&[file.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.trim_end().ends_with(": valid"), "{out}");
    assert!(!out.contains("error:"), "{out}");
}

#[test]
fn invalid_objects_are_listed_by_id_and_path_and_exit_one() {
    let file = corpus("sco/sco-examples.json");
    let (code, out) = validate(&[file.as_os_str()]);
    assert_eq!(code, 1, "{out}");
    let errors: Vec<_> = out.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 3, "{out}");
    assert!(
        errors
            .iter()
            .all(|l| l.contains("artifact--") && l.contains("at payload_bin: is not valid base64"))
    );
    assert!(
        out.contains("82 objects, 3 errors, 0 warnings: INVALID"),
        "{out}"
    );
}

#[test]
fn compressed_files_are_read() {
    let xz = corpus("attack/ics-attack-18.1.json.xz");
    let dir = tempfile::tempdir().expect("temp dir");
    let gz = dir.path().join("bundle.json.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).expect("create"),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(&std::fs::read(corpus("stix/apt1.json")).expect("read"))
        .expect("gzip");
    encoder.finish().expect("finish");
    let (code, out) = validate(&["-q".as_ref(), xz.as_os_str(), gz.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.lines().filter(|l| l.ends_with(": valid")).count(),
        2,
        "{out}"
    );
}

#[test]
fn unreadable_files_exit_two_and_say_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"type\": \"bundle\", \"objects\": [").expect("write");
    let not_stix = dir.path().join("list.json");
    std::fs::write(&not_stix, "[1, 2, 3]").expect("write");
    let valid = corpus("stix/apt1.json");
    let missing = dir.path().join("missing.json");
    let (code, out) = validate(&[
        valid.as_os_str(),
        broken.as_os_str(),
        not_stix.as_os_str(),
        missing.as_os_str(),
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("broken.json: unreadable: invalid JSON at line 1"),
        "{out}"
    );
    assert!(
        out.contains("list.json: unreadable: not a STIX bundle"),
        "{out}"
    );
    assert!(
        out.contains("missing.json: unreadable: cannot read"),
        "{out}"
    );
}

fn import(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .arg("import")
        .args(args)
        .env("CAIRN_LOG", "error")
        .output()
        .expect("run cairn import");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn import_reports_counts_as_json_and_a_reimport_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("surrealkv://{}", dir.path().join("store").display());
    let bundle = corpus("stix/poisonivy.json");
    let args = [
        "--json".as_ref(),
        "--db".as_ref(),
        db.as_ref(),
        bundle.as_os_str(),
    ];
    let (code, out) = import(&args);
    assert_eq!(code, 0, "{out}");
    let first: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    let objects = first["objects"].as_u64().expect("objects");
    assert!(objects > 10);
    assert_eq!(first["created"].as_u64(), Some(objects));
    assert_eq!(first["rejected"].as_u64(), Some(0));
    assert!(first["errors"].as_array().is_some_and(Vec::is_empty));

    let (code, out) = import(&args);
    assert_eq!(code, 0, "{out}");
    let again: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(
        (again["created"].as_u64(), again["updated"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(again["unchanged"].as_u64(), Some(objects));
}

#[test]
fn import_fails_on_unreadable_or_wholly_invalid_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("surrealkv://{}", dir.path().join("store").display());
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"type\": \"bundle\", \"objects\": [").expect("write");
    let (code, out) = import(&["--db".as_ref(), db.as_ref(), broken.as_os_str()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("broken.json: cannot import: invalid JSON"),
        "{out}"
    );

    let invalid = dir.path().join("invalid.json");
    std::fs::write(&invalid, r#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[{"type":"malware","id":"malware--nope"}]}"#).expect("write");
    let (code, out) = import(&["--db".as_ref(), db.as_ref(), invalid.as_os_str()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("1 objects: 0 created, 0 updated, 0 unchanged, 1 rejected"),
        "{out}"
    );
    assert!(
        out.contains("rejected (no id) at id: `malware--nope` has a UUID part"),
        "{out}"
    );
}

#[test]
fn a_zip_imports_every_bundle_in_it_and_a_huge_file_is_refused_plainly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("surrealkv://{}", dir.path().join("store").display());
    let archive = dir.path().join("bundles.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&archive).expect("create"));
    let mut expected = 0;
    for name in ["poisonivy.json", "apt1.json"] {
        let bytes = std::fs::read(corpus(&format!("stix/{name}"))).expect("corpus");
        expected += serde_json::from_slice::<serde_json::Value>(&bytes).expect("json")["objects"]
            .as_array()
            .map_or(0, Vec::len);
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("entry");
        zip.write_all(&bytes).expect("write");
    }
    zip.finish().expect("finish");
    let (code, out) = import(&[
        "--json".as_ref(),
        "--db".as_ref(),
        db.as_ref(),
        archive.as_os_str(),
    ]);
    assert_eq!(code, 0, "{out}");
    let summary: serde_json::Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(summary["objects"].as_u64(), Some(expected as u64), "{out}");
    assert_eq!(summary["rejected"].as_u64(), Some(0), "{out}");

    // A 1 GB file (sparse: no disk is spent) fails with one clear line.
    let huge = dir.path().join("huge.json");
    std::fs::File::create(&huge)
        .expect("create")
        .set_len(1 << 30)
        .expect("size");
    let (code, out) = import(&["--db".as_ref(), db.as_ref(), huge.as_os_str()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("huge.json") && out.contains("larger than the 512 MiB an import accepts"),
        "{out}"
    );
}

#[test]
fn export_writes_what_import_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("surrealkv://{}", dir.path().join("store").display());
    let bundle = corpus("stix/threat-actor-leveraging-attack-patterns-and-malware.json");
    let (code, out) = import(&["--db".as_ref(), db.as_ref(), bundle.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    let file = dir.path().join("out.json");
    let status = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["export", "--db", &db, "-o"])
        .arg(&file)
        .env("CAIRN_LOG", "error")
        .status()
        .expect("run cairn export");
    assert!(status.success());
    let original: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&bundle).expect("read")).expect("json");
    let exported: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("read")).expect("json");
    let ids = |v: &serde_json::Value| {
        let mut ids: Vec<String> = v["objects"]
            .as_array()
            .expect("objects")
            .iter()
            .map(|o| o["id"].as_str().unwrap_or_default().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(&exported), ids(&original));

    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args([
            "export", "--db", &db, "--format", "csv", "--type", "malware",
        ])
        .env("CAIRN_LOG", "error")
        .output()
        .expect("run cairn export");
    let csv = String::from_utf8_lossy(&output.stdout);
    assert!(csv.starts_with("id,type,name,"), "{csv}");
    assert_eq!(
        csv.lines()
            .skip(1)
            .filter(|l| l.contains(",malware,"))
            .count(),
        csv.lines().count() - 1,
        "{csv}"
    );
}

#[test]
fn generated_data_imports_whole_and_is_reproducible() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("demo.json");
    let generate = |path: &std::path::Path| {
        let status = Command::new(env!("CARGO_BIN_EXE_cairn"))
            .args(["generate", "--objects", "2000", "--seed", "9", "-o"])
            .arg(path)
            .status()
            .expect("run cairn generate");
        assert!(status.success());
    };
    generate(&file);
    let again = dir.path().join("again.json");
    generate(&again);
    assert_eq!(
        std::fs::read(&file).expect("read"),
        std::fs::read(&again).expect("read")
    );

    let (code, out) = validate(&["-q".as_ref(), file.as_os_str()]);
    assert_eq!(code, 0, "{out}");
    let db = format!("surrealkv://{}", dir.path().join("store").display());
    let (code, out) = import(&[
        "--json".as_ref(),
        "--db".as_ref(),
        db.as_ref(),
        file.as_os_str(),
    ]);
    assert_eq!(code, 0, "{out}");
    let summary: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(
        summary["objects"].as_u64().is_some_and(|n| n >= 2000),
        "{summary}"
    );
    assert_eq!(summary["created"], summary["objects"], "{summary}");
    assert_eq!(summary["rejected"], 0, "{summary}");
}

fn cairn_in(db: &str, args: &[&str], password: Option<&str>) -> (i32, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cairn"));
    command
        .args(args)
        .env("CAIRN_DB", db)
        .env("CAIRN_LOG", "error");
    match password {
        Some(p) => command.env("CAIRN_PASSWORD", p),
        None => command.env_remove("CAIRN_PASSWORD"),
    };
    let output = command.output().expect("run cairn");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn users_and_tokens_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = format!("surrealkv://{}", dir.path().join("store").display());
    let (code, out, err) = cairn_in(
        &db,
        &[
            "user",
            "add",
            "ann",
            "--name",
            "Ann Analyst",
            "--group",
            "analysts",
        ],
        Some("ann's long password"),
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = cairn_in(
        &db,
        &["user", "add", "bob", "--group", "nope"],
        Some("bob's long password"),
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("there is no group nope"), "{err}");
    let (code, out, err) = cairn_in(&db, &["user", "add", "cid"], Some("short"));
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("at least 12 characters"), "{err}");

    let (code, out, _) = cairn_in(&db, &["user", "list"], None);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), "ann\tAnn Analyst\tanalysts\tactive");

    let (code, token, err) = cairn_in(&db, &["token", "create", "ann", "--name", "ci"], None);
    assert_eq!(code, 0, "{err}");
    assert!(
        token.trim().starts_with("cairn_") && token.trim().len() > 40,
        "{token}"
    );
    assert!(err.contains("shown once"), "{err}");

    let (code, out, err) = cairn_in(&db, &["user", "disable", "ann"], None);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("disabled ann"));
    let (_, out, _) = cairn_in(&db, &["user", "list"], None);
    assert!(out.contains("disabled"), "{out}");
    let (code, _, err) = cairn_in(
        &db,
        &["user", "reset-password", "nobody"],
        Some("a long new password"),
    );
    assert_eq!(code, 1);
    assert!(err.contains("there is no user nobody"), "{err}");
    let (code, out, err) = cairn_in(
        &db,
        &["user", "reset-password", "ann"],
        Some("a long new password"),
    );
    assert_eq!(code, 0, "{out}{err}");
}
