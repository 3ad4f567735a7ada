//! The Graph tab of an entity page. For most kinds: the entity and its
//! neighbours to depth 1–3, filtered, capped with an honest count of what is
//! left out; double-click a node to expand it. For containers (reports,
//! groupings, cases, …): what they hold and the relationships among it;
//! adding an object adds it to the container, and a relationship drawn
//! between two selected nodes is one the matrix allows.
//!
//! `?depth=` and `?cap=` in the URL set the first read.

use std::collections::HashMap;

use cairn_model::{Graph, GraphFilter};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

use super::Loaded;
use crate::graph::canvas::{GraphCanvas, GraphView, LayoutKind};
use crate::graph::controls::{AddBySearch, FilterBar, NodeDetails, ViewButtons};
use crate::graph::data::{add_to_container, container_graph, expand_graph, relate_in_container};
use crate::graph::workspace::Snapshot;
use crate::investigations::create_investigation;
use crate::widgets::{held_markings, kind_of, thousands};

/// How many neighbours a double-click adds at most.
const EXPAND_CAP: u32 = 200;
/// The caps offered for the first read.
const CAPS: [u32; 6] = [50, 100, 200, 500, 1000, 2000];

#[component]
pub fn GraphTab(loaded: Loaded) -> impl IntoView {
    crate::graph::cytoscape::preload();
    if cairn_stix::types::is_container_type(&loaded.stix_type()) {
        view! { <ContainerGraph loaded /> }.into_any()
    } else {
        view! { <EntityGraph loaded /> }.into_any()
    }
}

/// What a graph tab holds besides the canvas.
#[derive(Clone, Copy)]
struct Drawn {
    view: GraphView,
    snapshot: StoredValue<Snapshot>,
    /// Bumped when the snapshot changes, for what shows its size.
    version: RwSignal<u32>,
    layout: RwSignal<LayoutKind>,
    error: RwSignal<Option<String>>,
    held: Signal<Vec<cairn_model::MarkingView>>,
}

impl Drawn {
    fn new() -> Drawn {
        Drawn {
            view: GraphView::new(),
            snapshot: StoredValue::new(Snapshot::default()),
            version: RwSignal::new(0),
            layout: RwSignal::new(LayoutKind::Force),
            error: RwSignal::new(None),
            held: held_markings(),
        }
    }

    /// Replaces the graph and lays it out.
    fn replace(&self, graph: &Graph) {
        let mut snapshot = Snapshot::default();
        snapshot.merge(graph);
        self.snapshot.set_value(snapshot);
        self.draw();
        self.view.layout(self.layout.get_untracked());
    }

    /// Adds a graph, placing what is new around `center`.
    fn add_around(&self, graph: &Graph, center: &str) {
        let mut added = Vec::new();
        self.snapshot.update_value(|s| added = s.merge(graph));
        self.draw();
        self.view.place_around(center, &added);
        self.view.mark_ready();
    }

    fn draw(&self) {
        let held = self.held.get_untracked();
        self.snapshot
            .with_value(|s| self.view.sync(s, &held, &HashMap::new()));
        self.version.update(|v| *v += 1);
    }

    fn selected_node(&self) -> Option<cairn_model::GraphNode> {
        let last = self.view.selected.get().last().cloned()?;
        self.version.track();
        self.snapshot.with_value(|s| s.node(&last).cloned())
    }

    fn counts(&self) -> (usize, usize) {
        self.version.track();
        self.snapshot.with_value(|s| (s.nodes.len(), s.edges.len()))
    }
}

