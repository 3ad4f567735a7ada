//! The real `cairn` process: clear failures on bad setup, graceful shutdown on
//! SIGTERM, and an embedded store that keeps its data across restarts.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

fn cairn() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cairn"));
    command
        .env_remove("CAIRN_DB")
        .env_remove("CAIRN_BIND")
        .env("CAIRN_LOG", "warn");
    command
}

fn web_root(dir: &Path) -> std::path::PathBuf {
    let root = dir.join("dist");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(
        root.join("index.html"),
        "<!doctype html><title>Cairn</title>",
    )
    .expect("index");
    root
}

/// Starts `cairn serve` on a free port and returns it with its address.
fn start(store: &Path, web_root: &Path) -> (Child, String) {
    let mut child = cairn()
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(format!("surrealkv://{}", store.display()))
        .arg("--web-root")
        .arg(web_root)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn cairn");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the listening line");
    let address = line
        .trim()
        .strip_prefix("Cairn is listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    (child, address)
}

/// One HTTP/1.1 request; returns the status code and body.
fn request(address: &str, method: &str, path: &str, form: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nAccept: application/json\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{form}",
        form.len()
    )
    .expect("write request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn terminate(mut child: Child) -> std::process::ExitStatus {
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    child.wait().expect("wait")
}

#[test]
fn an_unwritable_store_path_fails_in_one_clear_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, b"x").expect("write");
    let output = cairn()
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(format!("surrealkv://{}", file.join("store").display()))
        .arg("--web-root")
        .arg(web_root(dir.path()))
        .output()
        .expect("run cairn");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<_> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].starts_with("cairn: cannot write the store at "),
        "{stderr}"
    );
}

#[test]
fn a_missing_client_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = cairn()
        .args(["serve", "--db", "mem://", "--web-root"])
        .arg(dir.path().join("nowhere"))
        .output()
        .expect("run cairn");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("the web client is missing"), "{stderr}");
}

#[test]
fn an_unknown_database_url_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = cairn()
        .args(["serve", "--db", "postgres://x", "--web-root"])
        .arg(web_root(dir.path()))
        .output()
        .expect("run cairn");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unsupported database URL"));
}

#[test]
fn help_documents_serve_and_its_flags() {
    let output = cairn().arg("--help").output().expect("run cairn");
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("serve"), "{help}");
    let output = cairn()
        .args(["serve", "--help"])
        .output()
        .expect("run cairn");
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in ["--bind", "--db", "--web-root", "CAIRN_DB", "CAIRN_BIND"] {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
    }
}

#[test]
fn sigterm_shuts_down_cleanly_and_the_store_keeps_its_data() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = web_root(dir.path());
    let store = dir.path().join("store");

    let (child, address) = start(&store, &root);
    assert_eq!(request(&address, "GET", "/healthz", "").0, 200);
    let (status, body) = request(&address, "POST", "/api/platform/title", "title=Kept");
    assert_eq!(status, 200, "{body}");
    let exit = terminate(child);
    assert!(exit.success(), "cairn exited with {exit}");

    let (child, address) = start(&store, &root);
    let (status, body) = request(&address, "POST", "/api/platform/get", "");
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"title\":\"Kept\""), "{body}");
    assert!(terminate(child).success());
}

/// POSTs to a server function and parses its JSON answer.
fn call(address: &str, endpoint: &str) -> serde_json::Value {
    let (status, body) = request(address, "POST", endpoint, "");
    assert_eq!(status, 200, "{endpoint}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{endpoint}: {e}: {body}"))
}

#[test]
fn an_import_killed_midway_completes_after_a_restart_with_nothing_lost_or_doubled() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = web_root(dir.path());
    let store = dir.path().join("store");
    let bundle = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/attack/ics-attack-18.1.json.xz");

    let mut import = cairn()
        .args(["import", "--db"])
        .arg(format!("surrealkv://{}", store.display()))
        .arg(&bundle)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cairn import");
    let stderr = BufReader::new(import.stderr.take().expect("stderr"));
    let mut killed_at = None;
    for line in stderr.lines() {
        let line = line.expect("read stderr");
        if let Some((done, total)) = line
            .rsplit_once("progress ")
            .and_then(|(_, p)| p.split_once('/'))
        {
            let (done, total): (usize, usize) =
                (done.parse().expect("done"), total.parse().expect("total"));
            if done < total {
                import.kill().expect("SIGKILL");
                killed_at = Some((done, total));
                break;
            }
        }
    }
    let _ = import.wait();
    let (done, total) = killed_at.expect("the import reported progress before finishing");
    assert!(done > 0 && done < total);

    // The server resumes the interrupted work.
    let (child, address) = start(&store, &root);
    let mut work = serde_json::Value::Null;
    for _ in 0..600 {
        work = call(&address, "/api/works/list")[0].clone();
        if work["status"] == "complete" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(work["status"], "complete", "{work}");
    let objects = work["expected"].as_i64().expect("expected");
    assert_eq!(
        work["created"].as_i64().unwrap_or(0) + work["unchanged"].as_i64().unwrap_or(0),
        objects,
        "{work}"
    );
    assert_eq!(work["rejected"], 0, "{work}");
    let counts = call(&address, "/api/knowledge/counts");
    let stored =
        counts["objects"].as_i64().unwrap_or(0) + counts["relationships"].as_i64().unwrap_or(0);
    assert_eq!(stored, objects, "{counts}");
    assert!(terminate(child).success());
}
