//! Controls the graph pages share: a checkbox menu (kinds, relationship
//! types, markings), the graph filter bar, the view buttons (layout, fit,
//! zoom, PNG and SVG export), search to add objects, and the side panel that
//! shows the selected node.

use cairn_model::{GraphDirection, GraphFilter, GraphNode, SearchHit};
use cairn_stix::KINDS;
use leptos::prelude::*;

use super::canvas::{GraphView, LayoutKind};
use crate::knowledge::search;
use crate::widgets::{
    KindIcon, MarkingChips, day, download, download_blob, entity_path, held_markings, kind_label,
    kind_of,
};

/// A dropdown of checkboxes over `options` (value, label), editing `chosen`.
#[component]
pub fn CheckMenu(
    label: &'static str,
    options: Signal<Vec<(String, String)>>,
    chosen: RwSignal<Vec<String>>,
    #[prop(into)] testid: String,
) -> impl IntoView {
    view! {
        <details class="check-menu" data-testid=testid>
            <summary>
                {label}
                {move || {
                    let n = chosen.with(Vec::len);
                    (n > 0).then(|| view! { <span class="count-chip">{n}</span> })
                }}
            </summary>
            <div class="check-menu-options">
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|(value, text)| {
                            let value2 = value.clone();
                            let checked = move || chosen.with(|c| c.contains(&value2));
                            view! {
                                <label class="check">
                                    <input type="checkbox" value=value.clone() prop:checked=checked
                                        on:change=move |e| {
                                            let on = event_target_checked(&e);
                                            let value = value.clone();
                                            chosen.update(|c| {
                                                c.retain(|v| *v != value);
                                                if on { c.push(value); }
                                            });
                                        } />
                                    <span>{text}</span>
                                </label>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </details>
    }
}

/// Every relationship type the matrix knows, sorted.
pub fn relationship_types() -> Vec<(String, String)> {
    let mut types: Vec<&str> = cairn_stix::relationships::rules()
        .iter()
        .map(|r| r.relationship)
        .chain(cairn_stix::relationships::UNIVERSAL.iter().copied())
        .collect();
    types.sort_unstable();
    types.dedup();
    types
        .into_iter()
        .map(|t| (t.to_owned(), t.to_owned()))
        .collect()
}

/// The filter bar: kinds, relationship types, markings, creation dates of
/// the relationships, and direction. Edits `filter` as a whole.
#[component]
pub fn FilterBar(filter: RwSignal<GraphFilter>) -> impl IntoView {
    let kinds = RwSignal::new(filter.get_untracked().kinds);
    let types = RwSignal::new(filter.get_untracked().relationship_types);
    let markings = RwSignal::new(filter.get_untracked().markings);
    Effect::new(move |_| {
        let (k, t, m) = (kinds.get(), types.get(), markings.get());
        filter.update(|f| {
            if f.kinds != k || f.relationship_types != t || f.markings != m {
                f.kinds = k;
                f.relationship_types = t;
                f.markings = m;
            }
        });
    });
    let held = held_markings();
    let kind_options = Signal::stored(
        KINDS
            .iter()
            .map(|k| (k.name.to_owned(), k.label.to_owned()))
            .collect::<Vec<_>>(),
    );
    let marking_options =
        Signal::derive(move || held.get().into_iter().map(|m| (m.id, m.name)).collect());
    let date = move |from: bool| {
        move |e: leptos::ev::Event| {
            let value = event_target_value(&e);
            let value = (!value.is_empty()).then(|| format!("{value}T00:00:00Z"));
            filter.update(|f| {
                if from {
                    f.created_from = value;
                } else {
                    f.created_to = value;
                }
            });
        }
    };
    view! {
        <CheckMenu label="Kinds" options=kind_options chosen=kinds testid="filter-kinds" />
        <CheckMenu label="Relationships" options=Signal::stored(relationship_types()) chosen=types testid="filter-relationships" />
        <CheckMenu label="Markings" options=marking_options chosen=markings testid="filter-markings" />
        <label class="inline">"From"
            <input type="date" data-testid="filter-from" on:change=date(true) />
        </label>
        <label class="inline">"To"
            <input type="date" data-testid="filter-to" on:change=date(false) />
        </label>
        <DirectionPicker direction=Signal::derive(move || filter.get().direction)
            on_change=Callback::new(move |d| filter.update(|f| f.direction = d)) />
    }
}

/// Both ways, outgoing or incoming.
#[component]
pub fn DirectionPicker(
    direction: Signal<GraphDirection>,
    #[prop(into)] on_change: Callback<GraphDirection>,
) -> impl IntoView {
    let options = [
        (GraphDirection::Both, "both", "Both ways"),
        (GraphDirection::Out, "out", "Outgoing"),
        (GraphDirection::In, "in", "Incoming"),
    ];
    view! {
        <select data-testid="graph-direction" aria-label="Direction" on:change=move |e| {
            let value = event_target_value(&e);
            if let Some((d, _, _)) = options.iter().find(|(_, slug, _)| *slug == value) {
                on_change.run(*d);
            }
        }>
            {options.into_iter().map(|(d, slug, label)| view! {
                <option value=slug selected=move || direction.get() == d>{label}</option>
            }).collect_view()}
        </select>
    }
}

/// Layout, fit, zoom, and export as PNG or SVG (named after `stem`).
#[component]
pub fn ViewButtons(
    view: GraphView,
    layout: RwSignal<LayoutKind>,
    #[prop(into)] stem: Signal<String>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let background = move || {
        if crate::theme::is_dark() {
            "#161a22"
        } else {
            "#ffffff"
        }
    };
    let png = move |_| match view.png(background()) {
        Some(blob) => {
            error.set(download_blob(&format!("{}.png", stem.get_untracked()), &blob).err())
        }
        None => error.set(Some("the graph could not be drawn as an image".into())),
    };
    let svg = move |_| {
        let result = view.svg(background()).and_then(|text| {
            download(
                &format!("{}.svg", stem.get_untracked()),
                "image/svg+xml",
                &text,
            )
        });
        error.set(result.err());
    };
    view! {
        <select data-testid="graph-layout" aria-label="Layout" on:change=move |e| {
            let kind = LayoutKind::from_slug(&event_target_value(&e));
            layout.set(kind);
            view.layout(kind);
        }>
            {LayoutKind::ALL.into_iter().map(|kind| view! {
                <option value=kind.slug() selected=move || layout.get() == kind>{kind.label()}</option>
            }).collect_view()}
        </select>
        <button type="button" data-testid="graph-fit" on:click=move |_| view.fit()>"Fit"</button>
        <button type="button" data-testid="graph-zoom-in" aria-label="Zoom in" on:click=move |_| view.zoom_by(1.25)>"+"</button>
        <button type="button" data-testid="graph-zoom-out" aria-label="Zoom out" on:click=move |_| view.zoom_by(0.8)>"−"</button>
        <button type="button" data-testid="graph-png" on:click=png>"PNG"</button>
        <button type="button" data-testid="graph-svg" on:click=svg>"SVG"</button>
        {move || error.get().map(|m| view! { <span class="error" role="alert">{m}</span> })}
    }
}

/// Full-text search whose hits can be added to a graph.
#[component]
pub fn AddBySearch(#[prop(into)] on_pick: Callback<SearchHit>) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let hits = LocalResource::new(move || {
        let text = text.get();
        async move {
            if text.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            search(text, 8).await
        }
    });
    view! {
        <div class="add-by-search" data-testid="graph-add">
            <input type="search" placeholder="Add by search…" data-testid="graph-add-search"
                prop:value=move || text.get() on:input=move |e| text.set(event_target_value(&e)) />
            <ul class="picker-options">
                {move || match hits.get() {
                    Some(Ok(hits)) => hits.into_iter().map(|hit| {
                        let kind = kind_of(hit.kind.as_deref(), &hit.stix_type);
                        let name = hit.name.clone().or(hit.value.clone()).unwrap_or_else(|| hit.stix_id.clone());
                        let hit = StoredValue::new(hit);
                        view! {
                            <li>
                                <button type="button" class="option" data-testid="graph-add-option"
                                    on:click=move |_| { on_pick.run(hit.get_value()); text.set(String::new()); }>
                                    <KindIcon kind />
                                    <span>{name}</span>
                                    <span class="muted">{kind_label(kind, &hit.with_value(|h| h.stix_type.clone()))}</span>
                                </button>
                            </li>
                        }
                    }).collect_view().into_any(),
                    Some(Err(error)) => view! { <li class="error">{error.to_string()}</li> }.into_any(),
                    None => ().into_any(),
                }}
            </ul>
        </div>
    }
}

/// The selected node: kind, name, markings, creation day, a link to its page.
#[component]
pub fn NodeDetails(node: GraphNode, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    let kind = kind_of(node.kind.as_deref(), &node.stix_type);
    view! {
        <aside class="graph-details" data-testid="graph-details">
            <h2 class="kind-heading"><KindIcon kind /><span data-testid="graph-details-name">{node.name.clone().unwrap_or_else(|| node.id.clone())}</span></h2>
            <p class="kind-chip">{kind_label(kind, &node.stix_type)}</p>
            <MarkingChips markings=node.markings.clone() />
            <p class="muted">"Created " {day(node.created.as_deref())}</p>
            <p><a href=entity_path(&node.id) data-testid="graph-details-open">"Open its page"</a></p>
            {children.map(|c| c())}
        </aside>
    }
}
