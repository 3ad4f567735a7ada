//! Server functions behind every graph: expand objects (one call, any
//! number of roots, with filters and a cap), the graph of a container, the
//! graph of given objects and relationships, and a container's edits from its
//! graph (add objects; draw a relationship the matrix allows). All read and
//! write through the caller's scope.

use cairn_model::{Graph, GraphFilter};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::error::AppError;

#[cfg(feature = "ssr")]
use cairn_access::Capability;

/// The most nodes one graph read returns.
pub const MAX_GRAPH_NODES: u32 = 5_000;
/// The most roots one expansion takes.
pub const MAX_ROOTS: usize = 500;

/// The objects within `depth` (1 to 3) relationships of `roots` that
/// `filter` keeps, at most `cap` of them.
#[server(endpoint = "graph/expand", input = Json)]
pub async fn expand_graph(
    roots: Vec<String>,
    filter: GraphFilter,
    depth: u32,
    cap: u32,
) -> Result<Graph, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    if roots.len() > MAX_ROOTS {
        return Err(AppError::Invalid {
            field: "roots".into(),
            message: format!("at most {MAX_ROOTS} objects are expanded at once"),
        });
    }
    Ok(access
        .store
        .graph(
            access.scope(),
            &roots,
            &filter,
            depth.clamp(1, 3),
            cap.clamp(1, MAX_GRAPH_NODES) as usize,
        )
        .await?)
}

/// What a container holds and the relationships it holds between them.
#[server(endpoint = "graph/container", input = Json)]
pub async fn container_graph(id: String) -> Result<Graph, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    access
        .store
        .container_graph(access.scope(), &id)
        .await?
        .ok_or(AppError::NotFound(id))
}

/// Adds objects to a container (its `object_refs`); returns its graph.
#[server(endpoint = "graph/container-add", input = Json)]
pub async fn add_to_container(id: String, objects: Vec<String>) -> Result<Graph, AppError> {
    let access = crate::auth::require(Capability::KnowledgeUpdate)?;
    for object in &objects {
        if access
            .store
            .summary(access.scope(), object)
            .await?
            .is_none()
        {
            return Err(AppError::NotFound(object.clone()));
        }
    }
    add_refs(&access, &id, &objects).await?;
    container_graph(id).await
}

/// Draws a relationship between two objects of a container and adds it to
/// the container. Only a relationship type the matrix allows between the two
/// kinds is accepted. Returns the container's graph.
#[server(endpoint = "graph/container-relate", input = Json)]
pub async fn relate_in_container(
    id: String,
    source: String,
    relationship_type: String,
    target: String,
) -> Result<Graph, AppError> {
    let access = crate::auth::require(Capability::KnowledgeUpdate)?;
    let scope = access.scope();
    let kind = |summary: Option<cairn_model::ObjectSummary>, field: &str| {
        summary
            .and_then(|s| s.kind)
            .ok_or_else(|| AppError::Invalid {
                field: field.into(),
                message: "is not an entity you can see".into(),
            })
    };
    let from = kind(access.store.summary(scope, &source).await?, "source")?;
    let to = kind(access.store.summary(scope, &target).await?, "target")?;
    if !cairn_stix::relationships::allowed_between_kinds(&from, &to)
        .contains(&relationship_type.as_str())
    {
        return Err(AppError::Invalid {
            field: "relationship_type".into(),
            message: format!("a {from} cannot be `{relationship_type}` a {to}"),
        });
    }
    let relationship = serde_json::json!({
        "type": "relationship",
        "relationship_type": relationship_type,
        "source_ref": source,
        "target_ref": target,
    });
    let serde_json::Value::Object(relationship) = relationship else {
        return Err(AppError::Store("a relationship is an object".into()));
    };
    let created = access
        .store
        .save_object(scope, relationship, Some(&access.caller.login))
        .await?;
    add_refs(&access, &id, &[created]).await?;
    container_graph(id).await
}

/// Appends `objects` (checked by the caller) to the container's
/// `object_refs`, those it lacks.
#[cfg(feature = "ssr")]
async fn add_refs(
    access: &crate::auth::Access,
    id: &str,
    objects: &[String],
) -> Result<(), AppError> {
    let scope = access.scope();
    let stix = access
        .store
        .get_object(scope, id)
        .await?
        .ok_or_else(|| AppError::NotFound(id.to_owned()))?;
    let mut container: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&stix).map_err(|e| AppError::Store(e.to_string()))?;
    let refs = container
        .entry("object_refs")
        .or_insert_with(|| serde_json::Value::Array(Vec::new()));
    let Some(refs) = refs.as_array_mut() else {
        return Err(AppError::Invalid {
            field: "id".into(),
            message: "is not a container".into(),
        });
    };
    let mut changed = false;
    for object in objects {
        if !refs.iter().any(|r| r.as_str() == Some(object)) {
            refs.push(serde_json::Value::String(object.clone()));
            changed = true;
        }
    }
    if changed {
        access
            .store
            .save_object(scope, container, Some(&access.caller.login))
            .await?;
    }
    Ok(())
}
