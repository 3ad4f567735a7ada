//! Renders a registry [`Icon`](cairn_stix::Icon) as inline SVG.

use cairn_stix::Icon;
use leptos::prelude::*;

/// An icon from the registry, stroked in `color` (the current text colour by default).
#[component]
pub fn IconSvg(icon: Icon, #[prop(optional)] color: Option<&'static str>) -> impl IntoView {
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            width="18"
            height="18"
            fill="none"
            stroke=color.unwrap_or("currentColor")
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
            aria-hidden="true"
        >
            <path d=icon.path() />
        </svg>
    }
}
