//! The page for an address that matches no route.

use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page" data-testid="not-found">
            <h1>"Page not found"</h1>
            <p>"Nothing lives at this address."</p>
            <A href="/">"Back to the dashboard"</A>
        </section>
    }
}
