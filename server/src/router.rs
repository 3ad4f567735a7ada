//! The HTTP surface: server functions under `/api`, `/healthz`, and the built
//! client with a fallback to `index.html` so deep links work.
//!
//! Before a server function runs, the caller is resolved from the session
//! cookie or an `Authorization: Bearer` API token and provided as
//! [`RequestAuth`]; the functions themselves check capabilities
//! (`cairn_app::auth::require`).

use std::path::Path;

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use cairn_app::auth::{Gate, RequestAuth, SESSION_COOKIE};
use cairn_store::Store;
use leptos::prelude::provide_context;
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// State shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub gate: Gate,
}

/// Builds the router over `store`, serving the client from `web_root`.
pub fn router(store: Store, web_root: &Path) -> Router {
    cairn_app::register_server_fns();
    let client = ServeDir::new(web_root).fallback(ServeFile::new(web_root.join("index.html")));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/{*fn_name}", get(server_fns).post(server_fns))
        .fallback_service(client)
        .layer(axum::middleware::from_fn(cache_control))
        .layer(CompressionLayer::new())
        .with_state(AppState {
            gate: Gate::new(store.clone()),
            store,
        })
}

/// How long browsers may keep what the client is made of: Trunk names the
/// client's files by their content hash, so those never change and are kept
/// for a year without asking again (which also lets the browser keep the
/// compiled WebAssembly); the page and the libraries under `/vendor/` are
/// asked for again each time (an unchanged one answers 304, without a body).
/// Server functions are not cached.
fn cache_policy(path: &str) -> Option<&'static str> {
    if path.starts_with("/api/") || path == "/healthz" {
        return None;
    }
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hashed = !path.starts_with("/vendor/")
        && stem.rsplit_once('-').is_some_and(|(_, hash)| {
            hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit())
        });
    Some(if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    })
}

/// Sets `Cache-Control` on the client's files ([`cache_policy`]).
async fn cache_control(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let policy = cache_policy(request.uri().path());
    let mut response = next.run(request).await;
    if let Some(policy) = policy {
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static(policy),
        );
    }
    response
}

/// Runs a server function with the gate and the resolved caller in its context.
async fn server_fns(State(state): State<AppState>, request: Request<Body>) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    let headers = request.headers().clone();
    let auth = match authenticate(&state.store, &headers, peer).await {
        Ok(auth) => auth,
        Err(error) => {
            tracing::error!(%error, "cannot resolve the caller");
            return (StatusCode::SERVICE_UNAVAILABLE, "the store is unavailable").into_response();
        }
    };
    let gate = state.gate.clone();
    leptos_axum::handle_server_fns_with_context(
        move || {
            provide_context(gate.clone());
            provide_context(auth.clone());
        },
        request,
    )
    .await
    .into_response()
}

/// The value of cookie `name`.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// Who sent the request: a live session's user, an API token's, or nobody.
pub async fn authenticate(
    store: &Store,
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
) -> Result<RequestAuth, cairn_store::StoreError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    // Behind a reverse proxy (CAIRN_TRUST_PROXY=1) the client's address and
    // scheme come from its headers; otherwise those headers are ignored, so
    // that nobody can spoof an address past the sign-in rate limit.
    let proxied = std::env::var("CAIRN_TRUST_PROXY").is_ok_and(|v| v == "1");
    let forwarded = header("x-forwarded-for")
        .filter(|_| proxied)
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_owned());
    let address = forwarded.or_else(|| peer.map(|p| p.ip().to_string()));
    let secure = (proxied && header("x-forwarded-proto") == Some("https"))
        || std::env::var("CAIRN_SECURE_COOKIES").is_ok_and(|v| v == "1");
    let mut auth = RequestAuth {
        caller: None,
        session: None,
        address,
        secure,
        agent: header("user-agent").map(str::to_owned),
    };
    if let Some(token) = header("authorization").and_then(|v| v.strip_prefix("Bearer ")) {
        auth.caller = store.token_caller(token.trim()).await?;
    } else if let Some(secret) = cookie(headers, SESSION_COOKIE).filter(|s| !s.is_empty()) {
        auth.caller = store.session_caller(secret).await?;
        auth.session = Some(secret.to_owned());
    }
    Ok(auth)
}

/// 200 when the store answers, 503 when it does not.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => Json(json!({ "status": "ok" })).into_response(),
        Err(error) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "error": error.to_string() })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod cache_tests {
    use super::cache_policy;

    #[test]
    fn hashed_client_files_are_kept_and_the_rest_asked_for_again() {
        let year = Some("public, max-age=31536000, immutable");
        assert_eq!(
            cache_policy("/cairn-frontend-96e8ebc5d672bd6e_bg.wasm"),
            year
        );
        assert_eq!(cache_policy("/cairn-frontend-96e8ebc5d672bd6e.js"), year);
        assert_eq!(cache_policy("/main-e6a71f0d65fd7530.css"), year);
        assert_eq!(cache_policy("/"), Some("no-cache"));
        assert_eq!(cache_policy("/index.html"), Some("no-cache"));
        assert_eq!(cache_policy("/vendor/echarts.min.js"), Some("no-cache"));
        assert_eq!(
            cache_policy("/entities/intrusion-set--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22"),
            Some("no-cache")
        );
        assert_eq!(cache_policy("/api/dashboard/aggregate"), None);
    }
}
