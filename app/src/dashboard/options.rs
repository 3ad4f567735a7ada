//! ECharts options built from the store's aggregates: bars (either way),
//! lines and areas over time, donuts, treemaps, heatmaps of series over time,
//! and world maps. Plain Rust (JSON values), tested natively; the widget
//! hands the result to [`super::echarts::Chart::draw`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use cairn_model::dashboard::{Aggregate, WidgetKind};
use serde_json::{Value, json};

/// One named series and its answer.
pub type Series = (String, Aggregate);

/// The categories of all series, in first-seen order (by attribute) or sorted (by time).
fn categories(series: &[Series], sorted: bool) -> Vec<(String, String)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (_, aggregate) in series {
        for b in &aggregate.buckets {
            if seen.insert(b.key.clone()) {
                out.push((b.key.clone(), b.label.clone()));
            }
        }
    }
    if sorted {
        out.sort();
    }
    out
}

fn values(aggregate: &Aggregate, keys: &[(String, String)]) -> Vec<Value> {
    let counts: HashMap<&str, u64> = aggregate
        .buckets
        .iter()
        .map(|b| (b.key.as_str(), b.count))
        .collect();
    keys.iter()
        .map(|(k, _)| json!(counts.get(k.as_str()).copied().unwrap_or(0)))
        .collect()
}

/// Buckets as named values (donut slices, treemap tiles), with their keys for clicks.
fn slices(aggregate: &Aggregate) -> Vec<Value> {
    aggregate
        .buckets
        .iter()
        .map(|b| json!({ "name": b.label, "value": b.count, "id": b.key }))
        .collect()
}

fn base() -> Value {
    json!({
        "backgroundColor": "transparent",
        "animation": false,
        "tooltip": { "trigger": "item", "confine": true },
        "grid": { "left": 8, "right": 16, "top": 28, "bottom": 8, "containLabel": true },
    })
}

fn merge(mut into: Value, from: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (into.as_object_mut(), from) {
        a.extend(b);
    }
    into
}

