//! One widget as drawn: it asks the store for each series over the period
//! (concurrently, one aggregation each) and draws them by its kind: a number
//! with its trend, the newest objects as a list or a timeline, a
//! distribution list, a heat strip, text, or an ECharts chart.

use cairn_model::ObjectSummary;
use cairn_model::dashboard::{Aggregate, Period, Widget, WidgetKind, WidgetQuery};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use wasm_bindgen::prelude::*;

use super::data::{newest_objects, widget_series};
use super::echarts::{self, Chart};
use super::options::{Series, option};
use crate::error::AppError;
use crate::widgets::{EntityLink, day, entity_path, kind_of, thousands};

/// The name a series shows in legends.
pub fn series_name(query: &WidgetQuery) -> String {
    if !query.name.trim().is_empty() {
        return query.name.clone();
    }
    let f = &query.filter;
    let what: Vec<&str> = [&f.kinds, &f.relationship_types, &f.types, &f.actions]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    if what.is_empty() {
        query.perspective.label().to_owned()
    } else {
        what.join(", ")
    }
}

/// A widget's content for `period`.
#[component]
pub fn WidgetView(widget: Widget, #[prop(into)] period: Signal<Period>) -> impl IntoView {
    let kind = widget.kind;
    match kind {
        WidgetKind::Text => {
            let html = crate::markdown::to_safe_html(&widget.text);
            view! { <div class="widget-text markdown" inner_html=html></div> }.into_any()
        }
        WidgetKind::List | WidgetKind::Timeline => {
            let query = widget.series.first().cloned().unwrap_or_default();
            let limit = u64::from(query.top.clamp(1, 50));
            let items = LocalResource::new(move || {
                let query = query.clone();
                let period = period.get();
                async move { newest_objects(query, period, limit).await }
            });
            view! {
                <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                    {move || items.get().map(|result| match result {
                        Ok(items) if items.is_empty() => view! { <p class="muted">"Nothing in this period."</p> }.into_any(),
                        Ok(items) => if kind == WidgetKind::Timeline {
                            view! { <Timeline items /> }.into_any()
                        } else {
                            view! { <Newest items /> }.into_any()
                        },
                        Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                    })}
                </Suspense>
            }
            .into_any()
        }
        _ => {
            let reads: Vec<(String, LocalResource<Result<Aggregate, AppError>>)> = widget
                .series
                .iter()
                .cloned()
                .map(|query| {
                    let name = series_name(&query);
                    let read = LocalResource::new(move || {
                        let query = query.clone();
                        let period = period.get();
                        async move { widget_series(query, period).await }
                    });
                    (name, read)
                })
                .collect();
            let reads = StoredValue::new(reads);
            // Every series once all have answered; the first error otherwise.
            let answered = Memo::new(move |_| {
                reads.with_value(|reads| {
                    let mut series: Vec<Series> = Vec::new();
                    for (name, read) in reads {
                        match read.get()? {
                            Ok(a) => series.push((name.clone(), a)),
                            Err(e) => return Some(Err(e.to_string())),
                        }
                    }
                    Some(Ok(series))
                })
            });
            let first = widget.series.first().cloned().unwrap_or_default();
            view! {
                {move || match answered.get() {
                    None => view! { <p class="muted" data-state="loading">"Loading…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error" role="alert">{e}</p> }.into_any(),
                    Some(Ok(series)) if series.is_empty() => view! { <p class="muted">"No series yet: edit the widget to add one."</p> }.into_any(),
                    Some(Ok(series)) => match kind {
                        WidgetKind::Number => view! { <Number aggregate=series[0].1.clone() /> }.into_any(),
                        WidgetKind::Distribution => view! { <Distribution aggregate=series[0].1.clone() /> }.into_any(),
                        WidgetKind::Heatmap if first.interval.is_none() => view! { <HeatStrip aggregate=series[0].1.clone() /> }.into_any(),
                        _ => view! { <ChartView kind series /> }.into_any(),
                    },
                }}
            }
            .into_any()
        }
    }
}

/// The count up to the period's end, what the period added, and the trend
/// against the period before.
#[component]
fn Number(aggregate: Aggregate) -> impl IntoView {
    let trend = aggregate.previous.map(|before| {
        let now = aggregate.total;
        let (class, arrow) = match now.cmp(&before) {
            std::cmp::Ordering::Greater => ("trend up", "▲"),
            std::cmp::Ordering::Less => ("trend down", "▼"),
            std::cmp::Ordering::Equal => ("trend flat", "="),
        };
        let change = if before == 0 {
            if now == 0 { "no change".to_owned() } else { "new".to_owned() }
        } else {
            format!("{:+.0}%", (now as f64 - before as f64) / before as f64 * 100.0)
        };
        view! {
            <span class=class data-testid="number-trend" title=format!("{} in the period before", thousands(before))>
                {format!("{arrow} {change}")}
            </span>
        }
    });
    view! {
        <div class="widget-number">
            <span class="number" data-testid="number-value">{thousands(aggregate.all)}</span>
            <span class="muted" data-testid="number-added">{format!("+{} in the period", thousands(aggregate.total))}</span>
            {trend}
        </div>
    }
}

/// A bucket's label, linked to its object when it is one.
fn bucket_label(b: &cairn_model::dashboard::Bucket) -> AnyView {
    if b.key.contains("--") {
        view! { <EntityLink stix_id=b.key.clone() kind=kind_of(b.kind.as_deref(), b.key.split("--").next().unwrap_or_default()) name=b.label.clone() /> }.into_any()
    } else {
        view! { <span>{b.label.clone()}</span> }.into_any()
    }
}

