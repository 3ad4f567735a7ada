//! API tokens: one's own (create, shown once; revoke) and, for
//! administrators, everyone's.

use leptos::prelude::*;

use crate::admin::{create_token, list_tokens, my_tokens, revoke_token};
use crate::pages::access::{failure, loaded};
use crate::pages::sign_in::Field;
use cairn_model::TokenView;

#[component]
pub fn MyTokens() -> impl IntoView {
    let tokens = LocalResource::new(my_tokens);
    let name = RwSignal::new(String::new());
    let create = Action::new_local(|name: &String| create_token(name.clone()));
    let revoke = Action::new_local(|id: &String| revoke_token(id.clone()));
    Effect::new(move |_| {
        if create.value().get().is_some() || revoke.value().get().is_some() {
            tokens.refetch();
        }
    });
    let error = failure(create);
    let secret = move || match create.value().get() {
        Some(Ok(new)) => Some(new.secret),
        _ => None,
    };
    view! {
        <div class="card" data-testid="my-tokens">
            <h2>"API tokens"</h2>
            <p class="muted">"For scripts and TAXII clients: send it as " <code>"Authorization: Bearer …"</code> "."</p>
            <form class="form inline-form" on:submit=move |event| {
                event.prevent_default();
                create.dispatch(name.get_untracked());
            }>
                <Field id="token-name" label="Name" value=name />
                <button type="submit" data-testid="token-create">"Create token"</button>
            </form>
            <Show when=move || error().is_some()>
                <p class="field-error" role="alert">{error}</p>
            </Show>
            <Show when=move || secret().is_some()>
                <p class="notice" data-testid="token-secret">
                    "Copy it now, it will not be shown again: " <code>{secret}</code>
                </p>
            </Show>
            {loaded(tokens, move |tokens| view! { <TokenTable tokens revoke /> })}
        </div>
    }
}

#[component]
pub fn AllTokens() -> impl IntoView {
    let tokens = LocalResource::new(list_tokens);
    let revoke = Action::new_local(|id: &String| revoke_token(id.clone()));
    Effect::new(move |_| {
        if revoke.value().get().is_some() {
            tokens.refetch();
        }
    });
    view! {
        <div class="card wide">
            <h2>"Every API token"</h2>
            {loaded(tokens, move |tokens| view! { <TokenTable tokens revoke /> })}
        </div>
    }
}

#[component]
fn TokenTable(
    tokens: Vec<TokenView>,
    revoke: Action<String, Result<(), crate::AppError>>,
) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p class="muted">"No tokens."</p> }.into_any();
    }
    view! {
        <table class="table" data-testid="token-table">
            <thead>
                <tr><th>"Name"</th><th>"User"</th><th>"Starts with"</th><th>"Created"</th><th>"Last used"</th><th></th></tr>
            </thead>
            <tbody>
                {tokens
                    .into_iter()
                    .map(|t| {
                        let id = t.id.clone();
                        view! {
                            <tr>
                                <td>{t.name}</td>
                                <td>{t.login}</td>
                                <td><code>{t.hint} "…"</code></td>
                                <td>{t.created_at}</td>
                                <td>{t.last_used.unwrap_or_else(|| "never".into())}</td>
                                <td><button on:click=move |_| { revoke.dispatch(id.clone()); }>"Revoke"</button></td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
