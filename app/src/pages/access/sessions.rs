//! Sessions: who is signed in, from where, until when; revoke any.

use cairn_model::SessionView;
use leptos::prelude::*;

use crate::admin::{list_sessions, revoke_session};
use crate::pages::access::loaded;

#[component]
pub fn Sessions() -> impl IntoView {
    let sessions = LocalResource::new(list_sessions);
    let revoke = Action::new_local(|id: &String| revoke_session(id.clone()));
    Effect::new(move |_| {
        if revoke.value().get().is_some() {
            sessions.refetch();
        }
    });
    view! {
        <div class="card wide">
            <h2>"Current sessions"</h2>
            {loaded(sessions, move |sessions: Vec<SessionView>| view! {
                <table class="table" data-testid="session-table">
                    <thead><tr><th>"User"</th><th>"Address"</th><th>"Browser"</th><th>"Since"</th><th>"Last seen"</th><th>"Ends"</th><th></th></tr></thead>
                    <tbody>
                        {sessions.into_iter().map(|s| {
                            let id = s.id.clone();
                            view! {
                                <tr>
                                    <td>{s.login}</td>
                                    <td>{s.address}</td>
                                    <td class="clip">{s.agent}</td>
                                    <td>{s.created_at}</td>
                                    <td>{s.last_seen}</td>
                                    <td>{s.expires_at}</td>
                                    <td><button on:click=move |_| { revoke.dispatch(id.clone()); }>"Revoke"</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            })}
        </div>
    }
}
