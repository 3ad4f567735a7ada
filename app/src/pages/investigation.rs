//! One investigation (`/investigations/<id>`): a graph workspace. Add
//! objects by search (linked to what is already there), expand the selected
//! nodes by relationship type and direction, remove, undo and redo, pin,
//! lay out, find the shortest paths between two selected nodes, scrub a
//! timeline, keep notes, save, export as a STIX bundle, or turn it into a
//! report. Its owner saves it; others open a shared one read-only.

use std::collections::{BTreeSet, HashMap};

use cairn_model::{Graph, GraphDirection, GraphFilter, SearchHit, WorkspaceNode};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::graph::canvas::{GraphCanvas, GraphView, LayoutKind};
use crate::graph::controls::{
    AddBySearch, CheckMenu, DirectionPicker, NodeDetails, ViewButtons, relationship_types,
};
use crate::graph::data::expand_graph;
use crate::graph::workspace::{History, Path, Snapshot};
use crate::investigations::{
    Opened, delete_investigation, investigation_to_report, open_investigation, save_investigation,
};
use crate::knowledge::export;
use crate::widgets::{download_export, entity_path, file_stem, held_markings, thousands};

/// The most shortest paths shown between two nodes.
const MAX_PATHS: usize = 20;
/// How many links of each object search adds, to find its relationships to
/// what the workspace already holds.
const LINKS_READ: u32 = 500;

/// The workspace's state, `Copy` for handlers.
#[derive(Clone, Copy)]
struct Workspace {
    view: GraphView,
    history: StoredValue<History>,
    /// Bumped on every change of `history`.
    version: RwSignal<u32>,
    /// Where nodes were last drawn, so a node brought back by undo returns there.
    positions: StoredValue<HashMap<String, (f64, f64)>>,
    held: Signal<Vec<cairn_model::MarkingView>>,
    dirty: RwSignal<bool>,
    error: RwSignal<Option<String>>,
}

