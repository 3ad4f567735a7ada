//! Server functions over the knowledge base: counts, lists, one object with
//! its links, neighbours and containers, search, history,
//! export, and the works that import. Each reads through the caller's scope
//! (see [`crate::auth::require`]); a hidden object answers exactly like a
//! missing one.

use cairn_model::{
    Entity, HistoryEntry, ListFilter, MarkingView, ObjectSummary, Page, RejectedObject, SearchHit,
    UsedTechnique, Work,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
use cairn_access::Capability;

/// How many objects and relationships the caller sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub objects: u64,
    pub relationships: u64,
}

/// Most rows a list page returns.
pub const MAX_PAGE: u64 = 500;

#[server(endpoint = "knowledge/counts", input = Json)]
pub async fn knowledge_counts() -> Result<Counts, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    let (objects, relationships) = access.store.count_knowledge(access.scope()).await?;
    Ok(Counts {
        objects,
        relationships,
    })
}

/// How many objects of each registry kind (by name) the caller sees.
#[server(endpoint = "knowledge/kind-counts", input = Json)]
pub async fn kind_counts() -> Result<Vec<(String, u64)>, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access.store.count_by_kind(access.scope()).await?)
}

/// What list filters and forms offer: the labels in use and the marking
/// definitions the caller holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vocabulary {
    pub labels: Vec<String>,
    pub markings: Vec<MarkingView>,
}

#[server(endpoint = "knowledge/vocabulary", input = Json)]
pub async fn get_vocabulary() -> Result<Vocabulary, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    let scope = access.scope();
    let mut markings = access.store.marking_definitions().await?;
    markings.retain(|m| scope.sees(std::slice::from_ref(&m.id)));
    Ok(Vocabulary {
        labels: access.store.labels().await?,
        markings,
    })
}

/// The ATT&CK techniques an object uses, with their tactics.
#[server(endpoint = "knowledge/techniques", input = Json)]
pub async fn techniques(id: String) -> Result<Vec<UsedTechnique>, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access.store.techniques_used(access.scope(), &id).await?)
}

/// Objects matching `filter`, `limit` at a time after the cursor `after`.
#[server(endpoint = "knowledge/list", input = Json)]
pub async fn list_objects(
    filter: ListFilter,
    after: Option<String>,
    limit: u64,
) -> Result<Page<ObjectSummary>, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access
        .store
        .list_objects(
            access.scope(),
            &filter,
            after.as_deref(),
            limit.clamp(1, MAX_PAGE),
        )
        .await?)
}

/// One object with what it links to, its neighbours and its containers.
#[server(endpoint = "knowledge/object", input = Json)]
pub async fn get_entity(id: String) -> Result<Entity, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    let scope = access.scope();
    access
        .store
        .entity(scope, &id, MAX_PAGE)
        .await?
        .ok_or(AppError::NotFound(id))
}

/// Full-text search, best first.
#[server(endpoint = "knowledge/search", input = Json)]
pub async fn search(text: String, limit: u64) -> Result<Vec<SearchHit>, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    Ok(access
        .store
        .search(access.scope(), &text, limit.clamp(1, 100))
        .await?)
}

/// The changes made to one object, oldest first.
#[server(endpoint = "knowledge/history", input = Json)]
pub async fn history(id: String) -> Result<Vec<HistoryEntry>, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access.store.history_of(access.scope(), &id).await?)
}

/// A STIX 2.1 bundle (or CSV) of what the caller sees: the whole base or some
/// types of it, or objects with their neighbours to `depth`.
#[server(endpoint = "knowledge/export", input = Json)]
pub async fn export(
    types: Vec<String>,
    ids: Vec<String>,
    depth: u32,
    csv: bool,
) -> Result<String, AppError> {
    let access = crate::auth::require(Capability::Export)?;
    let filter = cairn_store::ExportFilter {
        types,
        ids,
        depth: depth.min(3),
        list: None,
    };
    let what = if filter.ids.is_empty() {
        "the knowledge base".to_owned()
    } else {
        filter.ids.join(", ")
    };
    run_export(&access, &filter, csv, &what).await
}

/// The rows of a list page (its filter, every page of it) as a STIX 2.1
/// bundle or CSV.
#[server(endpoint = "knowledge/export-list", input = Json)]
pub async fn export_list(filter: ListFilter, csv: bool) -> Result<String, AppError> {
    let access = crate::auth::require(Capability::Export)?;
    let export = cairn_store::ExportFilter {
        list: Some(filter),
        ..Default::default()
    };
    run_export(&access, &export, csv, "a list").await
}

/// Writes an export for `access`, audited as `what`.
#[cfg(feature = "ssr")]
async fn run_export(
    access: &crate::auth::Access,
    filter: &cairn_store::ExportFilter,
    csv: bool,
    what: &str,
) -> Result<String, AppError> {
    let format = if csv {
        cairn_store::ExportFormat::Csv
    } else {
        cairn_store::ExportFormat::Stix
    };
    let mut out = Vec::new();
    let count = access
        .store
        .export(access.scope(), filter, format, &mut out)
        .await?;
    let details = format!("{count} objects as {}", if csv { "CSV" } else { "STIX" });
    access.audit("export", Some(what), Some(&details)).await;
    String::from_utf8(out).map_err(|e| AppError::Store(e.to_string()))
}

/// The latest imports.
#[server(endpoint = "works/list", input = Json)]
pub async fn list_works() -> Result<Vec<Work>, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access.store.works(100).await?)
}

/// The per-object errors of one work.
#[server(endpoint = "works/errors", input = Json)]
pub async fn work_errors(id: String) -> Result<Vec<RejectedObject>, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access.store.work_errors(&id).await?)
}
