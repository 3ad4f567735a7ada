//! The read side every server function, export and feed reuses. Each read takes
//! a [`Scope`] and filters by it inside the query.

use cairn_model::graph::{GraphDirection, GraphFilter};
use cairn_model::knowledge::*;
use serde::{Deserialize, Serialize};
use surrealdb::types::{SurrealValue, Value};

use crate::connect::Store;
use crate::error::StoreError;
use crate::rows::{label_record, object_record, object_records};
use crate::scope::Scope;

/// How a sort order reads in SurrealQL.
trait SortSql {
    fn key(&self) -> Result<String, StoreError>;
    fn descending(&self) -> bool;
    fn after(&self) -> Result<String, StoreError>;
    fn clause(&self) -> &'static str;
}

impl SortSql for Sort {
    /// The value sorted on: names case-blind, an observable's value standing
    /// in; an extra column by its stored value (the key is the registry's, never
    /// the caller's text).
    fn key(&self) -> Result<String, StoreError> {
        Ok(match self {
            Sort::NameAsc | Sort::NameDesc => "string::lowercase(name ?? value ?? '')".to_owned(),
            Sort::CreatedAsc | Sort::CreatedDesc => "created".to_owned(),
            Sort::ModifiedAsc | Sort::ModifiedDesc => "modified".to_owned(),
            Sort::ColumnAsc(key) | Sort::ColumnDesc(key) => {
                let column =
                    cairn_stix::columns::by_key(key).ok_or_else(|| StoreError::Invalid {
                        field: "sort",
                        reason: format!("no list has a column {key:?}"),
                    })?;
                format!("(facets.{} ?? '')", column.key)
            }
        })
    }

    fn descending(&self) -> bool {
        matches!(
            self,
            Sort::NameDesc | Sort::CreatedDesc | Sort::ModifiedDesc | Sort::ColumnDesc(_)
        )
    }

    /// The rows after the cursor `$after_key`/`$after_id` in this order.
    fn after(&self) -> Result<String, StoreError> {
        let key = self.key()?;
        let cmp = if self.descending() { "<" } else { ">" };
        Ok(format!(
            "({key} {cmp} $after_key OR ({key} = $after_key AND stix_id > $after_id))"
        ))
    }

    /// The order, by the selected `sort_key` and then the STIX id.
    fn clause(&self) -> &'static str {
        if self.descending() {
            "sort_key DESC, stix_id ASC"
        } else {
            "sort_key ASC, stix_id ASC"
        }
    }
}

/// Where a page starts: after the row with this sort key and STIX id. Opaque to
/// callers (a short JSON text), so it can travel in URLs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Cursor {
    key: Option<String>,
    id: String,
}

impl Cursor {
    fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn decode(text: &str) -> Result<Cursor, StoreError> {
        serde_json::from_str(text).map_err(|_| StoreError::Invalid {
            field: "cursor",
            reason: "is not a cursor this list gave out".into(),
        })
    }
}

/// The fields of an [`ObjectSummary`], for SELECTs. The author's name shows
/// only when the scope sees the author.
fn summary_fields() -> String {
    format!(
        "stix_id, type, kind, name, value, created, modified, revoked, confidence,
         IF created_by != NONE AND {0} THEN created_by.name END AS author,
         IF created_by != NONE AND {0} THEN record::id(created_by) END AS author_id,
         (labels ?? []).map(|$l| record::id($l)) AS labels,
         (markings ?? []).map(|$m| record::id($m)) AS markings,
         facets ?? {{}} AS facets",
        Scope::visible(&["created_by."])
    )
}

/// The condition of a list read; [`bind_list_filter`] binds what it reads.
fn list_condition() -> String {
    format!(
        "{} AND ($text = NONE OR string::contains(string::lowercase(name ?? ''), $text)) \
         AND ($min_confidence = NONE OR confidence >= $min_confidence) \
         AND ($created_from = NONE OR <datetime> created >= <datetime> $created_from) \
         AND ($created_to = NONE OR <datetime> created < <datetime> $created_to) \
         AND ($modified_from = NONE OR <datetime> modified >= <datetime> $modified_from) \
         AND ($modified_to = NONE OR <datetime> modified < <datetime> $modified_to)",
        tallied_condition("created_by")
    )
}

