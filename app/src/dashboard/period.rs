//! The period picker every dashboard has (last 7/30/90 days, a year, all
//! time, or a custom range), and the period a key means today in the browser.

use cairn_model::dashboard::Period;
use cairn_model::dates::{PERIODS, resolve_period};
use leptos::prelude::*;

/// Today in the browser, as an ISO date (UTC, as the store's dates are).
pub fn today() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
        .chars()
        .take(10)
        .collect()
}

/// The period a picker key means today (all time when the key is not one).
pub fn resolve(key: &str) -> Period {
    resolve_period(key, &today()).unwrap_or_default()
}

/// The picker: presets, or a custom range of two dates.
#[component]
pub fn PeriodPicker(#[prop(into)] period: RwSignal<String>) -> impl IntoView {
    let custom = move || period.with(|p| p.contains(".."));
    let bound = move |first: bool| {
        period.with(|p| {
            p.split_once("..")
                .map(|(a, b)| if first { a } else { b }.to_owned())
                .unwrap_or_default()
        })
    };
    let set_bound = move |first: bool, value: String| {
        let (from, to) = (bound(true), bound(false));
        let (from, to) = if first { (value, to) } else { (from, value) };
        if resolve_period(&format!("{from}..{to}"), &today()).is_some() {
            period.set(format!("{from}..{to}"));
        }
    };
    view! {
        <div class="period-picker" data-testid="period-picker">
            <label>
                <span class="sr-only">"Period"</span>
                <select
                    data-testid="period"
                    prop:value=move || if custom() { "custom".to_owned() } else { period.get() }
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if value == "custom" {
                            let to = today();
                            let from = cairn_model::dates::add_days(&to, -29).unwrap_or_default();
                            period.set(format!("{from}..{to}"));
                        } else {
                            period.set(value);
                        }
                    }
                >
                    {PERIODS.iter().map(|(key, label)| view! { <option value=*key>{*label}</option> }).collect_view()}
                    <option value="custom">"Custom range"</option>
                </select>
            </label>
            <Show when=custom>
                <input type="date" aria-label="From" data-testid="period-from" prop:value=move || bound(true)
                    on:change=move |ev| set_bound(true, event_target_value(&ev)) />
                <span>"–"</span>
                <input type="date" aria-label="To" data-testid="period-to" prop:value=move || bound(false)
                    on:change=move |ev| set_bound(false, event_target_value(&ev)) />
            </Show>
        </div>
    }
}
