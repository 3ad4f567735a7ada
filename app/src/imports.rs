//! Importing from the browser: the upload server function (multipart, each
//! file becoming a queued work for the server's worker) and the Import and
//! Works pages, whose progress bars follow the works live.

use cairn_model::Work;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::error::AppError;
use crate::knowledge::{list_works, work_errors};
use crate::widgets::{instant, thousands};

/// Uploads STIX bundles (`.json`, `.gz`, `.xz`, `.zip`); each file becomes a
/// work. Returns the works' ids in upload order.
#[server(endpoint = "data/upload", input = MultipartFormData)]
pub async fn upload(data: MultipartData) -> Result<Vec<String>, AppError> {
    let access = crate::auth::require(cairn_access::Capability::Import)?;
    let mut form = data
        .into_inner()
        .ok_or_else(|| AppError::Store("the upload arrived without its form".into()))?;
    let limit = cairn_store::works::MAX_FILE_BYTES as usize;
    let mut works = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        let filename = field
            .file_name()
            .map(str::to_owned)
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| "upload".to_owned());
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            if bytes.len() + chunk.len() > limit {
                return Err(AppError::Invalid {
                    field: "files".into(),
                    message: format!(
                        "{filename} is larger than {} MiB; import it with `cairn import`",
                        limit >> 20
                    ),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if bytes.is_empty() {
            return Err(AppError::Invalid {
                field: "files".into(),
                message: format!("{filename} is empty"),
            });
        }
        let id = access
            .store
            .enqueue_import("upload", &filename, Some(&access.caller.login), bytes)
            .await?;
        access
            .audit(
                "import.upload",
                Some(&filename),
                Some(&format!("work {id}")),
            )
            .await;
        works.push(id);
    }
    if works.is_empty() {
        return Err(AppError::Invalid {
            field: "files".into(),
            message: "choose at least one file".into(),
        });
    }
    Ok(works)
}

#[cfg(feature = "ssr")]
fn unreadable(error: impl std::fmt::Display) -> AppError {
    AppError::Invalid {
        field: "files".into(),
        message: format!("the upload could not be read: {error}"),
    }
}

/// Data → Import: a drop zone and file picker, then the works it started.
#[component]
pub fn ImportPage() -> impl IntoView {
    let send = Action::new_unsync(|files: &web_sys::FormData| upload(files.clone().into()));
    let dragging = RwSignal::new(false);
    let works = works_resource();
    Effect::new(move |_| {
        if let Some(Ok(_)) = send.value().get() {
            works.refetch();
        }
    });
    let submit = move |files: web_sys::FileList| {
        let Ok(form) = web_sys::FormData::new() else {
            return;
        };
        for i in 0..files.length() {
            if let Some(file) = files.item(i) {
                let _ = form.append_with_blob_and_filename("files", &file, &file.name());
            }
        }
        if files.length() > 0 {
            send.dispatch_local(form);
        }
    };
    view! {
        <label
            class="card wide drop-zone"
            class:dragging=move || dragging.get()
            data-testid="upload-zone"
            on:dragover=move |e| { e.prevent_default(); dragging.set(true); }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |e: leptos::ev::DragEvent| {
                e.prevent_default();
                dragging.set(false);
                if let Some(files) = e.data_transfer().and_then(|d| d.files()) {
                    submit(files);
                }
            }
        >
            <strong>"Drop STIX 2.1 bundles here, or choose files"</strong>
            <span class="muted">".json, .gz, .xz or .zip; each file becomes a work the server imports in the background."</span>
            <input
                type="file"
                multiple
                accept=".json,.gz,.xz,.zip,application/json"
                data-testid="upload-input"
                on:change=move |e| {
                    let input: web_sys::HtmlInputElement = event_target(&e);
                    if let Some(files) = input.files() {
                        submit(files);
                    }
                    input.set_value("");
                }
            />
        </label>
        {move || match send.value().get() {
            Some(Err(error)) => view! { <p class="error" role="alert" data-testid="upload-error">{error.to_string()}</p> }.into_any(),
            Some(Ok(ids)) => view! { <p class="ok" data-testid="upload-done">{format!("{} file(s) queued.", ids.len())}</p> }.into_any(),
            None if send.pending().get() => view! { <p class="muted">"Uploading…"</p> }.into_any(),
            None => ().into_any(),
        }}
        <WorkTable works />
    }
}

/// Data → Works: every recent work.
#[component]
pub fn WorksPage() -> impl IntoView {
    let works = works_resource();
    view! { <WorkTable works /> }
}

/// The latest works, read again every second while any is queued or running.
fn works_resource() -> LocalResource<Result<Vec<Work>, AppError>> {
    let works = LocalResource::new(list_works);
    Effect::new(move |_| {
        let busy = matches!(works.get(), Some(Ok(list)) if list.iter().any(|w| w.status == "queued" || w.status == "running"));
        if busy {
            set_timeout(move || works.refetch(), std::time::Duration::from_secs(1));
        }
    });
    works
}

/// A work's per-object errors, read when asked for.
#[component]
fn WorkErrors(id: String) -> impl IntoView {
    let open = RwSignal::new(false);
    let errors = LocalResource::new(move || {
        let id = id.clone();
        let open = open.get();
        async move {
            if open {
                work_errors(id).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    view! {
        <tr class="errors-row">
            <td colspan="9">
                <button type="button" class="link-button" data-testid="work-errors-toggle"
                    on:click=move |_| open.update(|o| *o = !*o)>
                    {move || if open.get() { "Hide the rejected objects" } else { "Show the rejected objects" }}
                </button>
                {move || match errors.get() {
                    Some(Ok(Some(list))) => view! {
                        <ul class="work-errors" data-testid="work-errors">
                            {list.into_iter().map(|e| view! {
                                <li>
                                    <code>{e.id.unwrap_or_else(|| "(no id)".into())}</code>
                                    {(!e.path.is_empty()).then(|| view! { " at " <code>{e.path.clone()}</code> })}
                                    ": " {e.message}
                                </li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Some(Err(error)) => view! { <p class="error">{error.to_string()}</p> }.into_any(),
                    _ => ().into_any(),
                }}
            </td>
        </tr>
    }
}

#[component]
fn WorkTable(works: LocalResource<Result<Vec<Work>, AppError>>) -> impl IntoView {
    view! {
        <div class="card wide">
            <h2>"Works"</h2>
            {move || match works.get() {
                None => view! { <p class="muted">"Loading…"</p> }.into_any(),
                Some(Err(error)) => view! { <p class="error" role="alert">{error.to_string()}</p> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="muted">"No imports yet."</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <table class="table" data-testid="works-table">
                        <thead><tr>
                            <th>"File"</th><th>"By"</th><th>"Status"</th><th>"Progress"</th>
                            <th>"Created"</th><th>"Updated"</th><th>"Unchanged"</th><th>"Rejected"</th><th>"Queued"</th>
                        </tr></thead>
                        <tbody>
                            {list.into_iter().map(|w| {
                                let percent = if w.expected > 0 { (w.processed * 100 / w.expected).clamp(0, 100) } else if w.status == "complete" { 100 } else { 0 };
                                view! {
                                    <tr data-testid="work-row" data-status=w.status.clone()>
                                        <td class="clip">{w.filename.clone()}</td>
                                        <td>{w.user.clone()}</td>
                                        <td><span class=format!("status status-{}", w.status)>{w.status.clone()}</span></td>
                                        <td>
                                            <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent>
                                                <div class="progress-bar" style=format!("width: {percent}%")></div>
                                            </div>
                                            <span class="muted">{format!("{} / {}", thousands(w.processed.max(0) as u64), thousands(w.expected.max(0) as u64))}</span>
                                        </td>
                                        <td data-testid="work-created">{thousands(w.created.max(0) as u64)}</td>
                                        <td>{thousands(w.updated.max(0) as u64)}</td>
                                        <td>{thousands(w.unchanged.max(0) as u64)}</td>
                                        <td>{thousands(w.rejected.max(0) as u64)}</td>
                                        <td>{instant(&w.queued_at)}</td>
                                    </tr>
                                    {w.failure.clone().map(|f| view! { <tr class="failure-row"><td colspan="9" class="error">{f}</td></tr> })}
                                    {(w.rejected > 0).then(|| view! { <WorkErrors id=w.id.clone() /> })}
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                }
                .into_any(),
            }}
        </div>
    }
}
