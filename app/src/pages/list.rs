//! The one list page every kind shares (`/threats/intrusion-sets`): columns,
//! sorting and filters from the URL, keyset paging through any number of rows
//! with the total, all read through the caller's scope.

use cairn_model::{BulkChange, ObjectSummary, Page};
use cairn_stix::{Kind, StixMapping};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

use cairn_access::Capability;

use crate::auth::use_session;
use crate::editing::{apply_bulk_change, delete_objects};
use crate::error::AppError;
use crate::icon::IconSvg;
use crate::knowledge::{export_list, list_objects};
use crate::list_query::{ListQuery, sort_name};
use crate::pages::form::ObjectForm;
use crate::widgets::{
    EntityLink, LabelChips, MarkingChips, day, download_export, entity_path, held_markings,
    kind_of, known_labels, thousands,
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
    // The selected rows of the page on show; a new page or query clears it.
    let selected = RwSignal::new(Vec::<String>::new());
    Effect::new(move |_| {
        query.track();
        paging.track();
        selected.set(Vec::new());
    });
    let bulk_message = RwSignal::new(None::<String>);
    let deleted = Memo::new(move |_| params.with(|p| p.get("deleted").is_some()));
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
            <Show when=move || deleted.get()>
                <p class="ok" role="status" data-testid="deleted-notice">
                    "Moved to the trash. Restore it from " <A href="/data/trash">"Data → Trash"</A> " within 30 days."
                </p>
            </Show>
            <Filters query set=move |f| set.with_value(|set| set(f)) />
            <Show when=move || session.can(Capability::Export)>
                <ListExport kind query />
            </Show>
            <Show when=move || !selected.with(Vec::is_empty)>
                <BulkBar selected message=bulk_message on_done=move |_| page.refetch() />
            </Show>
            {move || bulk_message.get().map(|m| view! { <p class="ok" role="status" data-testid="bulk-message">{m}</p> })}
            <div class="card wide list-card">
                {move || match page.get() {
                    None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                    Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                    Some(Ok(page)) => view! {
                        <Rows kind page query paging selected set=move |f| set.with_value(|set| set(f)) />
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
                    set(&|q| *q = ListQuery { sort: q.sort.clone(), ..ListQuery::default() });
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
    selected: RwSignal<Vec<String>>,
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
    let on_page: Vec<String> = page.items.iter().map(|o| o.stix_id.clone()).collect();
    // The kind's own columns (report types, ATT&CK ids, validity, …).
    let extra = cairn_stix::columns::for_kind(kind);
    let all_selected = {
        let on_page = on_page.clone();
        move || selected.with(|s| !on_page.is_empty() && on_page.iter().all(|id| s.contains(id)))
    };
    let header = move |column: &'static str, label: &'static str| {
        let current = sort_name(&query.get_untracked().sort);
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
                    <th class="select">
                        <input type="checkbox" aria-label="Select every row of this page" data-testid="select-all"
                            prop:checked=all_selected
                            on:change=move |e| {
                                let on = event_target_checked(&e);
                                selected.set(if on { on_page.clone() } else { Vec::new() });
                            } />
                    </th>
                    {header("name", if observables { "Value" } else { "Name" })}
                    {observables.then(|| view! { <th>"Type"</th> })}
                    {extra.iter().map(|c| header(c.key, c.label)).collect_view()}
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
                    let id = o.stix_id.clone();
                    let toggled = id.clone();
                    view! {
                        <tr data-testid="list-row" class:revoked=o.revoked>
                            <td class="select">
                                <input type="checkbox" aria-label="Select" data-testid="row-select"
                                    prop:checked=move || selected.with(|s| s.contains(&id))
                                    on:change=move |e| {
                                        let on = event_target_checked(&e);
                                        let id = toggled.clone();
                                        selected.update(|s| {
                                            s.retain(|x| *x != id);
                                            if on { s.push(id); }
                                        });
                                    } />
                            </td>
                            <td><EntityLink stix_id=o.stix_id.clone() kind=Some(object_kind.unwrap_or(kind)) name /></td>
                            {observables.then(|| view! { <td><code>{o.stix_type.clone()}</code></td> })}
                            {extra.iter().map(|c| view! {
                                <td data-testid=format!("cell-{}", c.key)>{o.facets.get(c.key).map(|v| c.display(v))}</td>
                            }).collect_view()}
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

/// Export of the list as filtered: every row, not only this page.
#[component]
fn ListExport(kind: &'static Kind, query: Memo<ListQuery>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |csv: bool| {
        let filter = query.get_untracked().to_filter(kind);
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = export_list(filter, csv).await;
            busy.set(false);
            if let Err(e) = result
                .map_err(|e| e.to_string())
                .and_then(|text| download_export(kind.slug, csv, &text))
            {
                error.set(Some(e));
            }
        });
    };
    view! {
        <div class="list-export">
            <span class="muted">"Export this list:"</span>
            <button type="button" data-testid="list-export-stix" disabled=move || busy.get() on:click=move |_| run(false)>"STIX bundle"</button>
            <button type="button" data-testid="list-export-csv" disabled=move || busy.get() on:click=move |_| run(true)>"CSV"</button>
            {move || error.get().map(|m| view! { <span class="error" role="alert">{m}</span> })}
        </div>
    }
}

/// Actions on the selected rows: labels, markings, delete.
#[component]
fn BulkBar(
    selected: RwSignal<Vec<String>>,
    message: RwSignal<Option<String>>,
    #[prop(into)] on_done: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let labels = known_labels();
    let markings = held_markings();
    let label = RwSignal::new(String::new());
    let marking = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let finish = move |result: Result<usize, AppError>, what: &'static str| match result {
        Ok(n) => {
            message.set(Some(format!("{n} {what}.")));
            selected.set(Vec::new());
            on_done.run(());
        }
        Err(e) => message.set(Some(e.to_string())),
    };
    let change = move |change: BulkChange| {
        let ids = selected.get_untracked();
        leptos::task::spawn_local(async move {
            finish(apply_bulk_change(ids, change).await, "changed");
        });
    };
    let delete = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        confirming.set(false);
        let ids = selected.get_untracked();
        leptos::task::spawn_local(async move {
            finish(delete_objects(ids).await, "moved to the trash");
        });
    };
    let text = move || label.get_untracked().trim().to_owned();
    view! {
        <div class="card wide bulk-bar" data-testid="bulk-bar">
            <strong data-testid="bulk-count">{move || format!("{} selected", selected.with(Vec::len))}</strong>
            <Show when=move || session.can(Capability::KnowledgeUpdate)>
                <input type="text" list="bulk-labels" placeholder="Label" data-testid="bulk-label"
                    prop:value=move || label.get() on:input=move |e| label.set(event_target_value(&e)) />
                <datalist id="bulk-labels">
                    {move || labels.get().into_iter().map(|l| view! { <option value=l /> }).collect_view()}
                </datalist>
                <button type="button" data-testid="bulk-add-label" on:click=move |_| {
                    if !text().is_empty() { change(BulkChange::AddLabels(vec![text()])); }
                }>"Add label"</button>
                <button type="button" data-testid="bulk-remove-label" on:click=move |_| {
                    if !text().is_empty() { change(BulkChange::RemoveLabels(vec![text()])); }
                }>"Remove label"</button>
                <select data-testid="bulk-marking" on:change=move |e| marking.set(event_target_value(&e))>
                    <option value="">"Marking…"</option>
                    {move || markings.get().into_iter().map(|m| view! { <option value=m.id.clone()>{m.name.clone()}</option> }).collect_view()}
                </select>
                <button type="button" data-testid="bulk-add-marking" on:click=move |_| {
                    let m = marking.get_untracked();
                    if !m.is_empty() { change(BulkChange::AddMarkings(vec![m])); }
                }>"Add marking"</button>
                <button type="button" data-testid="bulk-remove-marking" on:click=move |_| {
                    let m = marking.get_untracked();
                    if !m.is_empty() { change(BulkChange::RemoveMarkings(vec![m])); }
                }>"Remove marking"</button>
            </Show>
            <Show when=move || session.can(Capability::KnowledgeDelete)>
                <button type="button" class="danger" data-testid="bulk-delete" on:click=delete>
                    {move || if confirming.get() { "Confirm: move to trash" } else { "Delete" }}
                </button>
            </Show>
        </div>
    }
}
