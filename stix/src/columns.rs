//! The columns a kind's list shows besides name, author, labels, markings and
//! dates (report types and publication, indicator pattern type and validity,
//! ATT&CK ids and tactics, …), and how each value is read from the STIX JSON.
//!
//! The store keeps these values per object (`facets`, keyed by [`Column::key`])
//! so a list can sort by them; the list page reads the same table for its
//! headers. A value is text that sorts as it should: timestamps as RFC 3339,
//! numbers zero-padded ([`Column::display`] undoes it), lists joined.

use crate::json::{Json, Object};
use crate::registry::Kind;

/// How a column's value is read and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A string property as it is.
    Text,
    /// A timestamp, shown as its day.
    Date,
    /// A list of strings, joined with ", ".
    List,
    /// A number, stored zero-padded so that text order is numeric order.
    Number,
    /// A boolean, shown as yes or no.
    Flag,
    /// ATT&CK's id from the `mitre-attack` external reference.
    AttackId,
    /// The phase names of `kill_chain_phases`.
    Phases,
}

/// One extra list column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The STIX property it reads (also its key in the store and the URL's
    /// `sort=`), e.g. `published`.
    pub key: &'static str,
    pub label: &'static str,
    pub format: Format,
}

const fn col(key: &'static str, label: &'static str, format: Format) -> Column {
    Column { key, label, format }
}

/// The extra columns of each STIX type's list.
const COLUMNS: &[(&str, &[Column])] = &[
    (
        "attack-pattern",
        &[
            col("x_mitre_id", "ATT&CK ID", Format::AttackId),
            col("kill_chain_phases", "Tactics", Format::Phases),
        ],
    ),
    (
        "campaign",
        &[
            col("first_seen", "First seen", Format::Date),
            col("last_seen", "Last seen", Format::Date),
        ],
    ),
    (
        "course-of-action",
        &[col("x_mitre_id", "ATT&CK ID", Format::AttackId)],
    ),
    ("grouping", &[col("context", "Context", Format::Text)]),
    (
        "indicator",
        &[
            col("pattern_type", "Pattern type", Format::Text),
            col("valid_from", "Valid from", Format::Date),
            col("valid_until", "Valid until", Format::Date),
            col("x_opencti_score", "Score", Format::Number),
        ],
    ),
    (
        "infrastructure",
        &[col("infrastructure_types", "Types", Format::List)],
    ),
    (
        "intrusion-set",
        &[
            col("aliases", "Aliases", Format::List),
            col("primary_motivation", "Motivation", Format::Text),
            col("first_seen", "First seen", Format::Date),
        ],
    ),
    ("location", &[col("country", "Country", Format::Text)]),
    (
        "malware",
        &[
            col("malware_types", "Types", Format::List),
            col("is_family", "Family", Format::Flag),
        ],
    ),
    (
        "malware-analysis",
        &[
            col("product", "Product", Format::Text),
            col("result", "Result", Format::Text),
        ],
    ),
    (
        "observed-data",
        &[
            col("first_observed", "First observed", Format::Date),
            col("number_observed", "Observed", Format::Number),
        ],
    ),
    ("opinion", &[col("opinion", "Opinion", Format::Text)]),
    (
        "report",
        &[
            col("report_types", "Types", Format::List),
            col("published", "Published", Format::Date),
        ],
    ),
    (
        "threat-actor",
        &[
            col("threat_actor_types", "Types", Format::List),
            col("aliases", "Aliases", Format::List),
            col("sophistication", "Sophistication", Format::Text),
        ],
    ),
    ("tool", &[col("tool_types", "Types", Format::List)]),
];

/// The extra columns of a STIX type's list (none for most observables).
pub fn for_type(stix_type: &str) -> &'static [Column] {
    COLUMNS
        .iter()
        .find(|(t, _)| *t == stix_type)
        .map_or(&[], |(_, columns)| columns)
}

/// The STIX types that have extra columns.
pub fn types() -> impl Iterator<Item = &'static str> {
    COLUMNS.iter().map(|(t, _)| *t)
}

/// The extra columns of a kind's list.
pub fn for_kind(kind: &Kind) -> &'static [Column] {
    for_type(kind.stix.stix_type())
}

/// The column of any list with this key, for reading a `sort=` back.
pub fn by_key(key: &str) -> Option<&'static Column> {
    COLUMNS
        .iter()
        .flat_map(|(_, columns)| columns.iter())
        .find(|c| c.key == key)
}

/// Every column key, once: what the store indexes.
pub fn keys() -> Vec<&'static str> {
    let mut keys: Vec<&str> = COLUMNS
        .iter()
        .flat_map(|(_, columns)| columns.iter().map(|c| c.key))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// Width of a stored number: 12 digits before the point, 3 after.
const NUMBER_WIDTH: usize = 16;

