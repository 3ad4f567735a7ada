//! Typed bindings to cytoscape.js: the core, collections, layouts and events
//! Cairn uses, and [`load`], which brings the library (with the fcose layout
//! and SVG export) in from Cairn's own server the first time a graph is drawn.
//! Browser only: the objects are not `Send`, so components keep them in
//! `StoredValue::new_local` and create them in an `Effect`.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A cytoscape instance drawn in one container element.
    #[derive(Clone)]
    pub type Core;

    #[wasm_bindgen(js_name = cytoscape, catch)]
    fn new_core(options: &JsValue) -> Result<Core, JsValue>;

    /// Adds elements (`{group, data, position}` objects).
    #[wasm_bindgen(method)]
    pub fn add(this: &Core, elements: &JsValue) -> Collection;
    #[wasm_bindgen(method)]
    pub fn elements(this: &Core) -> Collection;
    #[wasm_bindgen(method)]
    pub fn nodes(this: &Core) -> Collection;
    #[wasm_bindgen(method)]
    pub fn edges(this: &Core) -> Collection;
    /// The element with this id (an empty collection when there is none).
    #[wasm_bindgen(method, js_name = getElementById)]
    pub fn get(this: &Core, id: &str) -> Collection;
    #[wasm_bindgen(method, js_name = "$")]
    pub fn select_all(this: &Core, selector: &str) -> Collection;
    #[wasm_bindgen(method)]
    pub fn layout(this: &Core, options: &JsValue) -> Layout;
    #[wasm_bindgen(method)]
    pub fn fit(this: &Core);
    #[wasm_bindgen(method)]
    pub fn zoom(this: &Core) -> f64;
    /// `zoom({level, renderedPosition})`.
    #[wasm_bindgen(method, js_name = zoom)]
    pub fn zoom_to(this: &Core, options: &JsValue);
    #[wasm_bindgen(method)]
    pub fn width(this: &Core) -> f64;
    #[wasm_bindgen(method)]
    pub fn height(this: &Core) -> f64;
    #[wasm_bindgen(method, js_name = startBatch)]
    pub fn start_batch(this: &Core);
    #[wasm_bindgen(method, js_name = endBatch)]
    pub fn end_batch(this: &Core);
    /// Calls `handler(event)` on `events` over elements matching `selector`.
    #[wasm_bindgen(method)]
    pub fn on(this: &Core, events: &str, selector: &str, handler: &Function);
    /// A PNG of the graph: `{output: 'blob', full: true, bg}` gives a Blob.
    #[wasm_bindgen(method)]
    pub fn png(this: &Core, options: &JsValue) -> JsValue;
    /// An SVG text of the graph (the cytoscape-svg extension).
    #[wasm_bindgen(method, catch)]
    pub fn svg(this: &Core, options: &JsValue) -> Result<String, JsValue>;
    #[wasm_bindgen(method)]
    pub fn destroy(this: &Core);

    /// A set of elements.
    #[derive(Clone)]
    pub type Collection;

    #[wasm_bindgen(method, getter)]
    pub fn length(this: &Collection) -> u32;
    #[wasm_bindgen(method)]
    pub fn remove(this: &Collection) -> Collection;
    /// The first element's id.
    #[wasm_bindgen(method)]
    pub fn id(this: &Collection) -> String;
    /// The first element's data field `key`.
    #[wasm_bindgen(method)]
    pub fn data(this: &Collection, key: &str) -> JsValue;
    /// The first node's model position `{x, y}`.
    #[wasm_bindgen(method)]
    pub fn position(this: &Collection) -> JsValue;
    #[wasm_bindgen(method, js_name = position)]
    pub fn set_position(this: &Collection, position: &JsValue);
    #[wasm_bindgen(method)]
    pub fn lock(this: &Collection);
    #[wasm_bindgen(method)]
    pub fn unlock(this: &Collection);
    #[wasm_bindgen(method)]
    pub fn locked(this: &Collection) -> bool;
    #[wasm_bindgen(method)]
    pub fn select(this: &Collection);
    #[wasm_bindgen(method)]
    pub fn unselect(this: &Collection);
    #[wasm_bindgen(method)]
    pub fn nodes(this: &Collection) -> Collection;
    #[wasm_bindgen(method)]
    pub fn edges(this: &Collection) -> Collection;
    #[wasm_bindgen(method, js_name = addClass)]
    pub fn add_class(this: &Collection, classes: &str);
    #[wasm_bindgen(method, js_name = removeClass)]
    pub fn remove_class(this: &Collection, classes: &str);
    #[wasm_bindgen(method, js_name = connectedEdges)]
    pub fn connected_edges(this: &Collection) -> Collection;
    #[wasm_bindgen(method)]
    pub fn layout(this: &Collection, options: &JsValue) -> Layout;
    #[wasm_bindgen(method, js_name = toArray)]
    pub fn to_array(this: &Collection) -> Array;

    /// A layout run.
    pub type Layout;

    #[wasm_bindgen(method)]
    pub fn run(this: &Layout);
    /// Calls `handler` once, on `event` (e.g. `layoutstop`).
    #[wasm_bindgen(method)]
    pub fn one(this: &Layout, event: &str, handler: &Function);

    /// An event cytoscape hands a handler.
    pub type Event;

    /// The element the event happened on (the core for background events).
    #[wasm_bindgen(method, getter)]
    pub fn target(this: &Event) -> JsValue;
}

