//! Dashboard reads: a widget's series answered by one read of a tally
//! (schema migrations 16 and 17), the latest objects for lists and
//! timelines, and ATT&CK matrices.
//!
//! A tally is a table kept up to date in the transaction that writes the
//! rows it counts: one row per combination of the attributes widgets filter
//! and group by (kind, type, markings, author, labels, the day the row came
//! into Cairn, the month of its STIX `created`), with how many rows share it.
//! A widget sums cells instead of reading objects, so its cost follows the
//! number of distinct combinations, not the size of the base. Cells carry
//! their rows' markings (and organizations), so the caller's scope applies to
//! them exactly as to the rows.
//!
//! SurrealDB keeps the tallies of objects, relationships, techniques and
//! history as table views; relationships by end are `tally_end`
//! (`rel_tally.rs`), whose rows hold many ends' counts each. A tally's record
//! id is its grouped values in order, so a series filtered by the leading
//! ones (an end's type, a relationship type, a kind) reads ranges of ids.
//! The read returns the cells up to the period's end, and the buckets, the
//! period's total and the total of the period before are summed here.

use std::collections::BTreeMap;

use cairn_model::dashboard::{
    Aggregate, Bucket, DateField, GroupBy, Matrix, MatrixCell, MatrixColumn, Period, Perspective,
    WidgetQuery,
};
use cairn_model::knowledge::ObjectSummary;
use surrealdb::types::{RecordId, SurrealValue};

use crate::connect::Store;
use crate::error::StoreError;
use crate::rows::{label_record, object_records, record_key};
use crate::scope::Scope;

/// The most buckets a series returns by attribute.
pub const MAX_TOP: u32 = 100;

/// The most id ranges a series reads (the product of its leading filters'
/// values); past it, the whole tally is read and filtered.
const MAX_RANGES: usize = 64;

/// Where a series is counted and how its attributes are read there.
struct Plan {
    table: &'static str,
    /// The date column: `day` (`YYYY-MM-DD`) or `month` (`YYYY-MM`).
    date: &'static str,
    /// The grouped attribute (its values are split when it holds a list);
    /// `None` for a series by time, a plain count, or ends (`tally_end`'s
    /// rows hold each end's count).
    key: Option<&'static str>,
    /// How many characters of the date a time bucket keeps.
    interval: Option<usize>,
    conditions: Vec<&'static str>,
    /// The id prefixes to read: a tally's record id is its GROUP BY values
    /// in order (schema migration 17), so the filtered values of its leading
    /// attributes name ranges of ids. One empty prefix reads everything.
    prefixes: Vec<Vec<String>>,
}

impl Plan {
    /// The `FROM` targets and the parameters their ranges bind.
    fn from(&self) -> (String, Vec<(String, String)>) {
        let table = self.table;
        if self.prefixes.iter().all(Vec::is_empty) {
            return (table.to_owned(), Vec::new());
        }
        let mut binds = Vec::new();
        let ranges: Vec<String> = self
            .prefixes
            .iter()
            .enumerate()
            .map(|(i, prefix)| {
                let names: Vec<String> = prefix
                    .iter()
                    .enumerate()
                    .map(|(j, value)| {
                        let name = format!("lead_{i}_{j}");
                        binds.push((name.clone(), value.clone()));
                        format!("${name}")
                    })
                    .collect();
                let names = names.join(", ");
                format!("{table}:[{names}, NONE]..=[{names}, ..]")
            })
            .collect();
        (ranges.join(", "), binds)
    }
}

/// Every combination of the leading attributes' filtered values, taken
/// in order while each is filtered and the combinations stay few.
fn prefixes(leading: &[&Vec<String>]) -> Vec<Vec<String>> {
    let mut prefixes = vec![Vec::new()];
    for values in leading {
        if values.is_empty() || prefixes.len() * values.len() > MAX_RANGES {
            break;
        }
        prefixes = prefixes
            .iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut longer = prefix.clone();
                    longer.push(v.clone());
                    longer
                })
            })
            .collect();
    }
    prefixes
}

fn invalid(field: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        reason: reason.into(),
    }
}

