//! The home page. Its widgets come with the dashboards feature; until then it
//! shows the platform's real state and says plainly what is missing.

use leptos::prelude::*;

use crate::pages::not_built::NotBuilt;
use crate::pages::settings::StoreFacts;

#[component]
pub fn Dashboard() -> impl IntoView {
    view! {
        <section class="page" data-testid="dashboard">
            <h1>"Dashboard"</h1>
            <NotBuilt what="Dashboard widgets".to_owned() />
            <StoreFacts />
        </section>
    }
}
