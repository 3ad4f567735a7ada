//! Account: the signed-in user changes their password and manages their own
//! API tokens.

use leptos::prelude::*;

use crate::auth::{change_password, use_session};
use crate::pages::access::failure;
use crate::pages::sign_in::Field;

#[component]
pub fn Account() -> impl IntoView {
    let session = use_session();
    let who = move || match session.0.get() {
        Some(Ok(me)) => format!("{} ({})", me.name, me.login),
        _ => String::new(),
    };
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let save = Action::new_local(|(current, new): &(String, String)| {
        change_password(current.clone(), new.clone())
    });
    let error = failure(save);
    let saved = move || matches!(save.value().get(), Some(Ok(()))) && !save.pending().get();
    view! {
        <p data-testid="account-who">"Signed in as " {who}</p>
        <form
            class="card form"
            data-testid="password-form"
            on:submit=move |event| {
                event.prevent_default();
                save.dispatch((current.get_untracked(), new.get_untracked()));
            }
        >
            <h2>"Password"</h2>
            <Field id="password-current" label="Current password" value=current kind="password" autocomplete="current-password" />
            <Field id="password-new" label="New password (12 characters or more)" value=new kind="password" autocomplete="new-password" />
            <Show when=move || error().is_some()>
                <p class="field-error" role="alert">{error}</p>
            </Show>
            <div class="form-actions">
                <button type="submit">"Change password"</button>
                <Show when=saved>
                    <span class="saved">"Changed: your other sessions have ended."</span>
                </Show>
            </div>
        </form>
        <crate::pages::access::tokens::MyTokens />
    }
}
