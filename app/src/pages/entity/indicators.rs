//! The Indicators tab: the indicators and observables around an entity (by any
//! relationship, either direction), each indicator's pattern shown and checked
//! by the STIX crate's pattern parser.

use cairn_model::Neighbour;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::widgets::{EntityLink, kind_of};

/// Most indicators whose patterns one tab reads.
pub const MAX_INDICATORS: usize = 200;

/// An indicator or observable next to the entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    pub neighbour: Neighbour,
    /// An indicator's pattern and its language.
    pub pattern: Option<String>,
    pub pattern_type: Option<String>,
}

/// The indicators and observables related to `id`, indicators first.
#[leptos::server(endpoint = "knowledge/indicators", input = leptos::server_fn::codec::Json)]
pub async fn detections(id: String) -> Result<Vec<Detection>, AppError> {
    let access = crate::auth::require(cairn_access::Capability::Knowledge)?;
    let scope = access.scope();
    let mut found = Vec::new();
    let mut indicators = 0;
    for neighbour in access.store.neighbours(scope, &id).await? {
        let (mut pattern, mut pattern_type) = (None, None);
        if neighbour.other_type == "indicator" {
            indicators += 1;
            if indicators > MAX_INDICATORS {
                continue;
            }
            if let Some(raw) = access.store.get_object(scope, &neighbour.other_id).await?
                && let Ok(stix) = serde_json::from_str::<serde_json::Value>(&raw)
            {
                pattern = stix["pattern"].as_str().map(str::to_owned);
                pattern_type = stix["pattern_type"].as_str().map(str::to_owned);
            }
        } else if !cairn_stix::types::is_sco_type(&neighbour.other_type) {
            continue;
        }
        found.push(Detection {
            neighbour,
            pattern,
            pattern_type,
        });
    }
    found.sort_by_key(|d| d.neighbour.other_type != "indicator");
    Ok(found)
}

#[component]
pub fn Indicators(id: String) -> impl IntoView {
    let found = LocalResource::new(move || detections(id.clone()));
    move || {
        match found.get() {
        None => view! { <p class="muted">"Loading…"</p> }.into_any(),
        Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
        Some(Ok(list)) if list.is_empty() => view! {
            <p class="muted empty" data-testid="indicators-empty">
                "No indicators or observables are related to this yet. Relate one with “Add relationship”."
            </p>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <div class="card wide">
                <table class="table" data-testid="indicators-table">
                    <thead><tr><th>"Indicator or observable"</th><th>"Relationship"</th><th>"Pattern"</th></tr></thead>
                    <tbody>
                        {list.into_iter().map(|d| {
                            let n = d.neighbour;
                            let name = n.other_name.clone().unwrap_or_else(|| n.other_id.clone());
                            let verb = if n.direction == "out" {
                                n.relationship_type.clone()
                            } else {
                                format!("{} (to this)", n.relationship_type)
                            };
                            view! {
                                <tr data-testid="indicator-row">
                                    <td><EntityLink stix_id=n.other_id.clone() kind=kind_of(n.other_kind.as_deref(), &n.other_type) name /></td>
                                    <td>{verb}</td>
                                    <td>{d.pattern.map(|p| view! { <PatternCell pattern=p pattern_type=d.pattern_type /> })}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any(),
    }
    }
}

/// A pattern, with whether it parses (STIX patterns only).
#[component]
fn PatternCell(pattern: String, pattern_type: Option<String>) -> impl IntoView {
    let check = (pattern_type.as_deref() == Some("stix")).then(|| {
        cairn_stix::pattern::Pattern::parse(&pattern)
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    view! {
        <code class="pattern" data-testid="indicator-pattern">{pattern}</code>
        {match check {
            Some(Ok(())) => view! { <span class="ok" data-testid="pattern-valid">" ✓ valid"</span> }.into_any(),
            Some(Err(e)) => view! { <span class="error" data-testid="pattern-invalid">{format!(" invalid: {e}")}</span> }.into_any(),
            None => view! { <span class="muted">{format!(" ({})", pattern_type.unwrap_or_default())}</span> }.into_any(),
        }}
    }
}
