//! The platform's own settings (its title for now), stored in `platform:settings`.

use surrealdb::types::SurrealValue;

use crate::connect::Store;
use crate::error::StoreError;

/// The title a new platform shows until an administrator changes it.
pub const DEFAULT_TITLE: &str = "Cairn";
/// The longest title accepted.
pub const MAX_TITLE_CHARS: usize = 80;

/// The platform settings as stored.
#[derive(Debug, Clone, PartialEq, Eq, SurrealValue)]
pub struct PlatformSettings {
    pub title: String,
    /// RFC 3339 time of the last change, absent until the first one.
    pub updated_at: Option<String>,
}

impl Store {
    /// Reads the platform settings (defaults when never set).
    pub async fn platform_settings(&self) -> Result<PlatformSettings, StoreError> {
        let mut response = self
            .db()
            .query("SELECT title, <string> updated_at AS updated_at FROM ONLY platform:settings")
            .await?
            .check()?;
        let row: Option<PlatformSettings> = response.take(0)?;
        Ok(row.unwrap_or_else(|| PlatformSettings {
            title: DEFAULT_TITLE.to_owned(),
            updated_at: None,
        }))
    }

    /// Renames the platform. The title is trimmed; it must be 1 to 80 characters.
    pub async fn set_platform_title(&self, title: &str) -> Result<PlatformSettings, StoreError> {
        let title = crate::error::required_text("title", title, MAX_TITLE_CHARS)?;
        self.db()
            .query("UPSERT platform:settings SET title = $title, updated_at = time::now()")
            .bind(("title", title))
            .await?
            .check()?;
        self.platform_settings().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_store_has_the_default_title() {
        let store = Store::open("mem://").await.expect("open");
        let settings = store.platform_settings().await.expect("read");
        assert_eq!(settings.title, DEFAULT_TITLE);
        assert_eq!(settings.updated_at, None);
    }

    #[tokio::test]
    async fn the_title_is_trimmed_validated_and_stored() {
        let store = Store::open("mem://").await.expect("open");
        let saved = store
            .set_platform_title("  ACME CTI  ")
            .await
            .expect("save");
        assert_eq!(saved.title, "ACME CTI");
        assert!(saved.updated_at.is_some());
        assert_eq!(
            store.platform_settings().await.expect("read").title,
            "ACME CTI"
        );

        let empty = store.set_platform_title("   ").await.expect_err("empty");
        assert_eq!(empty.to_string(), "title: must not be empty");
        let long = store
            .set_platform_title(&"x".repeat(81))
            .await
            .expect_err("too long");
        assert!(long.to_string().contains("at most 80"), "{long}");
        assert_eq!(
            store.platform_settings().await.expect("read").title,
            "ACME CTI"
        );
    }

    #[tokio::test]
    async fn settings_survive_a_reopen_of_an_embedded_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("surrealkv://{}", dir.path().join("store").display());
        let store = Store::open(&url).await.expect("open");
        store.set_platform_title("Persisted").await.expect("save");
        store.close();
        // The engine shuts down in the background once the last handle is gone.
        let mut reopened = None;
        for _ in 0..50 {
            match Store::open(&url).await {
                Ok(store) => {
                    reopened = Some(store);
                    break;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(100)).await,
            }
        }
        let store = reopened.expect("the store reopens");
        assert_eq!(
            store.platform_settings().await.expect("read").title,
            "Persisted"
        );
        assert_eq!(
            store.info().await.expect("info").schema_version,
            crate::schema::VERSION
        );
    }
}