#[component]
fn EntityGraph(loaded: Loaded) -> impl IntoView {
    let query = use_query_map();
    let number = |key: &str, default: u32| {
        query
            .with_untracked(|q| q.get(key))
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(default)
    };
    let depth = RwSignal::new(number("depth", 1).clamp(1, 3));
    let cap = RwSignal::new(number("cap", 200).clamp(1, crate::graph::data::MAX_GRAPH_NODES));
    let filter = RwSignal::new(GraphFilter::default());
    let drawn = Drawn::new();
    let hidden = RwSignal::new(0u64);
    let busy = RwSignal::new(false);
    let id = loaded.id.clone();
    let root = StoredValue::new(id.clone());
    // The first read, and again whenever depth, cap or filters change.
    Effect::new(move |_| {
        let (depth, cap, filter) = (depth.get(), cap.get(), filter.get());
        if !drawn.view.ready.get() {
            return;
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match expand_graph(vec![root.get_value()], filter, depth, cap).await {
                Ok(graph) => {
                    hidden.set(graph.hidden);
                    drawn.error.set(None);
                    drawn.replace(&graph);
                }
                Err(error) => drawn.error.set(Some(error.to_string())),
            }
            busy.set(false);
        });
    });
    let expand = Callback::new(move |node: String| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let filter = filter.get_untracked();
            match expand_graph(vec![node.clone()], filter, 1, EXPAND_CAP).await {
                Ok(graph) => {
                    hidden.update(|h| *h += graph.hidden);
                    drawn.add_around(&graph, &node);
                }
                Err(error) => drawn.error.set(Some(error.to_string())),
            }
            busy.set(false);
        });
    });
    let navigate = use_navigate();
    let title = loaded.title();
    let investigate = move |_| {
        let mut objects = vec![root.get_value()];
        objects.extend(drawn.view.selected.get_untracked());
        let name = format!("Investigation of {title}");
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match create_investigation(name, objects).await {
                Ok(id) => navigate(&format!("/investigations/{id}"), Default::default()),
                Err(error) => drawn.error.set(Some(error.to_string())),
            }
        });
    };
    let stem = format!("graph-{}", crate::widgets::file_stem(&loaded.title()));
    view! {
        <section class="graph-tab" data-testid="entity-graph">
            <div class="graph-toolbar">
                <label class="inline">"Depth"
                    <select data-testid="graph-depth" on:change=move |e| {
                        if let Ok(d) = event_target_value(&e).parse() { depth.set(d) }
                    }>
                        {[1u32, 2, 3].into_iter().map(|d| view! {
                            <option value=d.to_string() selected=move || depth.get() == d>{d}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="inline">"Show at most"
                    <select data-testid="graph-cap" on:change=move |e| {
                        if let Ok(c) = event_target_value(&e).parse() { cap.set(c) }
                    }>
                        {CAPS.into_iter().chain((!CAPS.contains(&cap.get_untracked())).then(|| cap.get_untracked())).map(|c| view! {
                            <option value=c.to_string() selected=move || cap.get() == c>{thousands(c as u64)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <FilterBar filter />
            </div>
            <div class="graph-toolbar">
                <ViewButtons view=drawn.view layout=drawn.layout stem=stem />
                <button type="button" data-testid="graph-investigate" on:click=investigate>"Start an investigation"</button>
                <GraphStatus drawn hidden busy />
            </div>
            <div class="graph-body">
                <GraphCanvas view=drawn.view on_expand=expand />
                {move || drawn.selected_node().map(|node| {
                    let id = node.id.clone();
                    view! {
                        <NodeDetails node>
                            <button type="button" data-testid="graph-expand" on:click=move |_| expand.run(id.clone())>"Expand"</button>
                        </NodeDetails>
                    }
                })}
            </div>
        </section>
    }
}

/// The counts drawn, what the cap left out, and errors.
#[component]
fn GraphStatus(drawn: Drawn, hidden: RwSignal<u64>, busy: RwSignal<bool>) -> impl IntoView {
    view! {
        <span class="graph-status" data-testid="graph-status">
            {move || {
                let (nodes, edges) = drawn.counts();
                format!("{} objects, {} relationships", thousands(nodes as u64), thousands(edges as u64))
            }}
            {move || (hidden.get() > 0).then(|| view! {
                <span class="warning" data-testid="graph-hidden">
                    {format!(" · {} more relationships not shown (raise the cap, filter, or expand)", thousands(hidden.get()))}
                </span>
            })}
            {move || busy.get().then(|| view! { <span class="muted">" · loading…"</span> })}
            {move || drawn.error.get().or(drawn.view.error.get()).map(|m| view! { <span class="error" role="alert">{format!(" {m}")}</span> })}
        </span>
    }
}

#[component]
fn ContainerGraph(loaded: Loaded) -> impl IntoView {
    let drawn = Drawn::new();
    let id = StoredValue::new(loaded.id.clone());
    let hidden = RwSignal::new(0u64);
    let busy = RwSignal::new(false);
    let apply = move |result: Result<Graph, crate::AppError>| match result {
        Ok(graph) => {
            drawn.error.set(None);
            drawn.replace(&graph);
        }
        Err(error) => drawn.error.set(Some(error.to_string())),
    };
    Effect::new(move |_| {
        if drawn.view.ready.get() {
            leptos::task::spawn_local(async move { apply(container_graph(id.get_value()).await) });
        }
    });
    let add = Callback::new(move |hit: cairn_model::SearchHit| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            apply(add_to_container(id.get_value(), vec![hit.stix_id]).await);
            busy.set(false);
        });
    });
    // Relating the two selected nodes: the types the matrix allows between their kinds.
    let pair = Memo::new(move |_| {
        let selected = drawn.view.selected.get();
        drawn.version.track();
        let [a, b] = selected.as_slice() else {
            return None;
        };
        drawn
            .snapshot
            .with_value(|s| Some((s.node(a)?.clone(), s.node(b)?.clone())))
    });
    let relationship = RwSignal::new(String::new());
    let allowed = Memo::new(move |_| {
        pair.get()
            .map(|(a, b)| {
                let kind = |n: &cairn_model::GraphNode| {
                    kind_of(n.kind.as_deref(), &n.stix_type).map_or("", |k| k.name)
                };
                cairn_stix::relationships::allowed_between_kinds(kind(&a), kind(&b))
            })
            .unwrap_or_default()
    });
    Effect::new(move |_| {
        let allowed = allowed.get();
        if !allowed.contains(&relationship.get_untracked().as_str()) {
            relationship.set(allowed.first().map(|s| (*s).to_owned()).unwrap_or_default());
        }
    });
    let relate = move |_| {
        let Some((a, b)) = pair.get_untracked() else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            apply(
                relate_in_container(id.get_value(), a.id, relationship.get_untracked(), b.id).await,
            );
            busy.set(false);
        });
    };
    let stem = format!("graph-{}", crate::widgets::file_stem(&loaded.title()));
    view! {
        <section class="graph-tab" data-testid="container-graph">
            <div class="graph-toolbar">
                <AddBySearch on_pick=add />
                <ViewButtons view=drawn.view layout=drawn.layout stem=stem />
                <GraphStatus drawn hidden busy />
            </div>
            {move || pair.get().map(|(a, b)| view! {
                <div class="graph-toolbar" data-testid="graph-relate">
                    <span>{format!("{} →", a.name.clone().unwrap_or(a.id.clone()))}</span>
                    <select data-testid="graph-relate-type" on:change=move |e| relationship.set(event_target_value(&e))>
                        {allowed.get().into_iter().map(|r| view! {
                            <option value=r selected=move || relationship.get() == r>{r}</option>
                        }).collect_view()}
                    </select>
                    <span>{format!("→ {}", b.name.clone().unwrap_or(b.id.clone()))}</span>
                    <button type="button" data-testid="graph-relate-save" on:click=relate>"Add relationship"</button>
                </div>
            })}
            <div class="graph-body">
                <GraphCanvas view=drawn.view on_expand=Callback::new(|_| ()) />
                {move || drawn.selected_node().map(|node| view! { <NodeDetails node /> })}
            </div>
        </section>
    }
}
