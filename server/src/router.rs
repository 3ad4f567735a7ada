//! The HTTP surface: server functions under `/api`, `/healthz`, and the built
//! client with a fallback to `index.html` so deep links work.

use std::path::Path;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use cairn_store::Store;
use leptos::prelude::provide_context;
use serde_json::json;
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};

/// State shared by every handler.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// Builds the router over `store`, serving the client from `web_root`.
pub fn router(store: Store, web_root: &Path) -> Router {
    cairn_app::register_server_fns();
    let client = ServeDir::new(web_root).fallback(ServeFile::new(web_root.join("index.html")));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/{*fn_name}", get(server_fns).post(server_fns))
        .fallback_service(client)
        .layer(CompressionLayer::new())
        .with_state(AppState { store })
}

/// Runs a server function with the store in its context.
async fn server_fns(State(state): State<AppState>, request: Request<Body>) -> impl IntoResponse {
    let store = state.store.clone();
    leptos_axum::handle_server_fns_with_context(move || provide_context(store.clone()), request)
        .await
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
