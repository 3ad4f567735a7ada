//! Server functions for dashboards: a widget series (one aggregation in the
//! store), the newest objects for lists and timelines, ATT&CK matrices, and
//! custom dashboards (list, open, create, save, duplicate, delete, import).
//! Reading knowledge needs `Knowledge`; custom dashboards need `Explore`, as
//! OpenCTI's workspaces do. Exporting one is done in the browser from what
//! it opened (`Dashboard::to_file`).

use cairn_model::ObjectSummary;
use cairn_model::dashboard::{Aggregate, Dashboard, DashboardSummary, Matrix, Period, WidgetQuery};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
use cairn_access::Capability;

/// A dashboard as opened, with whether the reader may change it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenedDashboard {
    pub dashboard: Dashboard,
    pub editable: bool,
}

#[server(endpoint = "dashboard/aggregate", input = Json)]
pub async fn widget_series(query: WidgetQuery, period: Period) -> Result<Aggregate, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access
        .store
        .aggregate(access.scope(), &query, &period)
        .await?)
}

#[server(endpoint = "dashboard/latest", input = Json)]
pub async fn newest_objects(
    query: WidgetQuery,
    period: Period,
    limit: u64,
) -> Result<Vec<ObjectSummary>, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access
        .store
        .latest(access.scope(), &query, &period, limit)
        .await?)
}

/// The ATT&CK matrix of the base, or of one object (`of`).
#[server(endpoint = "dashboard/matrix", input = Json)]
pub async fn attack_matrix(of: Option<String>) -> Result<Matrix, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access.store.matrix(access.scope(), of.as_deref()).await?)
}

#[server(endpoint = "dashboards/list", input = Json)]
pub async fn list_dashboards() -> Result<Vec<DashboardSummary>, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    Ok(access.store.dashboards(&access.caller.login).await?)
}

#[server(endpoint = "dashboards/open", input = Json)]
pub async fn open_dashboard(id: String) -> Result<OpenedDashboard, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    let login = access.caller.login.clone();
    let dashboard = access
        .store
        .dashboard(&login, &id)
        .await?
        .ok_or(AppError::NotFound(id))?;
    Ok(OpenedDashboard {
        editable: dashboard.owner == login,
        dashboard,
    })
}

/// Creates an empty dashboard; returns its id.
#[server(endpoint = "dashboards/create", input = Json)]
pub async fn create_dashboard(name: String) -> Result<String, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    let dashboard = access
        .store
        .create_dashboard(&access.caller.login, &name, &[], "30d")
        .await?;
    Ok(dashboard.id)
}

#[server(endpoint = "dashboards/save", input = Json)]
pub async fn save_dashboard(dashboard: Dashboard) -> Result<Dashboard, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    let id = dashboard.id.clone();
    access
        .store
        .save_dashboard(&access.caller.login, &dashboard)
        .await?
        .ok_or(AppError::NotFound(id))
}

/// A copy owned by the caller; returns its id.
#[server(endpoint = "dashboards/duplicate", input = Json)]
pub async fn duplicate_dashboard(id: String, name: String) -> Result<String, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    let copy = access
        .store
        .duplicate_dashboard(&access.caller.login, &id, &name)
        .await?
        .ok_or(AppError::NotFound(id))?;
    Ok(copy.id)
}

#[server(endpoint = "dashboards/delete", input = Json)]
pub async fn delete_dashboard(id: String) -> Result<(), AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    if access
        .store
        .delete_dashboard(&access.caller.login, &id)
        .await?
    {
        Ok(())
    } else {
        Err(AppError::NotFound(id))
    }
}

/// A new dashboard from an export file's text; returns its id.
#[server(endpoint = "dashboards/import", input = Json)]
pub async fn import_dashboard(file: String) -> Result<String, AppError> {
    let access = crate::auth::require(Capability::Explore)?;
    let dashboard = access
        .store
        .import_dashboard(&access.caller.login, &file)
        .await?;
    Ok(dashboard.id)
}
