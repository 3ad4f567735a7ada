//! What a create/edit form shows for a kind, read from the type table: one
//! [`Field`] per editable property with the input that suits its type. The web
//! client renders these generically; the STIX crate's validation checks the
//! result on both sides.
//!
//! Bookkeeping (`id`, `created`, …) is filled by the platform, markings, labels,
//! author and confidence have widgets of their own, and the properties that
//! tell identities, locations and threat actors apart come from the kind
//! ([`fixed_properties`]).

use crate::registry::{Kind, StixMapping};
use crate::types::{Family, Prop, PropType, TypeDef};

/// How a property is entered.
#[derive(Debug, Clone, PartialEq)]
pub enum Widget {
    /// One line of text.
    Text,
    /// Several lines (descriptions, patterns, contents).
    LongText,
    /// A whole number within bounds.
    Integer {
        min: i64,
        max: i64,
    },
    /// A number within bounds.
    Float {
        min: f64,
        max: f64,
    },
    Checkbox,
    /// A date and time (RFC 3339).
    Timestamp,
    /// One value; `open` vocabularies also take other values.
    Choice {
        options: &'static [&'static str],
        open: bool,
    },
    /// Several values from a vocabulary.
    Choices {
        options: &'static [&'static str],
        open: bool,
    },
    /// Several free strings, one per line.
    Strings,
    /// A reference to a stored object of one of these STIX types (any when empty).
    Reference {
        types: &'static [&'static str],
    },
    /// References to stored objects of these STIX types (any when empty).
    References {
        types: &'static [&'static str],
    },
    /// Kill-chain phases, one `kill_chain_name:phase_name` per line.
    KillChainPhases,
    /// Anything else, entered as JSON.
    Json,
}

/// One form field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The STIX property.
    pub name: &'static str,
    /// How people read it: `Valid from`, `Object refs` → `Objects`.
    pub label: String,
    pub required: bool,
    pub widget: Widget,
}

/// Properties a form never shows: the platform fills them, or they have a
/// widget of their own (markings, labels, author, confidence).
pub const NOT_IN_FORMS: &[&str] = &[
    "type",
    "spec_version",
    "id",
    "created",
    "modified",
    "revoked",
    "lang",
    "granular_markings",
    "extensions",
    "external_references",
    "object_marking_refs",
    "labels",
    "created_by_ref",
    "confidence",
    "defanged",
];

/// Properties written on several lines.
const LONG_TEXT: &[&str] = &[
    "description",
    "pattern",
    "content",
    "abstract",
    "explanation",
    "opinion",
    "x_mitre_detection",
];

/// The property values a kind implies (`identity_class` for an organization,
/// …): set on every object a form creates, and not shown.
pub fn fixed_properties(kind: &Kind) -> Vec<(&'static str, String)> {
    match kind.stix {
        StixMapping::Identity(class) => vec![("identity_class", class.to_ascii_lowercase())],
        StixMapping::Location(class) => vec![("x_opencti_location_type", class.to_owned())],
        StixMapping::ThreatActor(class) => vec![("x_opencti_type", class.to_owned())],
        StixMapping::Type(_) | StixMapping::Observables => Vec::new(),
    }
}

/// The fields of a form for STIX type `stix_type` as kind `kind`: required
/// ones first, then the others in the type table's order.
pub fn fields(stix_type: &str, kind: Option<&Kind>) -> Vec<Field> {
    let Some(def) = TypeDef::get(stix_type) else {
        return Vec::new();
    };
    let fixed: Vec<&str> = kind
        .map(fixed_properties)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    let mut fields: Vec<Field> = def
        .props
        .iter()
        .chain(if def.family == Family::Sco {
            &[][..]
        } else {
            def.common()
        })
        .filter(|p| !NOT_IN_FORMS.contains(&p.name) && !fixed.contains(&p.name))
        .map(field)
        .collect();
    fields.sort_by_key(|f| !f.required);
    fields
}

