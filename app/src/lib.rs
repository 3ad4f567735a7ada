//! The Cairn web application: routes, pages, components and the server
//! functions they call.
//!
//! Built twice: with feature `csr` into the WASM client (by Trunk, through the
//! `frontend` crate), and with feature `ssr` into the server, where the bodies of
//! the `#[server]` functions run against the [`cairn_store::Store`] provided as
//! context. Each feature module keeps its server functions beside the components
//! that call them; server-only code sits behind `#[cfg(feature = "ssr")]`.

// The graph pages' views are deep nested types.
#![recursion_limit = "256"]

pub mod admin;
pub mod auth;
pub mod dashboard;
pub mod editing;
pub mod error;
pub mod graph;
pub mod icon;
pub mod imports;
pub mod investigations;
pub mod knowledge;
pub mod list_query;
pub mod markdown;
pub mod nav;
pub mod pages;
pub mod platform;
pub mod shell;
pub mod theme;
pub mod vendor;
pub mod widgets;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub use error::AppError;

/// The whole client: the sign-in page for someone not signed in, else the
/// shell around the routed pages.
#[component]
pub fn App() -> impl IntoView {
    platform::provide_platform();
    auth::provide_session();
    let session = auth::use_session();
    view! {
        <Router>
            {move || match session.0.get() {
                None => view! { <p class="muted loading">"Loading…"</p> }.into_any(),
                Some(Err(AppError::Unauthenticated)) => view! {
                    <Routes fallback=pages::sign_in::SignIn>
                        <Route path=path!("/setup") view=pages::sign_in::Setup />
                    </Routes>
                }
                .into_any(),
                Some(Err(error)) => view! { <pages::settings::ErrorMessage error /> }.into_any(),
                Some(Ok(_)) => view! {
                    <shell::Shell>
                        <Routes fallback=pages::not_found::NotFound>
                            <Route path=path!("/") view=pages::dashboard::Dashboard />
                            <Route path=path!("/data") view=pages::data::DataPage />
                            <Route path=path!("/data/:section") view=pages::data::DataPage />
                            <Route path=path!("/settings") view=pages::settings::SettingsPage />
                            <Route path=path!("/settings/:section") view=pages::settings::SettingsPage />
                            <Route path=path!("/search") view=pages::search::SearchPage />
                            <Route path=path!("/dashboards") view=pages::dashboards::DashboardsPage />
                            <Route path=path!("/dashboards/:id") view=pages::custom_dashboard::CustomDashboardPage />
                            <Route path=path!("/matrix") view=pages::matrix::MatrixPage />
                            <Route path=path!("/investigations") view=pages::investigations::InvestigationsPage />
                            <Route path=path!("/investigations/:id") view=pages::investigation::InvestigationPage />
                            <Route path=path!("/entity/:id") view=pages::entity::EntityPage />
                            <Route path=path!("/entity/:id/:tab") view=pages::entity::EntityPage />
                            <Route path=path!("/:category") view=pages::category::CategoryPage />
                            <Route path=path!("/:category/:kind") view=pages::category::KindPage />
                        </Routes>
                    </shell::Shell>
                }
                .into_any(),
            }}
        </Router>
    }
}

/// Registers every server function with the axum integration. Called once by the
/// server's router: explicit, so that no function depends on link-time discovery.
#[cfg(feature = "ssr")]
pub fn register_server_fns() {
    use leptos::server_fn::axum::register_explicit;
    register_explicit::<platform::GetPlatform>();
    register_explicit::<platform::SetPlatformTitle>();
    register_explicit::<auth::Whoami>();
    register_explicit::<auth::Login>();
    register_explicit::<auth::Logout>();
    register_explicit::<auth::ChangePassword>();
    register_explicit::<auth::SetupNeeded>();
    register_explicit::<auth::CompleteSetup>();
    register_explicit::<knowledge::KnowledgeCounts>();
    register_explicit::<knowledge::KindCounts>();
    register_explicit::<knowledge::GetVocabulary>();
    register_explicit::<knowledge::Techniques>();
    register_explicit::<pages::entity::indicators::Detections>();
    register_explicit::<knowledge::ListObjects>();
    register_explicit::<knowledge::GetEntity>();
    register_explicit::<graph::data::ExpandGraph>();
    register_explicit::<graph::data::ContainerGraph>();
    register_explicit::<graph::data::AddToContainer>();
    register_explicit::<graph::data::RelateInContainer>();
    register_explicit::<investigations::ListInvestigations>();
    register_explicit::<investigations::OpenInvestigation>();
    register_explicit::<investigations::CreateInvestigation>();
    register_explicit::<investigations::SaveInvestigation>();
    register_explicit::<investigations::DeleteInvestigation>();
    register_explicit::<investigations::InvestigationToReport>();
    register_explicit::<dashboard::data::WidgetSeries>();
    register_explicit::<dashboard::data::NewestObjects>();
    register_explicit::<dashboard::data::AttackMatrix>();
    register_explicit::<dashboard::data::ListDashboards>();
    register_explicit::<dashboard::data::OpenDashboard>();
    register_explicit::<dashboard::data::CreateDashboard>();
    register_explicit::<dashboard::data::SaveDashboard>();
    register_explicit::<dashboard::data::DuplicateDashboard>();
    register_explicit::<dashboard::data::DeleteDashboard>();
    register_explicit::<dashboard::data::ImportDashboard>();
    register_explicit::<knowledge::Search>();
    register_explicit::<knowledge::History>();
    register_explicit::<knowledge::Export>();
    register_explicit::<knowledge::ExportList>();
    register_explicit::<knowledge::ListWorks>();
    register_explicit::<knowledge::WorkErrors>();
    register_explicit::<imports::Upload>();
    register_explicit::<editing::SaveObject>();
    register_explicit::<editing::ApplyBulkChange>();
    register_explicit::<editing::DeleteObjects>();
    register_explicit::<editing::ListTrash>();
    register_explicit::<editing::Restore>();
    register_explicit::<editing::LoadDemo>();
    register_explicit::<admin::ListUsers>();
    register_explicit::<admin::CreateUser>();
    register_explicit::<admin::UpdateUser>();
    register_explicit::<admin::ResetPassword>();
    register_explicit::<admin::ListGroups>();
    register_explicit::<admin::SaveGroup>();
    register_explicit::<admin::ListRoles>();
    register_explicit::<admin::SaveRole>();
    register_explicit::<admin::ListOrganizations>();
    register_explicit::<admin::CreateOrganization>();
    register_explicit::<admin::ListMarkings>();
    register_explicit::<admin::CreateMarking>();
    register_explicit::<admin::MyTokens>();
    register_explicit::<admin::CreateToken>();
    register_explicit::<admin::RevokeToken>();
    register_explicit::<admin::ListTokens>();
    register_explicit::<admin::ListSessions>();
    register_explicit::<admin::RevokeSession>();
    register_explicit::<admin::AuditLog>();
}
