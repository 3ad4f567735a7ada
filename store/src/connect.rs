//! Opening the store: URL parsing, the writability check for embedded stores,
//! sign-in for remote servers, namespace selection and the schema.

use std::path::{Path, PathBuf};

use surrealdb::Surreal;
use surrealdb::engine::any::{self, Any};
use surrealdb::opt::auth::Root;

use crate::error::StoreError;
use crate::schema;

/// Namespace and database every Cairn store uses.
const NAMESPACE: &str = "cairn";
const DATABASE: &str = "cairn";

/// Where the data lives, parsed from the `--db` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Engine {
    /// `mem://`: in memory, gone when the process ends.
    Memory,
    /// `surrealkv://PATH`: embedded, on disk under PATH.
    SurrealKv(PathBuf),
    /// `ws://HOST:PORT` or `wss://…`: a SurrealDB server or cluster.
    Remote(String),
}

impl Engine {
    /// Parses a database URL.
    pub fn parse(url: &str) -> Result<Engine, StoreError> {
        let bad = || StoreError::BadUrl {
            url: url.to_owned(),
        };
        if url == "mem://" || url == "memory" {
            Ok(Engine::Memory)
        } else if let Some(path) = url.strip_prefix("surrealkv://") {
            if path.is_empty() {
                return Err(bad());
            }
            Ok(Engine::SurrealKv(PathBuf::from(path)))
        } else if let Some(host) = url
            .strip_prefix("ws://")
            .or_else(|| url.strip_prefix("wss://"))
        {
            if host.is_empty() {
                return Err(bad());
            }
            Ok(Engine::Remote(url.to_owned()))
        } else {
            Err(bad())
        }
    }

    /// A short description for logs and the About page.
    pub fn describe(&self) -> String {
        match self {
            Engine::Memory => "in memory (mem://)".to_owned(),
            Engine::SurrealKv(path) => format!("embedded SurrealKV at {}", path.display()),
            Engine::Remote(url) => format!("SurrealDB server at {url}"),
        }
    }

    fn endpoint(&self) -> String {
        match self {
            Engine::Memory => "mem://".to_owned(),
            Engine::SurrealKv(path) => format!("surrealkv://{}", path.display()),
            Engine::Remote(url) => url.clone(),
        }
    }
}

/// Facts about the open store, for the About page and `/healthz`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreInfo {
    pub engine: String,
    pub surrealdb_version: String,
    pub schema_version: u32,
}

/// The shared handle on the knowledge store. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    db: Surreal<Any>,
    engine: Engine,
    /// Objects done and expected of each running work in this process, for
    /// live progress (the work record gets the final counts).
    progress: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, (u64, u64)>>>,
}

impl Store {
    /// Records how far a running work has come.
    pub(crate) fn set_progress(&self, work: &str, done: u64, expected: u64) {
        if let Ok(mut progress) = self.progress.lock() {
            progress.insert(work.to_owned(), (done, expected));
        }
    }

    pub(crate) fn clear_progress(&self, work: &str) {
        if let Ok(mut progress) = self.progress.lock() {
            progress.remove(work);
        }
    }

    /// How far a running work has come: objects done and expected.
    pub(crate) fn progress_of(&self, work: &str) -> Option<(u64, u64)> {
        self.progress.lock().ok()?.get(work).copied()
    }

