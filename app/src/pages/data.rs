//! Data: import (upload), works (with live progress), export and trash.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::nav::DATA_PAGES;
use crate::pages::not_found::NotFound;

#[component]
pub fn DataPage() -> impl IntoView {
    let params = use_params_map();
    let section = Memo::new(move |_| params.with(|p| p.get("section")));
    move || {
        let current = section.get();
        let page = match current.as_deref() {
            None => None,
            Some(slug) => match DATA_PAGES.iter().find(|(s, _)| *s == slug) {
                Some(page) => Some(*page),
                None => return NotFound().into_any(),
            },
        };
        view! {
            <section class="page" data-testid="data-page">
                <h1>{page.map_or("Data", |(_, label)| label)}</h1>
                <nav class="tabs">
                    {DATA_PAGES
                        .iter()
                        .map(|(slug, label)| view! { <A href=format!("/data/{slug}")>{*label}</A> })
                        .collect_view()}
                </nav>
                {match page.map(|(slug, _)| slug) {
                    Some("import") => view! { <crate::imports::ImportPage /> }.into_any(),
                    Some("export") => view! { <crate::pages::export::ExportPage /> }.into_any(),
                    Some("trash") => view! { <crate::pages::trash::TrashPage /> }.into_any(),
                    _ => view! { <crate::imports::WorksPage /> }.into_any(),
                }}
            </section>
        }
        .into_any()
    }
}
