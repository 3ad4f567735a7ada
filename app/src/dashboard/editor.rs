//! The widget form: title, kind, and for each series (up to what the kind
//! draws) its perspective, filters, grouping, time buckets, top-N and date
//! field; text widgets take Markdown. Lists are typed comma-separated, with
//! the registry's kinds and the relationship matrix's types suggested.

use cairn_model::dashboard::{
    DateField, GroupBy, Interval, MAX_SERIES, Perspective, Widget, WidgetKind, WidgetQuery,
};
use cairn_stix::registry::KINDS;
use leptos::prelude::*;

fn split(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A sensible first series for a kind: donuts and bars by kind, lines and
/// areas per month, lists of the newest reports.
pub fn default_series(kind: WidgetKind) -> WidgetQuery {
    let mut query = WidgetQuery {
        top: 10,
        ..Default::default()
    };
    if kind.over_time() {
        query.interval = Some(Interval::Month);
        query.date_field = DateField::Created;
    } else if !matches!(kind, WidgetKind::Number | WidgetKind::List) {
        query.group_by = Some(GroupBy::Kind);
    }
    query
}

/// The form for one series.
#[component]
fn SeriesForm(index: usize, series: RwSignal<Vec<WidgetQuery>>) -> impl IntoView {
    let get = move || series.with(|s| s.get(index).cloned().unwrap_or_default());
    let update = move |f: &dyn Fn(&mut WidgetQuery)| {
        series.update(|s| {
            if let Some(q) = s.get_mut(index) {
                f(q);
            }
        })
    };
    let list_field = move |label: &'static str,
                           testid: &'static str,
                           datalist: Option<&'static str>,
                           read: fn(&WidgetQuery) -> &Vec<String>,
                           write: fn(&mut WidgetQuery, Vec<String>)| {
        view! {
            <label>
                <span>{label}</span>
                <input type="text" data-testid=testid list=datalist.unwrap_or_default()
                    prop:value=move || read(&get()).join(", ")
                    on:change=move |ev| { let v = split(&event_target_value(&ev)); update(&|q| write(q, v.clone())) } />
            </label>
        }
    };
    view! {
        <fieldset class="series-form" data-testid=format!("series-{index}")>
            <legend>{format!("Series {}", index + 1)}</legend>
            <div class="form-grid">
                <label>
                    <span>"Name"</span>
                    <input type="text" prop:value=move || get().name
                        on:change=move |ev| { let v = event_target_value(&ev); update(&|q| q.name = v.clone()) } />
                </label>
                <label>
                    <span>"Perspective"</span>
                    <select data-testid="series-perspective"
                        prop:value=move || serde_json::to_value(get().perspective).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
                        on:change=move |ev| {
                            let v: Option<Perspective> = serde_json::from_value(serde_json::Value::String(event_target_value(&ev))).ok();
                            if let Some(p) = v {
                                update(&|q| {
                                    q.perspective = p;
                                    q.filter = Default::default();
                                    if q.group_by.is_some_and(|g| !p.groupings().contains(&g)) {
                                        q.group_by = p.groupings().first().copied();
                                    }
                                    if p == Perspective::Activity {
                                        q.date_field = DateField::Ingested;
                                    }
                                })
                            }
                        }>
                        {Perspective::ALL.iter().map(|p| {
                            let key = serde_json::to_value(p).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                            view! { <option value=key>{p.label()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>"Group by"</span>
                    <select data-testid="series-group-by"
                        prop:value=move || get().group_by.and_then(|g| serde_json::to_value(g).ok()).and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_else(|| "time".to_owned())
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let group: Option<GroupBy> = serde_json::from_value(serde_json::Value::String(v)).ok();
                            update(&|q| {
                                q.group_by = group;
                                if group.is_none() && q.interval.is_none() {
                                    q.interval = Some(Interval::Month);
                                }
                            })
                        }>
                        <option value="time">"Time (or one total)"</option>
                        {move || get().perspective.groupings().iter().map(|g| {
                            let key = serde_json::to_value(g).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                            view! { <option value=key>{g.label()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>"Time buckets"</span>
                    <select data-testid="series-interval"
                        prop:value=move || match get().interval { Some(Interval::Day) => "day", Some(Interval::Month) => "month", Some(Interval::Year) => "year", None => "none" }
                        on:change=move |ev| {
                            let v = match event_target_value(&ev).as_str() { "day" => Some(Interval::Day), "month" => Some(Interval::Month), "year" => Some(Interval::Year), _ => None };
                            update(&|q| q.interval = v)
                        }>
                        <option value="none">"None"</option>
                        <option value="day">"Day"</option>
                        <option value="month">"Month"</option>
                        <option value="year">"Year"</option>
                    </select>
                </label>
                <label>
                    <span>"Date field"</span>
                    <select data-testid="series-date-field"
                        prop:value=move || if get().date_field == DateField::Created { "created" } else { "ingested" }
                        on:change=move |ev| {
                            let v = if event_target_value(&ev) == "created" { DateField::Created } else { DateField::Ingested };
                            update(&|q| q.date_field = v)
                        }>
                        <option value="ingested">{DateField::Ingested.label()}</option>
                        <option value="created">{DateField::Created.label()}</option>
                    </select>
                </label>
                <label>
                    <span>"Top"</span>
                    <input type="number" min="1" max="100" data-testid="series-top" prop:value=move || get().top.to_string()
                        on:change=move |ev| { let v = event_target_value(&ev).parse().unwrap_or(10); update(&|q| q.top = v) } />
                </label>
                {list_field("Kinds", "filter-kinds", Some("dashboard-kinds"), |q| &q.filter.kinds, |q, v| q.filter.kinds = v)}
                {list_field("STIX types", "filter-types", None, |q| &q.filter.types, |q, v| q.filter.types = v)}
                {list_field("Labels", "filter-labels", None, |q| &q.filter.labels, |q, v| q.filter.labels = v)}
                {list_field("Markings (ids)", "filter-markings", None, |q| &q.filter.markings, |q, v| q.filter.markings = v)}
                {list_field("Authors (ids)", "filter-authors", None, |q| &q.filter.authors, |q, v| q.filter.authors = v)}
                {list_field("Relationship types", "filter-relationship-types", Some("dashboard-relationship-types"), |q| &q.filter.relationship_types, |q, v| q.filter.relationship_types = v)}
                {list_field("Source types", "filter-source-types", None, |q| &q.filter.source_types, |q, v| q.filter.source_types = v)}
                {list_field("Target types", "filter-target-types", None, |q| &q.filter.target_types, |q, v| q.filter.target_types = v)}
            </div>
            <button type="button" class="link-button danger-text" on:click=move |_| series.update(|s| { if index < s.len() { s.remove(index); } })>"Remove this series"</button>
        </fieldset>
    }
}

/// The widget form; `on_save` gets the widget with the same id and place.
#[component]
pub fn WidgetEditor(
    widget: Widget,
    on_save: Callback<Widget>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let title = RwSignal::new(widget.title.clone());
    let kind = RwSignal::new(widget.kind);
    let text = RwSignal::new(widget.text.clone());
    let series = RwSignal::new(widget.series.clone());
    let relationship_types: std::collections::BTreeSet<&str> = cairn_stix::relationships::rules()
        .iter()
        .map(|r| r.relationship)
        .collect();
    let base = StoredValue::new(widget);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut w = base.get_value();
        w.title = title.get_untracked();
        w.kind = kind.get_untracked();
        w.text = text.get_untracked();
        w.series = series.get_untracked();
        w.series.truncate(w.kind.max_series());
        on_save.run(w);
    };
    view! {
        <form class="card widget-editor" data-testid="widget-editor" on:submit=save>
            <datalist id="dashboard-kinds">
                {KINDS.iter().map(|k| view! { <option value=k.name>{k.label}</option> }).collect_view()}
            </datalist>
            <datalist id="dashboard-relationship-types">
                {relationship_types.into_iter().map(|r| view! { <option value=r></option> }).collect_view()}
            </datalist>
            <div class="form-grid">
                <label>
                    <span>"Title"</span>
                    <input type="text" data-testid="widget-title" required prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev)) />
                </label>
                <label>
                    <span>"Kind"</span>
                    <select data-testid="widget-kind" prop:value=move || kind.get().key().to_owned()
                        on:change=move |ev| {
                            if let Some(k) = WidgetKind::from_key(&event_target_value(&ev)) {
                                kind.set(k);
                                series.update(|s| {
                                    s.truncate(k.max_series());
                                    if s.is_empty() && k.max_series() > 0 {
                                        s.push(default_series(k));
                                    }
                                });
                            }
                        }>
                        {WidgetKind::ALL.iter().map(|k| view! { <option value=k.key()>{k.label()}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <Show when=move || kind.get() == WidgetKind::Text>
                <label class="wide">
                    <span>"Text (Markdown)"</span>
                    <textarea rows="6" data-testid="widget-text" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </label>
            </Show>
            {move || (0..series.with(Vec::len)).map(|index| view! { <SeriesForm index series /> }).collect_view()}
            <div class="form-actions">
                <Show when=move || { series.with(Vec::len) < kind.get().max_series().min(MAX_SERIES) }>
                    <button type="button" data-testid="add-series"
                        on:click=move |_| series.update(|s| s.push(default_series(kind.get_untracked())))>"Add a series"</button>
                </Show>
                <button type="submit" class="primary" data-testid="widget-save">"Save widget"</button>
                <button type="button" class="link-button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
