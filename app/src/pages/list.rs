//! The one list page every kind shares (`/threats/intrusion-sets`): columns,
//! sorting and filters from the URL, keyset paging through any number of rows
//! with the total, all read through the caller's scope.

use cairn_model::{ObjectSummary, Page};
use cairn_stix::{Kind, StixMapping};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use cairn_access::Capability;

use crate::auth::use_session;
use crate::icon::IconSvg;
use crate::knowledge::list_objects;
use crate::list_query::{ListQuery, sort_name};
use crate::pages::form::ObjectForm;
use crate::widgets::{
    EntityLink, LabelChips, MarkingChips, day, entity_path, held_markings, kind_of, known_labels,
    thousands,
};

/// Rows per page.
const PAGE: u64 = 50;

/// The list of one kind, filtered by the URL.
#[component]
pub fn KindList(kind: &'static Kind) -> impl IntoView {
    let params = use_query_map();
    let query = Memo::new(move |_| {
        params.with(|p| ListQuery::from_pairs(p.into_iter().map(|(k, v)| (k.as_ref(), v))))
    });
    let paging = RwSignal::new(Paging::default());
    let page = LocalResource::new(move || {
        let query = query.get();
        let after = paging.with(|p| p.cursors_for(&query).last().cloned());
        list_objects(query.to_filter(kind), after, PAGE)
    });
    let navigate = use_navigate();
    let go = move |next: ListQuery| {
        let text = next.to_query_string();
        let path = if text.is_empty() {
            kind.path()
        } else {
            format!("{}?{text}", kind.path())
        };
        navigate(&path, NavigateOptions::default());
    };
    let go = StoredValue::new_local(go);
    let set = move |change: &dyn Fn(&mut ListQuery)| {
        let mut next = query.get_untracked();
        change(&mut next);
        go.with_value(|go| go(next));
    };
    let set = StoredValue::new(set);
    let session = use_session();
    let creating = RwSignal::new(false);
    let navigate = use_navigate();
    let open = StoredValue::new_local(move |id: String| {
        navigate(&entity_path(&id), NavigateOptions::default());
    });

    view! {
        <section class="page" data-testid="kind-page">
            <div class="page-heading">
                <h1 class="kind-heading">
                    <IconSvg icon=kind.icon color=kind.color />
                    {kind.plural}
                </h1>
                <Show when=move || session.can(Capability::KnowledgeUpdate)>
                    <button type="button" data-testid="create-object" on:click=move |_| creating.set(true)>
                        {format!("New {}", kind.label.to_lowercase())}
                    </button>
                </Show>
            </div>
            <Show when=move || creating.get()>
                <div class="drawer card" data-testid="create-drawer">
                    <ObjectForm
                        kind
                        on_saved=move |id: String| {
                            creating.set(false);
                            open.with_value(|open| open(id));
                        }
                        on_cancel=move |_| creating.set(false)
                    />
                </div>
            </Show>
            <Filters query set=move |f| set.with_value(|set| set(f)) />
            <div class="card wide list-card">
                {move || match page.get() {
                    None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                    Some(Ok(page)) => view! {
                        <Rows kind page query paging set=move |f| set.with_value(|set| set(f)) />
                    }
                    .into_any(),
                }}
            </div>
        </section>
    }
}

/// Where the reader is in a list: the cursors of the pages before this one,
/// for the query they were taken under (a new query starts at page one).
#[derive(Debug, Clone, Default, PartialEq)]
struct Paging {
    query: ListQuery,
    cursors: Vec<String>,
}

impl Paging {
    fn cursors_for(&self, query: &ListQuery) -> &[String] {
        if self.query == *query {
            &self.cursors
        } else {
            &[]
        }
    }

    fn forward(&mut self, query: ListQuery, cursor: String) {
        if self.query != query {
            self.query = query;
            self.cursors.clear();
        }
        self.cursors.push(cursor);
    }

    fn back(&mut self) {
        self.cursors.pop();
    }
}

