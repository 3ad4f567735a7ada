//! The Knowledge tab: for threats, malware and tools the ATT&CK techniques
//! used, by tactic as in the matrix; then every neighbour grouped by
//! relationship type and direction, each group a paged list with its own filter.

use std::collections::BTreeMap;

use cairn_model::{Neighbour, UsedTechnique};
use cairn_stix::Category;
use cairn_stix::attack::{tactic_label, tactic_rank};
use leptos::prelude::*;

use super::Loaded;
use crate::knowledge::techniques;
use crate::widgets::{EntityLink, kind_of, thousands};

/// Rows per page within a group.
const GROUP_PAGE: usize = 20;

#[component]
pub fn Knowledge(loaded: Loaded) -> impl IntoView {
    let uses_techniques = loaded
        .kind()
        .is_some_and(|k| matches!(k.category, Category::Threats | Category::Arsenal));
    let mut groups: BTreeMap<(String, String), Vec<Neighbour>> = BTreeMap::new();
    for n in loaded.entity.neighbours.clone() {
        groups
            .entry((n.relationship_type.clone(), n.direction.clone()))
            .or_default()
            .push(n);
    }
    view! {
        {uses_techniques.then(|| view! { <Techniques id=loaded.id.clone() /> })}
        {if groups.is_empty() {
            view! { <p class="muted">"No relationships yet."</p> }.into_any()
        } else {
            groups
                .into_iter()
                .map(|((verb, direction), mut items)| {
                    items.sort_by(|a, b| a.other_name.cmp(&b.other_name));
                    view! { <Group verb direction items /> }
                })
                .collect_view()
                .into_any()
        }}
    }
}

/// One relationship type in one direction: a filter and a page of neighbours.
#[component]
fn Group(verb: String, direction: String, items: Vec<Neighbour>) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let page = RwSignal::new(0usize);
    let total = items.len();
    let items = StoredValue::new(items);
    let title = if direction == "out" {
        format!("{verb} →")
    } else {
        format!("← {verb}")
    };
    let matching = Memo::new(move |_| {
        let needle = filter.get().to_lowercase();
        items.with_value(|items| {
            items
                .iter()
                .filter(|n| {
                    needle.is_empty()
                        || n.other_name
                            .as_deref()
                            .unwrap_or(&n.other_id)
                            .to_lowercase()
                            .contains(&needle)
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let pages = move || matching.with(|m| m.len().div_ceil(GROUP_PAGE)).max(1);
    view! {
        <div class="card wide group" data-testid=format!("group-{verb}-{direction}")>
            <div class="group-head">
                <h2>{title}" "<span class="count">{thousands(total as u64)}</span></h2>
                {(total > GROUP_PAGE).then(|| view! {
                    <input
                        type="search"
                        class="group-filter"
                        placeholder="Filter"
                        aria-label="Filter this group"
                        on:input=move |e| { filter.set(event_target_value(&e)); page.set(0); }
                    />
                })}
            </div>
            <ul class="plain-list neighbours">
                {move || {
                    let start = page.get() * GROUP_PAGE;
                    matching.get().into_iter().skip(start).take(GROUP_PAGE).map(|n| {
                        let kind = kind_of(n.other_kind.as_deref(), &n.other_type);
                        let name = n.other_name.clone().unwrap_or_else(|| n.other_id.clone());
                        view! { <li><EntityLink stix_id=n.other_id kind name /></li> }
                    }).collect_view()
                }}
            </ul>
            <Show when=move || { pages() > 1 }>
                <div class="pager">
                    <button type="button" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p -= 1)>"Previous"</button>
                    <span class="muted">{move || format!("{} / {}", page.get() + 1, pages())}</span>
                    <button type="button" disabled=move || page.get() + 1 >= pages() on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
                </div>
            </Show>
        </div>
    }
}

/// The techniques used, one column per tactic in matrix order.
#[component]
fn Techniques(id: String) -> impl IntoView {
    let used = LocalResource::new(move || techniques(id.clone()));
    move || match used.get() {
        None => view! { <p class="muted">"Loading techniques…"</p> }.into_any(),
        Some(Err(error)) => {
            view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any()
        }
        Some(Ok(used)) if used.is_empty() => ().into_any(),
        Some(Ok(used)) => {
            let count = used.len();
            view! {
                <div class="card wide" data-testid="techniques">
                    <h2>"ATT&CK techniques used "<span class="count">{count}</span></h2>
                    <div class="tactics">
                        {by_tactic(used).into_iter().map(|(tactic, techniques)| view! {
                            <div class="tactic" data-testid=format!("tactic-{tactic}")>
                                <h3>{tactic_label(&tactic)}</h3>
                                <ul class="plain-list">
                                    {techniques.into_iter().map(|t| {
                                        let name = match (&t.x_mitre_id, &t.name) {
                                            (Some(x), Some(n)) => format!("{x} {n}"),
                                            (_, Some(n)) => n.clone(),
                                            _ => t.stix_id.clone(),
                                        };
                                        view! {
                                            <li class:revoked=t.revoked>
                                                <EntityLink stix_id=t.stix_id kind=cairn_stix::Kind::by_name("Attack-Pattern") name />
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            </div>
                        }).collect_view()}
                    </div>
                </div>
            }
            .into_any()
        }
    }
}

/// Techniques grouped by tactic (a technique serving two appears under both),
/// tactics in matrix order; techniques without a phase under `other`.
fn by_tactic(used: Vec<UsedTechnique>) -> Vec<(String, Vec<UsedTechnique>)> {
    let mut columns: BTreeMap<(usize, String), Vec<UsedTechnique>> = BTreeMap::new();
    for technique in used {
        let tactics: Vec<String> = technique
            .phases
            .iter()
            .filter_map(|p| p.split_once(':').map(|(_, phase)| phase.to_owned()))
            .collect();
        let tactics = if tactics.is_empty() {
            vec!["other".to_owned()]
        } else {
            tactics
        };
        for tactic in tactics {
            columns
                .entry((tactic_rank(&tactic), tactic))
                .or_default()
                .push(technique.clone());
        }
    }
    columns
        .into_iter()
        .map(|((_, t), items)| (t, items))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn technique(name: &str, phases: &[&str]) -> UsedTechnique {
        UsedTechnique {
            stix_id: format!("attack-pattern--{name}"),
            name: Some(name.to_owned()),
            x_mitre_id: None,
            revoked: false,
            phases: phases.iter().map(|p| format!("mitre-attack:{p}")).collect(),
        }
    }

    #[test]
    fn techniques_fall_under_each_of_their_tactics_in_matrix_order() {
        let columns = by_tactic(vec![
            technique("Valid Accounts", &["persistence", "initial-access"]),
            technique("Phishing", &["initial-access"]),
            technique("Loose", &[]),
        ]);
        let tactics: Vec<&str> = columns.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(tactics, ["initial-access", "persistence", "other"]);
        assert_eq!(columns[0].1.len(), 2);
    }
}
