//! Which relationship types may join which kinds: the STIX 2.1 tables and
//! OpenCTI's wider matrix, shipped in the crate (`data/relationships.tsv`).
//!
//! `related-to` and `revoked-by` join any two objects, and the common
//! `derived-from` and `duplicate-of` join two objects of the same type. In
//! imported data an unlisted combination is a warning (STIX allows it); forms
//! offer only listed ones ([`allowed_between_kinds`]).

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::types::is_sco_type;

const TSV: &str = include_str!("../data/relationships.tsv");

/// Relationship types allowed between any two objects.
pub const UNIVERSAL: &[&str] = &["related-to", "revoked-by"];
/// Relationship types allowed between two objects of the same type.
pub const SAME_TYPE: &[&str] = &["derived-from", "duplicate-of"];

/// One row of the matrix, by OpenCTI kind name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub from: &'static str,
    pub relationship: &'static str,
    pub to: &'static str,
    /// `true` for STIX 2.1's own tables, `false` for OpenCTI's additions.
    pub builtin: bool,
}

struct Matrix {
    rules: Vec<Rule>,
    /// (from STIX type, relationship, to STIX type); `*sco` stands for any observable.
    by_type: HashSet<(String, &'static str, String)>,
}

fn matrix() -> &'static Matrix {
    static MATRIX: OnceLock<Matrix> = OnceLock::new();
    MATRIX.get_or_init(|| {
        let rules: Vec<Rule> = TSV
            .lines()
            .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let (from, relationship, to) = (cols.next()?, cols.next()?, cols.next()?);
                let builtin = cols.next().is_some_and(|k| k.trim() == "b");
                Some(Rule {
                    from,
                    relationship,
                    to,
                    builtin,
                })
            })
            .collect();
        let by_type = rules
            .iter()
            .map(|r| (kind_stix_type(r.from), r.relationship, kind_stix_type(r.to)))
            .collect();
        Matrix { rules, by_type }
    })
}

/// The STIX type objects of an OpenCTI kind are written as.
pub fn kind_stix_type(kind: &str) -> String {
    if kind.ends_with("(relationship)") {
        return "relationship".into();
    }
    match kind {
        "Individual" | "Organization" | "Sector" | "System" | "SecurityPlatform"
        | "Security-Platform" | "Identity" => "identity".into(),
        "Region" | "Country" | "City" | "Administrative-Area" | "Position" | "Location" => {
            "location".into()
        }
        "Threat-Actor" | "Threat-Actor-Group" | "Threat-Actor-Individual" => "threat-actor".into(),
        "StixFile" => "file".into(),
        "Stix-Cyber-Observable" => "*sco".into(),
        other => other.to_ascii_lowercase(),
    }
}

/// Every rule of the matrix.
pub fn rules() -> &'static [Rule] {
    &matrix().rules
}

fn canonical_kind(name: &str) -> String {
    name.replace('-', "").to_ascii_lowercase()
}

/// The relationship types a form may offer from kind `from` to kind `to`
/// (OpenCTI kind names), the universal ones included.
pub fn allowed_between_kinds(from: &str, to: &str) -> Vec<&'static str> {
    let (from, to) = (canonical_kind(from), canonical_kind(to));
    let mut allowed: Vec<&'static str> = rules()
        .iter()
        .filter(|r| canonical_kind(r.from) == from && canonical_kind(r.to) == to)
        .map(|r| r.relationship)
        .collect();
    allowed.extend_from_slice(UNIVERSAL);
    allowed.sort_unstable();
    allowed.dedup();
    allowed
}

/// Whether `relationship` from an object of STIX type `from` to one of type `to`
/// is listed in the STIX tables or OpenCTI's matrix.
pub fn allows_types(from: &str, relationship: &str, to: &str) -> bool {
    if UNIVERSAL.contains(&relationship) || (from == to && SAME_TYPE.contains(&relationship)) {
        return true;
    }
    let by_type = &matrix().by_type;
    let candidates = |ty: &str| {
        let mut list = vec![ty.to_owned()];
        // Custom observable types (OpenCTI's hostname, phone-number, …) match `*sco`.
        if is_sco_type(ty) || (crate::types::TypeDef::get(ty).is_none() && ty != "relationship") {
            list.push("*sco".to_owned());
        }
        list
    };
    candidates(from).iter().any(|f| {
        candidates(to)
            .iter()
            .any(|t| by_type.contains(&(f.clone(), relationship, t.clone())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_matrix_is_loaded_from_the_shipped_table() {
        assert!(rules().len() > 400, "{}", rules().len());
        assert!(rules().iter().any(|r| r.builtin));
        assert!(rules().iter().any(|r| !r.builtin));
    }

    #[test]
    fn allows_listed_and_universal_relationships() {
        assert!(allows_types("intrusion-set", "uses", "malware"));
        assert!(allows_types(
            "attack-pattern",
            "subtechnique-of",
            "attack-pattern"
        ));
        assert!(allows_types("indicator", "indicates", "malware"));
        assert!(allows_types("malware", "related-to", "vulnerability"));
        assert!(allows_types("tool", "derived-from", "tool"));
        assert!(!allows_types("vulnerability", "uses", "intrusion-set"));
        assert!(!allows_types("tool", "derived-from", "malware"));
    }

    #[test]
    fn forms_get_only_listed_types_between_kinds() {
        let offered = allowed_between_kinds("Indicator", "Malware");
        assert!(offered.contains(&"indicates"), "{offered:?}");
        assert!(offered.contains(&"related-to"));
        assert!(!offered.contains(&"uses"));
        let offered = allowed_between_kinds("Intrusion-Set", "Sector");
        assert!(offered.contains(&"targets"), "{offered:?}");
        let offered = allowed_between_kinds("Malware", "Security-Platform");
        assert!(offered.iter().all(|r| *r != "subtechnique-of"));
    }
}
