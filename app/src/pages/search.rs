//! Global search: the box in the top bar (results as you type, grouped by
//! kind, arrow keys and Enter to open, `/` to focus) and the full results page
//! (`/search?q=`). Both ask the store's full-text index through the caller's
//! scope; matches come highlighted.

use cairn_model::SearchHit;
use leptos::ev;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::knowledge::search;
use crate::list_query::encode;
use crate::widgets::{KindIcon, entity_path, highlight_html, kind_label, kind_of};

/// Hits the top-bar box shows.
const QUICK: u64 = 12;
/// Hits the results page shows.
const FULL: u64 = 100;

/// Hits grouped by kind, groups in order of their best hit.
fn grouped(hits: Vec<SearchHit>) -> Vec<(String, Vec<SearchHit>)> {
    let mut groups: Vec<(String, Vec<SearchHit>)> = Vec::new();
    for hit in hits {
        let label = kind_label(kind_of(hit.kind.as_deref(), &hit.stix_type), &hit.stix_type);
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, group)) => group.push(hit),
            None => groups.push((label, vec![hit])),
        }
    }
    groups
}

fn title(hit: &SearchHit) -> String {
    hit.name
        .clone()
        .or_else(|| hit.value.clone())
        .unwrap_or_else(|| hit.stix_id.clone())
}

/// The highlighted text around the match, unless it is just the title again.
fn snippet(hit: &SearchHit, around: usize) -> Option<String> {
    let highlight = hit.highlight.as_deref()?;
    let plain = highlight.replace("<mark>", "").replace("</mark>", "");
    (plain != title(hit)).then(|| highlight_html(highlight, around))
}

/// The search box of the top bar.
#[component]
pub fn SearchBox() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let open = RwSignal::new(false);
    // The highlighted hit; none until the arrow keys pick one.
    let active = RwSignal::new(None::<usize>);
    let input = NodeRef::<leptos::html::Input>::new();
    // The latest text wins: each keystroke asks again, and the resource keeps
    // only the answer to the newest question.
    let hits = LocalResource::new(move || {
        let text = text.get();
        async move {
            if text.trim().chars().count() < 2 {
                return Ok(Vec::new());
            }
            search(text, QUICK).await
        }
    });
    let flat = Memo::new(move |_| match hits.get() {
        Some(Ok(hits)) => grouped(hits)
            .into_iter()
            .flat_map(|(_, g)| g)
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let navigate = use_navigate();
    let navigate = StoredValue::new_local(navigate);
    let go = move |path: String| {
        open.set(false);
        text.set(String::new());
        if let Some(input) = input.get_untracked() {
            let _ = input.blur();
        }
        navigate.with_value(|n| n(&path, NavigateOptions::default()));
    };
    // `/` anywhere outside a field focuses the box.
    let _ = window_event_listener(ev::keydown, move |event| {
        let typing = document()
            .active_element()
            .is_some_and(|e| matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if event.key() == "/"
            && !typing
            && let Some(input) = input.get_untracked()
        {
            event.prevent_default();
            let _ = input.focus();
        }
    });
    let on_key = move |event: ev::KeyboardEvent| {
        let count = flat.with_untracked(Vec::len);
        match event.key().as_str() {
            "ArrowDown" if count > 0 => {
                event.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |a| (a + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                event.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |a| (a + count - 1) % count)));
            }
            "Enter" => {
                event.prevent_default();
                let chosen = active
                    .get_untracked()
                    .and_then(|at| flat.with_untracked(|f| f.get(at).cloned()));
                match chosen {
                    Some(hit) if open.get_untracked() => go(entity_path(&hit.stix_id)),
                    _ => {
                        let q = text.get_untracked();
                        if !q.trim().is_empty() {
                            go(format!("/search?q={}", encode(q.trim())));
                        }
                    }
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    view! {
        <div class="search-box" role="search">
            <input
                type="search"
                node_ref=input
                data-testid="search-input"
                placeholder="Search (press /)"
                aria-label="Search the knowledge base"
                autocomplete="off"
                prop:value=move || text.get()
                on:input=move |e| {
                    text.set(event_target_value(&e));
                    active.set(None);
                    open.set(true);
                }
                on:focus=move |_| open.set(true)
                on:blur=move |_| {
                    // Let a click on a result land first.
                    set_timeout(move || open.set(false), std::time::Duration::from_millis(200));
                }
                on:keydown=on_key
            />
            <Show when=move || open.get() && !flat.with(Vec::is_empty)>
                <div class="search-results" data-testid="search-results" role="listbox">
                    {move || {
                        let mut index = 0usize;
                        match hits.get() {
                            Some(Ok(hits)) => grouped(hits).into_iter().map(|(label, group)| {
                                view! {
                                    <div class="search-group">
                                        <div class="search-group-label">{label}</div>
                                        {group.into_iter().map(|hit| {
                                            let at = index;
                                            index += 1;
                                            let path = entity_path(&hit.stix_id);
                                            let kind = kind_of(hit.kind.as_deref(), &hit.stix_type);
                                            let snippet = snippet(&hit, 60);
                                            view! {
                                                <a
                                                    href=path.clone()
                                                    class="search-hit"
                                                    class:active=move || active.get() == Some(at)
                                                    role="option"
                                                    data-testid="search-hit"
                                                    on:mousedown=move |e| { e.prevent_default(); go(path.clone()); }
                                                >
                                                    <KindIcon kind />
                                                    <span class="hit-title">{title(&hit)}</span>
                                                    {snippet.map(|html| view! { <span class="hit-snippet" inner_html=html></span> })}
                                                </a>
                                            }
                                        }).collect_view()}
                                    </div>
                                }
                            }).collect_view().into_any(),
                            _ => ().into_any(),
                        }
                    }}
                </div>
            </Show>
        </div>
    }
}

/// All results for `?q=`, grouped by kind, with highlights.
#[component]
pub fn SearchPage() -> impl IntoView {
    let params = use_query_map();
    let q = Memo::new(move |_| params.with(|p| p.get("q").unwrap_or_default()));
    let hits = LocalResource::new(move || {
        let q = q.get();
        async move {
            if q.trim().is_empty() {
                return Ok(Vec::new());
            }
            search(q, FULL).await
        }
    });
    view! {
        <section class="page" data-testid="search-page">
            <h1>{move || format!("Search: {}", q.get())}</h1>
            {move || match hits.get() {
                None => view! { <p class="muted">"Searching…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                Some(Ok(hits)) if hits.is_empty() => view! {
                    <p class="muted" data-testid="search-empty">"Nothing matches. Try another word, or fewer words."</p>
                }
                .into_any(),
                Some(Ok(hits)) => grouped(hits).into_iter().map(|(label, group)| view! {
                    <div class="card wide">
                        <h2>{label}" "<span class="count">{group.len()}</span></h2>
                        <ul class="plain-list search-list">
                            {group.into_iter().map(|hit| {
                                let kind = kind_of(hit.kind.as_deref(), &hit.stix_type);
                                let snippet = snippet(&hit, 120);
                                view! {
                                    <li data-testid="search-page-hit">
                                        <a href=entity_path(&hit.stix_id) class="entity-link">
                                            <KindIcon kind />
                                            <span>{title(&hit)}</span>
                                        </a>
                                        {snippet.map(|html| view! { <p class="hit-snippet" inner_html=html></p> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                }).collect_view().into_any(),
            }}
        </section>
    }
}
