//! The graph canvas every graph page shares: a cytoscape instance in a
//! `<div>`, kept in step with a [`Snapshot`] ([`GraphView::sync`]), with
//! layouts, fit and zoom, pins, the timeline, path highlighting, selection,
//! double-click to expand, and PNG and SVG export.
//!
//! The container carries `data-state` (`loading`, `ready`, `error`) and the
//! node and edge counts drawn, which the browser tests and the benchmark read.

use std::collections::{HashMap, HashSet};

use cairn_model::MarkingView;
use js_sys::{Function, Object};
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::cytoscape::{self, Collection, Core, Event, set};
use super::style;
use super::workspace::Snapshot;

/// Above this many edges, edge labels show only on selected edges.
const QUIET_EDGES: usize = 1500;

/// The layouts an analyst can choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LayoutKind {
    /// fcose, force-directed.
    Force,
    /// Breadth first from the roots, as a hierarchy.
    Hierarchy,
    Concentric,
    Grid,
}

impl LayoutKind {
    pub const ALL: [LayoutKind; 4] = [
        LayoutKind::Force,
        LayoutKind::Hierarchy,
        LayoutKind::Concentric,
        LayoutKind::Grid,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            LayoutKind::Force => "force",
            LayoutKind::Hierarchy => "hierarchy",
            LayoutKind::Concentric => "concentric",
            LayoutKind::Grid => "grid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LayoutKind::Force => "Force-directed",
            LayoutKind::Hierarchy => "Hierarchy",
            LayoutKind::Concentric => "Concentric",
            LayoutKind::Grid => "Grid",
        }
    }

    pub fn from_slug(slug: &str) -> LayoutKind {
        LayoutKind::ALL
            .into_iter()
            .find(|l| l.slug() == slug)
            .unwrap_or(LayoutKind::Force)
    }

    /// The cytoscape layout options, for `nodes` nodes.
    fn options(self, nodes: u32) -> JsValue {
        let options = Object::new();
        set(&options, "animate", &false.into());
        set(&options, "fit", &true.into());
        set(&options, "padding", &30.into());
        match self {
            LayoutKind::Force => {
                set(&options, "name", &"fcose".into());
                // Draft quality is fcose's spectral layout alone: enough for
                // thousands of nodes, and it keeps them interactive in seconds.
                // fcose's default quality takes minutes on 2,000 nodes.
                let large = nodes > 300;
                let quality = if large { "draft" } else { "default" };
                set(&options, "quality", &quality.into());
                set(&options, "uniformNodeDimensions", &large.into());
                set(&options, "packComponents", &(!large).into());
                set(&options, "randomize", &true.into());
                set(&options, "nodeRepulsion", &6500.into());
                set(&options, "idealEdgeLength", &90.into());
                set(&options, "nodeSeparation", &90.into());
            }
            LayoutKind::Hierarchy => {
                set(&options, "name", &"breadthfirst".into());
                set(&options, "directed", &false.into());
                set(&options, "spacingFactor", &1.1.into());
                set(&options, "roots", &"node[depth = 0]".into());
            }
            LayoutKind::Concentric => {
                set(&options, "name", &"concentric".into());
                set(&options, "minNodeSpacing", &18.into());
                let level = Function::new_with_args("n", "return 10 - (n.data('depth') || 0);");
                set(&options, "concentric", &level);
                set(&options, "levelWidth", &Function::new_no_args("return 1;"));
            }
            LayoutKind::Grid => {
                set(&options, "name", &"grid".into());
                set(&options, "avoidOverlap", &true.into());
            }
        }
        options.into()
    }
}

/// A handle on one canvas, `Copy` so handlers can hold it.
#[derive(Clone, Copy)]
pub struct GraphView {
    core: StoredValue<Option<Core>, LocalStorage>,
    /// The graph library is loaded and the canvas exists.
    pub ready: RwSignal<bool>,
    pub error: RwSignal<Option<String>>,
    /// The selected nodes, in the order they were selected.
    pub selected: RwSignal<Vec<String>>,
    /// Nodes moved by hand since the last save (positions are read on save).
    pub moved: RwSignal<u32>,
    state: StoredValue<Option<web_sys::HtmlElement>, LocalStorage>,
}