/// The filter bar: text, label, marking, confidence, dates, revoked.
#[component]
fn Filters(
    query: Memo<ListQuery>,
    set: impl Fn(&dyn Fn(&mut ListQuery)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let labels = known_labels();
    let markings = held_markings();
    let text = RwSignal::new(query.get_untracked().text);
    Effect::new(move |_| text.set(query.get().text));
    let date = move |id: &'static str,
                     label: &'static str,
                     read: fn(&ListQuery) -> String,
                     write: fn(&mut ListQuery, String)| {
        view! {
            <label class="filter">
                <span>{label}</span>
                <input
                    type="date"
                    data-testid=id
                    prop:value=move || read(&query.get())
                    on:change=move |e| {
                        let value = event_target_value(&e);
                        set(&|q| write(q, value.clone()));
                    }
                />
            </label>
        }
    };
    view! {
        <form class="card wide filter-bar" data-testid="list-filters" on:submit=move |e| {
            e.prevent_default();
            let value = text.get_untracked();
            set(&|q| q.text = value.trim().to_owned());
        }>
            <label class="filter grow">
                <span>"Name"</span>
                <input
                    type="search"
                    data-testid="filter-text"
                    placeholder="Filter by name, Enter to apply"
                    prop:value=move || text.get()
                    on:input=move |e| text.set(event_target_value(&e))
                />
            </label>
            <label class="filter">
                <span>"Label"</span>
                <select data-testid="filter-label" on:change=move |e| {
                    let value = event_target_value(&e);
                    set(&|q| q.labels = if value.is_empty() { Vec::new() } else { vec![value.clone()] });
                }>
                    <option value="" selected=move || query.with(|q| q.labels.is_empty())>"Any"</option>
                    {move || labels.get().into_iter().map(|l| {
                        let chosen = query.with(|q| q.labels.contains(&l));
                        view! { <option value=l.clone() selected=chosen>{l.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="filter">
                <span>"Marking"</span>
                <select data-testid="filter-marking" on:change=move |e| {
                    let value = event_target_value(&e);
                    set(&|q| q.markings = if value.is_empty() { Vec::new() } else { vec![value.clone()] });
                }>
                    <option value="" selected=move || query.with(|q| q.markings.is_empty())>"Any"</option>
                    {move || markings.get().into_iter().map(|m| {
                        let chosen = query.with(|q| q.markings.contains(&m.id));
                        view! { <option value=m.id.clone() selected=chosen>{m.name.clone()}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label class="filter narrow">
                <span>"Confidence ≥"</span>
                <input
                    type="number"
                    min="0"
                    max="100"
                    data-testid="filter-confidence"
                    prop:value=move || query.get().confidence.map(|c| c.to_string()).unwrap_or_default()
                    on:change=move |e| {
                        let value = event_target_value(&e).parse().ok();
                        set(&|q| q.confidence = value);
                    }
                />
            </label>
            {date("filter-created-from", "Created from", |q| q.created_from.clone(), |q, v| q.created_from = v)}
            {date("filter-created-to", "Created before", |q| q.created_to.clone(), |q, v| q.created_to = v)}
            {date("filter-modified-from", "Modified from", |q| q.modified_from.clone(), |q, v| q.modified_from = v)}
            {date("filter-modified-to", "Modified before", |q| q.modified_to.clone(), |q, v| q.modified_to = v)}
            <label class="check filter">
                <input
                    type="checkbox"
                    data-testid="filter-revoked"
                    prop:checked=move || query.get().revoked
                    on:change=move |e| {
                        let on = event_target_checked(&e);
                        set(&|q| q.revoked = on);
                    }
                />
                "Include revoked"
            </label>
            <button type="submit" data-testid="filter-apply">"Apply"</button>
            <Show when=move || query.with(ListQuery::is_filtered)>
                <button type="button" class="link-button" data-testid="filter-clear" on:click=move |_| {
                    set(&|q| *q = ListQuery { sort: q.sort, ..ListQuery::default() });
                }>"Clear filters"</button>
            </Show>
        </form>
    }
}

/// The table of one page, its position in the total, and the pager.
#[component]
fn Rows(
    kind: &'static Kind,
    page: Page<ObjectSummary>,
    query: Memo<ListQuery>,
    paging: RwSignal<Paging>,
    set: impl Fn(&dyn Fn(&mut ListQuery)) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    if page.items.is_empty() {
        let message = if query.with_untracked(ListQuery::is_filtered) {
            "Nothing matches these filters. Clear them to see everything.".to_owned()
        } else {
            format!(
                "No {} yet. Import a STIX bundle under Data → Import, or load the demo data from the dashboard.",
                kind.plural.to_lowercase()
            )
        };
        return view! { <p class="muted empty" data-testid="list-empty">{message}</p> }.into_any();
    }
    let observables = kind.stix == StixMapping::Observables;
    let current = query.get_untracked();
    let first = paging.with_untracked(|p| p.cursors_for(&current).len()) as u64 * PAGE;
    let shown = page.items.len() as u64;
    let next = page.next.clone();
    let header = move |column: &'static str, label: &'static str| {
        let current = sort_name(query.get_untracked().sort);
        let aria = if current == column {
            "ascending"
        } else if current.strip_prefix('-') == Some(column) {
            "descending"
        } else {
            "none"
        };
        view! {
            <th aria-sort=aria>
                <button type="button" class="sort" data-testid=format!("sort-{column}") on:click=move |_| {
                    set(&|q| q.sort = q.sorted_by(column));
                }>{label}</button>
            </th>
        }
    };
    view! {
        <p class="list-position" data-testid="list-total">
            {format!("{}–{} of {}", thousands(first + 1), thousands(first + shown), thousands(page.total))}
        </p>
        <table class="table list" data-testid="list-table">
            <thead>
                <tr>
                    {header("name", if observables { "Value" } else { "Name" })}
                    {observables.then(|| view! { <th>"Type"</th> })}
                    <th>"Author"</th>
                    <th>"Labels"</th>
                    <th>"Markings"</th>
                    {header("created", "Created")}
                    {header("modified", "Modified")}
                </tr>
            </thead>
            <tbody>
                {page.items.into_iter().map(|o| {
                    let name = o.name.clone().or(o.value.clone()).unwrap_or_else(|| o.stix_id.clone());
                    let object_kind = kind_of(o.kind.as_deref(), &o.stix_type);
                    let author = o.author_id.clone().zip(o.author.clone());
                    view! {
                        <tr data-testid="list-row" class:revoked=o.revoked>
                            <td><EntityLink stix_id=o.stix_id.clone() kind=Some(object_kind.unwrap_or(kind)) name /></td>
                            {observables.then(|| view! { <td><code>{o.stix_type.clone()}</code></td> })}
                            <td>{author.map(|(id, name)| view! {
                                <button type="button" class="link-button" title="Show only this author's" on:click=move |_| {
                                    let id = id.clone();
                                    set(&move |q| q.author = id.clone());
                                }>{name}</button>
                            })}</td>
                            <td><LabelChips labels=o.labels.clone() /></td>
                            <td><MarkingChips markings=o.markings.clone() /></td>
                            <td>{day(o.created.as_deref())}</td>
                            <td>{day(o.modified.as_deref())}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        <div class="pager">
            <button
                type="button"
                data-testid="page-previous"
                disabled=first == 0
                on:click=move |_| paging.update(|p| p.back())
            >"Previous"</button>
            <button
                type="button"
                data-testid="page-next"
                disabled=next.is_none()
                on:click=move |_| {
                    if let Some(cursor) = next.clone() {
                        let current = query.get_untracked();
                        paging.update(|p| p.forward(current, cursor));
                    }
                }
            >"Next"</button>
        </div>
    }
    .into_any()
}
