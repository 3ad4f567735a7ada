//! Edits made by people rather than files: saving one object from a form, and
//! bulk label and marking changes on a selection. Both go through the import
//! pipeline (validation, merge rules, history), as a one-work bundle whose
//! objects carry a `modified` newer than the stored one, so there is one road
//! into the knowledge base.

use cairn_stix::timestamp::Timestamp;
use serde_json::{Map, Value};

use crate::error::StoreError;
use crate::ingest::ImportOptions;
use crate::scope::Scope;
use crate::{BulkChange, ImportSummary, Store};

/// Now, in STIX form.
pub fn now() -> String {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp::from_unix(since.as_secs() as i64, since.subsec_millis()).to_stix()
}

/// A `modified` for a new version of an object last modified at `previous`:
/// now, or a millisecond later than `previous` when that is in the future.
fn next_modified(previous: Option<&str>) -> String {
    let now = now();
    match previous.and_then(|p| Timestamp::parse(p).ok()) {
        Some(before) if Timestamp::parse(&now).is_ok_and(|n| n <= before) => {
            let millis = (before.as_f64() * 1000.0).round() as i64 + 1;
            Timestamp::from_unix(millis.div_euclid(1000), millis.rem_euclid(1000) as u32).to_stix()
        }
        _ => now,
    }
}

