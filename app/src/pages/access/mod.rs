//! The account and access administration tabs of Settings, and the small
//! pieces they share: a checkbox list and an action's outcome.

pub mod account;
pub mod audit;
pub mod groups;
pub mod markings;
pub mod organizations;
pub mod roles;
pub mod sessions;
pub mod tokens;
pub mod users;

use leptos::prelude::*;

use crate::error::AppError;

/// Checkboxes over `options` (id, label); `chosen` holds the checked ids.
#[component]
pub fn CheckList(
    name: &'static str,
    options: Vec<(String, String)>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <div class="check-list" data-testid=name>
            {options
                .into_iter()
                .map(|(id, label)| {
                    let key = id.clone();
                    let checked = move || chosen.with(|c| c.contains(&key));
                    let toggle_id = id.clone();
                    view! {
                        <label class="check">
                            <input
                                type="checkbox"
                                value=id.clone()
                                prop:checked=checked
                                on:change=move |_| {
                                    chosen.update(|c| {
                                        if let Some(at) = c.iter().position(|x| *x == toggle_id) {
                                            c.remove(at);
                                        } else {
                                            c.push(toggle_id.clone());
                                        }
                                    })
                                }
                            />
                            {label}
                        </label>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// The error of the last run of an action, if it failed.
pub fn failure<T: Clone + Send + Sync + 'static>(
    action: Action<impl Send + Sync + 'static, Result<T, AppError>>,
) -> impl Fn() -> Option<String> + Copy {
    move || match action.value().get() {
        Some(Err(error)) => Some(error.to_string()),
        _ => None,
    }
}

/// A list fetched from the server, or its error, or "Loading…".
pub fn loaded<T: Clone + Send + Sync + 'static, V: IntoView + 'static>(
    resource: LocalResource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView {
    move || match resource.get() {
        None => view! { <p class="muted">"Loading…"</p> }.into_any(),
        Some(Err(error)) => {
            view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any()
        }
        Some(Ok(value)) => render(value).into_any(),
    }
}