impl Column {
    /// The value this column stores for `object`, if it has one.
    pub fn value(&self, object: &Object<'_>) -> Option<String> {
        let found = object.get(self.key);
        let text = match self.format {
            Format::Text | Format::Date => found?.as_str()?.to_owned(),
            Format::List => {
                let items: Vec<&str> = found?.as_array()?.iter().filter_map(Json::as_str).collect();
                items.join(", ")
            }
            Format::Number => {
                let n = found?.as_f64()?;
                if !n.is_finite() || n < 0.0 {
                    return None;
                }
                let width = NUMBER_WIDTH;
                format!("{n:0width$.3}")
            }
            Format::Flag => if found?.as_bool()? { "yes" } else { "no" }.to_owned(),
            Format::AttackId => attack_id(object)?,
            Format::Phases => {
                let phases: Vec<&str> = found?
                    .as_array()?
                    .iter()
                    .filter_map(|p| p.as_object()?.get_str("phase_name"))
                    .collect();
                phases.join(", ")
            }
        };
        (!text.is_empty()).then_some(text)
    }

    /// How a stored value reads on screen.
    pub fn display(&self, stored: &str) -> String {
        match self.format {
            Format::Date => stored.get(..10).unwrap_or(stored).to_owned(),
            Format::Number => stored
                .parse::<f64>()
                .map(|n| {
                    let text = format!("{n:.3}");
                    text.trim_end_matches('0').trim_end_matches('.').to_owned()
                })
                .unwrap_or_else(|_| stored.to_owned()),
            _ => stored.to_owned(),
        }
    }
}

/// The values of every column of `object`'s type, by key.
pub fn values(object: &Object<'_>) -> Vec<(&'static str, String)> {
    let stix_type = object.get_str("type").unwrap_or_default();
    for_type(stix_type)
        .iter()
        .filter_map(|c| Some((c.key, c.value(object)?)))
        .collect()
}

/// ATT&CK's id (`T1059.001`, `G0007`, …) from the `mitre-attack` external
/// reference (or the ICS and mobile matrices').
pub fn attack_id(object: &Object<'_>) -> Option<String> {
    object
        .get("external_references")?
        .as_array()?
        .iter()
        .find_map(|reference| {
            let reference = reference.as_object()?;
            let source = reference.get_str("source_name")?;
            matches!(
                source,
                "mitre-attack" | "mitre-ics-attack" | "mitre-mobile-attack"
            )
            .then(|| reference.get_str("external_id").map(str::to_owned))?
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(text: &str) -> Object<'_> {
        match serde_json::from_str::<Json>(text) {
            Ok(Json::Object(o)) => o,
            other => panic!("not an object: {other:?}"),
        }
    }

    #[test]
    fn values_are_read_per_type_and_sort_as_text() {
        let report = object(
            r#"{"type":"report","name":"R","published":"2024-03-01T00:00:00Z","report_types":["threat-report","attack-pattern"]}"#,
        );
        assert_eq!(
            values(&report),
            [
                ("report_types", "threat-report, attack-pattern".to_owned()),
                ("published", "2024-03-01T00:00:00Z".to_owned())
            ]
        );
        let technique = object(
            r#"{"type":"attack-pattern","name":"P","external_references":[{"source_name":"capec","external_id":"CAPEC-1"},{"source_name":"mitre-attack","external_id":"T1566"}],"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"initial-access"}]}"#,
        );
        assert_eq!(
            values(&technique),
            [
                ("x_mitre_id", "T1566".to_owned()),
                ("kill_chain_phases", "initial-access".to_owned())
            ]
        );
        // Numbers sort as text once stored, and read back plainly.
        let score = |n: &str| {
            let text = format!(r#"{{"type":"indicator","x_opencti_score":{n}}}"#);
            values(&object(&text))[0].1.clone()
        };
        assert!(score("9.5") < score("10"));
        assert!(score("10") < score("100"));
        let column = by_key("x_opencti_score").expect("score column");
        assert_eq!(column.display(&score("9.5")), "9.5");
        assert_eq!(column.display(&score("80")), "80");
        // What is absent, empty or of the wrong type has no value.
        let bare = object(r#"{"type":"report","report_types":[],"published":5}"#);
        assert!(values(&bare).is_empty());
        assert!(values(&object(r#"{"type":"ipv4-addr","value":"1.2.3.4"}"#)).is_empty());
    }

    #[test]
    fn every_kind_with_columns_names_each_key_once() {
        for (stix_type, columns) in COLUMNS {
            let mut keys: Vec<&str> = columns.iter().map(|c| c.key).collect();
            keys.sort_unstable();
            keys.dedup();
            assert_eq!(keys.len(), columns.len(), "{stix_type}");
            // The same key means the same thing everywhere.
            for c in *columns {
                assert_eq!(by_key(c.key).map(|b| b.format), Some(c.format), "{}", c.key);
            }
        }
        assert!(keys().contains(&"published"));
    }
}
