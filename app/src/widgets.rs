//! Small pieces every knowledge page shows the same way: an object's kind with
//! its registry icon and colour, a link to its page, marking and label chips,
//! dates, and text with search highlights. The caller's vocabulary (labels in
//! use, markings held) is fetched once and shared.

use cairn_model::MarkingView;
use cairn_stix::Kind;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::error::AppError;
use crate::icon::IconSvg;
use crate::knowledge::{Vocabulary, get_vocabulary};

/// The caller's vocabulary, fetched once per session.
#[derive(Clone, Copy)]
pub struct SharedVocabulary(pub LocalResource<Result<Vocabulary, AppError>>);

pub fn provide_vocabulary() {
    provide_context(SharedVocabulary(LocalResource::new(get_vocabulary)));
}

/// The marking definitions the caller holds (empty until fetched).
pub fn held_markings() -> Signal<Vec<MarkingView>> {
    let shared = use_context::<SharedVocabulary>();
    Signal::derive(move || match shared.and_then(|v| v.0.get()) {
        Some(Ok(v)) => v.markings,
        _ => Vec::new(),
    })
}

/// The labels in use (empty until fetched).
pub fn known_labels() -> Signal<Vec<String>> {
    let shared = use_context::<SharedVocabulary>();
    Signal::derive(move || match shared.and_then(|v| v.0.get()) {
        Some(Ok(v)) => v.labels,
        _ => Vec::new(),
    })
}

/// How many objects of each kind the caller sees, for the navigation.
#[derive(Clone, Copy)]
pub struct KindCounts(pub LocalResource<Result<Vec<(String, u64)>, AppError>>);

/// Fetches the counts now and again whenever `refresh` changes.
pub fn provide_kind_counts(refresh: impl Fn() -> String + Send + Sync + 'static) {
    provide_context(KindCounts(LocalResource::new(move || {
        refresh();
        crate::knowledge::kind_counts()
    })));
}

/// The caller's count of one kind, once known.
pub fn kind_count(kind: &Kind) -> Option<u64> {
    let counts = use_context::<KindCounts>()?;
    match counts.0.get()? {
        Ok(counts) => Some(
            counts
                .iter()
                .find(|(name, _)| name == kind.name)
                .map_or(0, |(_, n)| *n),
        ),
        Err(_) => None,
    }
}

/// The page of an object.
pub fn entity_path(stix_id: &str) -> String {
    format!("/entity/{stix_id}")
}

/// The registry kind of an object, by the kind name the store gives or its STIX type.
pub fn kind_of(kind: Option<&str>, stix_type: &str) -> Option<&'static Kind> {
    kind.and_then(Kind::by_name)
        .or_else(|| Kind::of_type(stix_type))
}

/// An icon in its kind's colour.
#[component]
pub fn KindIcon(kind: Option<&'static Kind>) -> impl IntoView {
    match kind {
        Some(kind) => view! { <IconSvg icon=kind.icon color=kind.color /> }.into_any(),
        None => view! { <IconSvg icon=cairn_stix::Icon::Data /> }.into_any(),
    }
}

/// The kind's display name, or the raw STIX type when it has no kind.
pub fn kind_label(kind: Option<&'static Kind>, stix_type: &str) -> String {
    kind.map_or_else(|| stix_type.to_owned(), |k| k.label.to_owned())
}

/// A link to an object's page: kind icon and name.
#[component]
pub fn EntityLink(stix_id: String, kind: Option<&'static Kind>, name: String) -> impl IntoView {
    view! {
        <A href=entity_path(&stix_id) attr:class="entity-link">
            <KindIcon kind />
            <span>{name}</span>
        </A>
    }
}

/// Marking chips in their colours; an id the caller has no definition for
/// shows as its id.
#[component]
pub fn MarkingChips(markings: Vec<String>) -> impl IntoView {
    let held = held_markings();
    view! {
        <span class="chips">
            {markings
                .into_iter()
                .map(|id| {
                    let id2 = id.clone();
                    let found = move || held.with(|all| all.iter().find(|m| m.id == id2).cloned());
                    move || match found() {
                        Some(m) => view! {
                            <span class="marking" style=format!("--marking: {}", m.color)>{m.name}</span>
                        }
                        .into_any(),
                        None => view! { <span class="marking" style="--marking: #888">{id.clone()}</span> }.into_any(),
                    }
                })
                .collect_view()}
        </span>
    }
}

/// Label chips.
#[component]
pub fn LabelChips(labels: Vec<String>) -> impl IntoView {
    view! {
        <span class="chips">
            {labels.into_iter().map(|l| view! { <span class="label-chip">{l}</span> }).collect_view()}
        </span>
    }
}

