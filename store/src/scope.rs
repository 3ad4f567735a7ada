//! The access scope every read takes: which marking definitions the caller may
//! see. An object is visible only when the caller holds every marking on it.
//! The filter is part of each query (`markings ALLINSIDE $allowed`), never
//! applied afterwards, so counts and neighbours cannot leak hidden objects.

use std::collections::BTreeSet;

/// Who is reading, as far as markings are concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// `None`: bypass (administrators, the CLI); otherwise the allowed markings.
    allowed: Option<BTreeSet<String>>,
}

impl Scope {
    /// Sees everything (the `bypass` capability, the command line).
    pub fn bypass() -> Scope {
        Scope { allowed: None }
    }

    /// Sees unmarked objects and those whose every marking is in `markings`.
    pub fn markings(markings: impl IntoIterator<Item = impl Into<String>>) -> Scope {
        Scope {
            allowed: Some(markings.into_iter().map(Into::into).collect()),
        }
    }

    /// Whether this scope sees everything.
    pub fn is_bypass(&self) -> bool {
        self.allowed.is_none()
    }

    /// The query parameters `$bypass` and `$allowed` that [`Scope::FILTER`] reads.
    pub(crate) fn bindings(&self) -> [(&'static str, surrealdb::types::Value); 2] {
        use surrealdb::types::SurrealValue;
        let allowed: Vec<surrealdb::types::RecordId> = self
            .allowed
            .iter()
            .flatten()
            .map(|m| crate::rows::object_record(m))
            .collect();
        [
            ("bypass", self.is_bypass().into_value()),
            ("allowed", allowed.into_value()),
        ]
    }

    /// The condition on a record with a `markings` field.
    pub const FILTER: &'static str = "($bypass OR markings ALLINSIDE $allowed)";

    /// Whether a record with these markings is visible (for checks outside queries).
    pub fn sees(&self, markings: &[String]) -> bool {
        match &self.allowed {
            None => true,
            Some(allowed) => markings.iter().all(|m| allowed.contains(m)),
        }
    }
}