/// The part of [`list_condition`] that `tally_object`'s rows can answer too
/// (they keep type, kind, revocation, labels, markings, grants and author,
/// the latter as `author`).
fn tallied_condition(author: &str) -> String {
    format!(
        "{} AND (array::len($types) = 0 OR type IN $types) AND (array::len($kinds) = 0 OR kind IN $kinds) AND ($revoked OR revoked = false) \
         AND (array::len($labels) = 0 OR labels CONTAINSANY $labels) \
         AND (array::len($markings) = 0 OR markings CONTAINSANY $markings) \
         AND ($created_by = NONE OR {author} = $created_by)",
        Scope::FILTER
    )
}

/// How a list's total is counted: from the objects' tally when the filter
/// uses only what its rows keep (a few thousand rows at 1M objects, where
/// counting the 150,000 indicators themselves takes seconds), else from the
/// matching objects.
fn total_statement(filter: &ListFilter) -> String {
    // Every field is named, so a new filter must say which side it is on.
    let ListFilter {
        types: _,
        kinds: _,
        labels: _,
        markings: _,
        created_by: _,
        revoked: _,
        sort: _,
        name_contains,
        min_confidence,
        created_from,
        created_to,
        modified_from,
        modified_to,
    } = filter;
    let tallied = name_contains.is_none()
        && min_confidence.is_none()
        && created_from.is_none()
        && created_to.is_none()
        && modified_from.is_none()
        && modified_to.is_none();
    if tallied {
        format!(
            "RETURN math::sum(SELECT VALUE n FROM tally_object WHERE {});",
            tallied_condition("author")
        )
    } else {
        format!(
            "RETURN count(SELECT VALUE id FROM object WHERE {});",
            list_condition()
        )
    }
}

/// Binds the values [`list_condition`] reads from `filter`.
fn bind_list_filter<'a>(
    query: surrealdb::method::Query<'a, surrealdb::engine::any::Any>,
    filter: &ListFilter,
) -> surrealdb::method::Query<'a, surrealdb::engine::any::Any> {
    query
        .bind(("types", filter.types.clone()))
        .bind(("kinds", filter.kinds.clone()))
        .bind(("revoked", filter.revoked))
        .bind((
            "text",
            filter.name_contains.as_ref().map(|t| t.to_lowercase()),
        ))
        .bind((
            "labels",
            filter
                .labels
                .iter()
                .map(|l| label_record(l))
                .collect::<Vec<_>>(),
        ))
        .bind((
            "markings",
            filter
                .markings
                .iter()
                .map(|m| object_record(m))
                .collect::<Vec<_>>(),
        ))
        .bind((
            "created_by",
            filter.created_by.as_deref().map(object_record),
        ))
        .bind(("min_confidence", filter.min_confidence))
        .bind(("created_from", filter.created_from.clone()))
        .bind(("created_to", filter.created_to.clone()))
        .bind(("modified_from", filter.modified_from.clone()))
        .bind(("modified_to", filter.modified_to.clone()))
}

#[derive(Debug, SurrealValue)]
struct LabelCount {
    label: Option<String>,
    count: i64,
}

/// A summary with the value it is sorted by, for cursors.
#[derive(Debug, SurrealValue)]
struct Keyed {
    #[surreal(flatten)]
    summary: ObjectSummary,
    sort_key: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct Raw {
    raw: String,
}

/// The fewest links of each frontier object a neighbourhood level reads.
pub const MIN_LINKS_PER_NODE: usize = 8;

/// The links of one object its page reads in each direction: all of them.
const NEIGHBOURS_READ: usize = 1_000_000;

/// Which way a relationship is followed from an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Direction {
    Out,
    In,
}

impl Direction {
    fn as_str(self) -> &'static str {
        match self {
            Direction::Out => "out",
            Direction::In => "in",
        }
    }
}

/// An object as graphs draw it (a node, or the far end of a link).
#[derive(SurrealValue)]
pub(crate) struct NodeRow {
    pub stix_id: String,
    #[surreal(rename = "type")]
    pub stix_type: String,
    pub kind: Option<String>,
    pub name: Option<String>,
    /// The marking definitions' records (their keys are the STIX ids: taken
    /// here rather than by a closure in the query, which costs per row).
    pub markings: Vec<surrealdb::types::RecordId>,
    pub created: Option<String>,
}