fn plan(query: &WidgetQuery) -> Result<Plan, StoreError> {
    let f = &query.filter;
    let mut conditions = Vec::new();
    let unsupported = |name: &'static str, used: bool| {
        if used {
            Err(invalid(
                "filter",
                format!(
                    "the {} perspective cannot filter by {name}",
                    query.perspective.label().to_lowercase()
                ),
            ))
        } else {
            Ok(())
        }
    };
    let table = match query.perspective {
        Perspective::Entities => {
            unsupported("relationship type", !f.relationship_types.is_empty())?;
            unsupported("source type", !f.source_types.is_empty())?;
            unsupported("target type", !f.target_types.is_empty())?;
            unsupported("action", !f.actions.is_empty())?;
            // What the lists show: entities and observables of a registry
            // kind (not marking definitions or ATT&CK's bookkeeping objects).
            conditions.push("revoked = false AND kind != NONE");
            "tally_object"
        }
        Perspective::Relationships => {
            // Kinds name the grouped ends (a sector and an organization are both identities).
            unsupported(
                "kind (except of the ends it groups by)",
                !f.kinds.is_empty()
                    && !matches!(query.group_by, Some(GroupBy::Target | GroupBy::Source)),
            )?;
            unsupported("STIX type", !f.types.is_empty())?;
            unsupported("label", !f.labels.is_empty())?;
            unsupported("author", !f.authors.is_empty())?;
            unsupported("action", !f.actions.is_empty())?;
            match query.group_by {
                Some(GroupBy::Target | GroupBy::Source) => "tally_end",
                _ => "tally_relationship",
            }
        }
        Perspective::Activity => {
            unsupported("kind", !f.kinds.is_empty())?;
            unsupported("label", !f.labels.is_empty())?;
            unsupported("marking", !f.markings.is_empty())?;
            unsupported("author", !f.authors.is_empty())?;
            unsupported("relationship type", !f.relationship_types.is_empty())?;
            "tally_activity"
        }
    };
    let no_kinds = Vec::new();
    let kinds = if query.perspective == Perspective::Entities {
        &f.kinds
    } else {
        &no_kinds
    };
    let filters: [(&Vec<String>, &'static str); 9] = [
        (kinds, "kind IN $kinds"),
        (&f.types, "type IN $types"),
        (&f.labels, "labels CONTAINSANY $labels"),
        (&f.markings, "markings CONTAINSANY $markings"),
        (&f.authors, "author IN $authors"),
        (
            &f.relationship_types,
            "relationship_type IN $relationship_types",
        ),
        (&f.source_types, "source_type IN $source_types"),
        (&f.target_types, "target_type IN $target_types"),
        (&f.actions, "action IN $actions"),
    ];
    conditions.extend(
        filters
            .into_iter()
            .filter(|(values, _)| !values.is_empty())
            .map(|(_, condition)| condition),
    );
    let date = match query.date_field {
        DateField::Ingested => "day",
        DateField::Created if table != "tally_end" && table != "tally_activity" => "month",
        DateField::Created => {
            return Err(invalid(
                "date_field",
                "this grouping is counted by the day things came into Cairn, not by their STIX created date",
            ));
        }
    };
    let leading: Vec<&Vec<String>> = match table {
        "tally_object" => vec![kinds, &f.types],
        "tally_relationship" => vec![&f.relationship_types, &f.source_types, &f.target_types],
        "tally_end" if query.group_by == Some(GroupBy::Target) => {
            vec![&f.target_types, &f.relationship_types]
        }
        "tally_end" => vec![&f.source_types, &f.relationship_types],
        _ => vec![&f.actions, &f.types],
    };
    let mut prefixes = prefixes(&leading);
    if table == "tally_end" {
        // Its ids lead with the side the ends are counted on.
        let side = if query.group_by == Some(GroupBy::Target) {
            "target"
        } else {
            "source"
        };
        for prefix in &mut prefixes {
            prefix.insert(0, side.to_owned());
        }
    }
    let (key, interval) = match (query.group_by, query.interval) {
        (Some(group), _) => {
            if !query.perspective.groupings().contains(&group) {
                return Err(invalid(
                    "group_by",
                    format!(
                        "the {} perspective cannot group by {}",
                        query.perspective.label().to_lowercase(),
                        group.label().to_lowercase()
                    ),
                ));
            }
            let key = match group {
                GroupBy::Kind => "kind",
                GroupBy::Type => "type",
                GroupBy::Marking => "markings",
                GroupBy::Author => "author",
                GroupBy::Label => "labels",
                GroupBy::RelationshipType => "relationship_type",
                GroupBy::SourceType => "source_type",
                GroupBy::TargetType => "target_type",
                GroupBy::Target | GroupBy::Source => "NONE",
                GroupBy::Action => "action",
                GroupBy::User => "user",
            };
            (Some(key), None)
        }
        (None, Some(interval)) => (
            None,
            Some(interval.prefix().min(if date == "month" { 7 } else { 10 })),
        ),
        (None, None) => (None, None),
    };
    Ok(Plan {
        table,
        date,
        key,
        interval,
        conditions,
        prefixes,
    })
}

