//! Custom dashboards (`/dashboards`): the caller's dashboards and those shared
//! with everyone; a new one by name, or one imported from an export file.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::dashboard::data::{create_dashboard, import_dashboard, list_dashboards};
use crate::widgets::{instant, thousands};

#[component]
pub fn DashboardsPage() -> impl IntoView {
    let list = LocalResource::new(list_dashboards);
    view! {
        <section class="page" data-testid="dashboards-page">
            <h1>"Custom dashboards"</h1>
            <p class="muted">"Grids of widgets over entities, relationships and activity: yours, and those others share."</p>
            <NewDashboard />
            {move || match list.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! {
                    <p class="muted" data-testid="dashboards-empty">"No custom dashboards yet."</p>
                }.into_any(),
                Some(Ok(items)) => view! {
                    <table class="list-table" data-testid="dashboards-list">
                        <thead><tr><th>"Name"</th><th>"Owner"</th><th>"Widgets"</th><th>"Shared"</th><th>"Modified"</th></tr></thead>
                        <tbody>
                            {items.into_iter().map(|d| view! {
                                <tr data-testid="dashboard-row">
                                    <td><A href=format!("/dashboards/{}", d.id)>{d.name}</A></td>
                                    <td>{d.owner}</td>
                                    <td>{thousands(d.widgets)}</td>
                                    <td>{if d.shared { "Shared" } else { "Private" }}</td>
                                    <td>{instant(&d.modified)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

/// A new dashboard by name, or from a file.
#[component]
fn NewDashboard() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let open = {
        let navigate = navigate.clone();
        move |result: Result<String, crate::error::AppError>| match result {
            Ok(id) => navigate(&format!("/dashboards/{id}"), Default::default()),
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let create = {
        let open = open.clone();
        move |e: leptos::ev::SubmitEvent| {
            e.prevent_default();
            let open = open.clone();
            leptos::task::spawn_local(
                async move { open(create_dashboard(name.get_untracked()).await) },
            );
        }
    };
    let import = move |e: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let open = open.clone();
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|t| t.as_string());
            match text {
                Some(text) => open(import_dashboard(text).await),
                None => error.set(Some("the file could not be read".to_owned())),
            }
        });
    };
    view! {
        <form class="object-form new-dashboard" data-testid="dashboard-new" on:submit=create>
            <h2>"New dashboard"</h2>
            <label>"Name"
                <input type="text" required data-testid="dashboard-name" prop:value=move || name.get()
                    on:input=move |e| name.set(event_target_value(&e)) />
            </label>
            {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="form-actions">
                <button type="submit" data-testid="dashboard-create">"Create"</button>
                <label class="file-button">"Import a dashboard file…"
                    <input type="file" accept=".json,application/json" data-testid="dashboard-import" on:change=import />
                </label>
            </div>
        </form>
    }
}
