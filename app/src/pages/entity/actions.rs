//! What can be done to the entity on show, from its header: edit it in the
//! generated form, relate it to another object (only the relationship types
//! the matrix allows between the two kinds), export it alone or with its
//! neighbours, and delete it to the trash. Each button shows only to those
//! holding the capability.

use cairn_access::Capability;
use cairn_stix::relationships::{UNIVERSAL, allowed_between_kinds};
use cairn_stix::{KINDS, Kind};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use serde_json::{Value, json};

use super::Loaded;
use crate::auth::use_session;
use crate::editing::{delete_objects, save_object};
use crate::error::AppError;
use crate::knowledge::export;
use crate::pages::form::{ObjectForm, RefPicker};
use crate::widgets::{ExportFormatChoice, download_export, file_stem};

/// Which panel is open under the header.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Panel {
    None,
    Edit,
    Relate,
    Export,
    Delete,
}

#[component]
pub fn Actions(loaded: Loaded, #[prop(into)] reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let panel = RwSignal::new(Panel::None);
    let toggle = move |p: Panel| panel.update(|now| *now = if *now == p { Panel::None } else { p });
    let kind = loaded.kind();
    let stored = StoredValue::new(loaded);
    let is_relationship = stored.with_value(|l| l.stix_type() == "relationship");
    let button = move |p: Panel, need: Capability, label: &'static str, testid: &'static str| {
        view! {
            <Show when=move || session.can(need)>
                <button type="button" data-testid=testid
                    aria-expanded=move || (panel.get() == p).to_string()
                    on:click=move |_| toggle(p)>{label}</button>
            </Show>
        }
    };
    view! {
        <div class="entity-actions" data-testid="entity-actions">
            {kind.map(|_| button(Panel::Edit, Capability::KnowledgeUpdate, "Edit", "action-edit"))}
            {(kind.is_some() && !is_relationship).then(|| button(Panel::Relate, Capability::KnowledgeUpdate, "Add relationship", "action-relate"))}
            {button(Panel::Export, Capability::Export, "Export", "action-export")}
            {button(Panel::Delete, Capability::KnowledgeDelete, "Delete", "action-delete")}
        </div>
        {move || match (panel.get(), kind) {
            (Panel::Edit, Some(kind)) => view! {
                <div class="drawer card" data-testid="edit-drawer">
                    <ObjectForm
                        kind
                        existing=stored.with_value(|l| l.stix.clone())
                        on_saved=move |_| { panel.set(Panel::None); reload.run(()); }
                        on_cancel=move |_| panel.set(Panel::None)
                    />
                </div>
            }
            .into_any(),
            (Panel::Relate, Some(kind)) => view! {
                <div class="drawer card" data-testid="relate-drawer">
                    <RelationshipForm
                        from_id=stored.with_value(|l| l.id.clone())
                        from_kind=kind
                        on_saved=move |_| { panel.set(Panel::None); reload.run(()); }
                        on_cancel=move |_| panel.set(Panel::None)
                    />
                </div>
            }
            .into_any(),
            (Panel::Export, _) => view! { <ExportPanel loaded=stored.get_value() /> }.into_any(),
            (Panel::Delete, _) => view! { <DeletePanel loaded=stored.get_value() on_cancel=move |_| panel.set(Panel::None) /> }.into_any(),
            _ => ().into_any(),
        }}
    }
}