impl Default for GraphView {
    fn default() -> Self {
        Self::new()
    }
}

impl GraphView {
    pub fn new() -> GraphView {
        GraphView {
            core: StoredValue::new_local(None),
            ready: RwSignal::new(false),
            error: RwSignal::new(None),
            selected: RwSignal::new(Vec::new()),
            moved: RwSignal::new(0),
            state: StoredValue::new_local(None),
        }
    }

    fn with_core<T>(&self, f: impl FnOnce(&Core) -> T) -> Option<T> {
        self.core.with_value(|core| core.as_ref().map(f))
    }

    /// Brings `selected` in line with the nodes selected on the canvas,
    /// keeping the order they were picked in.
    fn sync_selection(&self) {
        let ids: Vec<String> = self
            .with_core(|core| {
                core.select_all("node:selected")
                    .to_array()
                    .iter()
                    .map(|n| n.unchecked_into::<Collection>().id())
                    .collect()
            })
            .unwrap_or_default();
        self.selected.update(|selected| {
            selected.retain(|id| ids.contains(id));
            for id in ids {
                if !selected.contains(&id) {
                    selected.push(id);
                }
            }
        });
    }

    /// Sets `data-state` and the counts on the container, and a performance
    /// mark `cairn-graph-<state>` (the benchmark reads them).
    fn mark(&self, state: &str) {
        performance_mark(&format!("cairn-graph-{state}"));
        self.state.with_value(|el| {
            if let Some(el) = el {
                let _ = el.set_attribute("data-state", state);
                // By class, not `:visible`, which computes every element's style.
                if let Some((nodes, edges)) = self.with_core(|c| {
                    (
                        c.nodes().length() - c.select_all("node.hidden").length(),
                        c.edges().length() - c.select_all("edge.hidden").length(),
                    )
                }) {
                    let _ = el.set_attribute("data-nodes", &nodes.to_string());
                    let _ = el.set_attribute("data-edges", &edges.to_string());
                }
            }
        });
    }

    /// Draws exactly what `snapshot` holds: adds the missing nodes (at
    /// `positions` when known, else around `near` when given) and edges,
    /// removes the rest, and locks the pinned. Returns the ids of the nodes added.
    pub fn sync(
        &self,
        snapshot: &Snapshot,
        held: &[MarkingView],
        positions: &HashMap<String, (f64, f64)>,
    ) -> Vec<String> {
        self.with_core(|core| {
            core.start_batch();
            let wanted: HashSet<&str> = snapshot
                .nodes
                .iter()
                .map(|n| n.id.as_str())
                .chain(snapshot.edges.iter().map(|e| e.id.as_str()))
                .collect();
            for element in core.elements().to_array().iter() {
                let element: Collection = element.unchecked_into();
                if !wanted.contains(element.id().as_str()) {
                    element.remove();
                }
            }
            // Built as one JSON text and parsed once: thousands of elements
            // cross into JavaScript in one call.
            let mut elements = Vec::new();
            let mut added = Vec::new();
            for node in &snapshot.nodes {
                if core.get(&node.id).length() == 0 {
                    let at = positions.get(&node.id).copied();
                    elements.push(style::node_element(node, held, at));
                    added.push(node.id.clone());
                }
            }
            for edge in &snapshot.edges {
                if core.get(&edge.id).length() == 0 {
                    elements.push(style::edge_element(edge));
                }
            }
            if !elements.is_empty() {
                core.add(&style::to_js(&serde_json::Value::Array(elements)));
            }
            // Thousands of edge labels cost seconds to measure and draw: a
            // large graph labels only the selected edges.
            if snapshot.edges.len() > QUIET_EDGES {
                core.edges().add_class("quiet");
            } else {
                core.edges().remove_class("quiet");
            }
            for node in core.nodes().to_array().iter() {
                let node: Collection = node.unchecked_into();
                let pinned = snapshot.pinned.contains(&node.id());
                if pinned && !node.locked() {
                    node.lock();
                } else if !pinned && node.locked() {
                    node.unlock();
                }
            }
            core.end_batch();
            performance_mark("cairn-graph-synced");
            added
        })
        .unwrap_or_default()
    }

