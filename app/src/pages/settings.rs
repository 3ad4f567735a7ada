//! Settings: tabs for the platform (its title and facts), the signed-in
//! user's account, and the administration of access (users, groups, roles,
//! organizations, markings, tokens, sessions, audit log). Tabs the user may
//! not use are not shown, and their server functions refuse them anyway.

use cairn_access::Capability;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

use crate::auth::use_session;
use crate::error::AppError;
use crate::pages::access;
use crate::pages::not_found::NotFound;
use crate::platform::{PlatformInfo, set_platform_title, use_platform};

/// The tabs: slug, label, and the capability they need (`None`: everyone).
pub const SETTINGS_PAGES: &[(&str, &str, Option<Capability>)] = &[
    ("", "Platform", None),
    ("account", "Account", None),
    ("users", "Users", Some(Capability::Settings)),
    ("groups", "Groups", Some(Capability::Settings)),
    ("roles", "Roles", Some(Capability::Settings)),
    ("organizations", "Organizations", Some(Capability::Settings)),
    ("markings", "Markings", Some(Capability::Settings)),
    ("tokens", "API tokens", Some(Capability::Settings)),
    ("sessions", "Sessions", Some(Capability::Settings)),
    ("audit", "Audit log", Some(Capability::Settings)),
];

#[component]
pub fn SettingsPage() -> impl IntoView {
    let params = use_params_map();
    let session = use_session();
    let section = Memo::new(move |_| params.with(|p| p.get("section")).unwrap_or_default());
    let allowed = move |need: Option<Capability>| need.is_none_or(|c| session.can(c));
    move || {
        let slug = section.get();
        let Some((_, label, need)) = SETTINGS_PAGES.iter().find(|(s, _, _)| *s == slug) else {
            return NotFound().into_any();
        };
        let body = if !allowed(*need) {
            view! { <p class="error" role="alert">"You are not allowed to see this page."</p> }
                .into_any()
        } else {
            match slug.as_str() {
                "" => view! {
                    <Show when=move || session.can(Capability::Settings)>
                        <TitleForm />
                    </Show>
                    <StoreFacts />
                }
                .into_any(),
                "account" => view! { <access::account::Account /> }.into_any(),
                "users" => view! { <access::users::Users /> }.into_any(),
                "groups" => view! { <access::groups::Groups /> }.into_any(),
                "roles" => view! { <access::roles::Roles /> }.into_any(),
                "organizations" => view! { <access::organizations::Organizations /> }.into_any(),
                "markings" => view! { <access::markings::Markings /> }.into_any(),
                "tokens" => view! { <access::tokens::AllTokens /> }.into_any(),
                "sessions" => view! { <access::sessions::Sessions /> }.into_any(),
                _ => view! { <access::audit::Audit /> }.into_any(),
            }
        };
        view! {
            <section class="page" data-testid="settings">
                <h1>"Settings"</h1>
                <nav class="tabs">
                    {SETTINGS_PAGES
                        .iter()
                        .filter(|(_, _, need)| allowed(*need))
                        .map(|(slug, label, _)| {
                            let href = if slug.is_empty() {
                                "/settings".to_owned()
                            } else {
                                format!("/settings/{slug}")
                            };
                            view! { <A href=href exact=true>{*label}</A> }
                        })
                        .collect_view()}
                </nav>
                <h2 class="sr-only">{*label}</h2>
                {body}
            </section>
        }
        .into_any()
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
