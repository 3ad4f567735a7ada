//! A knowledge category (`/threats`) and a kind's list page (`/threats/intrusion-sets`),
//! both driven by the type registry, with live counts.

use cairn_stix::{Category, Kind};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::icon::IconSvg;
use crate::pages::list::KindList;
use crate::pages::not_found::NotFound;
use crate::widgets::{kind_count, thousands};

fn category_param() -> Memo<Option<Category>> {
    let params = use_params_map();
    Memo::new(move |_| params.with(|p| p.get("category").and_then(|s| Category::from_slug(&s))))
}

/// The overview of one category: its kinds, each linking to its list.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let category = category_param();
    move || {
        match category.get() {
        None => NotFound().into_any(),
        Some(category) => view! {
            <section class="page" data-testid="category-page">
                <h1>{category.label()}</h1>
                <ul class="kind-grid">
                    {category
                        .kinds()
                        .map(|kind| {
                            view! {
                                <li>
                                    <A href=kind.path() attr:class="kind-card">
                                        <IconSvg icon=kind.icon color=kind.color />
                                        <span>{kind.plural}</span>
                                        <span class="count">{move || kind_count(kind).map(thousands)}</span>
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
        .into_any(),
    }
    }
}

/// The list page of one kind.
#[component]
pub fn KindPage() -> impl IntoView {
    let category = category_param();
    let params = use_params_map();
    let kind = Memo::new(move |_| {
        let slug = params.with(|p| p.get("kind"))?;
        Kind::by_slug(category.get()?, &slug)
    });
    move || match kind.get() {
        None => NotFound().into_any(),
        Some(kind) => view! { <KindList kind /> }.into_any(),
    }
}