    /// Places `ids` in a ring around node `center`, leaving the rest where
    /// they are (what a double-click expansion adds).
    pub fn place_around(&self, center: &str, ids: &[String]) {
        self.with_core(|core| {
            let (cx, cy) = core.get(center).xy();
            let radius = 80.0 + 6.0 * ids.len() as f64;
            for (i, id) in ids.iter().enumerate() {
                let angle = i as f64 / ids.len().max(1) as f64 * std::f64::consts::TAU;
                let position = Object::new();
                set(&position, "x", &(cx + radius * angle.cos()).into());
                set(&position, "y", &(cy + radius * angle.sin()).into());
                core.get(id).set_position(&position);
            }
        });
    }

    /// Runs a layout over the whole graph (pinned nodes stay), then marks the
    /// canvas ready.
    pub fn layout(&self, kind: LayoutKind) {
        let view = *self;
        self.with_core(|core| {
            view.mark("layout");
            let layout = core.layout(&kind.options(core.nodes().length()));
            let done = Closure::once_into_js(move || {
                // One frame later the graph is drawn and takes input.
                let after = Closure::once_into_js(move || view.mark("ready"));
                if let Some(window) = web_sys::window() {
                    let _ = window.request_animation_frame(after.unchecked_ref());
                }
            });
            layout.one("layoutstop", done.unchecked_ref());
            layout.run();
        });
    }

    /// Marks the canvas ready without a layout (positions were all known).
    pub fn settle(&self) {
        self.with_core(|core| core.fit());
        self.mark("ready");
    }

    /// Marks the canvas ready as it is (after nodes were placed by hand).
    pub fn mark_ready(&self) {
        self.mark("ready");
    }

    pub fn fit(&self) {
        self.with_core(|core| core.fit());
    }

    /// Zooms by `factor` around the centre.
    pub fn zoom_by(&self, factor: f64) {
        self.with_core(|core| {
            let options = Object::new();
            set(&options, "level", &(core.zoom() * factor).into());
            let centre = Object::new();
            set(&centre, "x", &(core.width() / 2.0).into());
            set(&centre, "y", &(core.height() / 2.0).into());
            set(&options, "renderedPosition", &centre);
            core.zoom_to(&options);
        });
    }

    /// Where each node is drawn.
    pub fn positions(&self) -> HashMap<String, (f64, f64)> {
        self.with_core(|core| {
            core.nodes()
                .to_array()
                .iter()
                .map(|n| {
                    let n: Collection = n.unchecked_into();
                    (n.id(), n.xy())
                })
                .collect()
        })
        .unwrap_or_default()
    }

    /// Hides what was created after `day` (`YYYY-MM-DD`); `None` shows all.
    pub fn hide_after(&self, day: Option<&str>) {
        self.with_core(|core| {
            core.start_batch();
            core.elements().remove_class("hidden");
            if let Some(day) = day {
                for element in core.elements().to_array().iter() {
                    let element: Collection = element.unchecked_into();
                    let later = element
                        .text("created")
                        .and_then(|c| c.get(..10).map(str::to_owned))
                        .is_some_and(|c| c.as_str() > day);
                    if later {
                        element.add_class("hidden");
                    }
                }
                // An edge whose end is hidden is hidden too.
                core.select_all("node.hidden")
                    .connected_edges()
                    .add_class("hidden");
            }
            core.end_batch();
        });
        self.mark("ready");
    }

    /// Highlights these elements (a path) and fades the rest; empty clears.
    pub fn highlight(&self, ids: &[String]) {
        self.with_core(|core| {
            core.start_batch();
            core.elements().remove_class("path faded");
            if !ids.is_empty() {
                core.elements().add_class("faded");
                for id in ids {
                    let element = core.get(id);
                    element.remove_class("faded");
                    element.add_class("path");
                }
            }
            core.end_batch();
        });
    }

