//! The access scope every read takes: which marking definitions and which
//! organizations the caller holds. An object is visible only when the caller
//! holds every marking on it and, when it is restricted to organizations, is a
//! member of one of them. The condition is part of each query ([`Scope::visible`]),
//! never applied afterwards, so counts, neighbours and search cannot leak
//! hidden objects.

use std::collections::BTreeSet;

/// Who is reading, as far as markings and organizations are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// `None`: bypass (administrators, the CLI); otherwise the allowed markings.
    allowed: Option<BTreeSet<String>>,
    /// The organizations (identity ids) the caller belongs to.
    organizations: BTreeSet<String>,
}

impl Scope {
    /// Sees everything (the `bypass` capability, the command line).
    pub fn bypass() -> Scope {
        Scope {
            allowed: None,
            organizations: BTreeSet::new(),
        }
    }

    /// Sees unmarked objects and those whose every marking is in `markings`.
    pub fn markings(markings: impl IntoIterator<Item = impl Into<String>>) -> Scope {
        Scope {
            allowed: Some(markings.into_iter().map(Into::into).collect()),
            organizations: BTreeSet::new(),
        }
    }

    /// The same scope, as a member of these organizations.
    pub fn in_organizations(
        mut self,
        organizations: impl IntoIterator<Item = impl Into<String>>,
    ) -> Scope {
        self.organizations = organizations.into_iter().map(Into::into).collect();
        self
    }

    /// Whether this scope sees everything.
    pub fn is_bypass(&self) -> bool {
        self.allowed.is_none()
    }

    /// The markings this scope holds (`None`: all).
    pub fn allowed(&self) -> Option<&BTreeSet<String>> {
        self.allowed.as_ref()
    }

    /// The query parameters `$bypass`, `$allowed` and `$orgs` that the
    /// conditions read.
    pub(crate) fn bindings(&self) -> [(&'static str, surrealdb::types::Value); 3] {
        use surrealdb::types::SurrealValue;
        let records = |ids: &mut dyn Iterator<Item = &String>| -> Vec<surrealdb::types::RecordId> {
            ids.map(|m| crate::rows::object_record(m)).collect()
        };
        [
            ("bypass", self.is_bypass().into_value()),
            (
                "allowed",
                records(&mut self.allowed.iter().flatten()).into_value(),
            ),
            ("orgs", records(&mut self.organizations.iter()).into_value()),
        ]
    }

    /// The condition on a record with `markings` (and maybe `granted`) fields.
    pub const FILTER: &'static str = "($bypass OR ((markings ALLINSIDE $allowed AND (granted = NONE \
        OR array::len(granted) = 0 OR granted CONTAINSANY $orgs))))";

    /// The condition that the records at each of `paths` (`""` for the record
    /// itself, `"in."`, `"out."`, `"other."` for linked ones) are all visible.
    pub fn visible(paths: &[&str]) -> String {
        let each: Vec<String> = paths
            .iter()
            .map(|p| {
                format!(
                    "({p}markings ALLINSIDE $allowed AND ({p}granted = NONE \
                     OR array::len({p}granted) = 0 OR {p}granted CONTAINSANY $orgs))"
                )
            })
            .collect();
        format!("($bypass OR ({}))", each.join(" AND "))
    }

    /// Whether a record with these markings is visible (for checks outside queries).
    pub fn sees(&self, markings: &[String]) -> bool {
        match &self.allowed {
            None => true,
            Some(allowed) => markings.iter().all(|m| allowed.contains(m)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Scope;

    #[test]
    fn the_filter_is_the_condition_on_the_record_itself() {
        assert_eq!(Scope::visible(&[""]), Scope::FILTER);
        assert!(Scope::visible(&["in.", "out."]).contains("out.granted CONTAINSANY $orgs"));
    }
}
