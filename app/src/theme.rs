//! Light and dark themes: a toggle that sets `data-theme` on `<html>` and
//! remembers the choice in local storage. The colours live in `style/`.

use leptos::prelude::*;

const STORAGE_KEY: &str = "cairn-theme";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    fn name(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The theme in force: the stored choice, or what `index.html` set from the
/// system preference before the app loaded.
fn current() -> Theme {
    let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    let shown = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("data-theme"));
    match stored.or(shown).as_deref() {
        Some("dark") => Theme::Dark,
        _ => Theme::Light,
    }
}

/// Whether the dark theme is in force (graphs draw their labels to match).
pub fn is_dark() -> bool {
    current() == Theme::Dark
}

fn apply(theme: Theme) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("data-theme", theme.name());
    }
    if let Some(storage) = storage() {
        let _ = storage.set_item(STORAGE_KEY, theme.name());
    }
}

/// A button that switches between the light and dark themes.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(current());
    let toggle = move |_| {
        let next = match theme.get_untracked() {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        };
        apply(next);
        theme.set(next);
    };
    view! {
        <button
            class="theme-toggle"
            data-testid="theme-toggle"
            on:click=toggle
            title=move || match theme.get() {
                Theme::Light => "Switch to the dark theme",
                Theme::Dark => "Switch to the light theme",
            }
        >
            {move || match theme.get() {
                Theme::Light => "Dark theme",
                Theme::Dark => "Light theme",
            }}
        </button>
    }
}
