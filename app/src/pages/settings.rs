//! Settings: the platform's title (a round trip to the store) and the facts
//! about the running platform.

use leptos::prelude::*;

use crate::error::AppError;
use crate::platform::{PlatformInfo, set_platform_title, use_platform};

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! {
        <section class="page" data-testid="settings">
            <h1>"Settings"</h1>
            <TitleForm />
            <StoreFacts />
        </section>
    }
}

/// Renames the platform.
#[component]
fn TitleForm() -> impl IntoView {
    let platform = use_platform();
    let draft = RwSignal::new(String::new());
    // Fill the field once the current title arrives.
    Effect::new(move |_| {
        if let Some(Ok(info)) = platform.0.get() {
            draft.set(info.title);
        }
    });
    let save = Action::new_local(|title: &String| set_platform_title(title.clone()));
    Effect::new(move |_| {
        if let Some(Ok(_)) = save.value().get() {
            platform.0.refetch();
        }
    });
    let field_error = move || match save.value().get() {
        Some(Err(error)) => Some(
            error
                .field_message("title")
                .unwrap_or_else(|| error.to_string()),
        ),
        _ => None,
    };
    let saved = move || matches!(save.value().get(), Some(Ok(_))) && !save.pending().get();
    view! {
        <form
            class="card form"
            on:submit=move |event| {
                event.prevent_default();
                save.dispatch(draft.get_untracked());
            }
        >
            <h2>"Platform"</h2>
            <label for="platform-title">"Title"</label>
            <input
                id="platform-title"
                name="title"
                data-testid="title-input"
                maxlength="80"
                prop:value=move || draft.get()
                on:input=move |event| draft.set(event_target_value(&event))
                class:invalid=move || field_error().is_some()
            />
            <Show when=move || field_error().is_some()>
                <p class="field-error" data-testid="title-error">{field_error}</p>
            </Show>
            <div class="form-actions">
                <button type="submit" data-testid="title-save" disabled=move || save.pending().get()>
                    "Save"
                </button>
                <Show when=saved>
                    <span class="saved" data-testid="title-saved">"Saved"</span>
                </Show>
            </div>
        </form>
    }
}

/// Facts about the running platform, read from the store.
#[component]
pub fn StoreFacts() -> impl IntoView {
    let platform = use_platform();
    view! {
        <div class="card" data-testid="store-facts">
            <h2>"Platform"</h2>
            {move || match platform.0.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorMessage error /> }.into_any(),
                Some(Ok(info)) => view! { <Facts info /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn Facts(info: PlatformInfo) -> impl IntoView {
    view! {
        <dl class="facts">
            <dt>"Cairn"</dt>
            <dd>{info.cairn_version}</dd>
            <dt>"Store"</dt>
            <dd data-testid="store-engine">{info.store_engine}</dd>
            <dt>"SurrealDB"</dt>
            <dd data-testid="surrealdb-version">{info.surrealdb_version}</dd>
            <dt>"Schema"</dt>
            <dd>{info.schema_version}</dd>
        </dl>
    }
}

/// An error as a readable message.
#[component]
pub fn ErrorMessage(error: AppError) -> impl IntoView {
    view! { <p class="error" role="alert">{error.to_string()}</p> }
}
