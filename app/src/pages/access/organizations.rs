//! Organizations: identities of class `organization`. Users belong to them,
//! and objects restricted to organizations are visible to their members only.

use cairn_model::OrganizationView;
use leptos::prelude::*;

use crate::admin::{create_organization, list_organizations};
use crate::pages::access::{failure, loaded};
use crate::pages::sign_in::Field;

#[component]
pub fn Organizations() -> impl IntoView {
    let organizations = LocalResource::new(list_organizations);
    let name = RwSignal::new(String::new());
    let create = Action::new_local(|name: &String| create_organization(name.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            organizations.refetch();
            name.set(String::new());
        }
    });
    let error = failure(create);
    view! {
        <form class="card form" on:submit=move |event| {
            event.prevent_default();
            create.dispatch(name.get_untracked());
        }>
            <h2>"New organization"</h2>
            <Field id="organization-name" label="Name" value=name />
            <Show when=move || error().is_some()><p class="field-error" role="alert">{error}</p></Show>
            <div class="form-actions"><button type="submit">"Create organization"</button></div>
        </form>
        <div class="card">
            <h2>"Organizations"</h2>
            {loaded(organizations, |organizations: Vec<OrganizationView>| {
                if organizations.is_empty() {
                    return view! { <p class="muted">"None yet."</p> }.into_any();
                }
                view! {
                    <ul class="plain-list" data-testid="organization-list">
                        {organizations.into_iter().map(|o| view! { <li title=o.id>{o.name}</li> }).collect_view()}
                    </ul>
                }
                .into_any()
            })}
        </div>
    }
}