impl NodeRow {
    /// The STIX ids of its marking definitions.
    pub fn marking_ids(&self) -> Vec<String> {
        self.markings.iter().map(crate::rows::record_key).collect()
    }
}

/// The fields of a [`NodeRow`], for SELECTs.
pub(crate) const NODE_FIELDS: &str =
    "stix_id, type, kind, name ?? value AS name, markings ?? [] AS markings, created";

/// A neighbour as a graph read reaches it: the link, and the dates and
/// markings graphs filter and draw by.
pub(crate) struct Reached {
    pub neighbour: Neighbour,
    /// When the relationship was created.
    pub created: Option<String>,
    pub other_markings: Vec<String>,
    pub other_created: Option<String>,
}

/// The extra conditions of a graph read, as SurrealQL: those on the
/// relationships followed and those on the objects reached, whose fields are
/// read at `end` (`""` on the object itself, `"out."` through a
/// relationship). Only the filter's non-empty parts appear, so an unfiltered
/// read is the plain index walk. Values are bound by [`bind_graph_filter`],
/// never formatted in.
pub(crate) fn graph_conditions(filter: &GraphFilter, end: &str) -> (Vec<String>, Vec<String>) {
    let mut on_link = Vec::new();
    if !filter.relationship_types.is_empty() {
        on_link.push("relationship_type IN $rel_types".to_owned());
    }
    if filter.created_from.is_some() {
        on_link.push("<datetime> created >= <datetime> $created_from".to_owned());
    }
    if filter.created_to.is_some() {
        on_link.push("<datetime> created < <datetime> $created_to".to_owned());
    }
    let mut on_end = Vec::new();
    if !filter.kinds.is_empty() {
        on_end.push(format!("{end}kind IN $kinds"));
    }
    if !filter.markings.is_empty() {
        on_end.push(format!("{end}markings CONTAINSANY $marking_records"));
    }
    (on_link, on_end)
}

/// ` WHERE a AND b`, or nothing for no conditions.
pub(crate) fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
}

/// Binds the values [`graph_conditions`] names.
pub(crate) fn bind_graph_filter<'a>(
    query: surrealdb::method::Query<'a, surrealdb::engine::any::Any>,
    filter: &GraphFilter,
) -> surrealdb::method::Query<'a, surrealdb::engine::any::Any> {
    query
        .bind(("rel_types", filter.relationship_types.clone()))
        .bind(("created_from", filter.created_from.clone()))
        .bind(("created_to", filter.created_to.clone()))
        .bind(("kinds", filter.kinds.clone()))
        .bind((
            "marking_records",
            filter
                .markings
                .iter()
                .map(|m| object_record(m))
                .collect::<Vec<_>>(),
        ))
}

/// The most matches of one full-text field a search ranks (see [`Store::search`]).
pub const SEARCH_CANDIDATES: u64 = 100;

/// How many matches of one full-text field a search for `limit` hits ranks:
/// three per hit (the top bar's 12 hits rank 36 per field, the results page
/// 100), at least 30 and at most [`SEARCH_CANDIDATES`]. Each candidate is a
/// record read, scored and highlighted, so this is most of a search's cost.
pub fn search_candidates(limit: u64) -> u64 {
    limit
        .saturating_mul(3)
        .clamp(30, SEARCH_CANDIDATES)
        .max(limit)
}

