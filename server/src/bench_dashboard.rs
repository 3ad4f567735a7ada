//! `cairn bench-dashboard STORE` (`make bench-dashboard`): every widget kind's
//! read, and the whole home dashboard's, timed on a kept store (the 1M-object
//! store `make bench-scale BENCH_KEEP=DIR` leaves), over all time and over the
//! last 90 days, for a reader who sees everything and one cleared for some
//! markings. p50/p95 of each; the first open also migrates the store
//! (ingestion times filled, tallies built), which is timed on its own. The
//! baseline, in the same run: the most active intrusion sets counted from the
//! relationships rather than from the tally by end.

use std::path::Path;
use std::time::Instant;

use cairn_store::dashboard::{
    DateField, GroupBy, Interval, Period, Perspective, WidgetKind, WidgetQuery, home_widgets,
};
use cairn_store::{Scope, Store};

/// Samples per measurement.
const SAMPLES: usize = 40;

/// One series of each widget kind (text reads nothing).
fn catalogue() -> Vec<(WidgetKind, WidgetQuery)> {
    let home = home_widgets();
    let of = |id: &str| {
        home.iter()
            .find(|w| w.id == id)
            .map(|w| w.series[0].clone())
            .unwrap_or_default()
    };
    let by = |perspective, group_by| WidgetQuery {
        perspective,
        group_by: Some(group_by),
        top: 10,
        ..Default::default()
    };
    let mut per_month = WidgetQuery {
        perspective: Perspective::Relationships,
        interval: Some(Interval::Month),
        date_field: DateField::Created,
        ..Default::default()
    };
    per_month.top = 10;
    vec![
        (WidgetKind::Number, of("count-intrusion-set")),
        (WidgetKind::List, of("latest-reports")),
        (WidgetKind::Distribution, of("targeted-sectors")),
        (
            WidgetKind::Bars,
            by(Perspective::Relationships, GroupBy::RelationshipType),
        ),
        (WidgetKind::HorizontalBars, of("active-intrusion-sets")),
        (WidgetKind::Line, per_month),
        (WidgetKind::Area, of("ingestion")),
        (WidgetKind::Donut, by(Perspective::Entities, GroupBy::Kind)),
        (WidgetKind::Heatmap, of("techniques")),
        (
            WidgetKind::Treemap,
            by(Perspective::Entities, GroupBy::Marking),
        ),
        (WidgetKind::Timeline, of("latest-cases")),
        (WidgetKind::WorldMap, of("targeted-countries")),
    ]
}

/// One widget's read as its server function makes it.
async fn read(
    store: &Store,
    scope: &Scope,
    kind: WidgetKind,
    query: &WidgetQuery,
    period: &Period,
) -> anyhow::Result<usize> {
    Ok(if matches!(kind, WidgetKind::List | WidgetKind::Timeline) {
        store.latest(scope, query, period, 10).await?.len()
    } else {
        store.aggregate(scope, query, period).await?.buckets.len()
    })
}

/// Runs `read` `n` times; the p50 and p95 of its times, in ms.
async fn sample(
    n: usize,
    mut read: impl AsyncFnMut() -> anyhow::Result<()>,
) -> anyhow::Result<(f64, f64)> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        read().await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(percentiles(times))
}

fn percentiles(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((times.len() as f64 * q) as usize).min(times.len() - 1)];
    (at(0.5), at(0.95))
}

pub async fn run(path: &Path) -> anyhow::Result<bool> {
    let started = Instant::now();
    let store = Store::open(&format!("surrealkv://{}", path.display())).await?;
    println!(
        "opened {} in {:.1} s (a first open migrates: ingestion times, tallies)",
        path.display(),
        started.elapsed().as_secs_f64()
    );
    let today = cairn_store::edit::now()[..10].to_owned();
    let periods = [
        ("all time", Period::default()),
        (
            "last 90 days",
            cairn_store::dates::resolve_period("90d", &today).unwrap_or_default(),
        ),
    ];
    let green = Scope::markings(
        cairn_stix::markings::TLP
            .iter()
            .filter(|t| t.order <= 2)
            .map(|t| t.id),
    );
    let scopes = [("bypass", Scope::bypass()), ("TLP:GREEN", green)];
    let mut slowest = 0f64;
    for (scope_name, scope) in &scopes {
        for (period_name, period) in &periods {
            println!("\n{scope_name}, {period_name}:");
            let mut ranked_p50 = 0f64;
            for (kind, query) in catalogue() {
                let mut buckets = 0;
                let (p50, p95) = sample(SAMPLES, async || {
                    buckets = read(&store, scope, kind, &query, period).await?;
                    Ok(())
                })
                .await?;
                slowest = slowest.max(p95);
                if kind == WidgetKind::HorizontalBars {
                    ranked_p50 = p50;
                }
                println!(
                    "  {:18} p50 {p50:7.2} ms  p95 {p95:7.2} ms  ({buckets} rows)",
                    kind.label()
                );
            }
            if scope.is_bypass() && period.from.is_none() {
                // The baseline: the same ranking counted from the relationships.
                let (p50, _) = sample(3, async || {
                    store
                        .ends_from_rows(GroupBy::Source, "intrusion-set", 10)
                        .await?;
                    Ok(())
                })
                .await?;
                println!(
                    "  {:18} p50 {p50:7.2} ms  (most active intrusion sets counted from the relationships: {:.0}x the tally's time)",
                    "baseline",
                    p50 / ranked_p50.max(0.001)
                );
            }
            let (p50, p95) = sample(SAMPLES, async || {
                store.matrix(scope, None).await?;
                Ok(())
            })
            .await?;
            println!(
                "  {:18} p50 {p50:7.2} ms  p95 {p95:7.2} ms",
                "ATT&CK matrix"
            );
            if period.from.is_none() {
                // The navigation's counts by kind, which every page shows.
                let (p50, p95) = sample(SAMPLES, async || {
                    store.count_by_kind(scope).await?;
                    Ok(())
                })
                .await?;
                println!(
                    "  {:18} p50 {p50:7.2} ms  p95 {p95:7.2} ms",
                    "counts by kind"
                );
            }
            // The home dashboard's widgets, all at once as the page asks for them.
            let (p50, p95) = sample(SAMPLES, async || {
                let mut reads = tokio::task::JoinSet::new();
                for w in home_widgets() {
                    let (store, scope, period) = (store.clone(), scope.clone(), period.clone());
                    reads.spawn(async move {
                        read(&store, &scope, w.kind, &w.series[0], &period).await
                    });
                }
                while let Some(result) = reads.join_next().await {
                    result??;
                }
                Ok(())
            })
            .await?;
            println!(
                "  {:18} p50 {p50:7.2} ms  p95 {p95:7.2} ms  (14 widgets, concurrently)",
                "home dashboard"
            );
        }
    }
    println!("\nslowest widget p95: {slowest:.2} ms");
    crate::bench::print_memory();
    crate::shutdown::close_store(store).await;
    Ok(true)
}