impl Workspace {
    fn new() -> Workspace {
        Workspace {
            view: GraphView::new(),
            history: StoredValue::new(History::default()),
            version: RwSignal::new(0),
            positions: StoredValue::new(HashMap::new()),
            held: held_markings(),
            dirty: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    fn remember_positions(&self) {
        let now = self.view.positions();
        self.positions.update_value(|p| p.extend(now));
    }

    /// Draws the current snapshot; returns the nodes added to the canvas.
    fn draw(&self) -> Vec<String> {
        let held = self.held.get_untracked();
        let added = self.history.with_value(|h| {
            self.positions
                .with_value(|p| self.view.sync(&h.now, &held, p))
        });
        self.version.update(|v| *v += 1);
        added
    }

    /// One undoable change, drawn; returns the nodes it added.
    fn change(&self, f: impl FnOnce(&mut Snapshot)) -> Vec<String> {
        self.remember_positions();
        let mut changed = false;
        self.history.update_value(|h| changed = h.change(f));
        if !changed {
            return Vec::new();
        }
        self.dirty.set(true);
        self.view.highlight(&[]);
        self.draw()
    }

    fn step(&self, undo: bool) {
        self.remember_positions();
        let mut moved = false;
        self.history
            .update_value(|h| moved = if undo { h.undo() } else { h.redo() });
        if moved {
            self.dirty.set(true);
            self.view.highlight(&[]);
            self.draw();
            self.view.mark_ready();
        }
    }

    fn snapshot<T>(&self, f: impl FnOnce(&Snapshot) -> T) -> T {
        self.version.track();
        self.history.with_value(|h| f(&h.now))
    }

    /// Adds `graph`, placing new nodes around the node each is linked to.
    fn add(&self, graph: &Graph, around: &[String]) {
        let added = self.change(|s| {
            s.merge(graph);
        });
        if added.is_empty() {
            self.view.mark_ready();
            return;
        }
        let mut placed: BTreeSet<String> = BTreeSet::new();
        for root in around {
            let ring: Vec<String> = added
                .iter()
                .filter(|id| !placed.contains(*id))
                .filter(|id| {
                    graph.edges.iter().any(|e| {
                        (&e.source == root && &e.target == *id)
                            || (&e.target == root && &e.source == *id)
                    })
                })
                .cloned()
                .collect();
            placed.extend(ring.iter().cloned());
            if !ring.is_empty() {
                self.view.place_around(root, &ring);
            }
        }
        if placed.len() < added.len() || around.is_empty() {
            self.view.layout(LayoutKind::Force);
        } else {
            self.view.mark_ready();
        }
    }
}

#[component]
pub fn InvestigationPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    crate::graph::cytoscape::preload();
    let opened = LocalResource::new(move || open_investigation(id.get()));
    view! {
        <section class="page investigation-page" data-testid="investigation-page">
            {move || match opened.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(crate::AppError::NotFound(_))) => view! {
                    <h1>"Not found"</h1>
                    <p class="muted">"No such investigation, or it is not shared with you."</p>
                }.into_any(),
                Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                Some(Ok(opened)) => view! { <Opened opened /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Opened(opened: Opened) -> impl IntoView {
    let ws = Workspace::new();
    let editable = opened.editable;
    let saved = StoredValue::new(opened.investigation.clone());
    let name = RwSignal::new(opened.investigation.name.clone());
    let shared = RwSignal::new(opened.investigation.shared);
    let notes = RwSignal::new(opened.investigation.notes.clone());
    let layout = RwSignal::new(LayoutKind::Force);
    let status = RwSignal::new(None::<String>);
    let report = RwSignal::new(None::<String>);
    // The saved graph, once the canvas exists.
    let first = StoredValue::new(Some(opened));
    Effect::new(move |_| {
        if !ws.view.ready.get() {
            return;
        }
        let Some(opened) = first.try_update_value(Option::take).flatten() else {
            return;
        };
        let mut snapshot = Snapshot::default();
        snapshot.merge(&opened.graph);
        let placed: HashMap<String, (f64, f64)> = opened
            .investigation
            .nodes
            .iter()
            .filter(|n| n.x != 0.0 || n.y != 0.0)
            .map(|n| (n.id.clone(), (n.x, n.y)))
            .collect();
        snapshot.pinned = opened
            .investigation
            .nodes
            .iter()
            .filter(|n| n.pinned)
            .map(|n| n.id.clone())
            .collect();
        let all_placed = snapshot.nodes.iter().all(|n| placed.contains_key(&n.id));
        ws.positions.set_value(placed);
        ws.history.set_value(History::new(snapshot));
        ws.draw();
        if all_placed {
            ws.view.settle();
        } else {
            ws.view.layout(LayoutKind::Force);
        }
    });
    Effect::new(move |previous: Option<u32>| {
        let moved = ws.view.moved.get();
        if previous.is_some_and(|p| p != moved) {
            ws.dirty.set(true);
        }
        moved
    });

    let save = move || {
        let mut investigation = saved.get_value();
        investigation.name = name.get_untracked();
        investigation.shared = shared.get_untracked();
        investigation.notes = notes.get_untracked();
        ws.remember_positions();
        let (nodes, edges) = ws.history.with_value(|h| {
            ws.positions.with_value(|p| {
                let nodes: Vec<WorkspaceNode> = h
                    .now
                    .nodes
                    .iter()
                    .map(|n| {
                        let (x, y) = p.get(&n.id).copied().unwrap_or((0.0, 0.0));
                        WorkspaceNode {
                            id: n.id.clone(),
                            x,
                            y,
                            pinned: h.now.pinned.contains(&n.id),
                        }
                    })
                    .collect();
                (nodes, h.now.edges.iter().map(|e| e.id.clone()).collect())
            })
        });
        investigation.nodes = nodes;
        investigation.edges = edges;
        async move {
            let result = save_investigation(investigation).await;
            match &result {
                Ok(stored) => {
                    saved.set_value(stored.clone());
                    ws.dirty.set(false);
                    status.set(Some("Saved".into()));
                    ws.error.set(None);
                }
                Err(error) => ws.error.set(Some(error.to_string())),
            }
            result.ok()
        }
    };
    let save_now = move |_| {
        let save = save();
        leptos::task::spawn_local(async move {
            save.await;
        });
    };
    let export_bundle = move |_| {
        let ids: Vec<String> = ws.history.with_value(|h| {
            h.now
                .nodes
                .iter()
                .map(|n| n.id.clone())
                .chain(h.now.edges.iter().map(|e| e.id.clone()))
                .collect()
        });
        let stem = file_stem(&name.get_untracked());
        leptos::task::spawn_local(async move {
            match export(Vec::new(), ids, 0, false).await {
                Ok(text) => ws.error.set(download_export(&stem, false, &text).err()),
                Err(error) => ws.error.set(Some(error.to_string())),
            }
        });
    };
    let to_report = move |_| {
        let save = save();
        let report_name = name.get_untracked();
        let id = saved.with_value(|s| s.id.clone());
        leptos::task::spawn_local(async move {
            if editable && save.await.is_none() {
                return;
            }
            match investigation_to_report(id, report_name).await {
                Ok(created) => report.set(Some(created)),
                Err(error) => ws.error.set(Some(error.to_string())),
            }
        });
    };
    let navigate = use_navigate();
    let delete = move |_| {
        let id = saved.with_value(|s| s.id.clone());
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match delete_investigation(id).await {
                Ok(()) => navigate("/investigations", Default::default()),
                Err(error) => ws.error.set(Some(error.to_string())),
            }
        });
    };
    let add = Callback::new(move |hit: SearchHit| {
        leptos::task::spawn_local(async move {
            let id = hit.stix_id.clone();
            match expand_graph(vec![id.clone()], GraphFilter::default(), 1, LINKS_READ).await {
                Ok(mut graph) => {
                    // The object, and its relationships to what is already here.
                    let here: BTreeSet<String> = ws
                        .history
                        .with_value(|h| h.now.nodes.iter().map(|n| n.id.clone()).collect());
                    graph.nodes.retain(|n| n.id == id);
                    graph.edges.retain(|e| {
                        (e.source == id && here.contains(&e.target))
                            || (e.target == id && here.contains(&e.source))
                    });
                    let linked: Vec<String> = graph
                        .edges
                        .iter()
                        .map(|e| {
                            if e.source == id {
                                e.target.clone()
                            } else {
                                e.source.clone()
                            }
                        })
                        .take(1)
                        .collect();
                    ws.add(&graph, &linked);
                    ws.view.select_only(&[id]);
                }
                Err(error) => ws.error.set(Some(error.to_string())),
            }
        });
    });
    let stem = Signal::derive(move || format!("investigation-{}", file_stem(&name.get())));
    view! {
        <header class="investigation-header">
            {if editable {
                view! {
                    <input class="title-input" type="text" data-testid="investigation-title" aria-label="Name"
                        prop:value=move || name.get()
                        on:input=move |e| { name.set(event_target_value(&e)); ws.dirty.set(true); } />
                }.into_any()
            } else {
                view! { <h1 data-testid="investigation-title">{name.get_untracked()}</h1> }.into_any()
            }}
            <span class="muted">{format!("by {}", saved.with_value(|s| s.owner.clone()))}</span>
            {editable.then(|| view! {
                <label class="inline">
                    <input type="checkbox" data-testid="investigation-shared" prop:checked=move || shared.get()
                        on:change=move |e| { shared.set(event_target_checked(&e)); ws.dirty.set(true); } />
                    "Shared with everyone (read-only)"
                </label>
                <button type="button" class="primary" data-testid="investigation-save" on:click=save_now>
                    {move || if ws.dirty.get() { "Save" } else { "Saved" }}
                </button>
            })}
            <button type="button" data-testid="investigation-export" on:click=export_bundle>"Export STIX"</button>
            <button type="button" data-testid="investigation-report" on:click=to_report>"Turn into a report"</button>
            {editable.then(|| view! {
                <button type="button" class="danger" data-testid="investigation-delete" on:click=delete>"Delete"</button>
            })}
        </header>
        {move || report.get().map(|id| view! {
            <p class="notice" data-testid="investigation-report-created">
                "Report created: " <A href=entity_path(&id)>"open it"</A>
            </p>
        })}
        {move || status.get().filter(|_| !ws.dirty.get()).map(|m| view! { <span class="muted" data-testid="investigation-status">{m}</span> })}
        {move || ws.error.get().or(ws.view.error.get()).map(|m| view! { <p class="error" role="alert">{m}</p> })}
        <div class="graph-toolbar">
            <AddBySearch on_pick=add />
            <ExpandSelected ws />
            <button type="button" data-testid="graph-remove" disabled=move || ws.view.selected.with(Vec::is_empty)
                on:click=move |_| {
                    let selected = ws.view.selected.get_untracked();
                    ws.change(|s| s.remove(&selected));
                    ws.view.selected.set(Vec::new());
                }>"Remove"</button>
            <button type="button" data-testid="graph-pin" disabled=move || ws.view.selected.with(Vec::is_empty)
                on:click=move |_| {
                    ws.remember_positions();
                    let selected = ws.view.selected.get_untracked();
                    let all_pinned = ws.history.with_value(|h| selected.iter().all(|id| h.now.pinned.contains(id)));
                    ws.change(|s| for id in &selected {
                        if all_pinned { s.pinned.remove(id); } else { s.pinned.insert(id.clone()); }
                    });
                }>"Pin / unpin"</button>
            <button type="button" data-testid="graph-undo" disabled=move || { ws.version.track(); !ws.history.with_value(History::can_undo) }
                on:click=move |_| ws.step(true)>"Undo"</button>
            <button type="button" data-testid="graph-redo" disabled=move || { ws.version.track(); !ws.history.with_value(History::can_redo) }
                on:click=move |_| ws.step(false)>"Redo"</button>
        </div>
        <div class="graph-toolbar">
            <ViewButtons view=ws.view layout stem />
            <Paths ws />
            <Timeline ws />
            <span class="graph-status" data-testid="graph-status">
                {move || ws.snapshot(|s| format!("{} objects, {} relationships", thousands(s.nodes.len() as u64), thousands(s.edges.len() as u64)))}
            </span>
        </div>
        <div class="graph-body">
            <GraphCanvas view=ws.view on_expand=Callback::new(move |id: String| {
                expand(ws, vec![id], GraphFilter::default(), 100)
            }) />
            {move || {
                let last = ws.view.selected.get().last().cloned()?;
                let node = ws.snapshot(|s| s.node(&last).cloned())?;
                Some(view! { <NodeDetails node /> })
            }}
        </div>
        <label class="notes">"Notes"
            <textarea rows="4" data-testid="investigation-notes" prop:value=move || notes.get()
                readonly=!editable
                on:input=move |e| { notes.set(event_target_value(&e)); ws.dirty.set(true); }></textarea>
        </label>
    }
}

/// Expands `roots` through `filter`, at most `cap` new objects.
fn expand(ws: Workspace, roots: Vec<String>, filter: GraphFilter, cap: u32) {
    if roots.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        match expand_graph(roots.clone(), filter, 1, cap).await {
            Ok(graph) => {
                if graph.hidden > 0 {
                    ws.error.set(Some(format!(
                        "{} more relationships not shown: expand with a filter or a higher limit",
                        thousands(graph.hidden)
                    )));
                } else {
                    ws.error.set(None);
                }
                ws.add(&graph, &roots);
            }
            Err(error) => ws.error.set(Some(error.to_string())),
        }
    });
}