/// The day `days` days before the ISO date `day` (`YYYY-MM-DD`).
fn shift(day: &str, days: i64) -> Option<String> {
    cairn_model::dates::add_days(day, -days)
}

#[derive(Debug, SurrealValue)]
struct KeyCount {
    key: Option<surrealdb::types::Value>,
    count: Option<i64>,
}

#[derive(Debug, SurrealValue)]
struct Named {
    stix_id: String,
    name: Option<String>,
    kind: Option<String>,
    country: Option<String>,
}

/// How a tally's rows hold their counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A count (`n`) per row, with its date (the table views).
    Cells,
    /// A map from ends to counts per row, with its date (`tally_end`).
    Ends,
    /// A map from `"DAY MONTH"` to counts per row (`tally_relationship`).
    Dates,
}

/// A series' figures, summed cell by cell.
#[derive(Debug, Default)]
struct Sums<'a> {
    from: Option<&'a str>,
    to: Option<&'a str>,
    previous: Option<(&'a str, &'a str)>,
    /// Time buckets' width; none: buckets by key.
    interval: Option<usize>,
    total: u64,
    before: u64,
    all: u64,
    counts: BTreeMap<String, u64>,
}

impl Sums<'_> {
    /// Counts `n` at the date `day` (cut to the tally's precision) under `keys`.
    fn add(&mut self, day: &str, n: i64, keys: Vec<String>) {
        let n = n.max(0) as u64;
        if n == 0 || self.to.is_some_and(|to| day > to) {
            return;
        }
        self.all += n;
        if self
            .previous
            .is_some_and(|(start, end)| day >= start && day <= end)
        {
            self.before += n;
        }
        if self.from.is_some_and(|start| day < start) {
            return;
        }
        self.total += n;
        match self.interval {
            Some(width) if !day.is_empty() => {
                *self
                    .counts
                    .entry(day.chars().take(width).collect())
                    .or_default() += n;
            }
            Some(_) => {}
            None => {
                for key in keys {
                    *self.counts.entry(key).or_default() += n;
                }
            }
        }
    }
}

/// One tally cell as a series reads it.
#[derive(Debug, SurrealValue)]
struct Cell {
    key: Option<surrealdb::types::Value>,
    date: Option<String>,
    n: Option<i64>,
    /// The counts of a map-holding row (`rel_tally.rs`).
    counts: Option<BTreeMap<String, i64>>,
}

/// A cell's bucket keys: each value of a list (markings, labels), or its one value.
fn key_texts(value: surrealdb::types::Value) -> Vec<String> {
    match value {
        surrealdb::types::Value::Array(values) => values.into_iter().filter_map(key_text).collect(),
        value => key_text(value).into_iter().collect(),
    }
}

/// A bucket key as text: record ids by their key, strings as they are.
fn key_text(value: surrealdb::types::Value) -> Option<String> {
    use surrealdb::types::Value;
    match value {
        Value::String(s) => Some(s),
        Value::RecordId(id) => Some(record_key(&id)),
        Value::None | Value::Null => None,
        other => Some(format!("{other:?}")),
    }
}

