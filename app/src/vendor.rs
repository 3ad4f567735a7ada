//! Loading the browser libraries Cairn serves from `/vendor/` (installed from
//! the npm registry at build time, copied there by Trunk): each script is
//! inserted once, downloaded beside the others and run in order, and every
//! caller waits for the same load.

use js_sys::{Promise, Reflect};
use wasm_bindgen::JsCast;

/// A JavaScript error as text.
pub fn describe(error: &wasm_bindgen::JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "an unknown error in a browser library".to_owned())
}

/// Loads `scripts` in order unless every one of `globals` is already defined.
pub async fn load(scripts: &[&str], globals: &[&str]) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    if globals
        .iter()
        .all(|g| Reflect::has(&window, &(*g).into()).unwrap_or(false))
    {
        return Ok(());
    }
    let document = window.document().ok_or("no document")?;
    // Every script is in the page before the first is waited for, so they
    // download side by side; `async = false` still runs them in order.
    let mut pending = Vec::new();
    for src in scripts {
        let selector = format!("script[data-vendor=\"{src}\"]");
        let existing = document.query_selector(&selector).ok().flatten();
        let script = match existing {
            Some(script) => script,
            None => {
                let script = document
                    .create_element("script")
                    .map_err(|e| describe(&e))?;
                script.set_attribute("src", src).map_err(|e| describe(&e))?;
                script
                    .set_attribute("data-vendor", src)
                    .map_err(|e| describe(&e))?;
                let _ = Reflect::set(&script, &"async".into(), &false.into());
                let head = document.head().ok_or("no <head>")?;
                head.append_child(&script).map_err(|e| describe(&e))?;
                script
            }
        };
        if script.get_attribute("data-loaded").is_some() {
            continue;
        }
        let loaded = Promise::new(&mut |resolve, reject| {
            let target: &web_sys::EventTarget = script.unchecked_ref();
            let _ = target.add_event_listener_with_callback("load", &resolve);
            let _ = target.add_event_listener_with_callback("error", &reject);
        });
        pending.push((*src, script, loaded));
    }
    for (src, script, loaded) in pending {
        wasm_bindgen_futures::JsFuture::from(loaded)
            .await
            .map_err(|_| format!("the library {src} did not load"))?;
        let _ = script.set_attribute("data-loaded", "");
    }
    Ok(())
}
