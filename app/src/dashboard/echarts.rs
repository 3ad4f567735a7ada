//! Typed bindings to the part of Apache ECharts Cairn uses (a chart in an
//! element, its option, resizing, clicks), and [`load`], which brings ECharts
//! and, for world maps, the country shapes (world-atlas, converted with
//! topojson-client) in from Cairn's own server the first time a chart is
//! drawn. Browser only: charts live in `StoredValue::new_local`.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;

use crate::vendor::describe;

#[wasm_bindgen]
extern "C" {
    /// One chart drawn in one element.
    #[derive(Clone)]
    pub type Chart;

    #[wasm_bindgen(catch, js_namespace = echarts, js_name = init)]
    fn init(
        element: &web_sys::HtmlElement,
        theme: &JsValue,
        options: &JsValue,
    ) -> Result<Chart, JsValue>;

    #[wasm_bindgen(catch, method, js_name = setOption)]
    fn set_option(this: &Chart, option: &JsValue, not_merge: bool) -> Result<(), JsValue>;

    #[wasm_bindgen(method)]
    pub fn resize(this: &Chart);

    #[wasm_bindgen(method)]
    pub fn dispose(this: &Chart);

    /// Calls `handler` on `event` (e.g. `click`) with ECharts' event parameters.
    #[wasm_bindgen(method)]
    pub fn on(this: &Chart, event: &str, handler: &Function);

    #[wasm_bindgen(catch, js_namespace = echarts, js_name = registerMap)]
    fn register_map(name: &str, geo_json: &JsValue) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = topojson, js_name = feature)]
    fn topo_feature(topology: &JsValue, object: &JsValue) -> Result<JsValue, JsValue>;
}

impl Chart {
    /// A chart in `element`, in the dark theme when the page is dark.
    pub fn new(element: &web_sys::HtmlElement, dark: bool) -> Result<Chart, String> {
        let theme: JsValue = if dark { "dark".into() } else { JsValue::NULL };
        let options = js_sys::Object::new();
        let _ = Reflect::set(&options, &"renderer".into(), &"canvas".into());
        init(element, &theme, &options).map_err(|e| describe(&e))
    }

    /// Replaces what the chart draws with `option` (an ECharts option as JSON).
    pub fn draw(&self, option: &serde_json::Value) -> Result<(), String> {
        let value = js_sys::JSON::parse(&option.to_string()).map_err(|e| describe(&e))?;
        self.set_option(&value, true).map_err(|e| describe(&e))
    }
}

const SCRIPTS: &[&str] = &["/vendor/echarts.min.js", "/vendor/topojson-client.min.js"];

/// Loads ECharts (and topojson-client) once; later calls wait for the same load.
pub async fn load() -> Result<(), String> {
    crate::vendor::load(SCRIPTS, &["echarts", "topojson"]).await
}

/// Starts loading the libraries (and the world map's shapes when `world`)
/// without waiting, so they arrive while a dashboard's series are read.
pub fn preload(world: bool) {
    leptos::task::spawn_local(async move {
        let _ = if world {
            self::world().await.map(|_| ())
        } else {
            load().await
        };
    });
}

/// The map name world maps are drawn with.
pub const WORLD: &str = "world";

thread_local! {
    /// Country shape names by ISO numeric code, once the map is registered.
    static COUNTRY_NAMES: std::cell::RefCell<Option<std::collections::HashMap<String, String>>> =
        const { std::cell::RefCell::new(None) };
    /// The registration under way, which every caller waits for.
    static WORLD_LOAD: std::cell::RefCell<Option<js_sys::Promise>> =
        const { std::cell::RefCell::new(None) };
}

/// Registers the world map (Natural Earth 1:110m countries from world-atlas)
/// once, and returns the shapes' names by ISO numeric code. Callers during
/// the first registration wait for it rather than download the shapes again.
pub async fn world() -> Result<std::collections::HashMap<String, String>, String> {
    if let Some(names) = COUNTRY_NAMES.with(|n| n.borrow().clone()) {
        return Ok(names);
    }
    let load = WORLD_LOAD.with(|l| {
        l.borrow_mut()
            .get_or_insert_with(|| {
                wasm_bindgen_futures::future_to_promise(async {
                    register_world()
                        .await
                        .map(|()| JsValue::UNDEFINED)
                        .map_err(|e| JsValue::from_str(&e))
                })
            })
            .clone()
    });
    if let Err(error) = wasm_bindgen_futures::JsFuture::from(load).await {
        // A later call tries again.
        WORLD_LOAD.with(|l| l.borrow_mut().take());
        return Err(describe(&error));
    }
    COUNTRY_NAMES
        .with(|n| n.borrow().clone())
        .ok_or_else(|| "the world map did not load".to_owned())
}

/// Downloads the shapes (while the libraries load), registers them with
/// ECharts and keeps their names.
async fn register_world() -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let fetched = window.fetch_with_str("/vendor/countries-110m.json");
    load().await?;
    let response = wasm_bindgen_futures::JsFuture::from(fetched)
        .await
        .map_err(|e| describe(&e))?;
    let response: web_sys::Response = response.dyn_into().map_err(|e| describe(&e))?;
    if !response.ok() {
        return Err(format!(
            "the world map did not load ({})",
            response.status()
        ));
    }
    let json = response.json().map_err(|e| describe(&e))?;
    let topology = wasm_bindgen_futures::JsFuture::from(json)
        .await
        .map_err(|e| describe(&e))?;
    let objects = Reflect::get(&topology, &"objects".into()).map_err(|e| describe(&e))?;
    let countries = Reflect::get(&objects, &"countries".into()).map_err(|e| describe(&e))?;
    let geo = topo_feature(&topology, &countries).map_err(|e| describe(&e))?;
    let features = Reflect::get(&geo, &"features".into()).map_err(|e| describe(&e))?;
    let mut names = std::collections::HashMap::new();
    for feature in js_sys::Array::from(&features).iter() {
        let id = Reflect::get(&feature, &"id".into())
            .ok()
            .and_then(|v| v.as_string());
        let name = Reflect::get(&feature, &"properties".into())
            .and_then(|p| Reflect::get(&p, &"name".into()))
            .ok()
            .and_then(|v| v.as_string());
        if let (Some(id), Some(name)) = (id, name) {
            names.insert(id, name);
        }
    }
    register_map(WORLD, &geo).map_err(|e| describe(&e))?;
    COUNTRY_NAMES.with(|n| *n.borrow_mut() = Some(names));
    Ok(())
}

use wasm_bindgen::JsCast;
