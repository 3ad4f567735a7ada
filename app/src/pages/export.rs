//! Data → Export: the whole knowledge base the reader may see, or some kinds
//! of it, as a STIX 2.1 bundle or CSV, downloaded in the browser.

use cairn_stix::{KINDS, StixMapping};
use leptos::prelude::*;

use crate::knowledge::export;
use crate::widgets::{ExportFormatChoice, download_export};

#[component]
pub fn ExportPage() -> impl IntoView {
    let stix_type = RwSignal::new(String::new());
    let csv = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let mut types: Vec<&'static str> = KINDS
        .iter()
        .filter(|k| k.stix != StixMapping::Observables)
        .map(|k| k.stix.stix_type())
        .collect();
    types.sort_unstable();
    types.dedup();
    let run = move |_: ()| {
        let (chosen, csv) = (stix_type.get_untracked(), csv.get_untracked());
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let types = if chosen.is_empty() {
                Vec::new()
            } else {
                vec![chosen.clone()]
            };
            let result = export(types, Vec::new(), 0, csv).await;
            busy.set(false);
            let name = if chosen.is_empty() {
                "cairn".to_owned()
            } else {
                chosen
            };
            if let Err(e) = result
                .map_err(|e| e.to_string())
                .and_then(|text| download_export(&format!("{name}-export"), csv, &text))
            {
                error.set(Some(e));
            }
        });
    };
    view! {
        <div class="card export-panel" data-testid="export-page">
            <h2>"Export the knowledge base"</h2>
            <p class="muted">"Everything you may see, or one type of it. Lists export their filtered rows from their own page."</p>
            <label class="field">
                <span>"What"</span>
                <select data-testid="export-type" on:change=move |e| stix_type.set(event_target_value(&e))>
                    <option value="">"Everything"</option>
                    {types.into_iter().map(|t| view! { <option value=t>{t}</option> }).collect_view()}
                </select>
            </label>
            <ExportFormatChoice csv error busy on_download=run />
        </div>
    }
}
