//! The router end to end, in process: server functions round-trip to a real
//! in-memory SurrealDB under the caller's rights, /healthz answers, and deep
//! links fall back to the client.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{ADMIN_PASSWORD, app, call, send, sign_in};
use serde_json::json;

#[tokio::test]
async fn healthz_reports_a_live_store() {
    let app = app().await;
    let reply = send(&app, Request::get("/healthz").body(Body::empty()).unwrap()).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.json()["status"], "ok");
}

#[tokio::test]
async fn the_platform_title_round_trips_through_the_store() {
    let app = app().await;
    // The title is public (the sign-in page shows it); the store's facts are not.
    let anonymous = call(&app, "/api/platform/get", json!({}), None).await;
    assert_eq!(anonymous.status, StatusCode::OK, "{}", anonymous.body);
    assert_eq!(anonymous.json()["title"], "Cairn");
    assert_eq!(anonymous.json()["store_engine"], "");

    let admin = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let info = call(&app, "/api/platform/get", json!({}), Some(&admin))
        .await
        .json();
    assert_eq!(info["store_engine"], "in memory (mem://)");
    assert!(
        info["surrealdb_version"]
            .as_str()
            .unwrap_or_default()
            .starts_with('3')
    );

    let reply = call(
        &app,
        "/api/platform/title",
        json!({ "title": "Threat Lab" }),
        Some(&admin),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["title"], "Threat Lab");
    let info = call(&app, "/api/platform/get", json!({}), None)
        .await
        .json();
    assert_eq!(info["title"], "Threat Lab");
}

#[tokio::test]
async fn an_empty_title_is_a_typed_field_error_and_changes_nothing() {
    let app = app().await;
    let admin = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let reply = call(
        &app,
        "/api/platform/title",
        json!({ "title": "   " }),
        Some(&admin),
    )
    .await;
    assert!(!reply.status.is_success(), "{}", reply.body);
    let error = reply.json();
    assert_eq!(error["Invalid"]["field"], "title", "{}", reply.body);
    assert_eq!(
        error["Invalid"]["message"], "must not be empty",
        "{}",
        reply.body
    );
    let info = call(&app, "/api/platform/get", json!({}), None)
        .await
        .json();
    assert_eq!(info["title"], "Cairn");
}

#[tokio::test]
async fn a_missing_argument_is_an_error_not_a_panic() {
    let app = app().await;
    let admin = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let reply = call(&app, "/api/platform/title", json!({}), Some(&admin)).await;
    assert!(!reply.status.is_success(), "{}", reply.body);
    assert!(reply.json().get("Transport").is_some(), "{}", reply.body);
}

#[tokio::test]
async fn deep_links_are_answered_by_the_client() {
    let app = app().await;
    for path in [
        "/",
        "/threats/intrusion-sets",
        "/settings",
        "/setup",
        "/no/such/page",
    ] {
        let reply = send(&app, Request::get(path).body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        assert!(
            reply.body.contains("<title>Cairn</title>"),
            "{path}: {}",
            reply.body
        );
    }
}
