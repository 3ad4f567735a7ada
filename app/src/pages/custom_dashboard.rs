//! One custom dashboard (`/dashboards/<id>`): its widgets on the grid over
//! the picked period. Its owner edits it: add, edit and remove widgets, drag
//! to move and resize, rename, share read-only, duplicate, delete; every
//! change is saved at once. Anyone who opens it can duplicate and export it.

use cairn_model::dashboard::{Dashboard, GRID_COLUMNS, Place, Widget, WidgetKind};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

use crate::dashboard::data::{
    OpenedDashboard, delete_dashboard, duplicate_dashboard, open_dashboard, save_dashboard,
};
use crate::dashboard::editor::{WidgetEditor, default_series};
use crate::dashboard::grid::Grid;
use crate::dashboard::period::{PeriodPicker, resolve};
use crate::widgets::{download, file_stem};

#[component]
pub fn CustomDashboardPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let opened = LocalResource::new(move || open_dashboard(id.get()));
    view! {
        <section class="page" data-testid="custom-dashboard">
            {move || match opened.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(opened)) => view! { <Opened opened /> }.into_any(),
            }}
        </section>
    }
}

/// The lowest free row under every widget.
fn next_row(widgets: &[Widget]) -> u32 {
    widgets
        .iter()
        .map(|w| w.place.y + w.place.h)
        .max()
        .unwrap_or(0)
}