impl Store {
    /// Objects matching `filter` in its order, `limit` at a time after the
    /// cursor `after` (from the previous page's `next`), with the total.
    /// Keyset paging: a page deep in a million rows costs what the first does.
    pub async fn list_objects(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        after: Option<&str>,
        limit: u64,
    ) -> Result<Page<ObjectSummary>, StoreError> {
        let cursor = after.map(Cursor::decode).transpose()?;
        let condition = list_condition();
        let after_clause = if cursor.is_some() {
            format!(" AND {}", filter.sort.after()?)
        } else {
            String::new()
        };
        let key = filter.sort.key()?;
        let query = format!(
            "SELECT {}, {key} AS sort_key FROM object WHERE {condition}{after_clause} ORDER BY {} LIMIT $limit;
             {}",
            summary_fields(),
            filter.sort.clause(),
            total_statement(filter)
        );
        let (after_key, after_id) = cursor.map_or((None, String::new()), |c| (c.key, c.id));
        let mut response = bind_list_filter(self.read(scope, query), filter)
            .bind(("after_key", after_key))
            .bind(("after_id", after_id))
            .bind(("limit", limit as i64 + 1))
            .await?
            .check()?;
        let mut rows: Vec<Keyed> = response.take(0)?;
        let total: Option<i64> = response.take(1)?;
        let more = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let next = more.then(|| rows.last()).flatten().map(|last| {
            Cursor {
                key: last.sort_key.clone(),
                id: last.summary.stix_id.clone(),
            }
            .encode()
        });
        Ok(Page {
            items: rows.into_iter().map(|r| r.summary).collect(),
            total: total.unwrap_or(0) as u64,
            next,
        })
    }

    /// Every object matching `filter`, in no order (callers know there are
    /// few: the `kind` index finds them).
    pub async fn matching(
        &self,
        scope: &Scope,
        filter: &ListFilter,
    ) -> Result<Vec<ObjectSummary>, StoreError> {
        let query = format!(
            "SELECT {} FROM object WHERE kind IN $kinds AND {}",
            summary_fields(),
            list_condition()
        );
        Ok(bind_list_filter(self.read(scope, query), filter)
            .await?
            .check()?
            .take(0)?)
    }

    /// The first `limit` objects matching `filter`, newest created first,
    /// without a total (dashboards' lists and timelines).
    pub async fn newest(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        limit: u64,
    ) -> Result<Vec<ObjectSummary>, StoreError> {
        let query = format!(
            "SELECT {} FROM object WHERE {} ORDER BY created DESC LIMIT $limit",
            summary_fields(),
            list_condition()
        );
        Ok(bind_list_filter(self.read(scope, query), filter)
            .bind(("limit", limit as i64))
            .await?
            .check()?
            .take(0)?)
    }

    /// The complete STIX JSON of one object, if it exists and the scope sees it.
    pub async fn get_object(
        &self,
        scope: &Scope,
        stix_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<Raw> = self.one_record(scope, stix_id, "raw").await?;
        Ok(row.map(|r| r.raw))
    }

    /// Some fields of one object, if the scope sees it.
    async fn one_record<T: SurrealValue>(
        &self,
        scope: &Scope,
        stix_id: &str,
        fields: &str,
    ) -> Result<Option<T>, StoreError> {
        Ok(self
            .read(
                scope,
                format!("SELECT {fields} FROM ONLY $record WHERE {}", Scope::FILTER),
            )
            .bind(("record", object_record(stix_id)))
            .await?
            .check()?
            .take(0)?)
    }

    /// The object's relationships and the objects at their other ends, both
    /// visible to the scope, grouped by the caller as it likes.
    pub async fn neighbours(
        &self,
        scope: &Scope,
        stix_id: &str,
    ) -> Result<Vec<Neighbour>, StoreError> {
        let mut around = self
            .neighbours_of_many(
                scope,
                &[stix_id.to_owned()],
                NEIGHBOURS_READ,
                &GraphFilter::default(),
            )
            .await?;
        Ok(around
            .remove(stix_id)
            .unwrap_or_default()
            .into_iter()
            .map(|r| r.neighbour)
            .collect())
    }

