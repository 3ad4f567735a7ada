//! Importing STIX bundles into the store: validate, order by dependency, and
//! upsert in batches inside transactions, writing a history entry per change.
//!
//! Rules (after OpenCTI): an object whose id is already stored becomes a new
//! version only when its `modified` is newer, otherwise it is unchanged; objects
//! without `modified` (observables, markings) are updated when their content
//! differs. Invalid objects are rejected with their errors while the valid ones
//! go in (`strict` rejects the whole bundle instead). A relationship whose source
//! or target is neither stored nor in the bundle is rejected and reported.

use cairn_model::imports::{HistoryEntry, ImportSummary, RejectedObject};
use std::collections::{HashMap, HashSet};

use cairn_stix::bundle::for_each_object;
use cairn_stix::timestamp::Timestamp;
use cairn_stix::validate::{Severity, validate_into};
use cairn_stix::{Json, Object};
use surrealdb::types::{RecordId, SurrealValue};

use crate::connect::Store;
use crate::error::StoreError;
use crate::rows::{EdgeRow, LinkedRows, ObjectRow, edge_row, name_keys, object_record, object_row};

/// Rows written per transaction.
pub const BATCH: usize = 1000;

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Reject the whole bundle when any object is invalid.
    pub strict: bool,
    /// The work this import belongs to, recorded in the history.
    pub work: Option<String>,
    /// Who asked for it, recorded in the history.
    pub user: Option<String>,
}

#[derive(Debug, SurrealValue)]
struct Existing {
    stix_id: String,
    modified: Option<String>,
    raw: String,
}

#[derive(Debug, SurrealValue)]
struct HistoryRow {
    work: Option<String>,
    user: Option<String>,
    action: String,
    object: String,
    #[surreal(rename = "type")]
    stix_type: String,
    fields: Vec<String>,
}

/// Import order: markings, then identities, then everything else, then the
/// objects that point at others (containers, sightings), then relationships.
fn phase(stix_type: &str) -> usize {
    match stix_type {
        "marking-definition" | "extension-definition" => 0,
        "identity" => 1,
        "relationship" => 4,
        "report" | "grouping" | "note" | "opinion" | "observed-data" | "sighting"
        | "language-content" => 3,
        _ => 2,
    }
}

/// Whether `a` is a later version than `b` (by `modified`; a copy without one
/// replaces the earlier copy).
fn newer(a: &Object<'_>, b: &Object<'_>) -> bool {
    match (a.get_str("modified"), b.get_str("modified")) {
        (Some(x), Some(y)) => Timestamp::compare(x, y) == Some(std::cmp::Ordering::Greater),
        _ => true,
    }
}

/// What to do with one incoming object, given what is stored.
enum Decision {
    Create,
    /// A new version: the fields that changed, and when a copy of lower
    /// confidence met a stored one of higher confidence, the merged STIX JSON.
    Update(Vec<String>, Option<String>),
    Unchanged,
}

/// The fields that differ between `incoming` and `old` (either way).
fn changed_fields(incoming: &Object<'_>, old: Option<&Object<'_>>) -> Vec<String> {
    let mut fields: Vec<String> = incoming
        .iter()
        .filter(|(key, value)| old.and_then(|o| o.get(key)) != Some(*value))
        .map(|(key, _)| key.to_owned())
        .collect();
    if let Some(old) = old {
        fields.extend(
            old.iter()
                .filter(|(k, _)| incoming.get(k).is_none())
                .map(|(k, _)| k.to_owned()),
        );
    }
    fields
}

/// Higher confidence wins (after OpenCTI): a newer version whose confidence is
/// lower than the stored one's keeps the stored value of every field both
/// carry and only adds the fields the stored version lacks; its `modified`
/// still advances the version. Returns the merged object and the fields it
/// changed, or `None` when the incoming version wins outright.
fn confidence_merge(incoming: &Object<'_>, old: &Object<'_>) -> Option<(String, Vec<String>)> {
    let new_confidence = incoming.get("confidence").and_then(Json::as_i64)?;
    let old_confidence = old.get("confidence").and_then(Json::as_i64)?;
    if new_confidence >= old_confidence {
        return None;
    }
    let mut merged = old.clone();
    let mut fields = Vec::new();
    for (key, value) in incoming.iter() {
        if key == "modified" || old.get(key).is_none() {
            merged.insert(key, value.clone());
            fields.push(key.to_owned());
        }
    }
    Some((Json::Object(merged).to_string(), fields))
}

