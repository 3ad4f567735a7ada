//! Users: create, put in groups and organizations, disable (their sessions end
//! at once), reset a password.

use cairn_model::{GroupView, OrganizationView, UserView};
use leptos::prelude::*;

use crate::admin::{
    create_user, list_groups, list_organizations, list_users, reset_password, update_user,
};
use crate::pages::access::{CheckList, failure, loaded};
use crate::pages::sign_in::Field;

#[component]
pub fn Users() -> impl IntoView {
    let users = LocalResource::new(list_users);
    let groups = LocalResource::new(list_groups);
    let organizations = LocalResource::new(list_organizations);
    let login = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let chosen = RwSignal::new(vec!["viewers".to_owned()]);
    let create = Action::new_local(|(l, n, p, g): &(String, String, String, Vec<String>)| {
        create_user(l.clone(), n.clone(), p.clone(), g.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            users.refetch();
            login.set(String::new());
            name.set(String::new());
            password.set(String::new());
        }
    });
    let error = failure(create);
    view! {
        <form
            class="card form"
            data-testid="user-create"
            on:submit=move |event| {
                event.prevent_default();
                create.dispatch((login.get_untracked(), name.get_untracked(), password.get_untracked(), chosen.get_untracked()));
            }
        >
            <h2>"New user"</h2>
            <Field id="user-login" label="Login" value=login />
            <Field id="user-name" label="Name" value=name />
            <Field id="user-password" label="Password (12 characters or more)" value=password kind="password" autocomplete="new-password" />
            <label>"Groups"</label>
            {loaded(groups, move |groups: Vec<GroupView>| {
                let options = groups.into_iter().map(|g| (g.id, g.name)).collect();
                view! { <CheckList name="user-groups" options chosen /> }
            })}
            <Show when=move || error().is_some()>
                <p class="field-error" role="alert">{error}</p>
            </Show>
            <div class="form-actions"><button type="submit" data-testid="user-create-submit">"Create user"</button></div>
        </form>
        <div class="card wide">
            <h2>"Users"</h2>
            {move || match (users.get(), groups.get(), organizations.get()) {
                (Some(Ok(list)), Some(Ok(groups)), Some(Ok(organizations))) => view! {
                    <table class="table" data-testid="user-table">
                        <thead><tr><th>"Login"</th><th>"Name"</th><th>"Groups"</th><th>"Organizations"</th><th>"Status"</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|user| view! {
                                <UserRow user groups=groups.clone() organizations=organizations.clone() users />
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
                (Some(Err(e)), _, _) | (_, Some(Err(e)), _) | (_, _, Some(Err(e))) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                _ => view! { <p class="muted">"Loading…"</p> }.into_any(),
            }}
        </div>
    }
}

/// One user, with its editor.
#[component]
fn UserRow(
    user: UserView,
    groups: Vec<GroupView>,
    organizations: Vec<OrganizationView>,
    users: LocalResource<Result<Vec<UserView>, crate::AppError>>,
) -> impl IntoView {
    let editing = RwSignal::new(false);
    let chosen_groups = RwSignal::new(user.groups.clone());
    let chosen_orgs = RwSignal::new(user.organizations.clone());
    let password = RwSignal::new(String::new());
    let id = user.id.clone();
    let update = Action::new_local(|(id, g, o, d): &(String, Vec<String>, Vec<String>, bool)| {
        update_user(id.clone(), g.clone(), o.clone(), *d)
    });
    let reset =
        Action::new_local(|(id, p): &(String, String)| reset_password(id.clone(), p.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = update.value().get() {
            users.refetch();
        }
    });
    let update_error = failure(update);
    let reset_error = failure(reset);
    let reset_done = move || matches!(reset.value().get(), Some(Ok(())));
    let group_names: Vec<String> = user
        .groups
        .iter()
        .map(|g| {
            groups
                .iter()
                .find(|x| x.id == *g)
                .map_or(g.clone(), |x| x.name.clone())
        })
        .collect();
    let org_names: Vec<String> = user
        .organizations
        .iter()
        .map(|o| {
            organizations
                .iter()
                .find(|x| x.id == *o)
                .map_or(o.clone(), |x| x.name.clone())
        })
        .collect();
    let group_options: Vec<(String, String)> = groups
        .iter()
        .map(|g| (g.id.clone(), g.name.clone()))
        .collect();
    let org_options: Vec<(String, String)> = organizations
        .iter()
        .map(|o| (o.id.clone(), o.name.clone()))
        .collect();
    let disabled = user.disabled;
    let (id_save, id_toggle, id_reset) = (id.clone(), id.clone(), id.clone());
    view! {
        <tr data-testid=format!("user-{}", user.login)>
            <td>{user.login.clone()}</td>
            <td>{user.name.clone()}</td>
            <td>{group_names.join(", ")}</td>
            <td>{org_names.join(", ")}</td>
            <td>{if disabled { "disabled" } else { "active" }}</td>
            <td class="row-actions">
                <button on:click=move |_| editing.update(|e| *e = !*e)>"Edit"</button>
                <button
                    data-testid="user-toggle"
                    on:click=move |_| {
                        update.dispatch((id_toggle.clone(), chosen_groups.get_untracked(), chosen_orgs.get_untracked(), !disabled));
                    }
                >
                    {if disabled { "Enable" } else { "Disable" }}
                </button>
            </td>
        </tr>
        <Show when=move || editing.get() || update_error().is_some()>
            <tr class="editor-row">
                <td colspan="6">
                    <div class="editor">
                        <div>
                            <strong>"Groups"</strong>
                            <CheckList name="edit-groups" options=group_options.clone() chosen=chosen_groups />
                        </div>
                        <div>
                            <strong>"Organizations"</strong>
                            <CheckList name="edit-organizations" options=org_options.clone() chosen=chosen_orgs />
                        </div>
                        <div class="form">
                            <Field id="reset-password" label="New password" value=password kind="password" autocomplete="new-password" />
                            <button on:click={
                                let id = id_reset.clone();
                                move |_| { reset.dispatch((id.clone(), password.get_untracked())); }
                            }>"Reset password"</button>
                            <Show when=reset_done><span class="saved">"Password reset; sessions ended."</span></Show>
                            <Show when=move || reset_error().is_some()><p class="field-error">{reset_error}</p></Show>
                        </div>
                        <div class="form-actions">
                            <button type="submit" on:click={
                                let id = id_save.clone();
                                move |_| { update.dispatch((id.clone(), chosen_groups.get_untracked(), chosen_orgs.get_untracked(), disabled)); }
                            }>"Save"</button>
                            <Show when=move || update_error().is_some()><p class="field-error" role="alert">{update_error}</p></Show>
                        </div>
                    </div>
                </td>
            </tr>
        </Show>
    }
}
