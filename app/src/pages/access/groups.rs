//! Groups: their roles, the markings they grant (a level grants the lower ones
//! of its scheme) and the markings they put on new objects.

use cairn_model::{GroupView, MarkingView, RoleView};
use leptos::prelude::*;

use crate::admin::{list_groups, list_markings, list_roles, save_group};
use crate::pages::access::{CheckList, failure};
use crate::pages::sign_in::Field;

#[component]
pub fn Groups() -> impl IntoView {
    let groups = LocalResource::new(list_groups);
    let roles = LocalResource::new(list_roles);
    let markings = LocalResource::new(list_markings);
    let save = Action::new_local(|group: &GroupView| save_group(group.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            groups.refetch();
        }
    });
    let error = failure(save);
    view! {
        <Show when=move || error().is_some()>
            <p class="field-error" role="alert">{error}</p>
        </Show>
        {move || match (groups.get(), roles.get(), markings.get()) {
            (Some(Ok(groups)), Some(Ok(roles)), Some(Ok(markings))) => {
                let blank = GroupView {
                    id: String::new(),
                    name: String::new(),
                    description: String::new(),
                    roles: Vec::new(),
                    markings: Vec::new(),
                    default_markings: Vec::new(),
                };
                view! {
                    {groups
                        .into_iter()
                        .chain(std::iter::once(blank))
                        .map(|group| view! { <GroupEditor group roles=roles.clone() markings=markings.clone() save /> })
                        .collect_view()}
                }
                .into_any()
            }
            (Some(Err(e)), _, _) | (_, Some(Err(e)), _) | (_, _, Some(Err(e))) => {
                view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any()
            }
            _ => view! { <p class="muted">"Loading…"</p> }.into_any(),
        }}
    }
}

#[component]
fn GroupEditor(
    group: GroupView,
    roles: Vec<RoleView>,
    markings: Vec<MarkingView>,
    save: Action<GroupView, Result<Vec<GroupView>, crate::AppError>>,
) -> impl IntoView {
    let is_new = group.id.is_empty();
    let name = RwSignal::new(group.name.clone());
    let description = RwSignal::new(group.description.clone());
    let chosen_roles = RwSignal::new(group.roles.clone());
    let granted = RwSignal::new(group.markings.clone());
    let defaults = RwSignal::new(group.default_markings.clone());
    let role_options: Vec<(String, String)> = roles.into_iter().map(|r| (r.id, r.name)).collect();
    let marking_options: Vec<(String, String)> =
        markings.into_iter().map(|m| (m.id, m.name)).collect();
    let id = group.id.clone();
    view! {
        <form
            class="card form"
            data-testid=if is_new { "group-new".to_owned() } else { format!("group-{}", group.id) }
            on:submit=move |event| {
                event.prevent_default();
                save.dispatch(GroupView {
                    id: id.clone(),
                    name: name.get_untracked(),
                    description: description.get_untracked(),
                    roles: chosen_roles.get_untracked(),
                    markings: granted.get_untracked(),
                    default_markings: defaults.get_untracked(),
                });
            }
        >
            <h2>{if is_new { "New group".to_owned() } else { group.name.clone() }}</h2>
            <Field id="group-name" label="Name" value=name />
            <Field id="group-description" label="Description" value=description />
            <label>"Roles"</label>
            <CheckList name="group-roles" options=role_options chosen=chosen_roles />
            <label>"Allowed markings (each grants the lower levels of its scheme)"</label>
            <CheckList name="group-markings" options=marking_options.clone() chosen=granted />
            <label>"Default markings of new objects"</label>
            <CheckList name="group-defaults" options=marking_options chosen=defaults />
            <div class="form-actions"><button type="submit">{if is_new { "Create group" } else { "Save" }}</button></div>
        </form>
    }
}
