//! Dashboard reads: a widget's series answered by one aggregation over the
//! tallies (schema migration 16), the latest objects for lists and
//! timelines, and ATT&CK matrices.
//!
//! A tally is a table SurrealDB keeps up to date in the transaction that
//! writes the rows it counts: one row per combination of the attributes
//! widgets filter and group by (kind, type, markings, author, labels, the day
//! the row came into Cairn, the month of its STIX `created`), with how many
//! rows share it. A widget sums cells instead of reading objects, so its cost
//! follows the number of distinct combinations, not the size of the base.
//! Cells carry their rows' markings (and organizations), so the caller's scope
//! applies to them exactly as to the rows.

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

/// Where a series is counted and how its attributes are read there.
struct Plan {
    table: &'static str,
    /// The date column: `day` (`YYYY-MM-DD`) or `month` (`YYYY-MM`).
    date: &'static str,
    /// The bucket key's expression and whether it is an array to split.
    key: Option<(String, bool)>,
    conditions: Vec<&'static str>,
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
                Some(GroupBy::Target) => "tally_target",
                Some(GroupBy::Source) => "tally_source",
                _ => "tally_rel",
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
        DateField::Created if matches!(table, "tally_object" | "tally_rel") => "month",
        DateField::Created => {
            return Err(invalid(
                "date_field",
                "this grouping is counted by the day things came into Cairn, not by their STIX created date",
            ));
        }
    };
    let key = match (query.group_by, query.interval) {
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
            Some(match group {
                GroupBy::Kind => ("kind".to_owned(), false),
                GroupBy::Type => ("type".to_owned(), false),
                GroupBy::Marking => ("markings".to_owned(), true),
                GroupBy::Author => ("author".to_owned(), false),
                GroupBy::Label => ("labels".to_owned(), true),
                GroupBy::RelationshipType => ("relationship_type".to_owned(), false),
                GroupBy::SourceType => ("source_type".to_owned(), false),
                GroupBy::TargetType => ("target_type".to_owned(), false),
                GroupBy::Target => ("target".to_owned(), false),
                GroupBy::Source => ("source".to_owned(), false),
                GroupBy::Action => ("action".to_owned(), false),
                GroupBy::User => ("user".to_owned(), false),
            })
        }
        (None, Some(interval)) => {
            let width = interval.prefix().min(if date == "month" { 7 } else { 10 });
            Some((format!("string::slice({date}, 0, {width})"), false))
        }
        (None, None) => None,
    };
    Ok(Plan {
        table,
        date,
        key,
        conditions,
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
        let mut period_conditions = Vec::new();
        if from.is_some() {
            period_conditions.push(format!("{date} >= $from"));
        }
        if to.is_some() {
            period_conditions.push(format!("{date} <= $to"));
        }
        let previous = match (&period.from, &period.to) {
            (Some(start), Some(end)) => {
                let length = cairn_model::dates::days_between(start, end).unwrap_or(0) + 1;
                shift(start, length)
                    .zip(shift(start, 1))
                    .map(|(a, b)| (cut(&a), cut(&b)))
            }
            _ => None,
        };
        let base: Vec<String> = std::iter::once("n > 0".to_owned())
            .chain(std::iter::once(Scope::FILTER.to_owned()))
            .chain(plan.conditions.iter().map(|c| (*c).to_owned()))
            .collect();
        let current = base
            .iter()
            .cloned()
            .chain(period_conditions)
            .collect::<Vec<_>>()
            .join(" AND ");
        let table = plan.table;
        let grouped = match &plan.key {
            Some((key, true)) => format!(
                "SELECT {key} AS key, math::sum(n) AS count FROM (SELECT {key}, n FROM {table} WHERE {current} SPLIT {key}) GROUP BY key;"
            ),
            Some((key, false)) => format!(
                "SELECT {key} AS key, math::sum(n) AS count FROM {table} WHERE {current} GROUP BY key;"
            ),
            None => "RETURN [];".to_owned(),
        };
        let total = format!(
            "SELECT NONE AS key, math::sum(n) AS count FROM {table} WHERE {current} GROUP ALL;"
        );
        let before = if previous.is_some() {
            let condition = base
                .iter()
                .cloned()
                .chain([
                    format!("{date} >= $previous_from"),
                    format!("{date} <= $previous_to"),
                ])
                .collect::<Vec<_>>()
                .join(" AND ");
            format!(
                "SELECT NONE AS key, math::sum(n) AS count FROM {table} WHERE {condition} GROUP ALL;"
            )
        } else {
            "RETURN [];".to_owned()
        };
        let until = base
            .iter()
            .cloned()
            .chain(to.is_some().then(|| format!("{date} <= $to")))
            .collect::<Vec<_>>()
            .join(" AND ");
        let all = format!(
            "SELECT NONE AS key, math::sum(n) AS count FROM {table} WHERE {until} GROUP ALL;"
        );
        let f = &query.filter;
        let (previous_from, previous_to) = previous.clone().unzip();
        let mut response = self
            .read(scope, format!("{grouped} {total} {before} {all}"))
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
            .bind(("from", from))
            .bind(("to", to))
            .bind(("previous_from", previous_from))
            .bind(("previous_to", previous_to))
            .await?
            .check()?;
        let grouped: Vec<KeyCount> = response.take(0)?;
        let total: Vec<KeyCount> = response.take(1)?;
        let before: Vec<KeyCount> = response.take(2)?;
        let all: Vec<KeyCount> = response.take(3)?;
        let sum =
            |rows: &[KeyCount]| rows.iter().filter_map(|r| r.count).sum::<i64>().max(0) as u64;
        let mut counts: Vec<(String, u64)> = grouped
            .into_iter()
            .filter_map(|r| Some((key_text(r.key?)?, r.count.unwrap_or(0).max(0) as u64)))
            .filter(|(_, n)| *n > 0)
            .collect();
        let by_time = query.group_by.is_none();
        if by_time {
            counts.sort();
        } else {
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
            total: sum(&total),
            all: sum(&all),
            previous: previous.map(|_| sum(&before)),
            buckets,
        })
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
            phases: Vec<String>,
        }
        let techniques: Vec<Technique> = self
            .read(
                scope,
                format!(
                    "SELECT stix_id, name, x_mitre_id, (kill_chain_phases ?? []).map(|$p| record::id($p)) AS phases
                       FROM object WHERE type = 'attack-pattern' AND revoked = false AND {}",
                    Scope::FILTER
                ),
            )
            .await?
            .check()?
            .take(0)?;
        let used: Vec<KeyCount> = match of {
            None => self
                .read(
                    scope,
                    format!(
                        "SELECT target AS key, math::sum(n) AS count FROM tally_target
                          WHERE n > 0 AND relationship_type = 'uses' AND target_type = 'attack-pattern' AND {}
                          GROUP BY key",
                        Scope::FILTER
                    ),
                )
                .await?
                .check()?
                .take(0)?,
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
                let mut counts: BTreeMap<String, i64> = BTreeMap::new();
                for id in ids {
                    *counts.entry(id).or_default() += 1;
                }
                counts
                    .into_iter()
                    .map(|(key, count)| KeyCount {
                        key: Some(surrealdb::types::Value::String(key)),
                        count: Some(count),
                    })
                    .collect()
            }
        };
        let used: BTreeMap<String, u64> = used
            .into_iter()
            .filter_map(|r| Some((key_text(r.key?)?, r.count.unwrap_or(0).max(0) as u64)))
            .collect();
        Ok(fold_matrix(
            techniques
                .into_iter()
                .map(|t| TechniqueUse {
                    count: used.get(&t.stix_id).copied().unwrap_or(0),
                    stix_id: t.stix_id,
                    name: t.name,
                    attack_id: t.x_mitre_id,
                    phases: t.phases,
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
        assert_eq!(plan(&query).map(|p| p.table).ok(), Some("tally_target"));
    }
}
