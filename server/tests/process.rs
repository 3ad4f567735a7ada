//! The real `cairn` process: clear failures on bad setup, the first
//! administrator, graceful shutdown on SIGTERM, an embedded store that keeps
//! its data across restarts, and no secret in its logs.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

const ADMIN_PASSWORD: &str = "process test password";

fn cairn() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_cairn"));
    command
        .env_remove("CAIRN_DB")
        .env_remove("CAIRN_BIND")
        .env_remove("CAIRN_ADMIN_PASSWORD")
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

/// A running `cairn serve`: its address, and everything it printed so far.
struct Server {
    child: Child,
    address: String,
    output: Arc<Mutex<String>>,
}

/// Starts `cairn serve` on a free port (with an administrator from
/// CAIRN_ADMIN_PASSWORD) and keeps reading what it prints.
fn start(store: &Path, web_root: &Path) -> (Child, String) {
    let server = start_with(
        store,
        web_root,
        &[("CAIRN_ADMIN_PASSWORD", ADMIN_PASSWORD)],
        "warn",
    );
    (server.child, server.address)
}

fn start_with(store: &Path, web_root: &Path, env: &[(&str, &str)], log: &str) -> Server {
    let mut command = cairn();
    command
        .args(["serve", "--bind", "127.0.0.1:0", "--db"])
        .arg(format!("surrealkv://{}", store.display()))
        .arg("--web-root")
        .arg(web_root)
        .env("CAIRN_LOG", log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("spawn cairn");
    let output = Arc::new(Mutex::new(String::new()));
    for stream in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let output = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                let mut all = output.lock().unwrap_or_else(|e| e.into_inner());
                all.push_str(&line);
                all.push('\n');
            }
        });
    }
    let mut address = None;
    for _ in 0..600 {
        let text = output.lock().unwrap_or_else(|e| e.into_inner()).clone();
        if let Some(rest) = text.split("Cairn is listening on http://").nth(1) {
            address = rest.lines().next().map(str::to_owned);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let address = address.unwrap_or_else(|| {
        panic!(
            "cairn did not start: {}",
            output.lock().unwrap_or_else(|e| e.into_inner())
        )
    });
    Server {
        child,
        address,
        output,
    }
}

/// One HTTP/1.1 request with a JSON body; returns the status code, the
/// session cookie it set (if any) and the body.
fn send(
    address: &str,
    path: &str,
    json: &str,
    cookie: Option<&str>,
) -> (u16, Option<String>, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    let cookie = cookie
        .map(|c| format!("Cookie: {c}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nAccept: application/json\r\n\
         Content-Type: application/json\r\n{cookie}Content-Length: {}\r\n\r\n{json}",
        json.len()
    )
    .expect("write request");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let session = head
        .lines()
        .filter_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .find(|c| c.starts_with("cairn_session=") && !c.starts_with("cairn_session=;"))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned);
    (status, session, body.to_owned())
}

/// A GET; returns the status code and body.
fn get(address: &str, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read response");
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    (
        status,
        response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default(),
    )
}

/// Signs in as `admin`; returns the cookie.
fn sign_in(address: &str) -> String {
    let (status, cookie, body) = send(
        address,
        "/api/auth/login",
        &format!(r#"{{"login":"admin","password":"{ADMIN_PASSWORD}"}}"#),
        None,
    );
    assert_eq!(status, 200, "{body}");
    cookie.expect("a session cookie")
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
    assert_eq!(get(&address, "/healthz").0, 200);
    let cookie = sign_in(&address);
    let (status, _, body) = send(
        &address,
        "/api/platform/title",
        r#"{"title":"Kept"}"#,
        Some(&cookie),
    );
    assert_eq!(status, 200, "{body}");
    let exit = terminate(child);
    assert!(exit.success(), "cairn exited with {exit}");

    let (child, address) = start(&store, &root);
    let (status, _, body) = send(&address, "/api/platform/get", "{}", None);
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"title\":\"Kept\""), "{body}");
    assert!(terminate(child).success());
}

/// POSTs to a server function as `cookie` and parses its JSON answer.
fn call(address: &str, endpoint: &str, cookie: &str) -> serde_json::Value {
    let (status, _, body) = send(address, endpoint, "{}", Some(cookie));
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
    let cookie = sign_in(&address);
    let mut work = serde_json::Value::Null;
    for _ in 0..600 {
        work = call(&address, "/api/works/list", &cookie)[0].clone();
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
    let counts = call(&address, "/api/knowledge/counts", &cookie);
    let stored =
        counts["objects"].as_i64().unwrap_or(0) + counts["relationships"].as_i64().unwrap_or(0);
    assert_eq!(stored, objects, "{counts}");
    assert!(terminate(child).success());
}

#[test]
fn the_first_administrator_comes_from_a_setup_link_and_no_secret_reaches_the_logs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = web_root(dir.path());
    let store = dir.path().join("store");
    // Debug logging, to catch a secret wherever it might be logged.
    let server = start_with(&store, &root, &[], "debug");
    let link = {
        let mut link = None;
        for _ in 0..100 {
            let text = server
                .output
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            if let Some(rest) = text.split("/setup#token=").nth(1) {
                link = rest.split_whitespace().next().map(str::to_owned);
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        link.expect("a setup link on the console")
    };
    let password = "first admin password 42";
    let (status, cookie, body) = send(
        &server.address,
        "/api/auth/setup",
        &format!(r#"{{"secret":"{link}","login":"root","name":"Root","password":"{password}"}}"#),
        None,
    );
    assert_eq!(status, 200, "{body}");
    let cookie = cookie.expect("signed in");
    // The link works once.
    let (status, _, _) = send(
        &server.address,
        "/api/auth/setup",
        &format!(r#"{{"secret":"{link}","login":"root2","name":"Root","password":"{password}"}}"#),
        None,
    );
    assert_ne!(status, 200);
    let (_, _, body) = send(
        &server.address,
        "/api/tokens/create",
        r#"{"name":"ci"}"#,
        Some(&cookie),
    );
    let token: serde_json::Value = serde_json::from_str(&body).expect("json");
    let token = token["secret"].as_str().expect("secret").to_owned();
    let (status, _, _) = send(
        &server.address,
        "/api/auth/login",
        r#"{"login":"root","password":"wrong password!"}"#,
        None,
    );
    assert_ne!(status, 200);
    send(&server.address, "/api/auth/logout", "{}", Some(&cookie));
    let session = cookie.trim_start_matches("cairn_session=").to_owned();
    let Server { child, output, .. } = server;
    assert!(terminate(child).success());
    let output = output.lock().unwrap_or_else(|e| e.into_inner()).clone();
    assert!(output.lines().count() > 5, "debug logging wrote: {output}");
    for secret in [
        password,
        "wrong password!",
        token.as_str(),
        session.as_str(),
    ] {
        assert!(
            !output.contains(secret),
            "a secret reached the output:\n{output}"
        );
    }
}
