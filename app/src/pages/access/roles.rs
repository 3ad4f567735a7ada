//! Roles: named sets of capabilities. A capability implies the ones below it.

use cairn_access::Capability;
use cairn_model::RoleView;
use leptos::prelude::*;

use crate::admin::{list_roles, save_role};
use crate::pages::access::{CheckList, failure, loaded};
use crate::pages::sign_in::Field;

#[component]
pub fn Roles() -> impl IntoView {
    let roles = LocalResource::new(list_roles);
    let save = Action::new_local(|role: &RoleView| save_role(role.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            roles.refetch();
        }
    });
    let error = failure(save);
    view! {
        <Show when=move || error().is_some()>
            <p class="field-error" role="alert">{error}</p>
        </Show>
        {loaded(roles, move |roles: Vec<RoleView>| {
            let blank = RoleView { id: String::new(), name: String::new(), description: String::new(), capabilities: Vec::new() };
            roles
                .into_iter()
                .chain(std::iter::once(blank))
                .map(|role| view! { <RoleEditor role save /> })
                .collect_view()
        })}
    }
}

#[component]
fn RoleEditor(
    role: RoleView,
    save: Action<RoleView, Result<Vec<RoleView>, crate::AppError>>,
) -> impl IntoView {
    let is_new = role.id.is_empty();
    let name = RwSignal::new(role.name.clone());
    let description = RwSignal::new(role.description.clone());
    let chosen = RwSignal::new(role.capabilities.clone());
    let options: Vec<(String, String)> = Capability::ALL
        .iter()
        .map(|c| (c.code().to_owned(), c.label().to_owned()))
        .collect();
    let id = role.id.clone();
    view! {
        <form
            class="card form"
            on:submit=move |event| {
                event.prevent_default();
                save.dispatch(RoleView {
                    id: id.clone(),
                    name: name.get_untracked(),
                    description: description.get_untracked(),
                    capabilities: chosen.get_untracked(),
                });
            }
        >
            <h2>{if is_new { "New role".to_owned() } else { role.name.clone() }}</h2>
            <Field id="role-name" label="Name" value=name />
            <Field id="role-description" label="Description" value=description />
            <label>"Capabilities"</label>
            <CheckList name="role-capabilities" options chosen />
            <div class="form-actions"><button type="submit">{if is_new { "Create role" } else { "Save" }}</button></div>
        </form>
    }
}