/// The largest bucket's count (at least 1), or `None` when there are no buckets.
fn largest(aggregate: &Aggregate) -> Option<u64> {
    aggregate.buckets.iter().map(|b| b.count.max(1)).max()
}

/// Buckets as a list with bars in proportion.
#[component]
fn Distribution(aggregate: Aggregate) -> impl IntoView {
    let Some(max) = largest(&aggregate) else {
        return view! { <p class="muted">"Nothing in this period."</p> }.into_any();
    };
    view! {
        <ol class="distribution">
            {aggregate.buckets.iter().map(|b| {
                let width = format!("width: {:.1}%", b.count as f64 / max as f64 * 100.0);
                view! {
                    <li>
                        <span class="distribution-label">{bucket_label(b)}</span>
                        <span class="distribution-bar"><span style=width></span></span>
                        <span class="distribution-count">{thousands(b.count)}</span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}

/// Buckets as a strip of cells coloured by how large each is.
#[component]
fn HeatStrip(aggregate: Aggregate) -> impl IntoView {
    let Some(max) = largest(&aggregate) else {
        return view! { <p class="muted">"Nothing in this period."</p> }.into_any();
    };
    view! {
        <ul class="heat-strip" data-testid="heat-strip">
            {aggregate.buckets.iter().map(|b| {
                let level = (b.count as f64 / max as f64 * 4.0).ceil() as u64;
                view! {
                    <li class=format!("heat heat-{level}") title=format!("{}: {}", b.label, b.count)>
                        <a href=entity_path(&b.key)>{b.label.clone()}</a>
                        <span class="heat-count">{thousands(b.count)}</span>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A link to an object by its name (or value, or id).
fn object_link(o: &ObjectSummary) -> impl IntoView + use<> {
    let name = o
        .name
        .clone()
        .or(o.value.clone())
        .unwrap_or_else(|| o.stix_id.clone());
    view! { <EntityLink stix_id=o.stix_id.clone() kind=kind_of(o.kind.as_deref(), &o.stix_type) name /> }
}

/// The newest objects, linked, with their creation day.
#[component]
fn Newest(items: Vec<ObjectSummary>) -> impl IntoView {
    view! {
        <ul class="widget-list">
            {items.into_iter().map(|o| view! {
                <li>
                    {object_link(&o)}
                    <span class="muted">{day(o.created.as_deref())}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The newest objects along a vertical time line.
#[component]
fn Timeline(items: Vec<ObjectSummary>) -> impl IntoView {
    view! {
        <ol class="timeline">
            {items.into_iter().map(|o| view! {
                <li>
                    <time>{day(o.created.as_deref())}</time>
                    {object_link(&o)}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// An ECharts chart of `series`, resized with its box; a click on an
/// object's bar, slice or country opens it.
#[component]
fn ChartView(kind: WidgetKind, series: Vec<Series>) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    let state = RwSignal::new("loading");
    let error = RwSignal::new(None::<String>);
    let held = StoredValue::new_local(
        None::<(
            Chart,
            web_sys::ResizeObserver,
            Closure<dyn FnMut()>,
            Closure<dyn FnMut(JsValue)>,
        )>,
    );
    let navigate = use_navigate();
    let series = StoredValue::new(series);
    Effect::new(move |_| {
        let Some(element) = node.get() else {
            return;
        };
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let countries = if kind == WidgetKind::WorldMap {
                echarts::world().await
            } else {
                echarts::load().await.map(|()| Default::default())
            };
            // The widget may have left the page while the library loaded.
            let Some(drawn) = series.try_with_value(|s| countries.map(|c| option(kind, s, &c)))
            else {
                return;
            };
            let result = drawn.and_then(|option| {
                let option = option.ok_or("this widget is not a chart")?;
                let element: web_sys::HtmlElement = element.clone().into();
                let chart = Chart::new(&element, crate::theme::is_dark())?;
                chart.draw(&option)?;
                let resizing = chart.clone();
                let on_resize = Closure::<dyn FnMut()>::new(move || resizing.resize());
                let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref())
                    .map_err(|e| crate::vendor::describe(&e))?;
                observer.observe(&element);
                let on_click = Closure::<dyn FnMut(JsValue)>::new(move |params: JsValue| {
                    let id = js_sys::Reflect::get(&params, &"data".into())
                        .and_then(|d| js_sys::Reflect::get(&d, &"id".into()))
                        .ok()
                        .and_then(|v| v.as_string());
                    if let Some(id) = id.filter(|id| id.contains("--")) {
                        navigate(&entity_path(&id), Default::default());
                    }
                });
                chart.on("click", on_click.as_ref().unchecked_ref());
                if let Some(Some((chart, observer, _, _))) =
                    held.try_set_value(Some((chart, observer, on_resize, on_click)))
                {
                    // Gone meanwhile: nothing holds the chart, so let it go now.
                    observer.disconnect();
                    chart.dispose();
                }
                Ok::<(), String>(())
            });
            match result {
                Ok(()) => {
                    state.try_set("ready");
                }
                Err(e) => {
                    error.try_set(Some(e));
                    state.try_set("error");
                }
            }
        });
    });
    on_cleanup(move || {
        if let Some(Some((chart, observer, _, _))) = held.try_update_value(|h| h.take()) {
            observer.disconnect();
            chart.dispose();
        }
    });
    view! {
        {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <div class="chart" node_ref=node data-testid="chart" data-state=move || state.get()></div>
    }
}