fn field(prop: &Prop) -> Field {
    Field {
        name: prop.name,
        label: label(prop.name),
        required: prop.required,
        widget: widget(prop.name, &prop.ty),
    }
}

fn widget(name: &str, ty: &PropType) -> Widget {
    match ty {
        PropType::String if LONG_TEXT.contains(&name) => Widget::LongText,
        PropType::String => Widget::Text,
        PropType::Timestamp => Widget::Timestamp,
        PropType::Bool => Widget::Checkbox,
        PropType::Integer { min, max } => Widget::Integer {
            min: *min,
            max: *max,
        },
        PropType::Float { min, max } => Widget::Float {
            min: *min,
            max: *max,
        },
        PropType::Ref(types) => Widget::Reference { types },
        PropType::ScoRef | PropType::SdoRef => Widget::Reference { types: &[] },
        PropType::Enum(options) => Widget::Choice {
            options,
            open: false,
        },
        PropType::Vocab(options) => Widget::Choice {
            options,
            open: true,
        },
        PropType::List(inner) => match inner {
            PropType::String => Widget::Strings,
            PropType::Enum(options) => Widget::Choices {
                options,
                open: false,
            },
            PropType::Vocab(options) => Widget::Choices {
                options,
                open: true,
            },
            PropType::Ref(types) => Widget::References { types },
            PropType::ScoRef | PropType::SdoRef => Widget::References { types: &[] },
            PropType::Struct(_) if name == "kill_chain_phases" => Widget::KillChainPhases,
            _ => Widget::Json,
        },
        PropType::Hashes
        | PropType::Dict
        | PropType::Struct(_)
        | PropType::Any
        | PropType::Binary
        | PropType::Hex => Widget::Json,
    }
}

/// `valid_from` → `Valid from`; `object_refs` → `Objects`; `sample_ref` → `Sample`.
pub fn label(name: &str) -> String {
    let base = name
        .strip_suffix("_refs")
        .map(|b| format!("{b}s"))
        .or_else(|| name.strip_suffix("_ref").map(str::to_owned))
        .unwrap_or_else(|| name.to_owned());
    let words = base.replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_indicator_form_asks_for_its_pattern_first() {
        let fields = fields("indicator", Kind::of_type("indicator"));
        let names: Vec<&str> = fields.iter().map(|f| f.name).collect();
        assert_eq!(&names[..3], ["pattern", "pattern_type", "valid_from"]);
        assert!(names.contains(&"name") && names.contains(&"indicator_types"));
        assert!(!names.contains(&"id") && !names.contains(&"object_marking_refs"));
        assert_eq!(fields[0].widget, Widget::LongText);
        assert!(matches!(
            fields[1].widget,
            Widget::Choice { open: true, .. }
        ));
        assert_eq!(fields[2].widget, Widget::Timestamp);
    }

    #[test]
    fn kinds_fix_what_tells_them_apart() {
        let sector = Kind::by_name("Sector").expect("sector kind");
        assert_eq!(
            fixed_properties(sector),
            vec![("identity_class", "class".to_owned())]
        );
        let names: Vec<&str> = fields("identity", Some(sector))
            .iter()
            .map(|f| f.name)
            .collect();
        assert!(names.contains(&"name") && !names.contains(&"identity_class"));
    }

    #[test]
    fn references_and_lists_get_pickers() {
        let report = fields("report", Kind::of_type("report"));
        let objects = report
            .iter()
            .find(|f| f.name == "object_refs")
            .expect("object_refs");
        assert_eq!(objects.label, "Objects");
        assert_eq!(objects.widget, Widget::References { types: &[] });
        let pattern = fields("attack-pattern", None);
        assert!(
            pattern
                .iter()
                .any(|f| f.name == "kill_chain_phases" && f.widget == Widget::KillChainPhases)
        );
        assert!(
            pattern
                .iter()
                .any(|f| f.name == "aliases" && f.widget == Widget::Strings)
        );
    }
}