    /// Opens (creating if needed) the store named by `url` and applies the schema.
    ///
    /// Remote servers sign in as root when `CAIRN_DB_USER` and `CAIRN_DB_PASS` are set.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let engine = Engine::parse(url)?;
        if let Engine::SurrealKv(path) = &engine {
            ensure_writable(path)?;
        }
        let db = any::connect(engine.endpoint())
            .await
            .map_err(|error| match &engine {
                Engine::SurrealKv(path) if error.to_string().contains("already locked") => {
                    StoreError::Locked {
                        path: path.display().to_string(),
                    }
                }
                _ => StoreError::Database(error),
            })?;
        if let Engine::Remote(_) = engine
            && let (Ok(username), Ok(password)) = (
                std::env::var("CAIRN_DB_USER"),
                std::env::var("CAIRN_DB_PASS"),
            )
        {
            db.signin(Root { username, password }).await?;
        }
        db.use_ns(NAMESPACE).use_db(DATABASE).await?;
        schema::apply(&db).await?;
        let store = Store {
            db,
            engine,
            progress: Default::default(),
        };
        store.ensure_access_defaults().await?;
        Ok(store)
    }

    /// The SurrealDB handle, for the store's own modules.
    pub(crate) fn db(&self) -> &Surreal<Any> {
        &self.db
    }

    /// A query that reads through `scope`: it binds `$bypass`, `$allowed` and
    /// `$orgs`, which [`Scope::FILTER`](crate::Scope::FILTER) reads. Every read of the
    /// knowledge base goes through here, so none can run without a scope.
    pub(crate) fn read<'a>(
        &'a self,
        scope: &crate::Scope,
        sql: impl Into<std::borrow::Cow<'a, str>>,
    ) -> surrealdb::method::Query<'a, Any> {
        let [bypass, allowed, orgs] = scope.bindings();
        self.db.query(sql).bind(bypass).bind(allowed).bind(orgs)
    }

    /// Where the data lives.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Checks that the database answers a query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.query("RETURN 1").await?.check()?;
        Ok(())
    }

    /// Engine, SurrealDB version and schema version.
    pub async fn info(&self) -> Result<StoreInfo, StoreError> {
        let version = self.db.version().await?;
        Ok(StoreInfo {
            engine: self.engine.describe(),
            surrealdb_version: version.to_string(),
            schema_version: schema::current_version(&self.db).await?,
        })
    }

    /// Closes this handle. The embedded engine flushes and shuts down once the
    /// last clone of the handle is gone.
    pub fn close(self) {
        drop(self);
    }
}

/// Creates the store's folder and proves it can be written, so that a bad path
/// fails with one clear line instead of an engine error later.
fn ensure_writable(path: &Path) -> Result<(), StoreError> {
    let not_writable = |error: std::io::Error| StoreError::NotWritable {
        path: path.display().to_string(),
        reason: error.to_string(),
    };
    std::fs::create_dir_all(path).map_err(not_writable)?;
    let probe = path.join(".cairn-write-check");
    std::fs::write(&probe, b"ok").map_err(not_writable)?;
    std::fs::remove_file(&probe).map_err(not_writable)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_supported_urls() {
        assert_eq!(Engine::parse("mem://").ok(), Some(Engine::Memory));
        assert_eq!(
            Engine::parse("surrealkv://data").ok(),
            Some(Engine::SurrealKv(PathBuf::from("data")))
        );
        assert_eq!(
            Engine::parse("surrealkv:///var/lib/cairn").ok(),
            Some(Engine::SurrealKv(PathBuf::from("/var/lib/cairn")))
        );
        assert_eq!(
            Engine::parse("ws://db:8000").ok(),
            Some(Engine::Remote("ws://db:8000".into()))
        );
    }

    #[test]
    fn rejects_other_urls_with_a_clear_message() {
        for url in ["postgres://x", "surrealkv://", "ws://", "data", ""] {
            let error = Engine::parse(url).expect_err(url);
            assert!(
                error.to_string().contains("unsupported database URL"),
                "{error}"
            );
        }
    }

    #[tokio::test]
    async fn an_unwritable_path_is_refused_in_one_line() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").expect("write");
        let url = format!("surrealkv://{}", file.join("store").display());
        let error = Store::open(&url)
            .await
            .expect_err("a file cannot hold a store");
        let message = error.to_string();
        assert!(
            message.starts_with("cannot write the store at"),
            "{message}"
        );
        assert!(!message.contains('\n'));
    }

    #[tokio::test]
    async fn a_store_in_use_is_named_as_such() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("surrealkv://{}", dir.path().join("store").display());
        let _first = Store::open(&url).await.expect("open");
        let error = Store::open(&url).await.expect_err("locked");
        assert!(
            error
                .to_string()
                .contains("is in use by another Cairn process"),
            "{error}"
        );
    }

    #[tokio::test]
    async fn memory_store_answers() {
        let store = Store::open("mem://").await.expect("open");
        store.ping().await.expect("ping");
        let info = store.info().await.expect("info");
        assert_eq!(info.engine, "in memory (mem://)");
        assert!(
            info.surrealdb_version.starts_with('3'),
            "{}",
            info.surrealdb_version
        );
        assert_eq!(info.schema_version, schema::VERSION);
    }
}