impl Store {
    /// One widget series over `period`: its buckets (top `query.top` by
    /// count, or every time bucket in order), the total in the period and,
    /// when the period has a start, the total of the period as long before it.
    pub async fn aggregate(
        &self,
        scope: &Scope,
        query: &WidgetQuery,
        period: &Period,
    ) -> Result<Aggregate, StoreError> {
        if query.perspective == Perspective::Activity && !scope.is_bypass() {
            return Err(invalid(
                "perspective",
                "activity counts are for those who see every marking: history entries carry none",
            ));
        }
        let plan = plan(query)?;
        let top = query.top.clamp(1, MAX_TOP);
        let date = plan.date;
        let width = if date == "month" { 7 } else { 10 };
        let cut = |day: &str| day.chars().take(width).collect::<String>();
        let (from, to) = (
            period.from.as_deref().map(cut),
            period.to.as_deref().map(cut),
        );
        let previous = match (&period.from, &period.to) {
            (Some(start), Some(end)) => {
                let length = cairn_model::dates::days_between(start, end).unwrap_or(0) + 1;
                shift(start, length)
                    .zip(shift(start, 1))
                    .map(|(a, b)| (cut(&a), cut(&b)))
            }
            _ => None,
        };
        let shape = match plan.table {
            "tally_end" => Shape::Ends,
            "tally_relationship" => Shape::Dates,
            _ => Shape::Cells,
        };
        let mut conditions: Vec<String> = [Scope::FILTER]
            .into_iter()
            .chain(plan.conditions.iter().copied())
            .map(str::to_owned)
            .collect();
        if to.is_some() && shape != Shape::Dates {
            conditions.push(format!("{date} <= $to"));
        }
        // One read of the cells up to the period's end; the buckets, the
        // totals in the period and before it are summed here, so the tally
        // is read once, not once per figure.
        let (key, date_column, n) = match shape {
            Shape::Cells => (plan.key.unwrap_or("NONE"), date, "n"),
            Shape::Ends => ("NONE", date, "counts"),
            Shape::Dates => (plan.key.unwrap_or("NONE"), "NONE", "counts"),
        };
        let (targets, leads) = plan.from();
        let f = &query.filter;
        let mut request = self
            .read(
                scope,
                format!(
                    "SELECT {key} AS key, {date_column} AS date, {n} FROM {targets} WHERE {}",
                    conditions.join(" AND ")
                ),
            )
            .bind(("kinds", f.kinds.clone()))
            .bind(("types", f.types.clone()))
            .bind((
                "labels",
                f.labels
                    .iter()
                    .map(|l| label_record(l))
                    .collect::<Vec<RecordId>>(),
            ))
            .bind(("markings", object_records(&f.markings)))
            .bind(("authors", object_records(&f.authors)))
            .bind(("relationship_types", f.relationship_types.clone()))
            .bind(("source_types", f.source_types.clone()))
            .bind(("target_types", f.target_types.clone()))
            .bind(("actions", f.actions.clone()))
            .bind(("to", to.clone()));
        for lead in leads {
            request = request.bind(lead);
        }
        let cells: Vec<Cell> = request.await?.check()?.take(0)?;
        let mut sums = Sums {
            from: from.as_deref(),
            to: to.as_deref(),
            previous: previous.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            interval: plan.interval,
            ..Default::default()
        };
        for cell in cells {
            let keys = cell.key.map(key_texts).unwrap_or_default();
            match shape {
                Shape::Cells => {
                    let day = cell.date.unwrap_or_default();
                    sums.add(&day, cell.n.unwrap_or(0), keys);
                }
                Shape::Ends => {
                    let day = cell.date.unwrap_or_default();
                    for (end, count) in cell.counts.into_iter().flatten() {
                        sums.add(&day, count, vec![end]);
                    }
                }
                Shape::Dates => {
                    // `"DAY MONTH"`: the ingestion day, the month of STIX created.
                    for (entry, count) in cell.counts.into_iter().flatten() {
                        let (day, month) = entry.split_once(' ').unwrap_or((&entry, ""));
                        let at = if date == "month" { month } else { day };
                        sums.add(at, count, keys.clone());
                    }
                }
            }
        }
        let Sums {
            total,
            before,
            all,
            counts,
            ..
        } = sums;
        let mut counts: Vec<(String, u64)> = counts.into_iter().filter(|(_, n)| *n > 0).collect();
        let by_time = query.group_by.is_none();
        if !by_time {
            counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        }
        let buckets = match query.group_by {
            Some(group) if group.is_object() => {
                // Name what the scope sees of the largest, with some to spare
                // for the hidden and, for a relationship's ends, other kinds.
                let kinds = &query.filter.kinds;
                let by_end_kind =
                    query.perspective == Perspective::Relationships && !kinds.is_empty();
                counts.truncate(top as usize * if by_end_kind { 5 } else { 1 } + 50);
                let ids: Vec<String> = counts.iter().map(|(k, _)| k.clone()).collect();
                let named: Vec<Named> = self
                    .read(
                        scope,
                        format!(
                            "SELECT stix_id, name, kind, facets.country AS country FROM $records WHERE {}",
                            Scope::FILTER
                        ),
                    )
                    .bind(("records", object_records(&ids)))
                    .await?
                    .check()?
                    .take(0)?;
                let named: BTreeMap<String, Named> =
                    named.into_iter().map(|n| (n.stix_id.clone(), n)).collect();
                counts
                    .into_iter()
                    .filter_map(|(key, count)| {
                        let Some(n) = named.get(&key) else {
                            // A marking on a cell the scope sees is one it holds,
                            // though its definition may not be stored.
                            return (group == GroupBy::Marking).then(|| Bucket {
                                label: cairn_stix::markings::Tlp::by_id(&key)
                                    .map_or_else(|| key.clone(), |t| t.name.to_owned()),
                                kind: None,
                                country: None,
                                key,
                                count,
                            });
                        };
                        if by_end_kind && !n.kind.as_ref().is_some_and(|k| kinds.contains(k)) {
                            return None;
                        }
                        Some(Bucket {
                            label: n.name.clone().unwrap_or_else(|| key.clone()),
                            kind: n.kind.clone(),
                            country: n.country.clone(),
                            key,
                            count,
                        })
                    })
                    .take(top as usize)
                    .collect()
            }
            _ => counts
                .into_iter()
                .take(if by_time { usize::MAX } else { top as usize })
                .map(|(key, count)| Bucket {
                    label: key.clone(),
                    kind: None,
                    country: None,
                    key,
                    count,
                })
                .collect(),
        };
        Ok(Aggregate {
            total,
            all,
            previous: previous.map(|_| before),
            buckets,
        })
    }