#[component]
fn Opened(opened: OpenedDashboard) -> impl IntoView {
    let editable = opened.editable;
    let dashboard = RwSignal::new(opened.dashboard);
    let editing = RwSignal::new(false);
    let editor = RwSignal::new(None::<Widget>);
    let error = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let navigate = use_navigate();
    let period_key = RwSignal::new(dashboard.get_untracked().period);
    let period = Signal::derive(move || resolve(&period_key.get()));
    let widgets = Signal::derive(move || dashboard.with(|d| d.widgets.clone()));

    // Saves the dashboard as changed by `change`; the store's answer wins.
    let save = move |change: Box<dyn FnOnce(&mut Dashboard)>| {
        let mut next = dashboard.get_untracked();
        change(&mut next);
        dashboard.set(next.clone());
        if !editable {
            return;
        }
        saving.set(true);
        leptos::task::spawn_local(async move {
            // The page may be gone by the answer: `try_set` then does nothing.
            match save_dashboard(next).await {
                Ok(saved) => {
                    error.try_set(None);
                    dashboard.try_set(saved);
                }
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
            saving.try_set(false);
        });
    };
    Effect::new(move |first: Option<()>| {
        let key = period_key.get();
        if first.is_some() && editable && dashboard.with_untracked(|d| d.period != key) {
            save(Box::new(move |d| d.period = key));
        }
    });
    let on_place = Callback::new(move |(id, place): (String, Place)| {
        save(Box::new(move |d| {
            if let Some(w) = d.widgets.iter_mut().find(|w| w.id == id) {
                w.place = place;
            }
        }))
    });
    let on_edit = Callback::new(move |id: String| {
        editor.set(dashboard.with_untracked(|d| d.widgets.iter().find(|w| w.id == id).cloned()));
    });
    let on_remove =
        Callback::new(move |id: String| save(Box::new(move |d| d.widgets.retain(|w| w.id != id))));
    let add = move |_| {
        let widgets = dashboard.with_untracked(|d| d.widgets.clone());
        let kind = WidgetKind::Donut;
        editor.set(Some(Widget {
            id: format!("w{}", js_sys::Date::now() as u64),
            title: String::new(),
            kind,
            series: vec![default_series(kind)],
            text: String::new(),
            place: Place {
                x: 0,
                y: next_row(&widgets),
                w: GRID_COLUMNS / 2,
                h: 4,
            },
        }));
    };
    let on_save_widget = Callback::new(move |widget: Widget| {
        editor.set(None);
        save(Box::new(move |d| {
            match d.widgets.iter_mut().find(|w| w.id == widget.id) {
                Some(w) => *w = widget,
                None => d.widgets.push(widget),
            }
        }))
    });
    let rename = move |ev: leptos::ev::Event| {
        let name = event_target_value(&ev);
        save(Box::new(move |d| d.name = name))
    };
    let duplicate = {
        let navigate = navigate.clone();
        move |_| {
            let navigate = navigate.clone();
            let (id, name) =
                dashboard.with_untracked(|d| (d.id.clone(), format!("{} (copy)", d.name)));
            leptos::task::spawn_local(async move {
                match duplicate_dashboard(id, name).await {
                    Ok(id) => navigate(&format!("/dashboards/{id}"), Default::default()),
                    Err(e) => {
                        error.try_set(Some(e.to_string()));
                    }
                }
            });
        }
    };
    let confirm = RwSignal::new(false);
    let delete = move |_| {
        if !confirm.get_untracked() {
            confirm.set(true);
            return;
        }
        let navigate = navigate.clone();
        let id = dashboard.with_untracked(|d| d.id.clone());
        leptos::task::spawn_local(async move {
            match delete_dashboard(id).await {
                Ok(()) => navigate("/dashboards", Default::default()),
                Err(e) => {
                    error.try_set(Some(e.to_string()));
                }
            }
        });
    };
    let export = move |_| {
        let d = dashboard.get_untracked();
        let text = serde_json::to_string_pretty(&d.to_file()).unwrap_or_default();
        if let Err(e) = download(
            &format!("{}.dashboard.json", file_stem(&d.name)),
            "application/json",
            &text,
        ) {
            error.set(Some(e));
        }
    };
    view! {
        <header class="page-header">
            {move || if editable && editing.get() {
                view! { <input class="title-input" data-testid="dashboard-title-input" prop:value=move || dashboard.with(|d| d.name.clone()) on:change=rename /> }.into_any()
            } else {
                view! { <h1 data-testid="dashboard-title">{move || dashboard.with(|d| d.name.clone())}</h1> }.into_any()
            }}
            <PeriodPicker period=period_key />
        </header>
        <div class="toolbar" data-testid="dashboard-toolbar">
            <Show when=move || editable fallback=move || view! {
                <span class="muted" data-testid="dashboard-read-only">{move || format!("Shared by {}: read-only.", dashboard.with(|d| d.owner.clone()))}</span>
            }>
                <button type="button" data-testid="dashboard-edit" class:primary=move || editing.get()
                    on:click=move |_| editing.update(|e| *e = !*e)>
                    {move || if editing.get() { "Done" } else { "Edit" }}
                </button>
                <Show when=move || editing.get()>
                    <button type="button" data-testid="widget-add" on:click=add>"Add a widget"</button>
                </Show>
                <label class="inline">
                    <input type="checkbox" data-testid="dashboard-shared" prop:checked=move || dashboard.with(|d| d.shared)
                        on:change=move |ev| { let shared = event_target_checked(&ev); save(Box::new(move |d| d.shared = shared)) } />
                    " Shared read-only"
                </label>
            </Show>
            <button type="button" data-testid="dashboard-duplicate" on:click=duplicate>"Duplicate"</button>
            <button type="button" data-testid="dashboard-export" on:click=export>"Export"</button>
            <Show when=move || editable>
                <button type="button" class="danger" data-testid="dashboard-delete" on:click=delete.clone()>
                    {move || if confirm.get() { "Delete: are you sure?" } else { "Delete" }}
                </button>
            </Show>
            <span class="muted" data-testid="dashboard-saved">{move || if saving.get() { "Saving…" } else { "Saved" }}</span>
        </div>
        {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        {move || editor.get().map(|widget| view! {
            <WidgetEditor widget on_save=on_save_widget on_cancel=Callback::new(move |()| editor.set(None)) />
        })}
        {move || widgets.with(Vec::is_empty).then(|| view! {
            <p class="muted" data-testid="dashboard-empty">
                {if editable { "No widgets yet: choose Edit, then Add a widget." } else { "No widgets yet." }}
            </p>
        })}
        <Grid widgets period editing on_place on_edit on_remove />
    }
}
