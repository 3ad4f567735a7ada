//! The frame around every page: the sidebar navigation (sections, and the kinds
//! of the open category, from the registry) and the top bar (platform title,
//! theme toggle, the signed-in user and sign-out).

use cairn_stix::{Category, Kind};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

use crate::auth::{logout, use_session};
use crate::icon::IconSvg;
use crate::nav::{DATA_PAGES, Section};
use crate::pages::search::SearchBox;
use crate::platform::use_platform;
use crate::theme::ThemeToggle;
use crate::widgets::{kind_count, thousands};

/// The layout: sidebar, top bar, and the routed page as `children`.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    crate::widgets::provide_vocabulary();
    let location = use_location();
    // Counts are read again when the reader moves to another section.
    let section = Memo::new(move |_| {
        location.pathname.with(|p| {
            p.trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or("")
                .to_owned()
        })
    });
    crate::widgets::provide_kind_counts(move || section.get());
    view! {
        <div class="shell">
            <Sidebar />
            <div class="main">
                <TopBar />
                <main class="content" data-testid="content">
                    {children()}
                </main>
            </div>
        </div>
    }
}

#[component]
fn PlatformTitle() -> impl IntoView {
    let platform = use_platform();
    move || match platform.0.get() {
        Some(Ok(info)) => info.title,
        Some(Err(_)) => "Cairn".to_owned(),
        None => String::new(),
    }
}

#[component]
fn Sidebar() -> impl IntoView {
    let location = use_location();
    let open = Memo::new(move |_| Section::of_path(&location.pathname.get()));
    view! {
        <aside class="sidebar">
            <A href="/" attr:class="brand">
                <span class="brand-mark">"▲"</span>
                <span class="brand-name" data-testid="platform-title">
                    <PlatformTitle />
                </span>
            </A>
            <nav aria-label="Main" data-testid="nav">
                <ul class="nav-sections">
                    {Section::all()
                        .map(|section| {
                            let is_open = move || open.get() == Some(section);
                            view! {
                                <li class="nav-section" class:open=is_open>
                                    <A href=section.path() attr:class="nav-link">
                                        <IconSvg icon=section.icon() />
                                        <span>{section.label()}</span>
                                    </A>
                                    <Show when=is_open>
                                        <SubNav section=section />
                                    </Show>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </aside>
    }
}

/// The entries under an open section: a category's kinds, or Data's pages.
#[component]
fn SubNav(section: Section) -> impl IntoView {
    let entries: Vec<(String, &'static str, Option<&'static Kind>)> = match section {
        Section::Knowledge(category) => category_entries(category),
        Section::Data => DATA_PAGES
            .iter()
            .map(|(slug, label)| (format!("/data/{slug}"), *label, None))
            .collect(),
        Section::Dashboard | Section::Dashboards | Section::Investigations | Section::Settings => {
            Vec::new()
        }
    };
    view! {
        <ul class="nav-kinds">
            {entries
                .into_iter()
                .map(|(href, label, kind)| {
                    let count = move || kind.and_then(kind_count).map(thousands);
                    view! {
                        <li>
                            <A href=href attr:class="nav-kind">
                                <span>{label}</span>
                                <span class="count">{count}</span>
                            </A>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

fn category_entries(category: Category) -> Vec<(String, &'static str, Option<&'static Kind>)> {
    category
        .kinds()
        .map(|kind| (kind.path(), kind.plural, Some(kind)))
        .collect()
}

#[component]
fn TopBar() -> impl IntoView {
    let location = use_location();
    let heading = move || {
        location.pathname.with(|path| match path.split('/').nth(1) {
            Some("entity") => "Knowledge",
            Some("search") => "Search",
            _ => Section::of_path(path).map_or("Not found", Section::label),
        })
    };
    view! {
        <header class="topbar">
            <div class="topbar-title">{heading}</div>
            <SearchBox />
            <div class="topbar-actions">
                <ThemeToggle />
                <UserMenu />
            </div>
        </header>
    }
}

/// The signed-in user's name (to their account page) and the sign-out button.
#[component]
fn UserMenu() -> impl IntoView {
    let session = use_session();
    let name = move || match session.0.get() {
        Some(Ok(me)) => me.name,
        _ => String::new(),
    };
    let sign_out = Action::new_local(|_: &()| logout());
    Effect::new(move |_| {
        if sign_out.value().get().is_some() {
            session.0.refetch();
        }
    });
    view! {
        <A href="/settings/account" attr:class="user-name" attr:data-testid="whoami">{name}</A>
        <button class="signout" data-testid="signout" on:click=move |_| { sign_out.dispatch(()); }>
            "Sign out"
        </button>
    }
}
