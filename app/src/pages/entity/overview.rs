//! The Overview tab: description (Markdown, safely), aliases, the kind's own
//! properties read generically from the STIX, confidence, author, labels,
//! external references, kill-chain phases, an indicator's pattern checked by
//! the STIX crate, the first relationships, and the containers it is in (or,
//! for a container, what it holds).

use cairn_model::ObjectSummary;
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::Value;

use super::Loaded;
use crate::markdown::to_safe_html;
use crate::widgets::{EntityLink, LabelChips, day, entity_path, kind_of, thousands};

/// Properties shown elsewhere on the page, or bookkeeping not worth a row.
const SHOWN_ELSEWHERE: &[&str] = &[
    "type",
    "spec_version",
    "id",
    "created",
    "modified",
    "name",
    "description",
    "aliases",
    "x_mitre_aliases",
    "x_opencti_aliases",
    "confidence",
    "created_by_ref",
    "object_marking_refs",
    "labels",
    "external_references",
    "kill_chain_phases",
    "revoked",
    "object_refs",
    "pattern",
    "granular_markings",
    "x_mitre_attack_spec_version",
    "x_mitre_modified_by_ref",
    "x_mitre_domains",
    "x_mitre_version",
];

#[component]
pub fn Overview(loaded: Loaded) -> impl IntoView {
    let description = loaded.str("description");
    let aliases: Vec<String> = ["aliases", "x_mitre_aliases", "x_opencti_aliases"]
        .iter()
        .filter_map(|k| loaded.stix.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(Value::as_str)
        .filter(|a| Some(*a) != loaded.str("name").as_deref())
        .map(str::to_owned)
        .collect();
    let links = loaded.entity.links.clone();
    let confidence = loaded.stix.get("confidence").and_then(Value::as_i64);
    let pattern = loaded.str("pattern");
    let properties = properties(&loaded.stix);
    let neighbours = loaded.entity.neighbours.clone();
    let more_neighbours = neighbours.len().saturating_sub(10);
    let knowledge = format!("/entity/{}/knowledge", loaded.id);
    view! {
        <div class="entity-grid">
            <div class="card wide">
                <h2>"Description"</h2>
                {match description {
                    Some(text) => view! { <div class="markdown" data-testid="entity-description" inner_html=to_safe_html(&text)></div> }.into_any(),
                    None => view! { <p class="muted">"No description."</p> }.into_any(),
                }}
                {(!aliases.is_empty()).then(|| view! {
                    <h3>"Aliases"</h3>
                    <p data-testid="entity-aliases">{aliases.join(", ")}</p>
                })}
                {pattern.map(|pattern| view! { <Pattern pattern /> })}
            </div>
            <div class="card wide">
                <h2>"Details"</h2>
                <dl class="details" data-testid="entity-details">
                    <dt>"Created"</dt><dd>{day(loaded.str("created").as_deref())}</dd>
                    <dt>"Modified"</dt><dd>{day(loaded.str("modified").as_deref())}</dd>
                    {confidence.map(|c| view! { <dt>"Confidence"</dt><dd>{c}</dd> })}
                    {links.created_by.clone().map(|id| view! {
                        <dt>"Author"</dt>
                        <dd><EntityLink stix_id=id.clone() kind=None name=links.created_by_name.clone().unwrap_or(id) /></dd>
                    })}
                    {(!links.labels.is_empty()).then(|| view! {
                        <dt>"Labels"</dt><dd><LabelChips labels=links.labels.clone() /></dd>
                    })}
                    {(!links.kill_chain_phases.is_empty()).then(|| view! {
                        <dt>"Kill-chain phases"</dt>
                        <dd>{links.kill_chain_phases.iter().map(|p| view! { <span class="label-chip">{p.clone()}</span> }).collect_view()}</dd>
                    })}
                    {properties.into_iter().map(|(label, value)| view! {
                        <dt>{label}</dt><dd><PropertyValue value /></dd>
                    }).collect_view()}
                </dl>
            </div>
            {(!links.external_references.is_empty()).then(|| view! {
                <div class="card wide">
                    <h2>"External references"</h2>
                    <ul class="plain-list" data-testid="entity-references">
                        {links.external_references.iter().map(|r| {
                            let text = match &r.external_id {
                                Some(id) => format!("{} {id}", r.source_name),
                                None => r.source_name.clone(),
                            };
                            let safe = r.url.clone().filter(|u| u.starts_with("https://") || u.starts_with("http://"));
                            view! {
                                <li>
                                    {match safe {
                                        Some(url) => view! { <a href=url target="_blank" rel="noopener noreferrer">{text}</a> }.into_any(),
                                        None => view! { <span>{text}</span> }.into_any(),
                                    }}
                                    {r.description.clone().map(|d| view! { <span class="muted">{format!(" — {d}")}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            })}
            <div class="card wide">
                <h2>"Relationships"</h2>
                {if neighbours.is_empty() {
                    view! { <p class="muted">"No relationships."</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list" data-testid="entity-relationships">
                            {neighbours.into_iter().take(10).map(|n| {
                                let kind = kind_of(n.other_kind.as_deref(), &n.other_type);
                                let verb = if n.direction == "out" { n.relationship_type.clone() } else { format!("← {}", n.relationship_type) };
                                let name = n.other_name.clone().unwrap_or_else(|| n.other_id.clone());
                                view! {
                                    <li><span class="verb">{verb}</span>" "<EntityLink stix_id=n.other_id kind name /></li>
                                }
                            }).collect_view()}
                        </ul>
                        {(more_neighbours > 0).then(|| view! {
                            <A href=knowledge.clone()>{format!("and {} more in Knowledge", thousands(more_neighbours as u64))}</A>
                        })}
                    }
                    .into_any()
                }}
            </div>
            <Summaries
                title="In containers"
                testid="entity-containers"
                items=loaded.entity.containers.items.clone()
                total=loaded.entity.containers.total
            />
            {(loaded.entity.contents.total > 0).then(|| view! {
                <Summaries
                    title="Contents"
                    testid="entity-contents"
                    items=loaded.entity.contents.items.clone()
                    total=loaded.entity.contents.total
                />
            })}
        </div>
    }
}

/// A short list of objects with their kinds, and how many there are in all.
#[component]
fn Summaries(
    title: &'static str,
    testid: &'static str,
    items: Vec<ObjectSummary>,
    total: u64,
) -> impl IntoView {
    if items.is_empty() {
        return ().into_any();
    }
    let shown = items.len() as u64;
    view! {
        <div class="card wide">
            <h2>{title}" "<span class="count">{thousands(total)}</span></h2>
            <ul class="plain-list" data-testid=testid>
                {items.into_iter().map(|o| {
                    let kind = kind_of(o.kind.as_deref(), &o.stix_type);
                    let name = o.name.or(o.value).unwrap_or_else(|| o.stix_id.clone());
                    view! { <li><EntityLink stix_id=o.stix_id kind name /></li> }
                }).collect_view()}
            </ul>
            {(total > shown).then(|| view! { <p class="muted">{format!("The first {} of {} are shown.", thousands(shown), thousands(total))}</p> })}
        </div>
    }
    .into_any()
}

/// An indicator's pattern, checked by the STIX crate's parser.
#[component]
fn Pattern(pattern: String) -> impl IntoView {
    let check = cairn_stix::pattern::Pattern::parse(&pattern);
    view! {
        <h3>"Pattern"</h3>
        <pre class="pattern" data-testid="entity-pattern">{pattern}</pre>
        {match check {
            Ok(_) => view! { <p class="ok">"A valid STIX pattern."</p> }.into_any(),
            Err(error) => view! { <p class="error">{format!("Invalid pattern {error}")}</p> }.into_any(),
        }}
    }
}

/// The kind's own properties, labelled, in the STIX's order.
fn properties(stix: &Value) -> Vec<(String, Value)> {
    let Some(object) = stix.as_object() else {
        return Vec::new();
    };
    object
        .iter()
        .filter(|(key, value)| !SHOWN_ELSEWHERE.contains(&key.as_str()) && !value.is_null())
        .map(|(key, value)| (label(key), value.clone()))
        .collect()
}

/// `x_mitre_platforms` → `Platforms`, `first_seen` → `First seen`.
fn label(key: &str) -> String {
    let bare = key
        .strip_prefix("x_mitre_")
        .or_else(|| key.strip_prefix("x_opencti_"))
        .unwrap_or(key);
    let bare = bare.strip_suffix("_ref").unwrap_or(bare);
    let bare = bare.strip_suffix("_refs").unwrap_or(bare);
    let mut words = bare.replace('_', " ");
    if let Some(first) = words.get(..1) {
        words.replace_range(..1, &first.to_uppercase());
    }
    words
}

/// A property value: references link to their objects, lists are joined,
/// timestamps are days, nested objects are shown as JSON.
#[component]
fn PropertyValue(value: Value) -> impl IntoView {
    match value {
        Value::String(s) if is_stix_id(&s) => view! { <A href=entity_path(&s)>{s.clone()}</A> }.into_any(),
        Value::String(s) if looks_like_timestamp(&s) => day(Some(&s)).into_any(),
        Value::String(s) => s.into_any(),
        Value::Bool(b) => if b { "yes" } else { "no" }.into_any(),
        Value::Number(n) => n.to_string().into_any(),
        Value::Array(items) if items.iter().all(|i| i.is_string() || i.is_number()) => {
            let ids = items.iter().all(|i| i.as_str().is_some_and(is_stix_id));
            if ids {
                view! {
                    <span class="ref-list">
                        {items.into_iter().filter_map(|i| i.as_str().map(str::to_owned)).map(|id| view! {
                            <A href=entity_path(&id)>{id.clone()}</A>
                        }).collect_view()}
                    </span>
                }
                .into_any()
            } else {
                items
                    .iter()
                    .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(", ")
                    .into_any()
            }
        }
        other => view! { <pre class="json">{serde_json::to_string_pretty(&other).unwrap_or_default()}</pre> }.into_any(),
    }
}

fn is_stix_id(s: &str) -> bool {
    s.split_once("--")
        .is_some_and(|(ty, uuid)| !ty.is_empty() && uuid.len() == 36 && !ty.contains(' '))
}

fn looks_like_timestamp(s: &str) -> bool {
    s.len() >= 20 && s.as_bytes().get(10) == Some(&b'T') && s.ends_with('Z')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_well() {
        assert_eq!(label("x_mitre_platforms"), "Platforms");
        assert_eq!(label("first_seen"), "First seen");
        assert_eq!(label("sighting_of_ref"), "Sighting of");
        assert_eq!(label("where_sighted_refs"), "Where sighted");
    }

    #[test]
    fn properties_leave_out_what_is_shown_elsewhere() {
        let stix = serde_json::json!({
            "type": "malware", "id": "malware--00000000-0000-4000-8000-000000000000",
            "name": "X", "is_family": true, "x_mitre_platforms": ["Windows"], "labels": ["rat"]
        });
        let keys: Vec<String> = properties(&stix).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["Is family", "Platforms"]);
    }

    #[test]
    fn ids_and_timestamps_are_recognised() {
        assert!(is_stix_id("identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5"));
        assert!(!is_stix_id("two--words here"));
        assert!(looks_like_timestamp("2017-05-31T21:30:19.735Z"));
        assert!(!looks_like_timestamp("Windows"));
    }
}
