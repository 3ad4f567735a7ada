//! Server functions that change knowledge from the browser: save one object
//! from a form (a create, an edit or a new relationship), bulk label and
//! marking changes, delete to the trash and restore, and loading demo data on
//! a first run. Each checks the caller's capability and scope; the store
//! validates with the STIX crate and writes the history.

#[cfg(feature = "ssr")]
use cairn_access::Capability;
use cairn_model::{BulkChange, TrashEntry};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;

/// Most objects one bulk action or delete takes.
pub const MAX_SELECTION: usize = 1000;

/// Saves one object (STIX JSON, without `id` to create); returns the id it is
/// stored under. Errors name the STIX property at fault.
#[server(endpoint = "knowledge/save", input = Json)]
pub async fn save_object(stix: String) -> Result<String, AppError> {
    let access = crate::auth::require(Capability::KnowledgeUpdate)?;
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&stix).map_err(|e| AppError::Invalid {
            field: "stix".into(),
            message: format!("is not a JSON object: {e}"),
        })?;
    Ok(access
        .store
        .save_object(access.scope(), object, Some(&access.caller.login))
        .await?)
}

/// Applies one change to the selected objects; returns how many changed.
#[server(endpoint = "knowledge/bulk", input = Json)]
pub async fn apply_bulk_change(ids: Vec<String>, change: BulkChange) -> Result<usize, AppError> {
    let access = crate::auth::require(Capability::KnowledgeUpdate)?;
    check_selection(&ids)?;
    let changed = access
        .store
        .bulk_change(access.scope(), &ids, &change, Some(&access.caller.login))
        .await?;
    access
        .audit(
            "knowledge.bulk",
            Some(&format!("{} objects", ids.len())),
            Some(&format!("{change:?}: {changed} changed")),
        )
        .await;
    Ok(changed)
}

/// Moves the selected objects (with their relationships) to the trash;
/// returns how many went.
#[server(endpoint = "knowledge/delete", input = Json)]
pub async fn delete_objects(ids: Vec<String>) -> Result<usize, AppError> {
    let access = crate::auth::require(Capability::KnowledgeDelete)?;
    check_selection(&ids)?;
    let mut deleted = 0;
    for id in &ids {
        if access
            .store
            .delete(access.scope(), id, Some(&access.caller.login))
            .await?
            .is_some()
        {
            deleted += 1;
            access.audit("knowledge.delete", Some(id), None).await;
        }
    }
    Ok(deleted)
}

/// What the trash holds, newest first.
#[server(endpoint = "data/trash", input = Json)]
pub async fn list_trash() -> Result<Vec<TrashEntry>, AppError> {
    let access = crate::auth::require(Capability::KnowledgeDelete)?;
    Ok(access.store.trash().await?)
}

/// Puts a trash entry back; returns the relationships that could not come
/// back because an end is gone.
#[server(endpoint = "data/restore", input = Json)]
pub async fn restore(id: String) -> Result<Vec<String>, AppError> {
    let access = crate::auth::require(Capability::KnowledgeDelete)?;
    let lost = access
        .store
        .restore(&id, Some(&access.caller.login))
        .await?;
    access.audit("knowledge.restore", Some(&id), None).await;
    Ok(lost)
}

/// Queues a generated demo dataset of about `objects` objects (500–20,000) as
/// a work; returns the work's id.
#[server(endpoint = "data/demo", input = Json)]
pub async fn load_demo(objects: usize) -> Result<String, AppError> {
    let access = crate::auth::require(Capability::Import)?;
    let objects = objects.clamp(500, 20_000);
    let mut bundle = Vec::with_capacity(objects * 600);
    bundle.extend_from_slice(b"{\"type\":\"bundle\",\"id\":\"bundle--");
    bundle.extend_from_slice(uuid::Uuid::new_v4().to_string().as_bytes());
    bundle.extend_from_slice(b"\",\"objects\":[");
    let mut first = true;
    let mut failed = None;
    cairn_stix::generate::generate(objects, 1, |object| {
        if !first {
            bundle.push(b',');
        }
        first = false;
        if let Err(error) = serde_json::to_writer(&mut bundle, &object) {
            failed = Some(error.to_string());
        }
    });
    if let Some(error) = failed {
        return Err(AppError::Store(format!(
            "the demo data could not be written: {error}"
        )));
    }
    bundle.extend_from_slice(b"]}");
    let id = access
        .store
        .enqueue_import(
            "demo",
            &format!("demo-data-{objects}.json"),
            Some(&access.caller.login),
            bundle,
        )
        .await?;
    access
        .audit(
            "import.demo",
            Some(&id),
            Some(&format!("{objects} objects")),
        )
        .await;
    Ok(id)
}

#[cfg(feature = "ssr")]
fn check_selection(ids: &[String]) -> Result<(), AppError> {
    if ids.is_empty() {
        return Err(AppError::Invalid {
            field: "selection".into(),
            message: "select at least one object".into(),
        });
    }
    if ids.len() > MAX_SELECTION {
        return Err(AppError::Invalid {
            field: "selection".into(),
            message: format!("select at most {MAX_SELECTION} objects at a time"),
        });
    }
    Ok(())
}
