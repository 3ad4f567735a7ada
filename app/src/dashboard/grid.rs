//! The dashboard grid: 12 columns, rows of fixed height, each widget at its
//! [`Place`]. While editing, a widget's title bar drags it and its corner
//! resizes it, snapping to cells; the new place is handed back when the
//! pointer is released.

use cairn_model::dashboard::{GRID_COLUMNS, Period, Place, Widget, WidgetKind};
use leptos::prelude::*;

use super::widget::WidgetView;

/// The height of one grid row, in pixels (the CSS uses the same).
pub const ROW_PX: f64 = 64.0;
/// The gap between cells, in pixels (the CSS uses the same).
pub const GAP_PX: f64 = 12.0;

/// What a pointer is doing to a widget.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Gesture {
    Move,
    Resize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
struct Drag {
    gesture: Gesture,
    start: (f64, f64),
    from: Place,
    /// One column's and one row's pitch, in pixels.
    pitch: (f64, f64),
}

/// Where a drag of (dx, dy) pixels takes a widget, inside the grid.
fn dragged(drag: &Drag, dx: f64, dy: f64) -> Place {
    let cols = (dx / drag.pitch.0).round() as i64;
    let rows = (dy / drag.pitch.1).round() as i64;
    let p = drag.from;
    let max = i64::from(GRID_COLUMNS);
    match drag.gesture {
        Gesture::Move => Place {
            x: (i64::from(p.x) + cols).clamp(0, max - i64::from(p.w)) as u32,
            y: (i64::from(p.y) + rows).clamp(0, 1_000) as u32,
            ..p
        },
        Gesture::Resize => Place {
            w: (i64::from(p.w) + cols).clamp(1, max - i64::from(p.x)) as u32,
            h: (i64::from(p.h) + rows).clamp(1, 24) as u32,
            ..p
        },
    }
}

fn style(p: Place) -> String {
    format!(
        "grid-column: {} / span {}; grid-row: {} / span {};",
        p.x + 1,
        p.w,
        p.y + 1,
        p.h
    )
}

/// The widget's content key: a change of kind, title, series or text draws it
/// again; a change of place only moves it.
fn content_key(w: &Widget) -> String {
    serde_json::to_string(&(&w.id, &w.kind, &w.title, &w.series, &w.text)).unwrap_or_default()
}