/// Expands the selected nodes by relationship type and direction.
#[component]
fn ExpandSelected(ws: Workspace) -> impl IntoView {
    let types = RwSignal::new(Vec::<String>::new());
    let direction = RwSignal::new(GraphDirection::Both);
    let limit = RwSignal::new(100u32);
    view! {
        <CheckMenu label="Relationships" options=Signal::stored(relationship_types()) chosen=types testid="expand-relationships" />
        <DirectionPicker direction=direction.into() on_change=Callback::new(move |d| direction.set(d)) />
        <label class="inline">"Up to"
            <select data-testid="expand-limit" on:change=move |e| {
                if let Ok(n) = event_target_value(&e).parse() { limit.set(n) }
            }>
                {[25u32, 100, 500, 1000].into_iter().map(|n| view! {
                    <option value=n.to_string() selected=move || limit.get() == n>{n}</option>
                }).collect_view()}
            </select>
        </label>
        <button type="button" data-testid="graph-expand-selected" disabled=move || ws.view.selected.with(Vec::is_empty)
            on:click=move |_| {
                let filter = GraphFilter {
                    relationship_types: types.get_untracked(),
                    direction: direction.get_untracked(),
                    ..Default::default()
                };
                expand(ws, ws.view.selected.get_untracked(), filter, limit.get_untracked());
            }>"Expand selected"</button>
    }
}