impl Core {
    /// A graph drawn in `container` with `style` (a cytoscape stylesheet) and
    /// no elements yet.
    pub fn new(container: &web_sys::HtmlElement, style: &JsValue) -> Result<Core, String> {
        let options = Object::new();
        set(&options, "container", container);
        set(&options, "style", style);
        set(&options, "elements", &Array::new());
        set(&options, "wheelSensitivity", &0.3.into());
        set(&options, "minZoom", &0.05.into());
        set(&options, "maxZoom", &4.0.into());
        // Two clicks within half a second are a double click, as on the
        // desktop (cytoscape's own 250 ms misses double clicks whenever the
        // first click's work keeps the page busy).
        set(&options, "multiClickDebounceTime", &500.into());
        // Large graphs stay smooth: edges are not redrawn while panning.
        set(&options, "hideEdgesOnViewport", &false.into());
        set(&options, "textureOnViewport", &false.into());
        new_core(&options).map_err(|e| describe(&e))
    }
}

impl Collection {
    /// The first node's position, as numbers.
    pub fn xy(&self) -> (f64, f64) {
        let position = self.position();
        let number = |key: &str| {
            Reflect::get(&position, &key.into())
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0)
        };
        (number("x"), number("y"))
    }

    /// The first element's data field `key` as text.
    pub fn text(&self, key: &str) -> Option<String> {
        self.data(key).as_string()
    }
}

/// Sets `object[key] = value`.
pub fn set(object: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(object, &key.into(), value);
}

pub use crate::vendor::describe;

/// The scripts a graph needs, in load order, as Trunk copies them into `vendor/`.
const SCRIPTS: &[&str] = &[
    "/vendor/cytoscape.min.js",
    "/vendor/layout-base.js",
    "/vendor/cose-base.js",
    "/vendor/cytoscape-fcose.js",
    "/vendor/cytoscape-svg.js",
];

/// Starts loading the library in the background, so that it is ready by
/// the time a page's graph data arrives.
pub fn preload() {
    wasm_bindgen_futures::spawn_local(async {
        let _ = load().await;
    });
}

/// Loads cytoscape.js and its extensions once (later calls wait for the
/// same load). Each extension registers itself with the global `cytoscape`.
pub async fn load() -> Result<(), String> {
    crate::vendor::load(SCRIPTS, &["cytoscapeFcose", "cytoscapeSvg"]).await
}
