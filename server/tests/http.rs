//! The router end to end, in process: server functions round-trip to a real
//! in-memory SurrealDB, /healthz answers, and deep links fall back to the client.

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use cairn_store::Store;
use serde_json::Value;
use tower::ServiceExt;

struct App {
    router: Router,
    _web_root: tempfile::TempDir,
}

async fn app() -> App {
    let web_root = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        web_root.path().join("index.html"),
        "<!doctype html><title>Cairn</title>",
    )
    .expect("write index");
    let store = Store::open("mem://").await.expect("open store");
    App {
        router: cairn_server::router::router(store, web_root.path()),
        _web_root: web_root,
    }
}

async fn send(app: &App, request: Request<Body>) -> (StatusCode, String) {
    let response = app.router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let body = to_bytes(response.into_body(), 1 << 20).await.expect("body");
    (status, String::from_utf8(body.to_vec()).expect("utf-8"))
}

fn post_form(path: &str, form: &str) -> Request<Body> {
    Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(form.to_owned()))
        .expect("request")
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"))
}

#[tokio::test]
async fn healthz_reports_a_live_store() {
    let app = app().await;
    let (status, body) = send(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json(&body)["status"], "ok");
}

#[tokio::test]
async fn the_platform_title_round_trips_through_the_store() {
    let app = app().await;
    let (status, body) = send(&app, post_form("/api/platform/get", "")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let info = json(&body);
    assert_eq!(info["title"], "Cairn");
    assert_eq!(info["store_engine"], "in memory (mem://)");
    assert!(
        info["surrealdb_version"]
            .as_str()
            .unwrap_or_default()
            .starts_with('3'),
        "{body}"
    );

    let (status, body) = send(&app, post_form("/api/platform/title", "title=Threat+Lab")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(json(&body)["title"], "Threat Lab");

    let (_, body) = send(&app, post_form("/api/platform/get", "")).await;
    assert_eq!(json(&body)["title"], "Threat Lab");
}

#[tokio::test]
async fn an_empty_title_is_a_typed_field_error_and_changes_nothing() {
    let app = app().await;
    let (status, body) = send(&app, post_form("/api/platform/title", "title=+++")).await;
    assert!(
        status.is_server_error() || status.is_client_error(),
        "{status}: {body}"
    );
    let error = json(&body);
    assert_eq!(error["Invalid"]["field"], "title", "{body}");
    assert_eq!(error["Invalid"]["message"], "must not be empty", "{body}");

    let (_, body) = send(&app, post_form("/api/platform/get", "")).await;
    assert_eq!(json(&body)["title"], "Cairn");
}

#[tokio::test]
async fn a_missing_argument_is_an_error_not_a_panic() {
    let app = app().await;
    let (status, body) = send(&app, post_form("/api/platform/title", "")).await;
    assert!(!status.is_success(), "{status}: {body}");
    assert!(json(&body).get("Transport").is_some(), "{body}");
}

#[tokio::test]
async fn deep_links_are_answered_by_the_client() {
    let app = app().await;
    for path in ["/", "/threats/intrusion-sets", "/settings", "/no/such/page"] {
        let (status, body) = send(&app, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(body.contains("<title>Cairn</title>"), "{path}: {body}");
    }
}
