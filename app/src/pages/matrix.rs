//! The ATT&CK matrix of the whole knowledge base (`/matrix`): every technique
//! by tactic, coloured by how often the intrusion sets, malware, tools and
//! campaigns the reader sees use it.

use leptos::prelude::*;

use crate::dashboard::matrix::MatrixView;

#[component]
pub fn MatrixPage() -> impl IntoView {
    view! {
        <section class="page" data-testid="matrix-page">
            <h1>"ATT&CK matrix"</h1>
            <p class="muted">"Techniques by tactic, sub-techniques folded into their parent, coloured by how often they are used."</p>
            <MatrixView />
        </section>
    }
}
