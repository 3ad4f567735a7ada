//! The audit log: sign-ins, sign-outs, access changes, exports and every
//! knowledge change, filtered by user, action, time and text.

use cairn_model::{AuditEntry, AuditFilter};
use leptos::prelude::*;

use crate::admin::audit_log;
use crate::pages::sign_in::Field;

#[component]
pub fn Audit() -> impl IntoView {
    let user = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let text = RwSignal::new(String::new());
    let filter = RwSignal::new(AuditFilter::default());
    let entries = LocalResource::new(move || audit_log(filter.get()));
    let some = |s: String| {
        let s = s.trim().to_owned();
        (!s.is_empty()).then_some(s)
    };
    // `datetime-local` gives minutes without a zone: read as UTC.
    let instant = move |s: String| some(s).map(|s| format!("{s}:00Z"));
    view! {
        <form class="card form filters" data-testid="audit-filter" on:submit=move |event| {
            event.prevent_default();
            filter.set(AuditFilter {
                user: some(user.get_untracked()),
                action: some(action.get_untracked()),
                from: instant(from.get_untracked()),
                to: instant(to.get_untracked()),
                text: some(text.get_untracked()),
            });
        }>
            <Field id="audit-user" label="User" value=user />
            <Field id="audit-action" label="Action (e.g. login_failed, or knowledge. for every change)" value=action />
            <Field id="audit-from" label="From (UTC)" value=from kind="datetime-local" />
            <Field id="audit-to" label="To (UTC)" value=to kind="datetime-local" />
            <Field id="audit-text" label="Text" value=text />
            <div class="form-actions"><button type="submit" data-testid="audit-apply">"Filter"</button></div>
        </form>
        <div class="card wide">
            {move || match entries.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                Some(Ok(entries)) => view! { <AuditTable entries /> }.into_any(),
            }}
        </div>
    }
}

#[component]
fn AuditTable(entries: Vec<AuditEntry>) -> impl IntoView {
    if entries.is_empty() {
        return view! { <p class="muted">"Nothing matches."</p> }.into_any();
    }
    view! {
        <table class="table" data-testid="audit-table">
            <thead><tr><th>"When"</th><th>"User"</th><th>"Action"</th><th>"On"</th><th>"Details"</th><th>"Address"</th></tr></thead>
            <tbody>
                {entries.into_iter().map(|e| view! {
                    <tr>
                        <td>{e.at}</td>
                        <td>{e.user}</td>
                        <td><code>{e.action}</code></td>
                        <td class="clip">{e.target}</td>
                        <td class="clip">{e.details}</td>
                        <td>{e.address}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