/// The shortest paths between the two selected nodes, highlighted.
#[component]
fn Paths(ws: Workspace) -> impl IntoView {
    let found = RwSignal::new(None::<Vec<Path>>);
    let find = move |_| {
        let selected = ws.view.selected.get_untracked();
        let [a, b] = selected.as_slice() else {
            return;
        };
        let paths = ws
            .history
            .with_value(|h| h.now.shortest_paths(a, b, MAX_PATHS));
        let ids: Vec<String> = paths
            .iter()
            .flat_map(|p| p.nodes.iter().chain(&p.edges).cloned())
            .collect();
        ws.view.highlight(&ids);
        found.set(Some(paths));
    };
    let name = move |id: &str| {
        ws.history.with_value(|h| {
            h.now
                .node(id)
                .and_then(|n| n.name.clone())
                .unwrap_or_else(|| id.to_owned())
        })
    };
    view! {
        <button type="button" data-testid="graph-paths" disabled=move || ws.view.selected.with(|s| s.len() != 2)
            title="Select two nodes" on:click=find>"Shortest paths"</button>
        {move || found.get().map(|paths| view! {
            <div class="paths" data-testid="graph-paths-found">
                {if paths.is_empty() {
                    view! { <span>"No path between them in this workspace."</span> }.into_any()
                } else {
                    view! {
                        <span data-testid="graph-paths-summary">{format!(
                            "{} shortest path{} of {} relationship{}",
                            paths.len(), if paths.len() == 1 { "" } else { "s" },
                            paths[0].edges.len(), if paths[0].edges.len() == 1 { "" } else { "s" })}</span>
                        <ol>
                            {paths.iter().map(|p| view! {
                                <li data-testid="graph-path">{p.nodes.iter().map(|id| name(id)).collect::<Vec<_>>().join(" → ")}</li>
                            }).collect_view()}
                        </ol>
                    }.into_any()
                }}
                <button type="button" class="link-button" on:click=move |_| { ws.view.highlight(&[]); found.set(None); }>"Clear"</button>
            </div>
        })}
    }
}

/// A slider over the days things were created: what was not yet known at
/// the chosen day is hidden.
#[component]
fn Timeline(ws: Workspace) -> impl IntoView {
    let days = Memo::new(move |_| ws.snapshot(Snapshot::days));
    let at = RwSignal::new(None::<usize>);
    view! {
        <label class="inline timeline" data-testid="graph-timeline">"Known by"
            <input type="range" min="0" data-testid="graph-timeline-range"
                prop:max=move || days.with(Vec::len).to_string()
                prop:value=move || at.get().unwrap_or_else(|| days.with(Vec::len)).to_string()
                on:input=move |e| {
                    let index: usize = event_target_value(&e).parse().unwrap_or(0);
                    let all = days.with(Vec::len);
                    let day = (index < all).then(|| days.with(|d| d[index].clone()));
                    at.set((index < all).then_some(index));
                    ws.view.hide_after(day.as_deref());
                } />
            <span data-testid="graph-timeline-day">{move || match at.get() {
                Some(i) => days.with(|d| d.get(i).cloned().unwrap_or_default()),
                None => "all dates".to_owned(),
            }}</span>
        </label>
    }
}