    /// Selects exactly these nodes.
    pub fn select_only(&self, ids: &[String]) {
        self.with_core(|core| {
            core.elements().unselect();
            for id in ids {
                core.get(id).select();
            }
        });
        self.selected.set(ids.to_vec());
    }

    /// A PNG of the whole graph.
    pub fn png(&self, background: &str) -> Option<web_sys::Blob> {
        self.with_core(|core| {
            let options = Object::new();
            set(&options, "output", &"blob".into());
            set(&options, "full", &true.into());
            set(&options, "bg", &background.into());
            set(&options, "scale", &2.into());
            core.png(&options).dyn_into::<web_sys::Blob>().ok()
        })
        .flatten()
    }

    /// An SVG of the whole graph.
    pub fn svg(&self, background: &str) -> Result<String, String> {
        self.with_core(|core| {
            let options = Object::new();
            set(&options, "full", &true.into());
            set(&options, "bg", &background.into());
            core.svg(&options).map_err(|e| cytoscape::describe(&e))
        })
        .unwrap_or_else(|| Err("the graph is not drawn yet".into()))
    }
}

/// `performance.mark(name)`, when the page has a performance timeline.
fn performance_mark(name: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let performance = js_sys::Reflect::get(&window, &"performance".into()).unwrap_or_default();
    if let Ok(mark) = js_sys::Reflect::get(&performance, &"mark".into())
        && let Ok(mark) = mark.dyn_into::<Function>()
    {
        let _ = mark.call1(&performance, &name.into());
    }
}

/// The canvas. `on_expand` gets the id of a double-clicked node.
#[component]
pub fn GraphCanvas(view: GraphView, #[prop(into)] on_expand: Callback<String>) -> impl IntoView {
    let container = NodeRef::<Div>::new();
    Effect::new(move |_| {
        let Some(element) = container.get() else {
            return;
        };
        let element: web_sys::HtmlElement = element.unchecked_into();
        view.state.set_value(Some(element.clone()));
        leptos::task::spawn_local(async move {
            performance_mark("cairn-graph-loading");
            // Usually under way already (`cytoscape::preload`).
            if let Err(error) = cytoscape::load().await {
                view.error.set(Some(error));
                view.mark("error");
                return;
            }
            let dark = crate::theme::is_dark();
            let core = match Core::new(&element, &style::stylesheet(dark)) {
                Ok(core) => core,
                Err(error) => {
                    view.error.set(Some(error));
                    view.mark("error");
                    return;
                }
            };
            // The details panel follows the selection once the event is
            // handled, so the second click of a double click is not held up.
            let selection = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                set_timeout(move || view.sync_selection(), std::time::Duration::ZERO);
            });
            core.on(
                "select unselect",
                "node",
                selection.as_ref().unchecked_ref(),
            );
            selection.forget();
            // cytoscape calls two quick taps on two different nodes a double
            // tap too: only two taps on the same node expand it.
            let taps = StoredValue::new_local([String::new(), String::new()]);
            let tapped = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                let target: Collection = event.target().unchecked_into();
                taps.update_value(|[before, last]| *before = std::mem::replace(last, target.id()));
            });
            core.on("tap", "node", tapped.as_ref().unchecked_ref());
            tapped.forget();
            let expand = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                let target: Collection = event.target().unchecked_into();
                let id = target.id();
                if taps.with_value(|[before, last]| *before == id && *last == id) {
                    on_expand.run(id);
                }
            });
            core.on("dbltap", "node", expand.as_ref().unchecked_ref());
            expand.forget();
            let dragged = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                view.moved.update(|n| *n += 1);
            });
            core.on("dragfree", "node", dragged.as_ref().unchecked_ref());
            dragged.forget();
            view.core.set_value(Some(core));
            performance_mark("cairn-graph-created");
            view.ready.set(true);
        });
    });
    on_cleanup(move || {
        view.core.update_value(|core| {
            if let Some(core) = core.take() {
                core.destroy();
            }
        });
    });
    view! {
        <div class="graph-canvas" node_ref=container data-testid="graph-canvas" data-state="loading"></div>
    }
}