#[component]
pub fn Grid(
    #[prop(into)] widgets: Signal<Vec<Widget>>,
    #[prop(into)] period: Signal<Period>,
    #[prop(into)] editing: Signal<bool>,
    #[prop(optional)] on_place: Option<Callback<(String, Place)>>,
    #[prop(optional)] on_edit: Option<Callback<String>>,
    #[prop(optional)] on_remove: Option<Callback<String>>,
) -> impl IntoView {
    let grid = NodeRef::<leptos::html::Div>::new();
    // The chart libraries load while the widgets' series are read (once,
    // when the first widgets arrive).
    Effect::new(move |started: Option<bool>| {
        if started == Some(true) {
            return true;
        }
        widgets.with(|ws| {
            let charts = ws.iter().any(|w| w.kind != WidgetKind::Text);
            if charts {
                super::echarts::preload(ws.iter().any(|w| w.kind == WidgetKind::WorldMap));
            }
            charts
        })
    });
    let drag = RwSignal::new(None::<(String, Drag)>);
    let preview = RwSignal::new(None::<(String, Place)>);
    let place_of = move |id: &str| {
        preview
            .with(|p| p.as_ref().filter(|(i, _)| i == id).map(|(_, p)| *p))
            .or_else(|| widgets.with(|ws| ws.iter().find(|w| w.id == id).map(|w| w.place)))
    };
    let start = move |ev: web_sys::PointerEvent, id: String, gesture: Gesture| {
        let (Some(element), Some(from)) = (grid.get_untracked(), place_of(&id)) else {
            return;
        };
        ev.prevent_default();
        if let Some(target) = ev.target() {
            use wasm_bindgen::JsCast;
            if let Ok(target) = target.dyn_into::<web_sys::Element>() {
                let _ = target.set_pointer_capture(ev.pointer_id());
            }
        }
        let width = element.get_bounding_client_rect().width();
        let pitch = ((width + GAP_PX) / f64::from(GRID_COLUMNS), ROW_PX + GAP_PX);
        drag.set(Some((
            id,
            Drag {
                gesture,
                start: (f64::from(ev.client_x()), f64::from(ev.client_y())),
                from,
                pitch,
            },
        )));
    };
    let moved = move |ev: web_sys::PointerEvent| {
        if let Some((id, d)) = drag.get_untracked() {
            let place = dragged(
                &d,
                f64::from(ev.client_x()) - d.start.0,
                f64::from(ev.client_y()) - d.start.1,
            );
            preview.set(Some((id, place)));
        }
    };
    let released = move |_: web_sys::PointerEvent| {
        let ended = drag.get_untracked();
        drag.set(None);
        if let (Some((id, d)), Some((_, place))) = (ended, preview.get_untracked())
            && place != d.from
            && let Some(on_place) = on_place
        {
            on_place.run((id, place));
        }
        preview.set(None);
    };
    view! {
        <div class="dashboard-grid" class:editing=move || editing.get() node_ref=grid data-testid="dashboard-grid">
            <For each=move || widgets.get() key=content_key let:widget>
                {
                    let id = widget.id.clone();
                    let place = {
                        let id = id.clone();
                        Memo::new(move |_| place_of(&id).unwrap_or(widget.place))
                    };
                    let (move_id, resize_id, edit_id, remove_id) = (id.clone(), id.clone(), id.clone(), id.clone());
                    view! {
                        <section class="widget card" data-testid="widget" data-widget=id.clone()
                            data-kind=widget.kind.key()
                            style=move || style(place.get())
                            data-x=move || place.get().x data-y=move || place.get().y
                            data-w=move || place.get().w data-h=move || place.get().h>
                            <header class="widget-header"
                                data-testid="widget-handle"
                                on:pointerdown=move |ev| if editing.get_untracked() { start(ev, move_id.clone(), Gesture::Move) }
                                on:pointermove=moved
                                on:pointerup=released>
                                <h2>{widget.title.clone()}</h2>
                                <Show when=move || editing.get()>
                                    <span class="widget-tools">
                                        <button type="button" class="link-button" data-testid="widget-edit"
                                            on:pointerdown=|ev| ev.stop_propagation()
                                            on:click={let id = edit_id.clone(); move |_| if let Some(f) = on_edit { f.run(id.clone()) }}>"Edit"</button>
                                        <button type="button" class="link-button danger-text" data-testid="widget-remove"
                                            on:pointerdown=|ev| ev.stop_propagation()
                                            on:click={let id = remove_id.clone(); move |_| if let Some(f) = on_remove { f.run(id.clone()) }}>"Remove"</button>
                                    </span>
                                </Show>
                            </header>
                            <div class="widget-body">
                                <WidgetView widget=widget.clone() period />
                            </div>
                            <Show when=move || editing.get()>
                                <span class="widget-resize" data-testid="widget-resize" title="Resize"
                                    on:pointerdown={let id = resize_id.clone(); move |ev| start(ev, id.clone(), Gesture::Resize)}
                                    on:pointermove=moved
                                    on:pointerup=released></span>
                            </Show>
                        </section>
                    }
                }
            </For>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drags_snap_to_cells_and_stay_inside_the_grid() {
        let d = Drag {
            gesture: Gesture::Move,
            start: (0.0, 0.0),
            from: Place {
                x: 2,
                y: 1,
                w: 4,
                h: 3,
            },
            pitch: (100.0, 76.0),
        };
        assert_eq!(
            dragged(&d, 260.0, 80.0),
            Place {
                x: 5,
                y: 2,
                w: 4,
                h: 3
            }
        );
        assert_eq!(
            dragged(&d, 5_000.0, -500.0),
            Place {
                x: 8,
                y: 0,
                w: 4,
                h: 3
            }
        );
        let r = Drag {
            gesture: Gesture::Resize,
            ..d
        };
        assert_eq!(
            dragged(&r, 120.0, 150.0),
            Place {
                x: 2,
                y: 1,
                w: 5,
                h: 5
            }
        );
        assert_eq!(
            dragged(&r, -900.0, 0.0),
            Place {
                x: 2,
                y: 1,
                w: 1,
                h: 3
            }
        );
    }
}