/// The option drawing `series` as a widget of `kind`; `None` for kinds drawn
/// in HTML (number, lists, timeline, text, the heat strip). `countries` maps
/// ISO numeric codes to the world map's shape names.
pub fn option(
    kind: WidgetKind,
    series: &[Series],
    countries: &HashMap<String, String>,
) -> Option<Value> {
    let legend = series.len() > 1;
    let names: Vec<&str> = series.iter().map(|(n, _)| n.as_str()).collect();
    let with_legend = |v: Value| {
        if legend {
            merge(
                v,
                json!({ "legend": { "top": 0, "type": "scroll", "data": names } }),
            )
        } else {
            v
        }
    };
    match kind {
        WidgetKind::Bars | WidgetKind::HorizontalBars => {
            let horizontal = kind == WidgetKind::HorizontalBars;
            let mut keys = categories(series, false);
            if horizontal {
                // The largest on top.
                keys.reverse();
            }
            let labels: Vec<&str> = keys.iter().map(|(_, l)| l.as_str()).collect();
            let category = json!({ "type": "category", "data": labels, "axisLabel": { "width": 140, "overflow": "truncate" } });
            let value = json!({ "type": "value", "minInterval": 1 });
            let (x, y) = if horizontal {
                (value, category)
            } else {
                (category, value)
            };
            let bars: Vec<Value> = series
                .iter()
                .map(|(name, a)| {
                    let data: Vec<Value> = values(a, &keys)
                        .into_iter()
                        .zip(&keys)
                        .map(|(v, (key, _))| json!({ "value": v, "id": key }))
                        .collect();
                    json!({ "type": "bar", "name": name, "data": data })
                })
                .collect();
            Some(with_legend(merge(
                base(),
                json!({ "xAxis": x, "yAxis": y, "series": bars, "tooltip": { "trigger": "axis", "confine": true } }),
            )))
        }
        WidgetKind::Line | WidgetKind::Area => {
            let keys = categories(series, true);
            let labels: Vec<&str> = keys.iter().map(|(_, l)| l.as_str()).collect();
            let lines: Vec<Value> = series
                .iter()
                .map(|(name, a)| {
                    let mut line = json!({ "type": "line", "name": name, "data": values(a, &keys), "showSymbol": keys.len() < 60 });
                    if kind == WidgetKind::Area {
                        line["areaStyle"] = json!({ "opacity": 0.35 });
                    }
                    line
                })
                .collect();
            Some(with_legend(merge(
                base(),
                json!({
                    "xAxis": { "type": "category", "data": labels, "boundaryGap": false },
                    "yAxis": { "type": "value", "minInterval": 1 },
                    "series": lines,
                    "tooltip": { "trigger": "axis", "confine": true },
                }),
            )))
        }
        WidgetKind::Donut => {
            let (name, aggregate) = series.first()?;
            let data = slices(aggregate);
            Some(merge(
                base(),
                json!({
                    "legend": { "type": "scroll", "orient": "vertical", "left": 0, "top": "middle" },
                    "series": [{ "type": "pie", "name": name, "radius": ["45%", "72%"], "center": ["65%", "50%"],
                                 "label": { "show": false }, "data": data }],
                }),
            ))
        }
        WidgetKind::Treemap => {
            let (name, aggregate) = series.first()?;
            let data = slices(aggregate);
            Some(merge(
                base(),
                json!({ "series": [{ "type": "treemap", "name": name, "roam": false, "nodeClick": false,
                                     "breadcrumb": { "show": false }, "width": "100%", "height": "100%", "data": data }] }),
            ))
        }
        WidgetKind::Heatmap => {
            // Series along time: one row per series, one column per bucket.
            let keys = categories(series, true);
            let labels: Vec<&str> = keys.iter().map(|(_, l)| l.as_str()).collect();
            let mut cells = Vec::new();
            let mut max = 0;
            for (row, (_, a)) in series.iter().enumerate() {
                let counts: BTreeMap<&str, u64> = a
                    .buckets
                    .iter()
                    .map(|b| (b.key.as_str(), b.count))
                    .collect();
                for (column, (key, _)) in keys.iter().enumerate() {
                    let n = counts.get(key.as_str()).copied().unwrap_or(0);
                    max = max.max(n);
                    cells.push(json!([column, row, n]));
                }
            }
            Some(merge(
                base(),
                json!({
                    "grid": { "left": 8, "right": 16, "top": 8, "bottom": 48, "containLabel": true },
                    "xAxis": { "type": "category", "data": labels, "splitArea": { "show": true } },
                    "yAxis": { "type": "category", "data": names, "splitArea": { "show": true } },
                    "visualMap": { "min": 0, "max": max.max(1), "calculable": true, "orient": "horizontal", "left": "center", "bottom": 0, "itemHeight": 80 },
                    "series": [{ "type": "heatmap", "data": cells }],
                }),
            ))
        }
        WidgetKind::WorldMap => {
            let (name, aggregate) = series.first()?;
            let mut max = 0;
            let data: Vec<Value> = aggregate
                .buckets
                .iter()
                .filter_map(|b| {
                    let numeric = cairn_stix::countries::numeric(b.country.as_deref()?)?;
                    let shape = countries.get(numeric)?;
                    max = max.max(b.count);
                    Some(json!({ "name": shape, "value": b.count, "id": b.key }))
                })
                .collect();
            Some(merge(
                base(),
                json!({
                    "visualMap": { "min": 0, "max": max.max(1), "left": 0, "bottom": 0, "calculable": true, "itemHeight": 80,
                                   "inRange": { "color": ["#fde0dd", "#c51b8a"] } },
                    "series": [{ "type": "map", "name": name, "map": super::echarts::WORLD, "roam": true,
                                 "emphasis": { "label": { "show": false } }, "data": data }],
                }),
            ))
        }
        WidgetKind::Number
        | WidgetKind::List
        | WidgetKind::Distribution
        | WidgetKind::Timeline
        | WidgetKind::Text => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cairn_model::dashboard::Bucket;

    fn aggregate(buckets: &[(&str, u64)]) -> Aggregate {
        Aggregate {
            buckets: buckets
                .iter()
                .map(|(k, n)| Bucket {
                    key: (*k).to_owned(),
                    label: (*k).to_owned(),
                    kind: None,
                    country: None,
                    count: *n,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn lines_share_one_time_axis_with_missing_months_at_zero() {
        let series = vec![
            (
                "Reports".to_owned(),
                aggregate(&[("2024-01", 2), ("2024-03", 1)]),
            ),
            ("Indicators".to_owned(), aggregate(&[("2024-02", 5)])),
        ];
        let option = option(WidgetKind::Line, &series, &HashMap::new()).expect("option");
        assert_eq!(
            option["xAxis"]["data"],
            json!(["2024-01", "2024-02", "2024-03"])
        );
        assert_eq!(option["series"][0]["data"], json!([2, 0, 1]));
        assert_eq!(option["series"][1]["data"], json!([0, 5, 0]));
        assert_eq!(option["legend"]["data"], json!(["Reports", "Indicators"]));
        assert!(option["series"][0].get("areaStyle").is_none());
    }

    #[test]
    fn horizontal_bars_put_the_largest_on_top_and_maps_place_countries_by_code() {
        let series = vec![("Targets".to_owned(), aggregate(&[("a", 9), ("b", 3)]))];
        let bars = option(WidgetKind::HorizontalBars, &series, &HashMap::new()).expect("bars");
        assert_eq!(bars["yAxis"]["data"], json!(["b", "a"]));
        let mut france = aggregate(&[("location--1", 4)]);
        france.buckets[0].country = Some("fr".to_owned());
        let shapes = HashMap::from([("250".to_owned(), "France".to_owned())]);
        let map = option(
            WidgetKind::WorldMap,
            &[("Countries".to_owned(), france)],
            &shapes,
        )
        .expect("map");
        assert_eq!(
            map["series"][0]["data"],
            json!([{ "name": "France", "value": 4, "id": "location--1" }])
        );
        assert!(option(WidgetKind::Number, &series, &shapes).is_none());
    }
}
