//! A list view's filters and sort as they travel in the URL (`?q=apt&label=rat
//! &sort=-modified`), so a filtered view can be bookmarked and shared, and the
//! store's [`ListFilter`] they become.

use cairn_model::{ListFilter, Sort};
use cairn_stix::Kind;

/// The filters of a list page, each one URL parameter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// `q`: text in the name.
    pub text: String,
    /// `label` (repeatable).
    pub labels: Vec<String>,
    /// `marking` (repeatable): marking definition ids.
    pub markings: Vec<String>,
    /// `author`: the STIX id of an identity.
    pub author: String,
    /// `confidence`: at least this.
    pub confidence: Option<i64>,
    /// `created_from`, `created_to`, `modified_from`, `modified_to`: days (`YYYY-MM-DD`).
    pub created_from: String,
    pub created_to: String,
    pub modified_from: String,
    pub modified_to: String,
    /// `revoked=1`: include revoked objects.
    pub revoked: bool,
    /// `sort`: `name`, `-name`, `created`, `-created`, `modified`, `-modified`,
    /// or an extra column's key (`published`, `-published`, …).
    pub sort: Sort,
}

/// Sort names in URLs, and the column each sorts.
const SORTS: [(&str, Sort); 6] = [
    ("name", Sort::NameAsc),
    ("-name", Sort::NameDesc),
    ("created", Sort::CreatedAsc),
    ("-created", Sort::CreatedDesc),
    ("modified", Sort::ModifiedAsc),
    ("-modified", Sort::ModifiedDesc),
];

impl ListQuery {
    /// Reads the query parameters; what does not parse is ignored.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> ListQuery {
        let mut query = ListQuery::default();
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key {
                "q" => query.text = value.to_owned(),
                "label" => query.labels.push(value.to_owned()),
                "marking" => query.markings.push(value.to_owned()),
                "author" => query.author = value.to_owned(),
                "confidence" => {
                    query.confidence = value.parse().ok().filter(|c| (0..=100).contains(c))
                }
                "created_from" if is_day(value) => query.created_from = value.to_owned(),
                "created_to" if is_day(value) => query.created_to = value.to_owned(),
                "modified_from" if is_day(value) => query.modified_from = value.to_owned(),
                "modified_to" if is_day(value) => query.modified_to = value.to_owned(),
                "revoked" => query.revoked = value == "1",
                "sort" => {
                    if let Some(sort) = parse_sort(value) {
                        query.sort = sort;
                    }
                }
                _ => {}
            }
        }
        query
    }

    /// The query string (without `?`) that reads back as `self`; defaults are left out.
    pub fn to_query_string(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        let mut one = |key, value: &str| {
            if !value.is_empty() {
                pairs.push((key, value.to_owned()));
            }
        };
        one("q", &self.text);
        for label in &self.labels {
            one("label", label);
        }
        for marking in &self.markings {
            one("marking", marking);
        }
        one("author", &self.author);
        one(
            "confidence",
            &self.confidence.map(|c| c.to_string()).unwrap_or_default(),
        );
        one("created_from", &self.created_from);
        one("created_to", &self.created_to);
        one("modified_from", &self.modified_from);
        one("modified_to", &self.modified_to);
        one("revoked", if self.revoked { "1" } else { "" });
        if self.sort != Sort::default() {
            one("sort", &sort_name(&self.sort));
        }
        pairs
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode(&v)))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// The store filter for a kind's list.
    pub fn to_filter(&self, kind: &Kind) -> ListFilter {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let day = |s: &str| some(s).map(|d| format!("{d}T00:00:00Z"));
        ListFilter {
            kinds: vec![kind.name.to_owned()],
            name_contains: some(&self.text),
            labels: self.labels.clone(),
            markings: self.markings.clone(),
            created_by: some(&self.author),
            min_confidence: self.confidence,
            created_from: day(&self.created_from),
            created_to: day(&self.created_to),
            modified_from: day(&self.modified_from),
            modified_to: day(&self.modified_to),
            revoked: self.revoked,
            sort: self.sort.clone(),
            ..ListFilter::default()
        }
    }

    /// Whether any filter (not the sort) is set.
    pub fn is_filtered(&self) -> bool {
        ListQuery {
            sort: self.sort.clone(),
            ..ListQuery::default()
        } != *self
    }

    /// The sort after clicking a column: ascending first, then flipped.
    pub fn sorted_by(&self, column: &str) -> Sort {
        let current = sort_name(&self.sort);
        let wanted = if current == column {
            format!("-{column}")
        } else {
            column.to_owned()
        };
        parse_sort(&wanted).unwrap_or_else(|| self.sort.clone())
    }
}