    /// The neighbours of several objects at once, by object: each object's
    /// first `per` links in each direction `filter` follows (a graph-index
    /// read that stops there, so a hub with 12,000 links costs no more than
    /// `per`), keeping those `filter` keeps.
    ///
    /// The two directions are read concurrently, as two queries: each reads
    /// its links (only the relationship records: the ends are taken from
    /// their keys), then each distinct other end once, both through the
    /// scope; a link shows when both are visible.
    pub(crate) async fn neighbours_of_many(
        &self,
        scope: &Scope,
        stix_ids: &[String],
        per: usize,
        filter: &GraphFilter,
    ) -> Result<std::collections::HashMap<String, Vec<Reached>>, StoreError> {
        let records = object_records(stix_ids);
        let follow = |direction| {
            filter.direction == GraphDirection::Both
                || (filter.direction == GraphDirection::Out) == (direction == Direction::Out)
        };
        let (out, into) = tokio::try_join!(
            self.links_one_way(
                scope,
                &records,
                per,
                Direction::Out,
                filter,
                follow(Direction::Out)
            ),
            self.links_one_way(
                scope,
                &records,
                per,
                Direction::In,
                filter,
                follow(Direction::In)
            ),
        )?;
        // Each object's links alternate outgoing and incoming, so a cap cut
        // keeps some of both.
        let mut outgoing: std::collections::HashMap<String, Vec<Reached>> =
            std::collections::HashMap::new();
        for (from_id, reached) in out {
            outgoing.entry(from_id).or_default().push(reached);
        }
        let mut incoming: std::collections::HashMap<String, Vec<Reached>> =
            std::collections::HashMap::new();
        for (from_id, reached) in into {
            incoming.entry(from_id).or_default().push(reached);
        }
        let mut by_object = std::collections::HashMap::new();
        for id in stix_ids {
            let mut outs = outgoing.remove(id).unwrap_or_default().into_iter();
            let mut ins = incoming.remove(id).unwrap_or_default().into_iter();
            let mut both = Vec::new();
            loop {
                match (outs.next(), ins.next()) {
                    (None, None) => break,
                    (a, b) => both.extend(a.into_iter().chain(b)),
                }
            }
            if !both.is_empty() {
                by_object.insert(id.clone(), both);
            }
        }
        Ok(by_object)
    }

    /// One direction of [`Store::neighbours_of_many`]: (object, neighbour)
    /// pairs; nothing when the direction is not `followed`.
    async fn links_one_way(
        &self,
        scope: &Scope,
        records: &[surrealdb::types::RecordId],
        per: usize,
        direction: Direction,
        filter: &GraphFilter,
        followed: bool,
    ) -> Result<Vec<(String, Reached)>, StoreError> {
        #[derive(SurrealValue)]
        struct Link {
            from_id: String,
            relationship: String,
            relationship_type: String,
            created: Option<String>,
            other_id: String,
        }
        if !followed || records.is_empty() {
            return Ok(Vec::new());
        }
        // `in` is the relationship's source, `out` its target.
        let (near, far, arrow) = match direction {
            Direction::Out => ("in", "out", "->"),
            Direction::In => ("out", "in", "<-"),
        };
        let (on_link, on_end) = graph_conditions(filter, "");
        let link_condition = where_clause(&on_link);
        let end_condition: String = on_end.iter().map(|c| format!(" AND {c}")).collect();
        let query = format!(
            "LET $links = SELECT record::id({near}) AS from_id, stix_id AS relationship, relationship_type,
                                 created, record::id({far}) AS other_id, {far} AS other
                            FROM array::flatten($records{arrow}(rel{link_condition} LIMIT $per)) WHERE {0};
             SELECT from_id, relationship, relationship_type, created, other_id FROM $links;
             SELECT {NODE_FIELDS} FROM array::distinct($links.other) WHERE {0}{end_condition};",
            Scope::FILTER
        );
        let mut response = bind_graph_filter(self.read(scope, query), filter)
            .bind(("records", records.to_vec()))
            .bind(("per", per as i64))
            .await?
            .check()?;
        let links: Vec<Link> = response.take(1)?;
        let ends: Vec<NodeRow> = response.take(2)?;
        let ends: std::collections::HashMap<String, NodeRow> =
            ends.into_iter().map(|e| (e.stix_id.clone(), e)).collect();
        Ok(links
            .into_iter()
            .filter_map(|link| {
                let end = ends.get(&link.other_id)?;
                Some((
                    link.from_id,
                    Reached {
                        neighbour: Neighbour {
                            relationship: link.relationship,
                            relationship_type: link.relationship_type,
                            direction: direction.as_str().to_owned(),
                            other_id: link.other_id,
                            other_type: end.stix_type.clone(),
                            other_kind: end.kind.clone(),
                            other_name: end.name.clone(),
                        },
                        created: link.created,
                        other_markings: end.marking_ids(),
                        other_created: end.created.clone(),
                    },
                ))
            })
            .collect())
    }

