//! Cairn's knowledge store on SurrealDB 3.
//!
//! [`Store`] is the one handle every server path shares: it opens the database
//! named by a URL (`mem://`, `surrealkv://PATH`, `ws://HOST:PORT`) through
//! SurrealDB's `engine::any`, so the embedded default and a remote cluster run the
//! same code; applies the schema ([`schema`]); and answers the platform's reads
//! and writes. Server-only: the WASM client never links this crate.

pub mod accounts;
pub mod aggregate;
pub mod audit;
mod connect;
pub mod dashboards;
pub mod edit;
mod entity;
mod error;
pub mod export;
mod graphs;
pub mod ingest;
pub mod investigations;
pub mod query;
mod rel_tally;
pub mod rows;
pub mod schema;
pub mod scope;
pub mod sessions;
mod settings;
pub mod trash;
pub mod works;

pub use accounts::{Caller, LoginError};
pub use cairn_model::*;
pub use connect::{Engine, Store, StoreInfo};
pub use error::StoreError;
pub use export::{ExportFilter, ExportFormat};
pub use ingest::ImportOptions;
pub use scope::Scope;
pub use settings::PlatformSettings;
