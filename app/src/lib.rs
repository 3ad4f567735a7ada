//! The Cairn web application: routes, pages, components and the server
//! functions they call.
//!
//! Built twice: with feature `csr` into the WASM client (by Trunk, through the
//! `frontend` crate), and with feature `ssr` into the server, where the bodies of
//! the `#[server]` functions run against the [`cairn_store::Store`] provided as
//! context. Each feature module keeps its server functions beside the components
//! that call them; server-only code sits behind `#[cfg(feature = "ssr")]`.

pub mod error;
pub mod icon;
pub mod knowledge;
pub mod nav;
pub mod pages;
pub mod platform;
pub mod shell;
pub mod theme;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

pub use error::AppError;

/// The whole client: the shell around the routed pages.
#[component]
pub fn App() -> impl IntoView {
    platform::provide_platform();
    view! {
        <Router>
            <shell::Shell>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::dashboard::Dashboard />
                    <Route path=path!("/data") view=pages::data::DataPage />
                    <Route path=path!("/data/:section") view=pages::data::DataPage />
                    <Route path=path!("/settings") view=pages::settings::SettingsPage />
                    <Route path=path!("/:category") view=pages::category::CategoryPage />
                    <Route path=path!("/:category/:kind") view=pages::category::KindPage />
                </Routes>
            </shell::Shell>
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
    register_explicit::<knowledge::KnowledgeCounts>();
    register_explicit::<knowledge::ListWorks>();
}
