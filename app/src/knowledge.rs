//! Server functions over the knowledge base and its imports: counts and works.
//! Until accounts exist (the access-control issue) they read with the bypass
//! scope; every store read already takes the scope it will be given.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// How many objects and relationships the caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub objects: u64,
    pub relationships: u64,
}

/// One import (work) with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkView {
    pub id: String,
    pub source: String,
    pub filename: String,
    pub status: String,
    pub expected: i64,
    pub processed: i64,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub rejected: i64,
    pub failure: Option<String>,
    pub queued_at: String,
    pub finished_at: Option<String>,
}

#[cfg(feature = "ssr")]
impl From<cairn_store::Work> for WorkView {
    fn from(w: cairn_store::Work) -> Self {
        WorkView {
            id: w.id,
            source: w.source,
            filename: w.filename,
            status: w.status,
            expected: w.expected,
            processed: w.processed,
            created: w.created,
            updated: w.updated,
            unchanged: w.unchanged,
            rejected: w.rejected,
            failure: w.failure,
            queued_at: w.queued_at,
            finished_at: w.finished_at,
        }
    }
}

#[server(endpoint = "knowledge/counts")]
pub async fn knowledge_counts() -> Result<Counts, AppError> {
    let store = crate::error::store()?;
    let (objects, relationships) = store.count_knowledge(&cairn_store::Scope::bypass()).await?;
    Ok(Counts {
        objects,
        relationships,
    })
}

#[server(endpoint = "works/list")]
pub async fn list_works() -> Result<Vec<WorkView>, AppError> {
    let store = crate::error::store()?;
    let works = store.works(100).await?;
    Ok(works.into_iter().map(WorkView::from).collect())
}