    /// The attack patterns the object `uses`, with their kill-chain phases, both
    /// the relationship and the technique visible to the scope.
    pub async fn techniques_used(
        &self,
        scope: &Scope,
        stix_id: &str,
    ) -> Result<Vec<UsedTechnique>, StoreError> {
        let query = format!(
            "SELECT stix_id, name, x_mitre_id, revoked, phases FROM (
                SELECT markings, out AS other, out.stix_id AS stix_id, out.name AS name,
                       out.x_mitre_id AS x_mitre_id, out.revoked ?? false AS revoked,
                       (out.kill_chain_phases ?? []).map(|$p| record::id($p)) AS phases
                  FROM array::flatten($records->rel)
                 WHERE relationship_type = 'uses' AND out.type = 'attack-pattern'
             ) WHERE {} AND stix_id != NONE ORDER BY x_mitre_id ASC, name ASC",
            Scope::visible(&["", "other."])
        );
        Ok(self
            .read(scope, query)
            .bind(("records", vec![object_record(stix_id)]))
            .await?
            .check()?
            .take(0)?)
    }

    /// Full-text search over names, aliases, descriptions and observable values,
    /// best first.
    ///
    /// One bounded query per full-text field, merged here by each object's
    /// best weighted score. SurrealDB has no top-k over its BM25 index: it
    /// scores every match before `ORDER BY score LIMIT` applies, which for a
    /// word common to 30,000 names of a million objects takes a second, and a
    /// disjunction of fields multiplies that. So each field ranks its first
    /// [`search_candidates`] matches (in index order), and a word that common
    /// shows a fair sample of equally scored names rather than a proven best.
    pub async fn search(
        &self,
        scope: &Scope,
        text: &str,
        limit: u64,
    ) -> Result<Vec<SearchHit>, StoreError> {
        if text.trim().is_empty() {
            return Ok(Vec::new());
        }
        // (field, weight): a match in a name or alias outranks one in a value,
        // which outranks one in a description.
        const FIELDS: [(&str, f64); 4] = [
            ("name", 3.0),
            ("aliases", 3.0),
            ("value", 2.0),
            ("description", 1.0),
        ];
        // The fields are read concurrently: the search costs its slowest field.
        let field = |(field, weight): (&'static str, f64)| async move {
            let query = format!(
                "SELECT * FROM (SELECT stix_id, type, kind, name, value,
                        array::first(array::filter(array::flatten([search::highlight('<mark>', '</mark>', 0)]),
                            |$h| type::is_string($h) AND string::contains($h, '<mark>'))) AS highlight,
                        search::score(0) * {weight:.1} AS score
                   FROM object
                  WHERE {field} @0@ $text AND {}
                  LIMIT $candidates) ORDER BY score DESC LIMIT $limit",
                Scope::FILTER
            );
            let hits: Vec<SearchHit> = self
                .read(scope, query)
                .bind(("text", text.to_owned()))
                .bind(("limit", limit as i64))
                .bind(("candidates", search_candidates(limit) as i64))
                .await?
                .check()?
                .take(0)?;
            Ok::<_, StoreError>(hits)
        };
        let (names, aliases, values, descriptions) = tokio::try_join!(
            field(FIELDS[0]),
            field(FIELDS[1]),
            field(FIELDS[2]),
            field(FIELDS[3]),
        )?;
        let mut best: std::collections::HashMap<String, SearchHit> =
            std::collections::HashMap::new();
        for hit in [names, aliases, values, descriptions].into_iter().flatten() {
            match best.get_mut(&hit.stix_id) {
                Some(kept) if kept.score >= hit.score => {
                    if kept.highlight.is_none() {
                        kept.highlight = hit.highlight;
                    }
                }
                Some(kept) => {
                    let highlight = hit.highlight.clone().or(kept.highlight.take());
                    *kept = SearchHit { highlight, ..hit };
                }
                None => {
                    best.insert(hit.stix_id.clone(), hit);
                }
            }
        }
        let mut hits: Vec<SearchHit> = best.into_values().collect();
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.stix_id.cmp(&b.stix_id))
        });
        hits.truncate(limit as usize);
        Ok(hits)
    }

    /// One object's summary, if the scope sees it.
    pub async fn summary(
        &self,
        scope: &Scope,
        stix_id: &str,
    ) -> Result<Option<ObjectSummary>, StoreError> {
        self.one_record(scope, stix_id, &summary_fields()).await
    }

    /// The containers (reports, groupings, notes, opinions, observed data) that
    /// hold the object, newest first, at most `limit`, with how many there are
    /// in all (an ATT&CK technique can sit in thousands of reports).
    pub async fn containers_of(
        &self,
        scope: &Scope,
        stix_id: &str,
        limit: u64,
    ) -> Result<Page<ObjectSummary>, StoreError> {
        // Sorted after the lookup, not in it: given `ORDER BY modified`, the
        // planner may walk the whole `modified` index instead of `held`'s (seen
        // in the process that had just imported a million objects: 120 ms at
        // 200,000). The summaries (author, labels, markings) are read for the
        // page only.
        let query = format!(
            "LET $all = {};
             LET $page = array::slice((SELECT id, modified FROM $all ORDER BY modified DESC).id, 0, $limit);
             SELECT {} FROM $page ORDER BY modified DESC;
             RETURN array::len($all);",
            containers_lookup(),
            summary_fields()
        );
        let mut response = self
            .read(scope, query)
            .bind(("id", stix_id.to_owned()))
            .bind(("limit", limit as i64))
            .await?
            .check()?;
        let items: Vec<ObjectSummary> = response.take(2)?;
        let total: Option<i64> = response.take(3)?;
        Ok(Page {
            items,
            total: total.unwrap_or(0) as u64,
            next: None,
        })
    }

    /// What a container holds (its `object_refs` that are stored and visible),
    /// by name, at most `limit`, with how many it holds in all.
    pub async fn contents_of(
        &self,
        scope: &Scope,
        stix_id: &str,
        limit: u64,
    ) -> Result<Page<ObjectSummary>, StoreError> {
        let query = format!(
            "LET $held = (SELECT VALUE contains FROM ONLY $record) ?? [];
             SELECT {}, string::lowercase(name ?? value ?? '') AS sort_key FROM $held WHERE stix_id != NONE AND {} ORDER BY sort_key ASC LIMIT $limit;
             RETURN count(SELECT VALUE id FROM $held WHERE stix_id != NONE AND {});",
            summary_fields(),
            Scope::FILTER,
            Scope::FILTER
        );
        let mut response = self
            .read(scope, query)
            .bind(("record", object_record(stix_id)))
            .bind(("limit", limit as i64))
            .await?
            .check()?;
        let rows: Vec<Keyed> = response.take(1)?;
        let total: Option<i64> = response.take(2)?;
        Ok(Page {
            items: rows.into_iter().map(|r| r.summary).collect(),
            total: total.unwrap_or(0) as u64,
            next: None,
        })
    }

    /// Visible objects counted by label, most used first.
    pub async fn count_by_label(&self, scope: &Scope) -> Result<Vec<(String, u64)>, StoreError> {
        self.grouped_counts(scope, "SELECT label, count() AS count FROM (SELECT record::id(labels) AS label FROM (SELECT labels FROM object WHERE {f} AND array::len(labels ?? []) > 0 SPLIT labels)) GROUP BY label ORDER BY count DESC, label ASC").await
    }

    /// Visible objects counted by the month they were created (`YYYY-MM`), oldest first.
    pub async fn count_by_month(&self, scope: &Scope) -> Result<Vec<(String, u64)>, StoreError> {
        self.grouped_counts(scope, "SELECT label, count() AS count FROM (SELECT string::slice(created, 0, 7) AS label FROM object WHERE created != NONE AND {f}) GROUP BY label ORDER BY label ASC").await
    }

    /// The most targeted objects of the given types (by `targets` relationships), top `limit`.
    pub async fn top_targets(
        &self,
        scope: &Scope,
        target_types: &[&str],
        limit: u64,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let rows: Vec<LabelCount> = self
            .read(
                scope,
                format!(
                    "SELECT label, count() AS count FROM (
                    SELECT out.name AS label FROM rel
                     WHERE relationship_type = 'targets' AND out.type IN $types
                       AND {}
                 ) GROUP BY label ORDER BY count DESC LIMIT $limit",
                    Scope::visible(&["", "in.", "out."])
                ),
            )
            .bind((
                "types",
                target_types
                    .iter()
                    .map(|t| (*t).to_owned())
                    .collect::<Vec<_>>(),
            ))
            .bind(("limit", limit as i64))
            .await?
            .check()?
            .take(0)?;
        Ok(rows
            .into_iter()
            .map(|r| (r.label.unwrap_or_default(), r.count as u64))
            .collect())
    }

    async fn grouped_counts(
        &self,
        scope: &Scope,
        template: &str,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        let rows: Vec<LabelCount> = self
            .read(scope, template.replace("{f}", Scope::FILTER))
            .await?
            .check()?
            .take(0)?;
        Ok(rows
            .into_iter()
            .filter_map(|r| Some((r.label?, r.count as u64)))
            .collect())
    }

    /// How many visible objects there are of each STIX type.
    pub async fn count_by_type(&self, scope: &Scope) -> Result<Vec<(String, u64)>, StoreError> {
        self.grouped_counts(
            scope,
            "SELECT type AS label, count() AS count FROM object WHERE {f} GROUP BY label",
        )
        .await
    }

    /// How many objects of each registry kind the scope sees, revoked ones left
    /// out as lists leave them out by default (the navigation's counts). Read
    /// from the objects' tally, whose rows carry the markings and grants the
    /// scope checks: a few thousand rows at 1M objects instead of every object.
    pub async fn count_by_kind(&self, scope: &Scope) -> Result<Vec<(String, u64)>, StoreError> {
        self.grouped_counts(scope, "SELECT kind AS label, math::sum(n) AS count FROM tally_object WHERE kind != NONE AND revoked = false AND {f} GROUP BY label")
            .await
    }
}

