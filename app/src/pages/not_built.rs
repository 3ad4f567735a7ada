//! The honest notice for a page whose feature is not built yet.

use leptos::prelude::*;

/// Says plainly that `what` is not built yet and shows nothing invented.
#[component]
pub fn NotBuilt(what: String) -> impl IntoView {
    view! {
        <div class="notice" data-testid="not-built">
            <strong>{what}" are not built yet."</strong>
            <p>"This part of Cairn is planned and will appear here when it lands. No data is shown rather than invented data."</p>
        </div>
    }
}
