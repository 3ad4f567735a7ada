//! The platform's identity and status: its title (stored in SurrealDB and
//! editable under Settings) and facts about the running store.
//!
//! The server functions here are the client's first round trip to the store;
//! [`provide_platform`] shares one copy of the answer with every component.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the client knows about the platform it talks to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformInfo {
    pub title: String,
    /// RFC 3339 time of the last settings change, if any.
    pub updated_at: Option<String>,
    pub cairn_version: String,
    pub store_engine: String,
    pub surrealdb_version: String,
    pub schema_version: u32,
}

/// Reads the platform's title (public: the sign-in page shows it) and, for a
/// signed-in user, the facts about its store.
#[server(endpoint = "platform/get", input = Json)]
pub async fn get_platform() -> Result<PlatformInfo, AppError> {
    let (store, _, request) = crate::auth::public()?;
    let settings = store.platform_settings().await?;
    let mut platform = PlatformInfo {
        title: settings.title,
        updated_at: settings.updated_at,
        cairn_version: env!("CARGO_PKG_VERSION").to_owned(),
        store_engine: String::new(),
        surrealdb_version: String::new(),
        schema_version: 0,
    };
    if request.caller.is_some() {
        let info = store.info().await?;
        platform.store_engine = info.engine;
        platform.surrealdb_version = info.surrealdb_version;
        platform.schema_version = info.schema_version;
    }
    Ok(platform)
}

/// Renames the platform and returns the new state.
#[server(endpoint = "platform/title", input = Json)]
pub async fn set_platform_title(title: String) -> Result<PlatformInfo, AppError> {
    let access = crate::auth::require(cairn_access::Capability::Settings)?;
    access.store.set_platform_title(&title).await?;
    access
        .audit("settings.title", Some(title.trim()), None)
        .await;
    get_platform().await
}

/// The shared platform state: one fetch, refreshed after a change.
#[derive(Clone, Copy)]
pub struct Platform(pub LocalResource<Result<PlatformInfo, AppError>>);

/// Fetches the platform state once and provides it to every component.
pub fn provide_platform() {
    provide_context(Platform(LocalResource::new(get_platform)));
}

/// The shared platform state.
pub fn use_platform() -> Platform {
    expect_context::<Platform>()
}
