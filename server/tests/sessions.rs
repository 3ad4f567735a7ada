//! Signing in and out through the real router: cookies, the rate limit,
//! logout ending the session for good, API tokens, and no secret in answers.

mod common;

use axum::http::StatusCode;
use common::{ADMIN_PASSWORD, app, call, sign_in};
use serde_json::json;

#[tokio::test]
async fn a_session_cookie_is_http_only_strict_and_dies_at_logout() {
    let app = app().await;
    let reply = call(
        &app,
        "/api/auth/login",
        json!({ "login": "admin", "password": ADMIN_PASSWORD }),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["login"], "admin");
    assert!(!reply.body.contains(ADMIN_PASSWORD));
    let cookie = &reply.cookies[0];
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let session = cookie.split(';').next().expect("pair").to_owned();

    let me = call(&app, "/api/auth/me", json!({}), Some(&session)).await;
    assert_eq!(me.json()["login"], "admin");
    let out = call(&app, "/api/auth/logout", json!({}), Some(&session)).await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.body);
    assert!(out.cookies[0].contains("Max-Age=0"));
    // The old cookie, replayed, opens nothing.
    let stolen = call(&app, "/api/auth/me", json!({}), Some(&session)).await;
    assert_eq!(stolen.json(), json!("Unauthenticated"), "{}", stolen.body);
    let stolen = call(&app, "/api/admin/users", json!({}), Some(&session)).await;
    assert_eq!(stolen.json(), json!("Unauthenticated"), "{}", stolen.body);
}

#[tokio::test]
async fn wrong_passwords_are_refused_then_rate_limited() {
    let app = app().await;
    let attempt = |password: &'static str| {
        call(
            &app,
            "/api/auth/login",
            json!({ "login": "admin", "password": password }),
            None,
        )
    };
    for _ in 0..5 {
        let reply = attempt("wrong password!").await;
        assert!(!reply.status.is_success());
        assert_eq!(
            reply.json()["Invalid"]["message"],
            "wrong login or password"
        );
    }
    // Now even the right password waits.
    let reply = attempt(ADMIN_PASSWORD).await;
    assert!(
        reply.json()["RateLimited"]["retry_after"]
            .as_u64()
            .is_some(),
        "{}",
        reply.body
    );
    let log = app
        .store
        .audit_log(
            &cairn_store::AuditFilter {
                action: Some("login_failed".into()),
                ..Default::default()
            },
            50,
        )
        .await
        .expect("audit");
    assert_eq!(log.len(), 5);
    assert!(log.iter().all(|e| e.user.as_deref() == Some("admin")));
}

#[tokio::test]
async fn api_tokens_open_server_functions_until_revoked_and_no_secret_leaks() {
    let app = app().await;
    let admin = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let created = call(
        &app,
        "/api/tokens/create",
        json!({ "name": "script" }),
        Some(&admin),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let secret = created.json()["secret"]
        .as_str()
        .expect("secret")
        .to_owned();
    let id = created.json()["token"]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let me = call(&app, "/api/auth/me", json!({}), Some(&secret)).await;
    assert_eq!(me.json()["login"], "admin", "{}", me.body);
    // Listings never carry a secret or a hash.
    for path in [
        "/api/tokens/mine",
        "/api/admin/tokens",
        "/api/admin/users",
        "/api/admin/sessions",
    ] {
        let reply = call(&app, path, json!({}), Some(&admin)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}: {}", reply.body);
        assert!(!reply.body.contains(&secret), "{path}");
        assert!(!reply.body.contains("argon2"), "{path}");
        assert!(!reply.body.contains(ADMIN_PASSWORD), "{path}");
    }
    let revoked = call(
        &app,
        "/api/tokens/revoke",
        json!({ "id": id }),
        Some(&admin),
    )
    .await;
    assert_eq!(revoked.status, StatusCode::OK, "{}", revoked.body);
    let me = call(&app, "/api/auth/me", json!({}), Some(&secret)).await;
    assert_eq!(me.json(), json!("Unauthenticated"));
}

#[tokio::test]
async fn disabling_a_user_ends_their_session_at_once() {
    let app = app().await;
    app.store
        .create_user("vic", "Vic", "viewer password 9", &["viewers".into()])
        .await
        .expect("user");
    let vic = sign_in(&app, "vic", "viewer password 9").await;
    let admin = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let users = call(&app, "/api/admin/users", json!({}), Some(&admin))
        .await
        .json();
    let id = users
        .as_array()
        .and_then(|u| u.iter().find(|u| u["login"] == "vic"))
        .and_then(|u| u["id"].as_str())
        .expect("vic")
        .to_owned();
    let reply = call(
        &app,
        "/api/admin/user-update",
        json!({ "id": id, "groups": ["viewers"], "organizations": [], "disabled": true }),
        Some(&admin),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let me = call(&app, "/api/auth/me", json!({}), Some(&vic)).await;
    assert_eq!(me.json(), json!("Unauthenticated"));
}
