//! Investigations (`/investigations`): the caller's saved workspaces and
//! those shared with everyone, and a new one started from search.

use cairn_model::SearchHit;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::graph::controls::AddBySearch;
use crate::investigations::{create_investigation, list_investigations};
use crate::widgets::{KindIcon, instant, kind_of, thousands};

#[component]
pub fn InvestigationsPage() -> impl IntoView {
    let list = LocalResource::new(list_investigations);
    view! {
        <section class="page" data-testid="investigations-page">
            <h1>"Investigations"</h1>
            <p class="muted">"Graph workspaces: start from search or from an entity's graph, expand, find paths, keep notes, and turn the result into a report."</p>
            <NewInvestigation />
            {move || match list.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                Some(Ok(items)) if items.is_empty() => view! {
                    <p class="muted" data-testid="investigations-empty">"No investigations yet."</p>
                }.into_any(),
                Some(Ok(items)) => view! {
                    <table class="list-table" data-testid="investigations-list">
                        <thead><tr><th>"Name"</th><th>"Owner"</th><th>"Objects"</th><th>"Shared"</th><th>"Modified"</th></tr></thead>
                        <tbody>
                            {items.into_iter().map(|i| view! {
                                <tr data-testid="investigation-row">
                                    <td><A href=format!("/investigations/{}", i.id)>{i.name}</A></td>
                                    <td>{i.owner}</td>
                                    <td>{thousands(i.nodes)}</td>
                                    <td>{if i.shared { "Shared" } else { "Private" }}</td>
                                    <td>{instant(&i.modified)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}

/// A name and the entities to start from, picked by search.
#[component]
fn NewInvestigation() -> impl IntoView {
    let name = RwSignal::new(String::new());
    let start = RwSignal::new(Vec::<SearchHit>::new());
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let create = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let objects: Vec<String> = start
            .get_untracked()
            .into_iter()
            .map(|h| h.stix_id)
            .collect();
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match create_investigation(name.get_untracked(), objects).await {
                Ok(id) => navigate(&format!("/investigations/{id}"), Default::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <form class="object-form new-investigation" data-testid="investigation-new" on:submit=create>
            <h2>"New investigation"</h2>
            <label>"Name"
                <input type="text" required data-testid="investigation-name" prop:value=move || name.get()
                    on:input=move |e| name.set(event_target_value(&e)) />
            </label>
            <div>"Start from"
                <ul class="picked">
                    {move || start.get().into_iter().map(|hit| {
                        let kind = kind_of(hit.kind.as_deref(), &hit.stix_type);
                        let id = hit.stix_id.clone();
                        view! {
                            <li data-testid="investigation-start">
                                <KindIcon kind />
                                <span>{hit.name.clone().or(hit.value.clone()).unwrap_or(hit.stix_id.clone())}</span>
                                <button type="button" class="link-button" aria-label="Remove"
                                    on:click=move |_| start.update(|s| s.retain(|h| h.stix_id != id))>"×"</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <AddBySearch on_pick=Callback::new(move |hit: SearchHit| start.update(|s| {
                    if !s.iter().any(|h| h.stix_id == hit.stix_id) { s.push(hit) }
                })) />
            </div>
            {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <button type="submit" data-testid="investigation-create">"Create"</button>
        </form>
    }
}
