//! Server functions for investigations: list, open (with the graph of what
//! it holds, read through the reader's scope), create from objects, save,
//! delete, and turn into a report. Investigations need the `Explore`
//! capability; a report also needs `KnowledgeUpdate`. Exporting one as a
//! STIX bundle is the knowledge export of its objects and relationships.

use cairn_model::{Graph, Investigation, InvestigationSummary};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
use cairn_access::Capability;

/// An investigation with the graph of what it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    pub investigation: Investigation,
    pub graph: Graph,
    /// Whether the reader may change it (they own it).
    pub editable: bool,
}

#[server(endpoint = "investigations/list", input = Json)]
pub async fn list_investigations() -> Result<Vec<InvestigationSummary>, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    Ok(access.store.investigations(&access.caller.login).await?)
}

#[server(endpoint = "investigations/open", input = Json)]
pub async fn open_investigation(id: String) -> Result<Opened, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    let login = access.caller.login.clone();
    let investigation = access
        .store
        .investigation(&login, &id)
        .await?
        .ok_or(AppError::NotFound(id))?;
    let objects: Vec<String> = investigation.nodes.iter().map(|n| n.id.clone()).collect();
    let graph = access
        .store
        .subgraph(access.scope(), &objects, &investigation.edges)
        .await?;
    Ok(Opened {
        editable: investigation.owner == login,
        investigation,
        graph,
    })
}

/// Creates an investigation holding `objects` (e.g. the entity or search hit
/// it was started from); returns its id.
#[server(endpoint = "investigations/create", input = Json)]
pub async fn create_investigation(name: String, objects: Vec<String>) -> Result<String, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    let login = access.caller.login.clone();
    let mut investigation = access.store.create_investigation(&login, &name).await?;
    if !objects.is_empty() {
        let graph = access.store.subgraph(access.scope(), &objects, &[]).await?;
        investigation.nodes = graph
            .nodes
            .iter()
            .map(|n| cairn_model::WorkspaceNode {
                id: n.id.clone(),
                x: 0.0,
                y: 0.0,
                pinned: false,
            })
            .collect();
        access
            .store
            .save_investigation(&login, &investigation)
            .await?;
    }
    access
        .audit(
            "investigation.create",
            Some(&investigation.id),
            Some(&investigation.name),
        )
        .await;
    Ok(investigation.id)
}

/// Saves an investigation its owner changed; returns it as saved.
#[server(endpoint = "investigations/save", input = Json)]
pub async fn save_investigation(investigation: Investigation) -> Result<Investigation, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    let id = investigation.id.clone();
    access
        .store
        .save_investigation(&access.caller.login, &investigation)
        .await?
        .ok_or(AppError::NotFound(id))
}

#[server(endpoint = "investigations/delete", input = Json)]
pub async fn delete_investigation(id: String) -> Result<(), AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    if !access
        .store
        .delete_investigation(&access.caller.login, &id)
        .await?
    {
        return Err(AppError::NotFound(id));
    }
    access.audit("investigation.delete", Some(&id), None).await;
    Ok(())
}

/// Creates a report named `name` containing every object and relationship
/// of the investigation the reader sees, with its notes as description;
/// returns the report's id.
#[server(endpoint = "investigations/report", input = Json)]
pub async fn investigation_to_report(id: String, name: String) -> Result<String, AppError> {
    let access = crate::auth::require(Capability::KnowledgeUpdate)?;
    let opened = open_investigation(id).await?;
    let mut refs: Vec<String> = opened.graph.nodes.iter().map(|n| n.id.clone()).collect();
    refs.extend(opened.graph.edges.iter().map(|e| e.id.clone()));
    if refs.is_empty() {
        return Err(AppError::Invalid {
            field: "investigation".into(),
            message: "holds nothing to report".into(),
        });
    }
    let mut report = serde_json::json!({
        "type": "report",
        "name": name.trim(),
        "published": cairn_store::edit::now(),
        "report_types": ["threat-report"],
        "object_refs": refs,
    });
    if !opened.investigation.notes.trim().is_empty() {
        report["description"] = serde_json::Value::String(opened.investigation.notes.clone());
    }
    let serde_json::Value::Object(report) = report else {
        return Err(AppError::Store("a report is an object".into()));
    };
    let created = access
        .store
        .save_object(access.scope(), report, Some(&access.caller.login))
        .await?;
    access
        .audit(
            "investigation.report",
            Some(&opened.investigation.id),
            Some(&created),
        )
        .await;
    Ok(created)
}
