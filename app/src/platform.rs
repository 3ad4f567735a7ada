//! The platform's identity and status: its title (stored in SurrealDB and
//! editable under Settings) and facts about the running store.
//!
//! The server functions here are the client's first round trip to the store;
//! [`provide_platform`] shares one copy of the answer with every component.

use leptos::prelude::*;
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

/// Reads the platform's settings and store facts.
#[server(endpoint = "platform/get")]
pub async fn get_platform() -> Result<PlatformInfo, AppError> {
    let store = crate::error::store()?;
    let settings = store.platform_settings().await?;
    let info = store.info().await?;
    Ok(PlatformInfo {
        title: settings.title,
        updated_at: settings.updated_at,
        cairn_version: env!("CARGO_PKG_VERSION").to_owned(),
        store_engine: info.engine,
        surrealdb_version: info.surrealdb_version,
        schema_version: info.schema_version,
    })
}

/// Renames the platform and returns the new state.
#[server(endpoint = "platform/title")]
pub async fn set_platform_title(title: String) -> Result<PlatformInfo, AppError> {
    crate::error::store()?.set_platform_title(&title).await?;
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
