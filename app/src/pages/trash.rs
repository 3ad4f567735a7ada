//! Data → Trash: what was deleted in the last 30 days, with who deleted it and
//! how many relationships went with it, each restorable in one click.

use leptos::prelude::*;

use crate::editing::{list_trash, restore};
use crate::widgets::{EntityLink, instant, kind_of};

#[component]
pub fn TrashPage() -> impl IntoView {
    let entries = LocalResource::new(list_trash);
    let message = RwSignal::new(None::<String>);
    let put_back = move |id: String, name: String| {
        leptos::task::spawn_local(async move {
            match restore(id).await {
                Ok(lost) if lost.is_empty() => message.set(Some(format!("{name} is back."))),
                Ok(lost) => message.set(Some(format!(
                    "{name} is back; {} relationship(s) could not return because their other end is gone.",
                    lost.len()
                ))),
                Err(error) => message.set(Some(error.to_string())),
            }
            entries.refetch();
        });
    };
    view! {
        <div class="card wide">
            <h2>"Trash"</h2>
            <p class="muted">"Deleted objects stay here for 30 days, with their relationships."</p>
            {move || message.get().map(|m| view! { <p class="ok" role="status" data-testid="trash-message">{m}</p> })}
            {move || match entries.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <p class="muted empty" data-testid="trash-empty">"The trash is empty."</p>
                }
                .into_any(),
                Some(Ok(list)) => view! {
                    <table class="table" data-testid="trash-table">
                        <thead><tr><th>"Object"</th><th>"Relationships"</th><th>"Deleted by"</th><th>"Deleted"</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|entry| {
                                let name = entry.name.clone().unwrap_or_else(|| entry.stix_id.clone());
                                let (id, shown) = (entry.id.clone(), name.clone());
                                view! {
                                    <tr data-testid="trash-row">
                                        <td><EntityLink stix_id=entry.stix_id.clone() kind=kind_of(None, &entry.stix_type) name /></td>
                                        <td>{entry.relationships}</td>
                                        <td>{entry.user.clone()}</td>
                                        <td>{instant(&entry.deleted_at)}</td>
                                        <td><button type="button" data-testid="trash-restore"
                                            on:click=move |_| put_back(id.clone(), shown.clone())>"Restore"</button></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any(),
            }}
        </div>
    }
}