/// The URL name of a sort: `name`, `-modified`, `published`, `-x_mitre_id`, …
pub fn sort_name(sort: &Sort) -> String {
    match sort {
        Sort::ColumnAsc(key) => key.clone(),
        Sort::ColumnDesc(key) => format!("-{key}"),
        _ => SORTS
            .iter()
            .find(|(_, s)| s == sort)
            .map_or("name", |(name, _)| name)
            .to_owned(),
    }
}

/// A sort from its URL name; an extra column's only if some list has it.
fn parse_sort(name: &str) -> Option<Sort> {
    if let Some((_, sort)) = SORTS.iter().find(|(n, _)| *n == name) {
        return Some(sort.clone());
    }
    let (descending, key) = match name.strip_prefix('-') {
        Some(key) => (true, key),
        None => (false, name),
    };
    let column = cairn_stix::columns::by_key(key)?;
    let key = column.key.to_owned();
    Some(if descending {
        Sort::ColumnDesc(key)
    } else {
        Sort::ColumnAsc(key)
    })
}

fn is_day(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b':' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> ListQuery {
        ListQuery::from_pairs(pairs.iter().copied())
    }

    #[test]
    fn round_trips_through_the_url() {
        let query = parse(&[
            ("q", "fancy bear"),
            ("label", "rat"),
            ("label", "apt & co"),
            (
                "marking",
                "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
            ),
            ("confidence", "50"),
            ("created_from", "2020-01-01"),
            ("revoked", "1"),
            ("sort", "-modified"),
        ]);
        let text = query.to_query_string();
        assert!(text.contains("q=fancy%20bear"), "{text}");
        assert!(text.contains("label=apt%20%26%20co"), "{text}");
        let decoded: Vec<(String, String)> = text
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').expect("pair");
                (k.to_owned(), decode(v))
            })
            .collect();
        let again = ListQuery::from_pairs(decoded.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(again, query);
    }

    fn decode(value: &str) -> String {
        let bytes = value.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                out.push(u8::from_str_radix(&value[i + 1..i + 3], 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn bad_values_are_ignored() {
        let query = parse(&[
            ("confidence", "lots"),
            ("created_from", "yesterday"),
            ("sort", "colour"),
            ("q", "   "),
        ]);
        assert_eq!(query, ListQuery::default());
        assert!(!query.is_filtered());
        assert_eq!(query.to_query_string(), "");
    }

    #[test]
    fn becomes_the_store_filter() {
        let kind = Kind::by_name("Sector").expect("registered");
        let filter = parse(&[("q", "energy"), ("created_to", "2024-02-01")]).to_filter(kind);
        assert_eq!(filter.kinds, ["Sector"]);
        assert_eq!(filter.name_contains.as_deref(), Some("energy"));
        assert_eq!(filter.created_to.as_deref(), Some("2024-02-01T00:00:00Z"));
        assert_eq!(filter.created_from, None);
    }

    #[test]
    fn clicking_a_column_sorts_then_flips() {
        let query = ListQuery::default();
        assert_eq!(query.sorted_by("name"), Sort::NameDesc);
        assert_eq!(query.sorted_by("modified"), Sort::ModifiedAsc);
        let by_modified = ListQuery {
            sort: Sort::ModifiedAsc,
            ..ListQuery::default()
        };
        assert_eq!(by_modified.sorted_by("modified"), Sort::ModifiedDesc);
    }

    #[test]
    fn extra_columns_sort_by_their_key() {
        let query = parse(&[("sort", "-published")]);
        assert_eq!(query.sort, Sort::ColumnDesc("published".into()));
        assert_eq!(query.to_query_string(), "sort=-published");
        assert_eq!(
            query.sorted_by("published"),
            Sort::ColumnAsc("published".into())
        );
        assert_eq!(
            ListQuery::default().sorted_by("x_mitre_id"),
            Sort::ColumnAsc("x_mitre_id".into())
        );
        // A key no list has is ignored like any bad value.
        assert_eq!(parse(&[("sort", "-raw")]).sort, Sort::NameAsc);
    }
}