impl Store {
    /// Every label in use, alphabetically (for pickers and filters).
    pub async fn labels(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .db()
            .query("SELECT VALUE value FROM label ORDER BY value ASC")
            .await?
            .check()?
            .take(0)?)
    }

    /// Every kill-chain phase known (`kill_chain_name:phase_name`).
    pub async fn kill_chain_phases(&self) -> Result<Vec<String>, StoreError> {
        Ok(self
            .db()
            .query("SELECT VALUE record::id(id) FROM kill_chain_phase ORDER BY id ASC")
            .await?
            .check()?
            .take(0)?)
    }

    /// The links of one object the scope sees, followed through the records.
    pub async fn links(&self, scope: &Scope, stix_id: &str) -> Result<Option<Links>, StoreError> {
        self.one_record(scope, stix_id, &link_fields()).await
    }

    /// [`Store::get_object`] and [`Store::links`] in one read of the record.
    pub async fn object_and_links(
        &self,
        scope: &Scope,
        stix_id: &str,
    ) -> Result<Option<(String, Links)>, StoreError> {
        #[derive(SurrealValue)]
        struct Row {
            raw: String,
            #[surreal(flatten)]
            links: Links,
        }
        let row: Option<Row> = self
            .one_record(scope, stix_id, &format!("raw, {}", link_fields()))
            .await?;
        Ok(row.map(|r| (r.raw, r.links)))
    }
}

/// The containers holding `$id` that the scope sees (ids and dates), by the
/// `held` index.
pub(crate) fn containers_lookup() -> String {
    format!(
        "SELECT id, modified FROM object WHERE held CONTAINSANY [$id] AND {}",
        Scope::FILTER
    )
}

/// The fields of [`Links`], for SELECTs on one object. The author shows only
/// when the scope sees the author.
fn link_fields() -> String {
    format!(
        "(IF created_by != NONE AND {0} THEN record::id(created_by) END) AS created_by,
         (IF created_by != NONE AND {0} THEN created_by.name END) AS created_by_name,
         (markings ?? []).map(|$m| record::id($m)) AS markings,
         (labels ?? []).map(|$l| $l.value) AS labels,
         (kill_chain_phases ?? []).map(|$p| record::id($p)) AS kill_chain_phases,
         (external_references ?? []).map(|$r| $r.{{ source_name, external_id, url, description }}) AS external_references",
        Scope::visible(&["created_by."])
    )
}
