//! Marking definitions: the well-known TLP and PAP levels and custom ones,
//! each ranked within its scheme and shown in its colour.

use cairn_model::MarkingView;
use leptos::prelude::*;

use crate::admin::{create_marking, list_markings};
use crate::pages::access::{failure, loaded};
use crate::pages::sign_in::Field;

#[component]
pub fn Markings() -> impl IntoView {
    let markings = LocalResource::new(list_markings);
    let scheme = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let order = RwSignal::new("1".to_owned());
    let color = RwSignal::new("#5c6bc0".to_owned());
    let create = Action::new_local(|(s, n, o, c): &(String, String, i64, String)| {
        create_marking(s.clone(), n.clone(), *o, c.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            markings.refetch();
        }
    });
    let error = failure(create);
    view! {
        <form class="card form" data-testid="marking-create" on:submit=move |event| {
            event.prevent_default();
            let rank = order.get_untracked().trim().parse().unwrap_or(-1);
            create.dispatch((scheme.get_untracked(), name.get_untracked(), rank, color.get_untracked()));
        }>
            <h2>"New marking definition"</h2>
            <Field id="marking-scheme" label="Scheme (e.g. ACME)" value=scheme />
            <Field id="marking-name" label="Name (e.g. ACME:INTERNAL)" value=name />
            <Field id="marking-order" label="Order within the scheme (a clearance covers lower orders)" value=order kind="number" />
            <Field id="marking-color" label="Colour" value=color kind="color" />
            <Show when=move || error().is_some()><p class="field-error" role="alert">{error}</p></Show>
            <div class="form-actions"><button type="submit">"Create marking"</button></div>
        </form>
        <div class="card wide">
            <h2>"Marking definitions"</h2>
            {loaded(markings, |markings: Vec<MarkingView>| view! {
                <table class="table" data-testid="marking-table">
                    <thead><tr><th>"Marking"</th><th>"Scheme"</th><th>"Order"</th></tr></thead>
                    <tbody>
                        {markings.into_iter().map(|m| view! {
                            <tr>
                                <td><span class="marking" style=format!("--marking: {}", m.color)>{m.name}</span></td>
                                <td>{m.scheme}</td>
                                <td>{m.order}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </div>
    }
}