    /// The ends of one STIX type with the most relationships (`side`:
    /// [`GroupBy::Target`] or [`GroupBy::Source`]), counted from the
    /// relationships themselves, for every marking and all time: what the
    /// tally by end answers, read the slow way, to check it and as the
    /// dashboard benchmark's baseline. Largest first, at most `top`.
    pub async fn ends_from_rows(
        &self,
        side: GroupBy,
        end_type: &str,
        top: usize,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let end = if side == GroupBy::Target { "out" } else { "in" };
        let rows: Vec<KeyCount> = self
            .db()
            .query(format!(
                "SELECT record::id({end}) AS key, count() AS count FROM rel
                  WHERE string::starts_with(record::id({end}), $prefix) GROUP BY key"
            ))
            .bind(("prefix", format!("{end_type}--")))
            .await?
            .check()?
            .take(0)?;
        let mut ends: Vec<(String, u64)> = rows
            .into_iter()
            .filter_map(|r| Some((key_text(r.key?)?, r.count.unwrap_or(0).max(0) as u64)))
            .collect();
        ends.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ends.truncate(top);
        Ok(ends)
    }

    /// The newest objects matching the series' filter (entities' filters:
    /// kinds, types, labels, markings, authors), by STIX `created`, at most
    /// `limit`; with the date field `created`, inside the period.
    ///
    /// The tally says first how many match: none is answered at once, a few
    /// (up to [`FEW`]) are read by their kind and sorted here, and many are
    /// found by walking the `created` index from the newest, which reaches
    /// `limit` of a common kind quickly but would walk the whole index for a
    /// rare one.
    pub async fn latest(
        &self,
        scope: &Scope,
        query: &WidgetQuery,
        period: &Period,
        limit: u64,
    ) -> Result<Vec<ObjectSummary>, StoreError> {
        const FEW: u64 = 2_000;
        let filter = &query.filter;
        let created = query.date_field == DateField::Created;
        let counted = WidgetQuery {
            perspective: Perspective::Entities,
            filter: filter.clone(),
            group_by: None,
            interval: None,
            top: 1,
            date_field: query.date_field,
            name: String::new(),
        };
        let bounds = if created {
            period.clone()
        } else {
            Period {
                from: None,
                to: period.to.clone(),
            }
        };
        let matching = self.aggregate(scope, &counted, &bounds).await?;
        if matching.total == 0 {
            return Ok(Vec::new());
        }
        let mut list = cairn_model::knowledge::ListFilter {
            types: filter.types.clone(),
            kinds: filter.kinds.clone(),
            labels: filter.labels.clone(),
            markings: filter.markings.clone(),
            created_by: filter.authors.first().cloned(),
            sort: cairn_model::knowledge::Sort::CreatedDesc,
            ..Default::default()
        };
        if created {
            list.created_from = period.from.clone();
            list.created_to = period
                .to
                .as_deref()
                .and_then(|to| cairn_model::dates::add_days(to, 1));
        }
        let limit = limit.clamp(1, MAX_TOP as u64);
        if matching.total <= FEW && !filter.kinds.is_empty() {
            let mut rows = self.matching(scope, &list).await?;
            rows.sort_by(|a, b| {
                b.created
                    .cmp(&a.created)
                    .then_with(|| a.stix_id.cmp(&b.stix_id))
            });
            rows.truncate(limit as usize);
            return Ok(rows);
        }
        self.newest(scope, &list, limit).await
    }

