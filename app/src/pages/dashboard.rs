//! The home page: the home dashboard (counts of the main kinds with their
//! change, ingestion per day, the most active intrusion sets and malware, the
//! most targeted sectors and countries, the techniques used most, the latest
//! reports and cases), every widget reading the period of the picker. On an
//! empty knowledge base it offers a first run: load the generated demo data,
//! or import a file.

use cairn_access::Capability;
use cairn_model::dashboard::home_widgets;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::auth::use_session;
use crate::dashboard::grid::Grid;
use crate::dashboard::period::{PeriodPicker, resolve};
use crate::editing::load_demo;
use crate::widgets::KindCounts;
use crate::widgets::thousands;

/// About how many objects the demo data holds.
const DEMO_OBJECTS: usize = 3000;
/// Where the home page keeps the picked period.
const PERIOD_KEY: &str = "cairn-home-period";

fn stored_period() -> String {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(PERIOD_KEY).ok().flatten())
        .filter(|p| cairn_model::dates::resolve_period(p, "2000-01-01").is_some())
        .unwrap_or_else(|| "30d".to_owned())
}

#[component]
pub fn Dashboard() -> impl IntoView {
    // The navigation's counts: the shell, around every signed-in page, reads them.
    let KindCounts(counts) = expect_context::<KindCounts>();
    let empty = move || matches!(counts.get(), Some(Ok(list)) if list.iter().all(|(_, n)| *n == 0));
    let period = RwSignal::new(stored_period());
    Effect::new(move |_| {
        let key = period.get();
        if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
            let _ = storage.set_item(PERIOD_KEY, &key);
        }
    });
    let resolved = Signal::derive(move || resolve(&period.get()));
    let widgets = Signal::stored(home_widgets());
    view! {
        <section class="page" data-testid="dashboard">
            <header class="page-header">
                <h1>"Dashboard"</h1>
                <PeriodPicker period />
            </header>
            {move || match counts.get() {
                Some(Ok(list)) => {
                    let total: u64 = list.iter().map(|(_, n)| n).sum();
                    let kinds = list.iter().filter(|(_, n)| *n > 0).count();
                    view! {
                        <p class="muted" data-testid="knowledge-total">
                            {format!("{} entities across {kinds} kinds.", thousands(total))}
                        </p>
                    }
                    .into_any()
                }
                Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                None => ().into_any(),
            }}
            <Show when=empty>
                <FirstRun />
            </Show>
            <Grid widgets period=resolved editing=false />
        </section>
    }
}

/// What a newcomer sees on an empty knowledge base.
#[component]
fn FirstRun() -> impl IntoView {
    let session = use_session();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let load = move |_| {
        let navigate = navigate.clone();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match load_demo(DEMO_OBJECTS).await {
                Ok(_) => navigate("/data/works", NavigateOptions::default()),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <div class="card wide first-run" data-testid="first-run">
            <h2>"The knowledge base is empty"</h2>
            <p>
                "Load the demo data — about 3,000 generated threat actors, intrusion sets, campaigns, malware, "
                "techniques, indicators, observables and reports, related as in real intelligence — "
                "or import your own STIX 2.1 bundles."
            </p>
            {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="form-actions">
                <Show when=move || session.can(Capability::Import)
                    fallback=|| view! { <p class="muted">"Ask someone allowed to import to load data."</p> }>
                    <button type="button" data-testid="load-demo" disabled=move || busy.get() on:click=load.clone()>
                        "Load demo data"
                    </button>
                    <A href="/data/import">"Import a file"</A>
                </Show>
            </div>
        </div>
    }
}
