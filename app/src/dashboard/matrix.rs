//! The ATT&CK matrix: tactics as columns, techniques as cells (their
//! sub-techniques folded in), coloured by how often each is used; for the
//! whole base or for one intrusion set, campaign, malware, tool, report or
//! case. A click opens the technique.

use cairn_model::dashboard::{Matrix, MatrixCell};
use cairn_stix::attack::tactic_label;
use leptos::prelude::*;
use leptos_router::components::A;

use super::data::attack_matrix;
use crate::widgets::{entity_path, thousands};

/// Whether an object of this STIX type has a matrix of its own.
pub fn has_matrix(stix_type: &str) -> bool {
    matches!(
        stix_type,
        "intrusion-set"
            | "campaign"
            | "malware"
            | "tool"
            | "threat-actor"
            | "report"
            | "grouping"
            | "x-opencti-case-incident"
            | "x-opencti-case-rfi"
            | "x-opencti-case-rft"
    )
}

/// The heat level (0–4) of a count against the largest.
fn level(count: u64, max: u64) -> u64 {
    if count == 0 || max == 0 {
        0
    } else {
        ((count as f64 / max as f64) * 4.0).ceil().clamp(1.0, 4.0) as u64
    }
}

#[component]
pub fn MatrixView(#[prop(optional)] of: Option<String>) -> impl IntoView {
    let scoped = of.is_some();
    let read = LocalResource::new(move || attack_matrix(of.clone()));
    let used_only = RwSignal::new(scoped);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"Loading the matrix…"</p> }>
            {move || read.get().map(|result| match result {
                Ok(m) if m.columns.is_empty() => view! {
                    <p class="muted">"No ATT&CK techniques in the knowledge base yet: import MITRE ATT&CK to see the matrix."</p>
                }.into_any(),
                Ok(m) => view! { <MatrixTable matrix=m used_only /> }.into_any(),
                Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn MatrixTable(matrix: Matrix, used_only: RwSignal<bool>) -> impl IntoView {
    let max = matrix.max;
    let summary = format!(
        "{} techniques used, the most used {} times.",
        thousands(matrix.used),
        thousands(max)
    );
    let columns = StoredValue::new(matrix.columns);
    view! {
        <div class="matrix-bar">
            <p class="muted" data-testid="matrix-summary">{summary}</p>
            <label class="inline">
                <input type="checkbox" data-testid="matrix-used-only" prop:checked=move || used_only.get()
                    on:change=move |ev| used_only.set(event_target_checked(&ev)) />
                " Only techniques used"
            </label>
            <span class="matrix-legend" aria-hidden="true">
                "Less" {(1..=4).map(|l| view! { <span class=format!("heat heat-{l}")></span> }).collect_view()} "More"
            </span>
        </div>
        <div class="matrix" data-testid="matrix">
            {move || columns.with_value(|columns| columns.iter().map(|column| {
                let cells: Vec<MatrixCell> = column.cells.iter().filter(|c| !used_only.get() || c.count > 0).cloned().collect();
                let count = cells.len();
                view! {
                    <div class="matrix-column" data-tactic=column.tactic.clone()>
                        <h3>{tactic_label(&column.tactic)} <span class="muted">{format!(" {count}")}</span></h3>
                        <ul>
                            {cells.into_iter().map(|c| {
                                let title = match (&c.attack_id, c.subtechniques) {
                                    (Some(id), 0) => format!("{id} · used {} times", c.count),
                                    (Some(id), n) => format!("{id} · used {} times · {} of {n} sub-techniques used", c.count, c.subtechniques_used),
                                    (None, _) => format!("used {} times", c.count),
                                };
                                view! {
                                    <li class=format!("matrix-cell heat heat-{}", level(c.count, max)) data-testid="matrix-cell"
                                        data-count=c.count.to_string() title=title>
                                        <A href=entity_path(&c.stix_id)>{c.name.clone()}</A>
                                        {(c.subtechniques > 0).then(|| view! { <span class="subs">{format!("{}/{}", c.subtechniques_used, c.subtechniques)}</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                }
            }).collect_view())}
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn heat_levels_span_one_to_four_for_used_cells() {
        assert_eq!(super::level(0, 10), 0);
        assert_eq!(super::level(1, 10), 1);
        assert_eq!(super::level(10, 10), 4);
        assert_eq!(super::level(6, 10), 3);
    }
}