    /// The ATT&CK matrix: every technique (sub-techniques folded into their
    /// parent) by tactic, with how often each is used by `uses` relationships
    /// the scope sees; for one object (`of`), only what it uses, or for a
    /// container what it holds and what the objects it holds use.
    pub async fn matrix(&self, scope: &Scope, of: Option<&str>) -> Result<Matrix, StoreError> {
        #[derive(Debug, SurrealValue)]
        struct Technique {
            stix_id: String,
            name: Option<String>,
            x_mitre_id: Option<String>,
            phases: Option<Vec<RecordId>>,
        }
        let techniques: Vec<Technique> = self
            .read(
                scope,
                format!(
                    "SELECT stix_id, name, x_mitre_id, phases FROM tally_technique
                      WHERE n > 0 AND revoked = false AND {}",
                    Scope::FILTER
                ),
            )
            .await?
            .check()?
            .take(0)?;
        // How often each technique is used, by STIX id.
        let mut used: BTreeMap<String, u64> = BTreeMap::new();
        match of {
            None => {
                let cells: Vec<Cell> = self
                    .read(
                        scope,
                        format!(
                            "SELECT counts FROM tally_end:['target', 'attack-pattern', 'uses', NONE]..=['target', 'attack-pattern', 'uses', ..]
                              WHERE {}",
                            Scope::FILTER
                        ),
                    )
                    .await?
                    .check()?
                    .take(0)?;
                for (end, count) in cells
                    .into_iter()
                    .flat_map(|c| c.counts.into_iter().flatten())
                {
                    *used.entry(end).or_default() += count.max(0) as u64;
                }
            }
            Some(id) => {
                let ids: Vec<String> = self
                    .read(
                        scope,
                        format!(
                            "LET $holder = type::record('object', $id);
                             LET $held = ($holder.contains ?? []).filter(|$o| string::starts_with(record::id($o), 'attack-pattern--'));
                             LET $users = array::concat([$holder], $holder.contains ?? []);
                             LET $uses = (SELECT VALUE out FROM array::flatten($users->(rel WHERE relationship_type = 'uses'))
                                 WHERE string::starts_with(record::id(out), 'attack-pattern--') AND {});
                             RETURN array::concat($held, $uses).map(|$r| record::id($r));",
                            Scope::FILTER
                        ),
                    )
                    .bind(("id", id.to_owned()))
                    .await?
                    .check()?
                    .take(4)?;
                for id in ids {
                    *used.entry(id).or_default() += 1;
                }
            }
        }
        Ok(fold_matrix(
            techniques
                .into_iter()
                .map(|t| TechniqueUse {
                    count: used.get(&t.stix_id).copied().unwrap_or(0),
                    stix_id: t.stix_id,
                    name: t.name,
                    attack_id: t.x_mitre_id,
                    phases: t.phases.iter().flatten().map(record_key).collect(),
                })
                .collect(),
        ))
    }
}

/// A technique as the matrix is built from it.
#[derive(Debug, Clone)]
pub struct TechniqueUse {
    pub stix_id: String,
    pub name: Option<String>,
    /// `T1234` or `T1234.001`.
    pub attack_id: Option<String>,
    /// `kill_chain_name:phase_name`.
    pub phases: Vec<String>,
    pub count: u64,
}