/// The strings of the list at `key` (none when absent).
fn strings(object: &Map<String, Value>, key: &str) -> Vec<String> {
    object
        .get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn invalid(field: &str, reason: impl Into<String>) -> StoreError {
    StoreError::InvalidObject {
        field: field.to_owned(),
        reason: reason.into(),
    }
}

impl Store {
    /// Saves one object from a form: a new one (no `id`: one is made) or a new
    /// version of a stored one the scope sees. Markings the scope does not hold
    /// are refused. Returns the id it is stored under (an existing object's,
    /// when the new one merges into it by name).
    pub async fn save_object(
        &self,
        scope: &Scope,
        mut object: Map<String, Value>,
        user: Option<&str>,
    ) -> Result<String, StoreError> {
        let stix_type = object
            .get("type")
            .and_then(Value::as_str)
            .filter(|t| cairn_stix::types::TypeDef::get(t).is_some())
            .ok_or_else(|| invalid("type", "is not a STIX 2.1 type Cairn can create"))?
            .to_owned();
        let markings = strings(&object, "object_marking_refs");
        if !scope.sees(&markings) {
            return Err(invalid(
                "object_marking_refs",
                "you may only apply markings you are cleared for",
            ));
        }
        let is_sco = cairn_stix::types::is_sco_type(&stix_type);
        let stored_id = object.get("id").and_then(Value::as_str).map(str::to_owned);
        match &stored_id {
            Some(id) => {
                let stored = self.get_object(scope, id).await?.ok_or_else(|| {
                    invalid("id", format!("{id} does not exist or is hidden from you"))
                })?;
                let stored: Map<String, Value> = serde_json::from_str(&stored)
                    .map_err(|e| StoreError::Unreadable(format!("stored {id}: {e}")))?;
                if stored.get("type") != object.get("type") {
                    return Err(invalid("type", "an object cannot change its type"));
                }
                if !is_sco {
                    for keep in ["created", "created_by_ref"] {
                        if let (Some(value), false) = (stored.get(keep), object.contains_key(keep))
                        {
                            object.insert(keep.to_owned(), value.clone());
                        }
                    }
                    let previous = stored.get("modified").and_then(Value::as_str);
                    object.insert("modified".into(), Value::String(next_modified(previous)));
                }
            }
            None => {
                let id = if is_sco {
                    let text = Value::Object(object.clone()).to_string();
                    let parsed: cairn_stix::Object<'_> =
                        serde_json::from_str(&text).map_err(|e| invalid("type", e.to_string()))?;
                    cairn_stix::ids::deterministic_id(&parsed)
                        .unwrap_or_else(|| format!("{stix_type}--{}", uuid::Uuid::new_v4()))
                } else {
                    format!("{stix_type}--{}", uuid::Uuid::new_v4())
                };
                object.insert("id".into(), Value::String(id));
                if !is_sco {
                    let now = now();
                    object.insert("created".into(), Value::String(now.clone()));
                    object.insert("modified".into(), Value::String(now));
                }
            }
        }
        object.insert("spec_version".into(), Value::String("2.1".into()));
        if stix_type == "relationship" {
            let end_type = |key: &str| {
                object
                    .get(key)
                    .and_then(Value::as_str)
                    .and_then(cairn_stix::ids::id_type)
                    .unwrap_or_default()
                    .to_owned()
            };
            let relationship = object
                .get("relationship_type")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !cairn_stix::relationships::allows_types(
                &end_type("source_ref"),
                relationship,
                &end_type("target_ref"),
            ) {
                return Err(invalid(
                    "relationship_type",
                    format!(
                        "`{relationship}` is not allowed from {} to {}",
                        end_type("source_ref"),
                        end_type("target_ref")
                    ),
                ));
            }
            for end in ["source_ref", "target_ref"] {
                let id = object.get(end).and_then(Value::as_str).unwrap_or_default();
                if self.summary(scope, id).await?.is_none() {
                    return Err(invalid(
                        end,
                        format!("{id} does not exist or is hidden from you"),
                    ));
                }
            }
        }
        let id = object
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let summary = self
            .import_objects(vec![Value::Object(object)], user)
            .await?;
        if let Some(error) = summary.errors.first() {
            let field = error.path.split(['.', '[']).next().unwrap_or_default();
            return Err(invalid(field, error.message.clone()));
        }
        self.canonical_id(&id).await
    }

    /// Applies `change` to every object of `ids` the scope sees; returns how
    /// many changed. Markings outside the scope cannot be added.
    pub async fn bulk_change(
        &self,
        scope: &Scope,
        ids: &[String],
        change: &BulkChange,
        user: Option<&str>,
    ) -> Result<usize, StoreError> {
        if let BulkChange::AddMarkings(markings) = change
            && !scope.sees(markings)
        {
            return Err(invalid(
                "object_marking_refs",
                "you may only apply markings you are cleared for",
            ));
        }
        let mut changed = Vec::new();
        for id in ids {
            let Some(raw) = self.get_object(scope, id).await? else {
                continue;
            };
            let Ok(mut object) = serde_json::from_str::<Map<String, Value>>(&raw) else {
                continue;
            };
            let is_sco = object
                .get("type")
                .and_then(Value::as_str)
                .is_some_and(cairn_stix::types::is_sco_type);
            let (key, add, values) = match change {
                BulkChange::AddLabels(v) => ("labels", true, v),
                BulkChange::RemoveLabels(v) => ("labels", false, v),
                BulkChange::AddMarkings(v) => ("object_marking_refs", true, v),
                BulkChange::RemoveMarkings(v) => ("object_marking_refs", false, v),
            };
            // Observables have no labels in STIX 2.1 (OpenCTI keeps them as
            // `x_opencti_labels`).
            let key = if is_sco && key == "labels" {
                "x_opencti_labels"
            } else {
                key
            };
            let mut list = strings(&object, key);
            let before = list.clone();
            if add {
                for value in values {
                    if !list.contains(value) {
                        list.push(value.clone());
                    }
                }
            } else {
                list.retain(|v| !values.contains(v));
            }
            if list == before {
                continue;
            }
            if list.is_empty() {
                object.remove(key);
            } else {
                object.insert(key.to_owned(), Value::from(list));
            }
            if !is_sco {
                let previous = object
                    .get("modified")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                object.insert(
                    "modified".into(),
                    Value::String(next_modified(previous.as_deref())),
                );
            }
            changed.push(Value::Object(object));
        }
        let count = changed.len();
        if count > 0 {
            self.import_objects(changed, user).await?;
        }
        Ok(count)
    }

    /// Imports `objects` as one bundle on behalf of `user`.
    async fn import_objects(
        &self,
        objects: Vec<Value>,
        user: Option<&str>,
    ) -> Result<ImportSummary, StoreError> {
        let bundle = serde_json::json!({
            "type": "bundle",
            "id": format!("bundle--{}", uuid::Uuid::new_v4()),
            "objects": objects,
        });
        let options = ImportOptions {
            strict: true,
            work: None,
            user: user.map(str::to_owned),
        };
        self.import_bundle(bundle.to_string().as_bytes(), &options, |_, _| {})
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_version_is_always_later() {
        let future = "2999-01-01T00:00:00.000Z";
        let next = next_modified(Some(future));
        assert_eq!(next, "2999-01-01T00:00:00.001Z");
        let past = next_modified(Some("2001-01-01T00:00:00Z"));
        assert!(past.as_str() > "2026-01-01");
    }
}
