//! The read side every server function, export and feed reuses. Each read takes
//! a [`Scope`] and filters by it inside the query.

use serde::{Deserialize, Serialize};
use surrealdb::types::SurrealValue;

use crate::connect::Store;
use crate::error::StoreError;
use crate::rows::object_record;
use crate::scope::Scope;

/// One object as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, SurrealValue)]
pub struct ObjectSummary {
    pub stix_id: String,
    #[surreal(rename = "type")]
    pub stix_type: String,
    pub name: Option<String>,
    pub value: Option<String>,
    pub created: Option<String>,
    pub modified: Option<String>,
    pub revoked: bool,
    pub labels: Vec<String>,
    pub markings: Vec<String>,
}

/// A neighbour reached through one relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, SurrealValue)]
pub struct Neighbour {
    /// The relationship's STIX id.
    pub relationship: String,
    pub relationship_type: String,
    /// `out` when the object is the source, `in` when it is the target.
    pub direction: String,
    pub other_id: String,
    pub other_type: String,
    pub other_name: Option<String>,
}

/// A filter for lists.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListFilter {
    /// STIX types to keep (all when empty).
    pub types: Vec<String>,
    /// Keep objects whose name contains this text (case-insensitive).
    pub name_contains: Option<String>,
    /// Include revoked objects.
    pub revoked: bool,
}

/// One page of a list and the total behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// One full-text match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, SurrealValue)]
pub struct SearchHit {
    pub stix_id: String,
    #[surreal(rename = "type")]
    pub stix_type: String,
    pub name: Option<String>,
    pub value: Option<String>,
    /// The best matching text with `<mark>` around the matched words.
    pub highlight: Option<String>,
    pub score: f64,
}

#[derive(Debug, SurrealValue)]
struct Raw {
    raw: String,
}

impl Store {
    /// Objects matching `filter`, by name, `offset`/`limit` paged, with the total.
    pub async fn list_objects(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        offset: u64,
        limit: u64,
    ) -> Result<Page<ObjectSummary>, StoreError> {
        let condition = format!(
            "{} AND (array::len($types) = 0 OR type IN $types) AND ($revoked OR revoked = false) \
             AND ($text = NONE OR string::contains(string::lowercase(name ?? ''), $text))",
            Scope::FILTER
        );
        let query = format!(
            "SELECT stix_id, type, name, value, created, modified, revoked, labels, markings \
               FROM object WHERE {condition} ORDER BY name ASC LIMIT $limit START $offset;
             RETURN count(SELECT VALUE id FROM object WHERE {condition});"
        );
        let [bypass, allowed] = scope.bindings();
        let mut response = self
            .db()
            .query(query)
            .bind(bypass)
            .bind(allowed)
            .bind(("types", filter.types.clone()))
            .bind(("revoked", filter.revoked))
            .bind((
                "text",
                filter.name_contains.as_ref().map(|t| t.to_lowercase()),
            ))
            .bind(("limit", limit as i64))
            .bind(("offset", offset as i64))
            .await?
            .check()?;
        let items: Vec<ObjectSummary> = response.take(0)?;
        let total: Option<i64> = response.take(1)?;
        Ok(Page {
            items,
            total: total.unwrap_or(0) as u64,
        })
    }

    /// The complete STIX JSON of one object, if it exists and the scope sees it.
    pub async fn get_object(
        &self,
        scope: &Scope,
        stix_id: &str,
    ) -> Result<Option<String>, StoreError> {
        let [bypass, allowed] = scope.bindings();
        let row: Option<Raw> = self
            .db()
            .query(format!(
                "SELECT raw FROM ONLY $record WHERE {}",
                Scope::FILTER
            ))
            .bind(("record", object_record(stix_id)))
            .bind(bypass)
            .bind(allowed)
            .await?
            .check()?
            .take(0)?;
        Ok(row.map(|r| r.raw))
    }

    /// The object's relationships and the objects at their other ends, both
    /// visible to the scope, grouped by the caller as it likes.
    pub async fn neighbours(
        &self,
        scope: &Scope,
        stix_id: &str,
    ) -> Result<Vec<Neighbour>, StoreError> {
        let visible =
            "($bypass OR (markings ALLINSIDE $allowed AND other.markings ALLINSIDE $allowed))";
        let query = format!(
            "SELECT * FROM (
                SELECT stix_id AS relationship, relationship_type, 'out' AS direction, markings,
                       out AS other, out.stix_id AS other_id, out.type AS other_type, out.name AS other_name
                  FROM $record->rel
             ) WHERE {visible} AND other_id != NONE;
             SELECT * FROM (
                SELECT stix_id AS relationship, relationship_type, 'in' AS direction, markings,
                       in AS other, in.stix_id AS other_id, in.type AS other_type, in.name AS other_name
                  FROM $record<-rel
             ) WHERE {visible} AND other_id != NONE;"
        );
        let [bypass, allowed] = scope.bindings();
        let mut response = self
            .db()
            .query(query)
            .bind(("record", object_record(stix_id)))
            .bind(bypass)
            .bind(allowed)
            .await?
            .check()?;
        let mut all: Vec<Neighbour> = response.take(0)?;
        let incoming: Vec<Neighbour> = response.take(1)?;
        all.extend(incoming);
        Ok(all)
    }

    /// Full-text search over names, descriptions and observable values, best first.
    pub async fn search(
        &self,
        scope: &Scope,
        text: &str,
        limit: u64,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let query = format!(
            "SELECT stix_id, type, name, value,
                    search::highlight('<mark>', '</mark>', 0) ?? search::highlight('<mark>', '</mark>', 2)
                        ?? search::highlight('<mark>', '</mark>', 1) AS highlight,
                    math::max([search::score(0) * 3, search::score(1), search::score(2) * 2]) AS score
               FROM object
              WHERE (name @0@ $text OR description @1@ $text OR value @2@ $text) AND {}
              ORDER BY score DESC LIMIT $limit",
            Scope::FILTER
        );
        let [bypass, allowed] = scope.bindings();
        let hits = self
            .db()
            .query(query)
            .bind(("text", text.to_owned()))
            .bind(("limit", limit as i64))
            .bind(bypass)
            .bind(allowed)
            .await?
            .check()?
            .take(0)?;
        Ok(hits)
    }

    /// How many visible objects there are of each STIX type.
    pub async fn count_by_type(&self, scope: &Scope) -> Result<Vec<(String, u64)>, StoreError> {
        #[derive(SurrealValue)]
        struct Count {
            #[surreal(rename = "type")]
            stix_type: String,
            count: i64,
        }
        let [bypass, allowed] = scope.bindings();
        let counts: Vec<Count> = self
            .db()
            .query(format!(
                "SELECT type, count() AS count FROM object WHERE {} GROUP BY type",
                Scope::FILTER
            ))
            .bind(bypass)
            .bind(allowed)
            .await?
            .check()?
            .take(0)?;
        Ok(counts
            .into_iter()
            .map(|c| (c.stix_type, c.count as u64))
            .collect())
    }
}
