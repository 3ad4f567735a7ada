//! The one entity page every kind shares (`/entity/<stix-id>`): a header with
//! the kind, name and markings, and tabs for the overview, the knowledge
//! around it, its graph and its history. Everything comes from one `get_entity` call,
//! read through the caller's scope.

mod actions;
mod graph;
mod history;
pub mod indicators;
mod knowledge;
mod overview;

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use serde_json::Value;

use crate::error::AppError;
use crate::knowledge::get_entity;
use crate::widgets::{KindIcon, MarkingChips, kind_label, kind_of};
use cairn_model::Entity;

/// The tabs, by URL segment.
const TABS: [(&str, &str); 6] = [
    ("overview", "Overview"),
    ("knowledge", "Knowledge"),
    ("matrix", "ATT&CK matrix"),
    ("graph", "Graph"),
    ("indicators", "Indicators"),
    ("history", "History"),
];

/// An entity as the page reads it: the parsed STIX and what came with it.
#[derive(Clone)]
pub struct Loaded {
    pub id: String,
    pub stix: Value,
    pub entity: Entity,
}

impl Loaded {
    pub fn str(&self, key: &str) -> Option<String> {
        self.stix
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    pub fn stix_type(&self) -> String {
        self.str("type").unwrap_or_default()
    }

    pub fn kind(&self) -> Option<&'static cairn_stix::Kind> {
        let object: cairn_stix::Object<'_> = serde_json::from_str(&self.entity.stix).ok()?;
        cairn_stix::Kind::of_object(&object).or_else(|| kind_of(None, &self.stix_type()))
    }

    /// The name to show: name, observable value, or the id.
    pub fn title(&self) -> String {
        ["name", "value", "pattern", "abstract", "path", "key"]
            .iter()
            .find_map(|key| self.str(key))
            .unwrap_or_else(|| self.id.clone())
    }
}

#[component]
pub fn EntityPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let tab =
        Memo::new(move |_| params.with(|p| p.get("tab").unwrap_or_else(|| "overview".to_owned())));
    let entity = LocalResource::new(move || get_entity(id.get()));
    let entity_resource = entity;
    view! {
        <section class="page entity-page" data-testid="entity-page">
            {move || match entity.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(AppError::NotFound(_))) => view! {
                    <h1>"Not found"</h1>
                    <p class="muted" data-testid="entity-missing">
                        "No object with this id exists, or you are not cleared to see it."
                    </p>
                }
                .into_any(),
                Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                Some(Ok(entity)) => match serde_json::from_str::<Value>(&entity.stix) {
                    Ok(stix) => {
                        let loaded = Loaded { id: id.get_untracked(), stix, entity: entity.clone() };
                        let reload = Callback::new(move |_| entity_resource.refetch());
                        view! { <Page loaded tab reload /> }.into_any()
                    }
                    Err(error) => view! {
                        <p class="error" role="alert">{format!("The stored STIX does not parse: {error}")}</p>
                    }
                    .into_any(),
                },
            }}
        </section>
    }
}

#[component]
fn Page(loaded: Loaded, tab: Memo<String>, reload: Callback<()>) -> impl IntoView {
    let kind = loaded.kind();
    let revoked = loaded.stix.get("revoked").and_then(Value::as_bool) == Some(true);
    let base = format!("/entity/{}", loaded.id);
    // Indicators and observables detect threats, tools and the like, not themselves.
    let stix_type = loaded.stix_type();
    let detects = stix_type != "indicator"
        && stix_type != "relationship"
        && !cairn_stix::types::is_sco_type(&stix_type);
    // A relationship is drawn on the graphs of its ends.
    let graphable = stix_type != "relationship";
    let matrix = crate::dashboard::matrix::has_matrix(&stix_type);
    let stored = StoredValue::new(loaded.clone());
    view! {
        <header class="entity-header">
            <h1 class="kind-heading" data-testid="entity-title">
                <KindIcon kind />
                <span>{loaded.title()}</span>
            </h1>
            <div class="entity-meta">
                <span class="kind-chip" data-testid="entity-kind">{kind_label(kind, &loaded.stix_type())}</span>
                {revoked.then(|| view! { <span class="revoked-chip">"Revoked"</span> })}
                <MarkingChips markings=loaded.entity.links.markings.clone() />
            </div>
            <actions::Actions loaded=loaded.clone() reload />
        </header>
        <nav class="tabs" aria-label="Entity">
            {TABS.iter().filter(|(slug, _)| (*slug != "indicators" || detects) && (*slug != "graph" || graphable) && (*slug != "matrix" || matrix)).map(|(slug, label)| {
                let href = if *slug == "overview" { base.clone() } else { format!("{base}/{slug}") };
                view! { <A href=href exact=true attr:data-testid=format!("tab-{slug}")>{*label}</A> }
            }).collect_view()}
        </nav>
        {move || {
            let loaded = stored.get_value();
            match tab.get().as_str() {
                "knowledge" => view! { <knowledge::Knowledge loaded /> }.into_any(),
                "graph" => view! { <graph::GraphTab loaded /> }.into_any(),
                "matrix" => view! { <crate::dashboard::matrix::MatrixView of=loaded.id.clone() /> }.into_any(),
                "history" => view! { <history::History id=loaded.id.clone() /> }.into_any(),
                "indicators" => view! { <indicators::Indicators id=loaded.id.clone() /> }.into_any(),
                _ => view! { <overview::Overview loaded /> }.into_any(),
            }
        }}
    }
}
