//! The pages of someone not signed in: sign in, and the first administrator's
//! setup from the one-time link printed on the server's console.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::auth::{complete_setup, login, use_session};
use crate::platform::use_platform;

/// A text field bound to `value`.
#[component]
pub fn Field(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: &'static str,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            name=id
            type=kind
            autocomplete=autocomplete
            data-testid=id
            prop:value=move || value.get()
            on:input=move |event| value.set(event_target_value(&event))
        />
    }
}

#[component]
pub fn SignIn() -> impl IntoView {
    let session = use_session();
    let platform = use_platform();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let submit = Action::new_local(|(name, password): &(String, String)| {
        login(name.clone(), password.clone())
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = submit.value().get() {
            session.0.refetch();
            platform.0.refetch();
        }
    });
    let error = move || match submit.value().get() {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    };
    let title = move || match platform.0.get() {
        Some(Ok(info)) => info.title,
        _ => "Cairn".to_owned(),
    };
    view! {
        <div class="signin-page">
            <form
                class="card form signin"
                data-testid="signin"
                on:submit=move |event| {
                    event.prevent_default();
                    submit.dispatch((name.get_untracked(), password.get_untracked()));
                }
            >
                <h1>
                    <span class="brand-mark">"▲"</span>
                    " "
                    {title}
                </h1>
                <Field id="signin-login" label="Login" value=name autocomplete="username" />
                <Field
                    id="signin-password"
                    label="Password"
                    value=password
                    kind="password"
                    autocomplete="current-password"
                />
                <Show when=move || error().is_some()>
                    <p class="field-error" role="alert" data-testid="signin-error">
                        {error}
                    </p>
                </Show>
                <div class="form-actions">
                    <button type="submit" data-testid="signin-submit" disabled=move || submit.pending().get()>
                        "Sign in"
                    </button>
                </div>
            </form>
        </div>
    }
}

/// `/setup#token=…`: creates the first administrator.
#[component]
pub fn Setup() -> impl IntoView {
    let session = use_session();
    let location = use_location();
    let secret = move || {
        location
            .hash
            .get()
            .trim_start_matches('#')
            .strip_prefix("token=")
            .unwrap_or_default()
            .to_owned()
    };
    let login_name = RwSignal::new("admin".to_owned());
    let name = RwSignal::new("Administrator".to_owned());
    let password = RwSignal::new(String::new());
    let submit = Action::new_local(
        |(secret, login, name, password): &(String, String, String, String)| {
            complete_setup(
                secret.clone(),
                login.clone(),
                name.clone(),
                password.clone(),
            )
        },
    );
    Effect::new(move |_| {
        if let Some(Ok(_)) = submit.value().get() {
            session.0.refetch();
        }
    });
    let error = move || match submit.value().get() {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    };
    view! {
        <div class="signin-page">
            <form
                class="card form signin"
                data-testid="setup"
                on:submit=move |event| {
                    event.prevent_default();
                    submit.dispatch((
                        secret(),
                        login_name.get_untracked(),
                        name.get_untracked(),
                        password.get_untracked(),
                    ));
                }
            >
                <h1>"Create the first administrator"</h1>
                <p class="muted">"This link works once. The password needs 12 characters or more."</p>
                <Field id="setup-login" label="Login" value=login_name autocomplete="username" />
                <Field id="setup-name" label="Name" value=name />
                <Field
                    id="setup-password"
                    label="Password"
                    value=password
                    kind="password"
                    autocomplete="new-password"
                />
                <Show when=move || error().is_some()>
                    <p class="field-error" role="alert">{error}</p>
                </Show>
                <div class="form-actions">
                    <button type="submit" data-testid="setup-submit">"Create and sign in"</button>
                </div>
            </form>
        </div>
    }
}