/// Builds the matrix from the techniques and how often each is used:
/// sub-techniques (`T1234.001`) fold into their parent (`T1234`), whose count
/// is its own plus theirs; techniques without a `mitre-attack` phase are left
/// out (any ATT&CK domain's chain: enterprise, ICS, mobile); columns in
/// the matrix's tactic order, cells by name.
pub fn fold_matrix(techniques: Vec<TechniqueUse>) -> Matrix {
    let parents: BTreeMap<String, usize> = techniques
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            t.attack_id
                .clone()
                .filter(|id| !id.contains('.'))
                .map(|id| (id, i))
        })
        .collect();
    let mut extra: BTreeMap<usize, (u64, u32, u32)> = BTreeMap::new();
    let mut folded = vec![false; techniques.len()];
    for (i, t) in techniques.iter().enumerate() {
        let Some(parent) = t
            .attack_id
            .as_deref()
            .and_then(|id| id.split_once('.'))
            .map(|(p, _)| p)
        else {
            continue;
        };
        if let Some(&p) = parents.get(parent) {
            folded[i] = true;
            let entry = extra.entry(p).or_default();
            entry.0 += t.count;
            entry.1 += 1;
            entry.2 += u32::from(t.count > 0);
        }
    }
    let mut columns: BTreeMap<(usize, String), Vec<MatrixCell>> = BTreeMap::new();
    for (i, t) in techniques.into_iter().enumerate() {
        let TechniqueUse {
            stix_id,
            name,
            attack_id,
            phases,
            count,
        } = t;
        if folded[i] {
            continue;
        }
        let (more, subs, subs_used) = extra.get(&i).copied().unwrap_or_default();
        let cell = MatrixCell {
            name: name.unwrap_or_else(|| stix_id.clone()),
            stix_id,
            attack_id,
            count: count + more,
            subtechniques: subs,
            subtechniques_used: subs_used,
        };
        for phase in &phases {
            // `mitre-attack:`, `mitre-ics-attack:`, `mitre-mobile-attack:`.
            let Some((chain, tactic)) = phase.split_once(':') else {
                continue;
            };
            if !(chain.starts_with("mitre-") && chain.ends_with("attack")) {
                continue;
            }
            columns
                .entry((cairn_stix::attack::tactic_rank(tactic), tactic.to_owned()))
                .or_default()
                .push(cell.clone());
        }
    }
    let mut max = 0;
    let mut used = std::collections::BTreeSet::new();
    let columns = columns
        .into_iter()
        .map(|((_, tactic), mut cells)| {
            cells.sort_by_key(|c| c.name.to_lowercase());
            for c in &cells {
                max = max.max(c.count);
                if c.count > 0 {
                    used.insert(c.stix_id.clone());
                }
            }
            MatrixColumn { tactic, cells }
        })
        .collect();
    Matrix {
        columns,
        max,
        used: used.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_techniques_fold_into_their_parent_under_each_tactic() {
        let t = |id: &str, name: &str, attack: &str, phases: &[&str], n: u64| TechniqueUse {
            stix_id: id.to_owned(),
            name: Some(name.to_owned()),
            attack_id: Some(attack.to_owned()),
            phases: phases.iter().map(|p| format!("mitre-attack:{p}")).collect(),
            count: n,
        };
        let matrix = fold_matrix(vec![
            t("a", "Phishing", "T1566", &["initial-access"], 2),
            t(
                "b",
                "Spearphishing Attachment",
                "T1566.001",
                &["initial-access"],
                3,
            ),
            t(
                "c",
                "Spearphishing Link",
                "T1566.002",
                &["initial-access"],
                0,
            ),
            t(
                "d",
                "Valid Accounts",
                "T1078",
                &["initial-access", "persistence"],
                1,
            ),
        ]);
        let tactics: Vec<&str> = matrix.columns.iter().map(|c| c.tactic.as_str()).collect();
        assert_eq!(tactics, ["initial-access", "persistence"]);
        let phishing = &matrix.columns[0].cells[0];
        assert_eq!(
            (
                phishing.name.as_str(),
                phishing.count,
                phishing.subtechniques,
                phishing.subtechniques_used
            ),
            ("Phishing", 5, 2, 1)
        );
        assert_eq!(matrix.columns[0].cells.len(), 2);
        assert_eq!((matrix.max, matrix.used), (5, 2));
    }

    #[test]
    fn a_series_is_refused_a_filter_or_grouping_its_perspective_lacks() {
        let mut query = WidgetQuery {
            perspective: Perspective::Relationships,
            ..Default::default()
        };
        query.filter.kinds = vec!["Malware".into()];
        assert!(plan(&query).is_err());
        query.filter.kinds.clear();
        query.group_by = Some(GroupBy::Label);
        assert!(plan(&query).is_err());
        query.group_by = Some(GroupBy::Target);
        query.date_field = DateField::Created;
        assert!(plan(&query).is_err());
        query.date_field = DateField::Ingested;
        assert_eq!(plan(&query).map(|p| p.table).ok(), Some("tally_end"));
    }
}
