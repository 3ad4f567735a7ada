//! The router in process over a real in-memory SurrealDB, with helpers to
//! call server functions as a signed-in user.
#![allow(dead_code)]

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Request, StatusCode, header};
use cairn_store::Store;
use serde_json::Value;
use tower::ServiceExt;

pub struct App {
    pub router: Router,
    pub store: Store,
    _web_root: tempfile::TempDir,
}

/// A router over a fresh store with an administrator `admin`.
pub async fn app() -> App {
    let web_root = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        web_root.path().join("index.html"),
        "<!doctype html><title>Cairn</title>",
    )
    .expect("write index");
    let store = Store::open("mem://").await.expect("open store");
    store
        .create_user("admin", "Admin", ADMIN_PASSWORD, &["administrators".into()])
        .await
        .expect("admin");
    App {
        router: cairn_server::router::router(store.clone(), web_root.path()),
        store,
        _web_root: web_root,
    }
}

pub const ADMIN_PASSWORD: &str = "administrator password";

/// A response: status, `Set-Cookie` values, body.
pub struct Reply {
    pub status: StatusCode,
    pub cookies: Vec<String>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, self.body))
    }
}

pub async fn send(app: &App, request: Request<Body>) -> Reply {
    let response = app.router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let cookies = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let body = to_bytes(response.into_body(), 64 << 20)
        .await
        .expect("body");
    Reply {
        status,
        cookies,
        body: String::from_utf8(body.to_vec()).expect("utf-8"),
    }
}

/// Calls a server function with JSON arguments, as whoever `cookie` names.
pub async fn call(app: &App, path: &str, args: Value, cookie: Option<&str>) -> Reply {
    let mut request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = if cookie.starts_with("cairn_") && !cookie.starts_with("cairn_session=") {
            request.header(header::AUTHORIZATION, format!("Bearer {cookie}"))
        } else {
            request.header(header::COOKIE, cookie)
        };
    }
    send(
        app,
        request.body(Body::from(args.to_string())).expect("request"),
    )
    .await
}

/// Signs in; returns the `Cookie` header value for the session.
pub async fn sign_in(app: &App, login: &str, password: &str) -> String {
    let reply = call(
        app,
        "/api/auth/login",
        serde_json::json!({ "login": login, "password": password }),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let cookie = reply
        .cookies
        .iter()
        .find(|c| c.starts_with("cairn_session="))
        .expect("a session cookie");
    cookie.split(';').next().expect("pair").to_owned()
}
