//! How graphs look: the cytoscape stylesheet, built from the STIX crate's
//! registry (each kind's colour and icon, as everywhere else in Cairn), and
//! the elements drawn for the server's compact nodes and edges (label, kind,
//! the colour of the most restrictive marking, dates for the timeline).

use cairn_model::{GraphEdge, GraphNode, MarkingView};
use cairn_stix::KINDS;
use serde_json::{Value, json};
use wasm_bindgen::JsValue;

/// The longest node label drawn, in characters.
const LABEL_CHARS: usize = 32;

/// The stylesheet, for the light or dark theme.
pub fn stylesheet(dark: bool) -> JsValue {
    let text = if dark { "#e6e9ef" } else { "#1f2430" };
    let edge = if dark { "#6b7685" } else { "#a3adba" };
    let background = if dark { "#161a22" } else { "#ffffff" };
    let mut rules = vec![
        json!({"selector": "node", "style": {
            "width": 34, "height": 34,
            "background-color": "#7a8699",
            "background-width": "58%", "background-height": "58%",
            "label": "data(label)", "color": text, "font-size": 10,
            "text-valign": "bottom", "text-margin-y": 4,
            // Labels come shortened (`label`): wrapping to an ellipsis here
            // would measure every label many times.
            "text-wrap": "none",
            "min-zoomed-font-size": 6,
            "border-width": 0,
        }}),
        json!({"selector": "node[marking_color]", "style": {
            "border-width": 3, "border-color": "data(marking_color)",
        }}),
        json!({"selector": "node[depth = 0]", "style": {"width": 46, "height": 46, "font-weight": "bold"}}),
        json!({"selector": "node:selected", "style": {
            "overlay-color": "#1e88e5", "overlay-opacity": 0.25, "overlay-padding": 6,
        }}),
        json!({"selector": "node:locked", "style": {"border-style": "double", "border-width": 4,
            "border-color": "data(pin_color)"}}),
        json!({"selector": "edge", "style": {
            "width": 1.4, "line-color": edge, "curve-style": "bezier",
            "target-arrow-shape": "triangle", "target-arrow-color": edge, "arrow-scale": 0.8,
            "label": "data(label)", "font-size": 8, "color": text,
            "text-rotation": "autorotate", "min-zoomed-font-size": 9,
            "text-background-color": background, "text-background-opacity": 0.8,
            "text-background-padding": 1,
        }}),
        json!({"selector": "edge.quiet", "style": {"label": ""}}),
        json!({"selector": "edge.quiet:selected", "style": {"label": "data(label)"}}),
        json!({"selector": "edge:selected", "style": {"line-color": "#1e88e5", "target-arrow-color": "#1e88e5", "width": 2.5}}),
        json!({"selector": ".path", "style": {
            "line-color": "#f57c00", "target-arrow-color": "#f57c00", "width": 4,
            "overlay-color": "#f57c00", "overlay-opacity": 0.2, "overlay-padding": 4,
        }}),
        json!({"selector": ".faded", "style": {"opacity": 0.2}}),
        json!({"selector": ".hidden", "style": {"display": "none"}}),
    ];
    for kind in KINDS {
        rules.push(json!({
            "selector": format!("node[kind = \"{}\"]", kind.name),
            "style": {
                "background-color": kind.color,
                "background-image": icon_uri(kind.icon),
            }
        }));
    }
    to_js(&Value::Array(rules))
}

/// A kind's icon as a white SVG data URI, for a node's background.
fn icon_uri(icon: cairn_stix::Icon) -> String {
    let svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="white" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="{}"/></svg>"#,
        icon.path()
    );
    format!(
        "data:image/svg+xml;utf8,{}",
        String::from(js_sys::encode_uri_component(&svg))
    )
}

/// The marking colour drawn around a node: its most restrictive marking
/// the caller has a definition for.
pub fn marking_color(markings: &[String], held: &[MarkingView]) -> Option<String> {
    markings
        .iter()
        .filter_map(|id| held.iter().find(|m| &m.id == id))
        .max_by_key(|m| m.order)
        .map(|m| m.color.clone())
}

/// A node's label: its name, shortened.
pub fn label(node: &GraphNode) -> String {
    let name = node.name.clone().unwrap_or_else(|| node.stix_type.clone());
    if name.chars().count() > LABEL_CHARS {
        let short: String = name.chars().take(LABEL_CHARS - 1).collect();
        format!("{short}…")
    } else {
        name
    }
}

/// The cytoscape element of a node, at `position` when given.
pub fn node_element(node: &GraphNode, held: &[MarkingView], position: Option<(f64, f64)>) -> Value {
    let mut data = json!({
        "id": node.id,
        "label": label(node),
        "kind": node.kind.clone().unwrap_or_else(|| node.stix_type.clone()),
        "stix_type": node.stix_type,
        "depth": node.depth,
        "created": node.created,
        "pin_color": "#1e88e5",
    });
    if let Some(color) = marking_color(&node.markings, held) {
        data["marking_color"] = json!(color);
    }
    let mut element = json!({"group": "nodes", "data": data});
    if let Some((x, y)) = position {
        element["position"] = json!({"x": x, "y": y});
    }
    element
}

/// The cytoscape element of an edge.
pub fn edge_element(edge: &GraphEdge) -> Value {
    json!({"group": "edges", "data": {
        "id": edge.id,
        "source": edge.source,
        "target": edge.target,
        "label": edge.relationship_type,
        "created": edge.created,
    }})
}

/// A JSON value as a JavaScript value.
pub fn to_js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}