/// A new relationship from (or to) this entity.
#[component]
fn RelationshipForm(
    from_id: String,
    from_kind: &'static Kind,
    #[prop(into)] on_saved: Callback<String>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    // Kinds with relationships of their own to this one come first.
    let (usual, others): (Vec<&'static Kind>, Vec<&'static Kind>) = KINDS.iter().partition(|k| {
        allowed_between_kinds(from_kind.name, k.name).len() > UNIVERSAL.len()
            || allowed_between_kinds(k.name, from_kind.name).len() > UNIVERSAL.len()
    });
    let target_kind = RwSignal::new(usual.first().copied().unwrap_or(from_kind));
    let reverse = RwSignal::new(false);
    let allowed = Memo::new(move |_| {
        let to = target_kind.get();
        if reverse.get() {
            allowed_between_kinds(to.name, from_kind.name)
        } else {
            allowed_between_kinds(from_kind.name, to.name)
        }
    });
    let relationship = RwSignal::new(String::new());
    Effect::new(move |_| {
        let list = allowed.get();
        if !list.contains(&relationship.get_untracked().as_str()) {
            // The specific type when there is one, else `related-to`.
            let first = list
                .iter()
                .find(|r| !UNIVERSAL.contains(r))
                .or(list.first())
                .copied()
                .unwrap_or_default();
            relationship.set(first.to_owned());
        }
    });
    let picked = RwSignal::new(Vec::<(String, String)>::new());
    Effect::new(move |_| {
        target_kind.track();
        picked.set(Vec::new());
    });
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let from_id = StoredValue::new(from_id);
    let submit = move || {
        let Some((target, _)) = picked.get_untracked().into_iter().next() else {
            error.set(Some("Choose the object to relate to.".into()));
            return;
        };
        let this = from_id.get_value();
        let (source, target) = if reverse.get_untracked() {
            (target, this)
        } else {
            (this, target)
        };
        let mut object = json!({
            "type": "relationship",
            "relationship_type": relationship.get_untracked(),
            "source_ref": source,
            "target_ref": target,
        });
        let text = description.get_untracked();
        if !text.trim().is_empty() {
            object["description"] = Value::String(text.trim().to_owned());
        }
        busy.set(true);
        leptos::task::spawn_local(async move {
            match save_object(object.to_string()).await {
                Ok(id) => on_saved.run(id),
                Err(e) => error.set(Some(match e {
                    AppError::Invalid { field, message } => format!("{field}: {message}"),
                    other => other.to_string(),
                })),
            }
            busy.set(false);
        });
    };
    let option = move |k: &'static Kind| {
        view! { <option value=k.name selected=move || target_kind.get().name == k.name>{k.label}</option> }
    };
    view! {
        <form class="object-form" data-testid="relationship-form" on:submit=move |e| { e.prevent_default(); submit(); }>
            <h2>"New relationship"</h2>
            {move || error.get().map(|m| view! { <p class="error" role="alert" data-testid="form-error">{m}</p> })}
            <label class="check">
                <input type="checkbox" data-testid="relationship-reverse"
                    prop:checked=move || reverse.get()
                    on:change=move |e| reverse.set(event_target_checked(&e)) />
                {format!("The other object points to this {}", from_kind.label.to_lowercase())}
            </label>
            <label class="field">
                <span>"Kind of the other object"</span>
                <select data-testid="relationship-target-kind" on:change=move |e| {
                    if let Some(k) = Kind::by_name(&event_target_value(&e)) { target_kind.set(k); }
                }>
                    <optgroup label="Usual">{usual.iter().map(|k| option(k)).collect_view()}</optgroup>
                    <optgroup label="Any kind (related-to)">{others.iter().map(|k| option(k)).collect_view()}</optgroup>
                </select>
            </label>
            <label class="field">
                <span>"Relationship"</span>
                <select data-testid="relationship-type" on:change=move |e| relationship.set(event_target_value(&e))>
                    {move || allowed.get().into_iter().map(|r| view! {
                        <option value=r selected=move || relationship.get() == r>{r}</option>
                    }).collect_view()}
                </select>
            </label>
            <div class="field">
                <span>"Other object"</span>
                {move || {
                    let kinds = vec![target_kind.get().name.to_owned()];
                    view! { <RefPicker types=&[] kinds=Signal::stored(kinds) picked multiple=false testid="relationship-target" /> }
                }}
            </div>
            <label class="field">
                <span>"Description"</span>
                <textarea rows="3" data-testid="relationship-description"
                    prop:value=move || description.get()
                    on:input=move |e| description.set(event_target_value(&e))></textarea>
            </label>
            <div class="form-actions">
                <button type="submit" data-testid="relationship-save" disabled=move || busy.get()>"Create relationship"</button>
                <button type="button" class="link-button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}

/// Export this entity alone or with its neighbours, as STIX or CSV.
#[component]
fn ExportPanel(loaded: Loaded) -> impl IntoView {
    let depth = RwSignal::new(0u32);
    let csv = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let id = loaded.id.clone();
    let title = loaded.title();
    let run = move |_: ()| {
        let (id, title) = (id.clone(), title.clone());
        let (depth, csv) = (depth.get_untracked(), csv.get_untracked());
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = export(Vec::new(), vec![id], depth, csv).await;
            busy.set(false);
            let stem = format!("{}-depth{depth}", file_stem(&title));
            if let Err(e) = result
                .map_err(|e| e.to_string())
                .and_then(|text| download_export(&stem, csv, &text))
            {
                error.set(Some(e));
            }
        });
    };
    view! {
        <div class="drawer card export-panel" data-testid="export-panel">
            <h2>"Export"</h2>
            <label class="field">
                <span>"With neighbours up to"</span>
                <select data-testid="export-depth" on:change=move |e| depth.set(event_target_value(&e).parse().unwrap_or(0))>
                    <option value="0">"this object alone"</option>
                    <option value="1">"1 relationship away"</option>
                    <option value="2">"2 relationships away"</option>
                    <option value="3">"3 relationships away"</option>
                </select>
            </label>
            <ExportFormatChoice csv error busy on_download=run />
        </div>
    }
}

/// Confirm, then move the entity to the trash and go to its list.
#[component]
fn DeletePanel(loaded: Loaded, #[prop(into)] on_cancel: Callback<()>) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let back = loaded
        .kind()
        .map(|k| k.path())
        .unwrap_or_else(|| "/".to_owned());
    let id = loaded.id.clone();
    let confirm = move |_| {
        let (id, back, navigate) = (id.clone(), back.clone(), navigate.clone());
        leptos::task::spawn_local(async move {
            match delete_objects(vec![id]).await {
                Ok(0) => error.set(Some("It was already gone.".into())),
                Ok(_) => navigate(&format!("{back}?deleted=1"), NavigateOptions::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <div class="drawer card" data-testid="delete-panel">
            <p>{format!(
                "Move “{}” and its relationships to the trash? It can be restored from Data → Trash for 30 days.",
                loaded.title()
            )}</p>
            {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
            <div class="form-actions">
                <button type="button" class="danger" data-testid="delete-confirm" on:click=confirm>"Move to trash"</button>
                <button type="button" class="link-button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </div>
    }
}