fn decide(incoming: &Object<'_>, existing: Option<&Existing>) -> Decision {
    let Some(existing) = existing else {
        return Decision::Create;
    };
    let newer = match (incoming.get_str("modified"), existing.modified.as_deref()) {
        (Some(new), Some(old)) => match (Timestamp::parse(new), Timestamp::parse(old)) {
            (Ok(new), Ok(old)) => Some(new > old),
            _ => None,
        },
        _ => None,
    };
    let old: Option<Object<'_>> = match newer {
        Some(false) => return Decision::Unchanged,
        _ => serde_json::from_str(&existing.raw).ok(),
    };
    if newer == Some(true)
        && let Some((merged, fields)) = old.as_ref().and_then(|o| confidence_merge(incoming, o))
    {
        return Decision::Update(fields, Some(merged));
    }
    let fields = changed_fields(incoming, old.as_ref());
    if newer.is_none() && fields.is_empty() {
        Decision::Unchanged
    } else {
        Decision::Update(fields, None)
    }
}

impl Store {
    /// Imports the bundle in `bytes`. `progress` is told how many objects have
    /// been handled after each batch.
    pub async fn import_bundle(
        &self,
        bytes: &[u8],
        options: &ImportOptions,
        mut progress: impl FnMut(usize, usize),
    ) -> Result<ImportSummary, StoreError> {
        let mut summary = ImportSummary::default();
        let mut phases: [Vec<Object<'_>>; 5] = Default::default();
        let mut issues = Vec::new();
        // A bundle may carry the same object more than once: the newest copy is
        // kept and the others count as unchanged.
        let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
        let info = for_each_object(bytes, |object| {
            let before = issues.len();
            validate_into(&object, &mut issues);
            let invalid = issues[before..]
                .iter()
                .any(|i| i.severity == Severity::Error);
            issues.retain(|i| i.severity == Severity::Error);
            if invalid {
                summary.rejected += 1;
                return;
            }
            let ty = object.get_str("type").unwrap_or_default();
            let id = object.get_str("id").unwrap_or_default().to_owned();
            let p = phase(ty);
            match seen.get(&id) {
                Some(&(p, index)) => {
                    summary.unchanged += 1;
                    if newer(&object, &phases[p][index]) {
                        phases[p][index] = object;
                    }
                }
                None => {
                    seen.insert(id, (p, phases[p].len()));
                    phases[p].push(object);
                }
            }
        })
        .map_err(|e| StoreError::Unreadable(e.to_string()))?;
        summary.objects = info.objects + info.not_objects.len();
        summary
            .errors
            .extend(issues.into_iter().map(|i| RejectedObject {
                id: i.object_id,
                path: i.path,
                message: i.message,
            }));
        for (index, found) in &info.not_objects {
            summary.rejected += 1;
            summary.errors.push(RejectedObject {
                id: None,
                path: format!("objects[{index}]"),
                message: format!("is {found}, not a STIX object"),
            });
        }
        if options.strict && summary.rejected > 0 {
            summary.rejected = summary.objects;
            return Ok(summary);
        }

        let in_bundle: HashSet<&str> = phases[..4]
            .iter()
            .flatten()
            .filter_map(|o| o.get_str("id"))
            .collect();
        // Copies of stored objects under other ids merge into them.
        let (mut merges, remerged) = self.find_merges(&phases[..4], &in_bundle).await?;
        // Relationship ends must be in this bundle, stored, or merged into a stored object.
        let (missing, stored_aliases) = self.resolve_ends(&phases[4], &in_bundle, &merges).await?;
        let (relationships, dangling): (Vec<_>, Vec<_>) =
            std::mem::take(&mut phases[4]).into_iter().partition(|r| {
                !["source_ref", "target_ref"]
                    .iter()
                    .any(|k| r.get_str(k).is_some_and(|id| missing.contains(id)))
            });
        for relationship in dangling {
            summary.rejected += 1;
            let unknown: Vec<&str> = ["source_ref", "target_ref"]
                .iter()
                .filter_map(|k| relationship.get_str(k))
                .filter(|id| missing.contains(*id))
                .collect();
            summary.errors.push(RejectedObject {
                id: relationship.get_str("id").map(str::to_owned),
                path: String::new(),
                message: format!(
                    "refers to an object that is neither stored nor in the bundle: {}",
                    unknown.join(", ")
                ),
            });
        }
        phases[4] = relationships;

        // Merged objects: recorded as aliases of the object they are a copy of.
        let merged: Vec<&Object<'_>> = phases[..4]
            .iter()
            .flatten()
            .filter(|o| o.get_str("id").is_some_and(|id| merges.contains_key(id)))
            .collect();
        for object in &merged {
            let id = object.get_str("id").unwrap_or_default();
            if remerged.contains(id) {
                summary.unchanged += 1;
            } else {
                self.merge_into(object, &merges[id], options).await?;
                summary.updated += 1;
            }
        }
        for phase in phases[..4].iter_mut() {
            phase.retain(|o| o.get_str("id").is_none_or(|id| !merges.contains_key(id)));
        }
        merges.extend(stored_aliases);

        let total: usize = phases.iter().map(Vec::len).sum();
        let mut done = 0;
        for (index, objects) in phases.iter().enumerate() {
            for batch in objects.chunks(BATCH) {
                self.apply_batch(batch, index == 4, &merges, options, &mut summary)
                    .await?;
                done += batch.len();
                progress(done, total);
                if let Some(work) = &options.work {
                    self.db()
                        .query("UPDATE $work SET processed = $done, expected = $total RETURN NONE")
                        .bind(("work", RecordId::new("work", work.as_str())))
                        .bind(("done", done as i64))
                        .bind(("total", total as i64))
                        .await?
                        .check()?;
                }
            }
        }
        Ok(summary)
    }

    async fn apply_batch(
        &self,
        batch: &[Object<'_>],
        edges: bool,
        merges: &HashMap<String, String>,
        options: &ImportOptions,
        summary: &mut ImportSummary,
    ) -> Result<(), StoreError> {
        let table = if edges {
            crate::rows::EDGE_TABLE
        } else {
            crate::rows::OBJECT_TABLE
        };
        let records: Vec<RecordId> = batch
            .iter()
            .filter_map(|o| o.get_str("id"))
            .map(|id| RecordId::new(table, id))
            .collect();
        let existing: Vec<Existing> = self
            .db()
            .query("SELECT stix_id, modified, raw FROM $records")
            .bind(("records", records))
            .await?
            .check()?
            .take(0)?;
        let existing: HashMap<&str, &Existing> =
            existing.iter().map(|e| (e.stix_id.as_str(), e)).collect();

        let mut creates_o: Vec<ObjectRow> = Vec::new();
        let mut updates_o: Vec<ObjectRow> = Vec::new();
        let mut creates_e: Vec<EdgeRow> = Vec::new();
        let mut updates_e: Vec<EdgeRow> = Vec::new();
        let mut history: Vec<HistoryRow> = Vec::new();
        let mut changed: Vec<&Object<'_>> = Vec::new();
        for object in batch {
            let Some(id) = object.get_str("id") else {
                continue;
            };
            let decision = decide(object, existing.get(id).copied());
            let (action, fields, merged) = match decision {
                Decision::Unchanged => {
                    summary.unchanged += 1;
                    continue;
                }
                Decision::Create => {
                    summary.created += 1;
                    ("create", Vec::new(), None)
                }
                Decision::Update(fields, merged) => {
                    summary.updated += 1;
                    ("update", fields, merged)
                }
            };
            // The row is built from what is stored: the incoming object, or its
            // merge with a stored version of higher confidence.
            let parsed: Option<Object<'_>>;
            let (object_for_row, raw) = match &merged {
                Some(text) => {
                    parsed = serde_json::from_str(text).ok();
                    let Some(parsed) = parsed.as_ref() else {
                        continue;
                    };
                    (parsed, text.clone())
                }
                None => (object, Json::Object(object.clone()).to_string()),
            };
            let is_create = action == "create";
            if edges {
                let resolve = |id: &str| merges.get(id).cloned().unwrap_or_else(|| id.to_owned());
                let Some(row) = edge_row(object_for_row, raw, resolve) else {
                    continue;
                };
                if is_create {
                    creates_e.push(row)
                } else {
                    updates_e.push(row)
                }
            } else {
                let Some(row) = object_row(object_for_row, raw) else {
                    continue;
                };
                if is_create {
                    creates_o.push(row)
                } else {
                    updates_o.push(row)
                }
            }
            changed.push(object);
            history.push(HistoryRow {
                work: options.work.clone(),
                user: options.user.clone(),
                action: action.to_owned(),
                object: id.to_owned(),
                stix_type: object.get_str("type").unwrap_or_default().to_owned(),
                fields,
            });
        }
        if history.is_empty() {
            return Ok(());
        }
        let linked = LinkedRows::of(changed);
        use crate::rel_tally::{APPLY, MARKINGS, cells};
        // The tallies by end follow the relationships written here, and
        // those whose ends' markings change.
        let body = if edges {
            format!(
                "{MARKINGS} {gone}
                 IF array::len($creates) > 0 {{ INSERT RELATION INTO rel $creates RETURN NONE; }};
                 FOR $row IN $updates {{ DELETE $row.id; INSERT RELATION INTO rel $row RETURN NONE; }};
                 {came} {APPLY}",
                gone = cells("$tally_gone", "$updates.map(|$r| $r.id)"),
                came = cells(
                    "$tally_came",
                    "array::concat($creates, $updates).map(|$r| $r.id)"
                ),
            )
        } else {
            format!(
                "{MARKINGS}
                 LET $remarked = array::flatten($updates
                     .filter(|$r| ($r.id.markings ?? []) != ($r.markings ?? []))
                     .map(|$r| array::concat($r.id->rel, $r.id<-rel)));
                 {gone} {BODY} {came} {APPLY}",
                gone = cells("$tally_gone", "$remarked"),
                came = cells("$tally_came", "$remarked"),
            )
        };
        const BODY: &str = "IF array::len($creates) > 0 { INSERT INTO object $creates RETURN NONE; };
             FOR $row IN $updates {
                 LET $keep = (SELECT stix_ids, merged_keys, merged_aliases, markings FROM ONLY $row.id);
                 UPSERT $row.id CONTENT $row RETURN NONE;
                 IF $keep.stix_ids != NONE {
                     UPDATE $row.id SET stix_ids = $keep.stix_ids, merged_keys = $keep.merged_keys,
                         merged_aliases = $keep.merged_aliases RETURN NONE;
                 };
                 IF ($keep.markings ?? []) != ($row.markings ?? []) {
                     UPDATE array::concat($row.id->rel, $row.id<-rel) SET end_markings = NONE RETURN NONE;
                 };
             };";
        let links = if linked.is_empty() {
            ""
        } else {
            LinkedRows::INSERT
        };
        let query = format!(
            "BEGIN TRANSACTION; {body} {links} INSERT INTO history $history RETURN NONE; COMMIT TRANSACTION;"
        );
        let request = self
            .db()
            .query(query)
            .bind(("history", history))
            .bind(("linked", linked));
        let request = if edges {
            request
                .bind(("creates", creates_e))
                .bind(("updates", updates_e))
        } else {
            request
                .bind(("creates", creates_o))
                .bind(("updates", updates_o))
        };
        request.await?.check()?;
        Ok(())
    }

    /// How many objects and relationships the scope sees.
    pub async fn count_knowledge(&self, scope: &crate::Scope) -> Result<(u64, u64), StoreError> {
        let mut response = self
            .read(
                scope,
                format!(
                    "RETURN count(SELECT VALUE id FROM object WHERE {f});
                 RETURN count(SELECT VALUE id FROM rel WHERE {f}
                     AND {ends});",
                    f = crate::Scope::FILTER,
                    ends = crate::Scope::visible(&["in.", "out."])
                ),
            )
            .await?
            .check()?;
        let objects: Option<i64> = response.take(0)?;
        let edges: Option<i64> = response.take(1)?;
        Ok((objects.unwrap_or(0) as u64, edges.unwrap_or(0) as u64))
    }
}

impl Store {
    /// The history of one object the scope sees (of a deleted object, only
    /// for the bypass scope), oldest first.
    pub async fn history_of(
        &self,
        scope: &crate::Scope,
        stix_id: &str,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        if !scope.is_bypass() && self.summary(scope, stix_id).await?.is_none() {
            return Ok(Vec::new());
        }
        let entries = self
            .db()
            .query("SELECT action, fields, work, user, <string> at AS at FROM history WHERE object = $id ORDER BY at ASC")
            .bind(("id", stix_id.to_owned()))
            .await?
            .check()?
            .take(0)?;
        Ok(entries)
    }
}

impl Store {
    /// Inserts prepared rows with plain batch `INSERT`s, 1,000 per transaction:
    /// the baseline the import benchmark compares against.
    pub async fn raw_insert(
        &self,
        linked: LinkedRows,
        objects: Vec<ObjectRow>,
        edges: Vec<EdgeRow>,
    ) -> Result<(), StoreError> {
        self.db()
            .query(format!(
                "BEGIN TRANSACTION; {} COMMIT TRANSACTION;",
                LinkedRows::INSERT
            ))
            .bind(("linked", linked))
            .await?
            .check()?;
        let mut objects = objects;
        while !objects.is_empty() {
            let batch: Vec<ObjectRow> = objects.drain(..objects.len().min(BATCH)).collect();
            self.db()
                .query(
                    "BEGIN TRANSACTION; INSERT INTO object $rows RETURN NONE; COMMIT TRANSACTION;",
                )
                .bind(("rows", batch))
                .await?
                .check()?;
        }
        let mut edges = edges;
        while !edges.is_empty() {
            let batch: Vec<EdgeRow> = edges.drain(..edges.len().min(BATCH)).collect();
            self.db()
                .query("BEGIN TRANSACTION; INSERT RELATION INTO rel $rows RETURN NONE; COMMIT TRANSACTION;")
                .bind(("rows", batch))
                .await?
                .check()?;
        }
        Ok(())
    }
}

#[derive(Debug, SurrealValue)]
struct Candidate {
    stix_id: String,
    #[surreal(rename = "type")]
    stix_type: String,
    det_id: Option<String>,
    keys: Vec<String>,
}

#[derive(Debug, SurrealValue)]
struct AliasRow {
    alias: String,
    canonical: String,
}

fn alias_record(id: &str) -> RecordId {
    RecordId::new("alias", id)
}

impl Store {
    /// Which of `ids` are stored objects.
    async fn stored_objects(&self, ids: &[String]) -> Result<HashSet<String>, StoreError> {
        let mut stored = HashSet::new();
        for chunk in ids.chunks(BATCH) {
            let records: Vec<RecordId> = chunk.iter().map(|id| object_record(id)).collect();
            let found: Vec<String> = self
                .db()
                .query("SELECT VALUE stix_id FROM $records")
                .bind(("records", records))
                .await?
                .check()?
                .take(0)?;
            stored.extend(found);
        }
        Ok(stored)
    }

    /// The id `stix_id` is stored under: its own, or that of the object it was
    /// merged into.
    pub async fn canonical_id(&self, stix_id: &str) -> Result<String, StoreError> {
        let mut aliases = self.stored_aliases(&[stix_id.to_owned()]).await?;
        Ok(aliases
            .remove(stix_id)
            .unwrap_or_else(|| stix_id.to_owned()))
    }

    /// Stored aliases (ids merged into another object) among `ids`: alias → canonical.
    async fn stored_aliases(&self, ids: &[String]) -> Result<HashMap<String, String>, StoreError> {
        let mut found = HashMap::new();
        for chunk in ids.chunks(BATCH) {
            let records: Vec<RecordId> = chunk.iter().map(|id| alias_record(id)).collect();
            let rows: Vec<AliasRow> = self
                .db()
                .query("SELECT alias, canonical FROM $records")
                .bind(("records", records))
                .await?
                .check()?
                .take(0)?;
            found.extend(rows.into_iter().map(|r| (r.alias, r.canonical)));
        }
        Ok(found)
    }

    /// Which incoming objects are copies of stored ones: observables with the same
    /// deterministic id, mergeable domain objects of the same type sharing a name
    /// or alias. Two ids carried by the same bundle never merge, and revoked
    /// objects or objects with an ATT&CK id never merge by name. Returns the
    /// merges (incoming id → stored id) and the ids that were merged before.
    async fn find_merges(
        &self,
        phases: &[Vec<Object<'_>>],
        in_bundle: &HashSet<&str>,
    ) -> Result<(HashMap<String, String>, HashSet<String>), StoreError> {
        let ids: Vec<String> = in_bundle.iter().map(|id| (*id).to_owned()).collect();
        let mut merges = self.stored_aliases(&ids).await?;
        let remerged: HashSet<String> = merges.keys().cloned().collect();
        let stored = self.stored_objects(&ids).await?;
        let new: Vec<&Object<'_>> = phases
            .iter()
            .flatten()
            .filter(|o| {
                o.get_str("id")
                    .is_some_and(|id| !stored.contains(id) && !merges.contains_key(id))
            })
            .collect();
        let mut dets: Vec<String> = Vec::new();
        let mut keys: Vec<String> = Vec::new();
        let mut types: Vec<String> = Vec::new();
        // Each new object's deterministic id and name keys, computed once.
        let new: Vec<(&Object<'_>, Option<String>, Vec<String>)> = new
            .into_iter()
            .map(|o| (o, cairn_stix::ids::deterministic_id(o), name_keys(o)))
            .collect();
        for (object, det, object_keys) in &new {
            dets.extend(det.clone());
            if !object_keys.is_empty() {
                keys.extend(object_keys.iter().cloned());
                types.push(object.get_str("type").unwrap_or_default().to_owned());
            }
        }
        if dets.is_empty() && keys.is_empty() {
            return Ok((merges, remerged));
        }
        types.sort_unstable();
        types.dedup();
        let mut response = self
            .db()
            .query(
                "SELECT stix_id, type, det_id, [] AS keys FROM object WHERE det_id IN $dets;
                 SELECT stix_id, type, det_id, array::union(name_keys ?? [], merged_keys ?? []) AS keys
                   FROM object WHERE type IN $types AND revoked = false
                    AND (name_keys CONTAINSANY $keys OR merged_keys CONTAINSANY $keys);",
            )
            .bind(("dets", dets))
            .bind(("types", types))
            .bind(("keys", keys))
            .await?
            .check()?;
        let by_det: Vec<Candidate> = response.take(0)?;
        let by_name: Vec<Candidate> = response.take(1)?;
        for (object, det, object_keys) in new {
            let Some(id) = object.get_str("id") else {
                continue;
            };
            let ty = object.get_str("type").unwrap_or_default();
            let target = by_det
                .iter()
                .find(|c| det.is_some() && c.det_id == det)
                .or_else(|| {
                    by_name.iter().find(|c| {
                        c.stix_type == ty && c.keys.iter().any(|k| object_keys.contains(k))
                    })
                })
                .filter(|c| c.stix_id != id && !in_bundle.contains(c.stix_id.as_str()));
            if let Some(target) = target {
                merges.insert(id.to_owned(), target.stix_id.clone());
            }
        }
        Ok((merges, remerged))
    }

    /// Relationship ends that are neither in the bundle, stored, nor aliases of
    /// stored objects; and the stored aliases among the ends.
    async fn resolve_ends(
        &self,
        relationships: &[Object<'_>],
        in_bundle: &HashSet<&str>,
        merges: &HashMap<String, String>,
    ) -> Result<(HashSet<String>, HashMap<String, String>), StoreError> {
        let mut candidates: Vec<String> = relationships
            .iter()
            .flat_map(|r| [r.get_str("source_ref"), r.get_str("target_ref")])
            .flatten()
            .filter(|id| !in_bundle.contains(id) && !merges.contains_key(*id))
            .map(str::to_owned)
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let aliases = self.stored_aliases(&candidates).await?;
        let mut missing: HashSet<String> = candidates
            .iter()
            .filter(|id| !aliases.contains_key(*id))
            .cloned()
            .collect();
        let unresolved: Vec<String> = missing.iter().cloned().collect();
        for id in self.stored_objects(&unresolved).await? {
            missing.remove(&id);
        }
        Ok((missing, aliases))
    }

    /// Records `object` as a copy of the stored `canonical`: an alias record, its
    /// id in `stix_ids`, its names among the aliases, and a history entry.
    async fn merge_into(
        &self,
        object: &Object<'_>,
        canonical: &str,
        options: &ImportOptions,
    ) -> Result<(), StoreError> {
        let id = object.get_str("id").unwrap_or_default().to_owned();
        let names: Vec<String> = std::iter::once(object.get_str("name"))
            .flatten()
            .map(str::to_owned)
            .chain(
                object
                    .get("aliases")
                    .and_then(Json::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Json::as_str)
                    .map(str::to_owned),
            )
            .collect();
        let history = HistoryRow {
            work: options.work.clone(),
            user: options.user.clone(),
            action: "merge".into(),
            object: canonical.to_owned(),
            stix_type: object.get_str("type").unwrap_or_default().to_owned(),
            fields: vec![format!("stix_ids: {id}")],
        };
        self.db()
            .query(
                "BEGIN TRANSACTION;
                 CREATE $alias CONTENT { alias: $id, canonical: $canonical } RETURN NONE;
                 UPDATE $record SET stix_ids = array::union(stix_ids ?? [], [$id]),
                     merged_keys = array::union(merged_keys ?? [], $keys),
                     merged_aliases = array::complement(array::union(merged_aliases ?? [], $names), array::union([name], aliases ?? []))
                     RETURN NONE;
                 INSERT INTO history $history RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("alias", alias_record(&id)))
            .bind(("id", id))
            .bind(("canonical", canonical.to_owned()))
            .bind(("record", object_record(canonical)))
            .bind(("keys", name_keys(object)))
            .bind(("names", names))
            .bind(("history", history))
            .await?
            .check()?;
        Ok(())
    }
}
