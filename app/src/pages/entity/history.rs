//! The History tab: who changed the object, when, through which import, and
//! which fields, from the store's history log.

use leptos::prelude::*;

use crate::knowledge::history;
use crate::widgets::instant;

#[component]
pub fn History(id: String) -> impl IntoView {
    let entries = LocalResource::new(move || history(id.clone()));
    move || {
        match entries.get() {
        None => view! { <p class="muted">"Loading…"</p> }.into_any(),
        Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
        Some(Ok(entries)) if entries.is_empty() => {
            view! { <p class="muted">"No recorded changes."</p> }.into_any()
        }
        Some(Ok(entries)) => view! {
            <div class="card wide">
                <table class="table" data-testid="history-table">
                    <thead><tr><th>"When"</th><th>"Who"</th><th>"What"</th><th>"Fields"</th><th>"Through"</th></tr></thead>
                    <tbody>
                        {entries.into_iter().rev().map(|e| view! {
                            <tr>
                                <td>{instant(&e.at)}</td>
                                <td>{e.user.unwrap_or_else(|| "system".to_owned())}</td>
                                <td><code>{e.action}</code></td>
                                <td class="clip">{e.fields.join(", ")}</td>
                                <td>{e.work.map(|w| format!("import {w}"))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
    }
}