/// `2024-03-01T12:00:00.000Z` as `2024-03-01`.
pub fn day(timestamp: Option<&str>) -> String {
    timestamp
        .map(|t| t.get(..10).unwrap_or(t).to_owned())
        .unwrap_or_default()
}

/// `2024-03-01T12:00:00.000Z` as `2024-03-01 12:00:00`.
pub fn instant(timestamp: &str) -> String {
    timestamp.get(..19).unwrap_or(timestamp).replace('T', " ")
}

/// Escapes text for HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A search highlight (text with `<mark>` around matches) as safe HTML: all of
/// it escaped, then the marks put back; long text is cut to the part around
/// the first match.
pub fn highlight_html(highlight: &str, around: usize) -> String {
    let start = highlight.find("<mark>").unwrap_or(0);
    let from = floor_char(highlight, start.saturating_sub(around));
    let to = floor_char(highlight, (start + around * 2).min(highlight.len()));
    let mut clip = highlight[from..to].to_owned();
    // A cut may leave a mark open.
    if clip.matches("<mark>").count() > clip.matches("</mark>").count() {
        clip.push_str("</mark>");
    }
    let html = escape(&clip)
        .replace("&lt;mark&gt;", "<mark>")
        .replace("&lt;/mark&gt;", "</mark>");
    let prefix = if from > 0 { "…" } else { "" };
    let suffix = if to < highlight.len() { "…" } else { "" };
    format!("{prefix}{html}{suffix}")
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    // Never cut inside a tag.
    if let Some(open) = text[..at].rfind('<')
        && !text[open..at].contains('>')
        && (text[open..].starts_with("<mark>") || text[open..].starts_with("</mark>"))
    {
        return open;
    }
    at
}

/// A friendly number: 1234567 as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The end of an export panel: STIX or CSV, the error if any, and Download.
#[component]
pub fn ExportFormatChoice(
    csv: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    #[prop(into)] on_download: Callback<()>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span>"Format"</span>
            <select data-testid="export-format" on:change=move |e| csv.set(event_target_value(&e) == "csv")>
                <option value="stix">"STIX 2.1 bundle (JSON)"</option>
                <option value="csv">"CSV"</option>
            </select>
        </label>
        {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        <button type="button" data-testid="export-download" disabled=move || busy.get()
            on:click=move |_| on_download.run(())>"Download"</button>
    }
}

/// A file name from a title: letters, digits and dashes.
pub fn file_stem(title: &str) -> String {
    let stem: String = title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect();
    let stem = stem.trim_matches('-').to_lowercase();
    if stem.is_empty() {
        "export".into()
    } else {
        stem.chars().take(60).collect()
    }
}

/// Offers an export's text as `{stem}.json` (a STIX bundle) or `{stem}.csv`.
pub fn download_export(stem: &str, csv: bool, text: &str) -> Result<(), String> {
    let (extension, mime) = if csv {
        ("csv", "text/csv")
    } else {
        ("json", "application/stix+json")
    };
    download(&format!("{stem}.{extension}"), mime, text)
}

/// Offers `text` to the browser as a download named `filename`.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |e: leptos::wasm_bindgen::JsValue| format!("the download failed: {e:?}");
    let parts = js_sys::Array::of1(&leptos::wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    download_blob(filename, &blob)
}

/// Offers a blob (an export, an image) to the browser as a download named `filename`.
pub fn download_blob(filename: &str, blob: &web_sys::Blob) -> Result<(), String> {
    use leptos::wasm_bindgen::JsCast;
    let fail = |e: leptos::wasm_bindgen::JsValue| format!("the download failed: {e:?}");
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(fail)?;
    let anchor: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "the download failed: no anchor".to_owned())?;
    anchor.set_href(&url);
    anchor.set_download(filename);
    anchor.click();
    // The browser reads the blob after this function returns.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_are_escaped_but_marks_kept() {
        let html = highlight_html("<script>x</script> uses <mark>spearphishing</mark>", 100);
        assert_eq!(
            html,
            "&lt;script&gt;x&lt;/script&gt; uses <mark>spearphishing</mark>"
        );
    }

    #[test]
    fn long_highlights_are_cut_around_the_match() {
        let long = format!(
            "{} <mark>needle</mark> {}",
            "a".repeat(500),
            "b".repeat(500)
        );
        let html = highlight_html(&long, 40);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>needle</mark>"), "{html}");
        assert!(html.len() < 200, "{html}");
    }

    #[test]
    fn numbers_get_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(24771), "24,771");
        assert_eq!(thousands(1000000), "1,000,000");
    }

    #[test]
    fn kinds_are_found_by_name_or_type() {
        assert_eq!(
            kind_of(Some("Sector"), "identity").map(|k| k.name),
            Some("Sector")
        );
        assert_eq!(kind_of(None, "malware").map(|k| k.name), Some("Malware"));
        assert_eq!(kind_of(None, "relationship"), None);
    }
}
