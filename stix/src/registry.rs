//! The type registry: every entity kind Cairn knows, declared once.
//!
//! A [`Kind`] carries what the platform needs to present and map a kind: its
//! OpenCTI-style name, how it maps to STIX, its navigation [`Category`], URL slug,
//! display names, icon and colour. Navigation, list pages, forms, graph styles and
//! export all read [`KINDS`]; adding a kind is one entry here.

use crate::icons::Icon;
use crate::json::Object;

/// The knowledge categories of the navigation, after OpenCTI's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    Analyses,
    Cases,
    Events,
    Observations,
    Threats,
    Arsenal,
    Techniques,
    Entities,
    Locations,
}

impl Category {
    /// Every category, in navigation order.
    pub const ALL: [Category; 9] = [
        Category::Analyses,
        Category::Cases,
        Category::Events,
        Category::Observations,
        Category::Threats,
        Category::Arsenal,
        Category::Techniques,
        Category::Entities,
        Category::Locations,
    ];

    /// The display name.
    pub const fn label(self) -> &'static str {
        match self {
            Category::Analyses => "Analyses",
            Category::Cases => "Cases",
            Category::Events => "Events",
            Category::Observations => "Observations",
            Category::Threats => "Threats",
            Category::Arsenal => "Arsenal",
            Category::Techniques => "Techniques",
            Category::Entities => "Entities",
            Category::Locations => "Locations",
        }
    }

    /// The URL segment, e.g. `threats`.
    pub const fn slug(self) -> &'static str {
        match self {
            Category::Analyses => "analyses",
            Category::Cases => "cases",
            Category::Events => "events",
            Category::Observations => "observations",
            Category::Threats => "threats",
            Category::Arsenal => "arsenal",
            Category::Techniques => "techniques",
            Category::Entities => "entities",
            Category::Locations => "locations",
        }
    }

    /// The navigation icon.
    pub const fn icon(self) -> Icon {
        match self {
            Category::Analyses => Icon::Report,
            Category::Cases => Icon::Case,
            Category::Events => Icon::Event,
            Category::Observations => Icon::Observable,
            Category::Threats => Icon::ThreatActor,
            Category::Arsenal => Icon::Malware,
            Category::Techniques => Icon::AttackPattern,
            Category::Entities => Icon::Identity,
            Category::Locations => Icon::Location,
        }
    }

    /// The category whose slug is `slug`.
    pub fn from_slug(slug: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.slug() == slug)
    }

    /// The kinds shown under this category, in navigation order.
    pub fn kinds(self) -> impl Iterator<Item = &'static Kind> {
        KINDS.iter().filter(move |k| k.category == self)
    }
}

/// How a kind is written in STIX 2.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StixMapping {
    /// A STIX object type of its own, e.g. `intrusion-set`.
    Type(&'static str),
    /// An `identity` with this `identity_class`.
    Identity(&'static str),
    /// A `location` with this `x_opencti_location_type`.
    Location(&'static str),
    /// A `threat-actor` with this `x_opencti_type`.
    ThreatActor(&'static str),
    /// Every STIX Cyber-observable type (the observables list).
    Observables,
}

impl StixMapping {
    /// The STIX `type` property objects of this kind carry.
    pub const fn stix_type(self) -> &'static str {
        match self {
            StixMapping::Type(t) => t,
            StixMapping::Identity(_) => "identity",
            StixMapping::Location(_) => "location",
            StixMapping::ThreatActor(_) => "threat-actor",
            StixMapping::Observables => "stix-cyber-observable",
        }
    }
}

/// One entity kind of the platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kind {
    /// OpenCTI's entity type name, e.g. `Intrusion-Set`.
    pub name: &'static str,
    /// How it maps to STIX.
    pub stix: StixMapping,
    /// Where it sits in the navigation.
    pub category: Category,
    /// The URL segment under its category, e.g. `intrusion-sets`.
    pub slug: &'static str,
    /// Singular display name, e.g. `Intrusion set`.
    pub label: &'static str,
    /// Plural display name, e.g. `Intrusion sets`.
    pub plural: &'static str,
    pub icon: Icon,
    /// CSS colour, used for icons, chips and graph nodes.
    pub color: &'static str,
}

impl Kind {
    /// The kind named `name` (OpenCTI entity type), if any.
    pub fn by_name(name: &str) -> Option<&'static Kind> {
        KINDS.iter().find(|k| k.name.eq_ignore_ascii_case(name))
    }

    /// The kind at `/{category}/{slug}`, if any.
    pub fn by_slug(category: Category, slug: &str) -> Option<&'static Kind> {
        category.kinds().find(|k| k.slug == slug)
    }

    /// The path of this kind's list page, e.g. `/threats/intrusion-sets`.
    pub fn path(&self) -> String {
        format!("/{}/{}", self.category.slug(), self.slug)
    }

    /// The kind a STIX object belongs to: by its type, then for identities,
    /// locations and threat actors by the property that tells them apart.
    /// `None` for what is not an entity (relationships, marking definitions,
    /// extension definitions, language contents).
    pub fn of_object(object: &Object<'_>) -> Option<&'static Kind> {
        let stix_type = object.get_str("type")?;
        let class = match stix_type {
            "identity" => match object.get_str("identity_class") {
                Some(class @ ("class" | "organization" | "system" | "individual")) => class,
                Some("securityplatform") => "securityplatform",
                // `group`, `unknown` or absent: OpenCTI files these as organizations.
                _ => "organization",
            },
            "location" => object
                .get_str("x_opencti_location_type")
                .filter(|t| Kind::by_name(t).is_some())
                .unwrap_or_else(|| location_class(object)),
            "threat-actor" => match object.get_str("x_opencti_type") {
                Some("Threat-Actor-Individual") => "Threat-Actor-Individual",
                _ => "Threat-Actor-Group",
            },
            _ => return Kind::of_type(stix_type),
        };
        KINDS.iter().find(|k| match k.stix {
            StixMapping::Identity(c) | StixMapping::Location(c) | StixMapping::ThreatActor(c) => {
                k.stix.stix_type() == stix_type && c.eq_ignore_ascii_case(class)
            }
            _ => false,
        })
    }

    /// The kind of objects of a STIX type that needs no class to tell it apart
    /// (every observable type but `artifact` is an Observable).
    pub fn of_type(stix_type: &str) -> Option<&'static Kind> {
        KINDS
            .iter()
            .find(|k| matches!(k.stix, StixMapping::Type(t) if t == stix_type))
            .or_else(|| {
                crate::types::is_sco_type(stix_type)
                    .then(|| KINDS.iter().find(|k| k.stix == StixMapping::Observables))
                    .flatten()
            })
    }
}

/// A location without `x_opencti_location_type`, judged by what it gives.
fn location_class(object: &Object<'_>) -> &'static str {
    let has = |key| object.get(key).is_some();
    if has("latitude") && has("longitude") {
        "Position"
    } else if has("city") || has("street_address") {
        "City"
    } else if has("administrative_area") {
        "Administrative-Area"
    } else if has("country") {
        "Country"
    } else {
        "Region"
    }
}

macro_rules! kinds {
    ($($name:literal, $stix:expr, $cat:ident, $slug:literal, $label:literal, $plural:literal, $icon:ident, $color:literal;)*) => {
        /// Every entity kind, grouped by category in navigation order.
        pub const KINDS: &[Kind] = &[
            $(Kind {
                name: $name,
                stix: $stix,
                category: Category::$cat,
                slug: $slug,
                label: $label,
                plural: $plural,
                icon: Icon::$icon,
                color: $color,
            },)*
        ];
    };
}

use StixMapping::{Identity, Location, Observables, ThreatActor, Type};

kinds! {
    "Report", Type("report"), Analyses, "reports", "Report", "Reports", Report, "#4f8ff7";
    "Grouping", Type("grouping"), Analyses, "groupings", "Grouping", "Groupings", Grouping, "#5c9ded";
    "Malware-Analysis", Type("malware-analysis"), Analyses, "malware-analyses", "Malware analysis", "Malware analyses", Malware, "#6a8ee0";
    "Note", Type("note"), Analyses, "notes", "Note", "Notes", Note, "#7d8fd8";
    "Opinion", Type("opinion"), Analyses, "opinions", "Opinion", "Opinions", Note, "#8b86d0";
    "Case-Incident", Type("x-opencti-case-incident"), Cases, "incident-responses", "Incident response", "Incident responses", Case, "#e0794f";
    "Case-Rfi", Type("x-opencti-case-rfi"), Cases, "requests-for-information", "Request for information", "Requests for information", Case, "#e08a4f";
    "Case-Rft", Type("x-opencti-case-rft"), Cases, "requests-for-takedown", "Request for takedown", "Requests for takedown", Case, "#e09b4f";
    "Task", Type("x-opencti-task"), Cases, "tasks", "Task", "Tasks", Task, "#d3a34a";
    "Feedback", Type("x-opencti-feedback"), Cases, "feedbacks", "Feedback", "Feedbacks", Note, "#c9a94f";
    "Incident", Type("incident"), Events, "incidents", "Incident", "Incidents", Incident, "#e5484d";
    "Stix-Sighting-Relationship", Type("sighting"), Events, "sightings", "Sighting", "Sightings", Sighting, "#e86a6e";
    "Observed-Data", Type("observed-data"), Events, "observed-data", "Observed data", "Observed data", Observable, "#ea8a8d";
    "Stix-Cyber-Observable", Observables, Observations, "observables", "Observable", "Observables", Observable, "#3fb68b";
    "Artifact", Type("artifact"), Observations, "artifacts", "Artifact", "Artifacts", Observable, "#46a37f";
    "Indicator", Type("indicator"), Observations, "indicators", "Indicator", "Indicators", Indicator, "#2fa675";
    "Infrastructure", Type("infrastructure"), Observations, "infrastructures", "Infrastructure", "Infrastructures", Infrastructure, "#5a9c84";
    "Threat-Actor-Group", ThreatActor("Threat-Actor-Group"), Threats, "threat-actor-groups", "Threat actor (group)", "Threat actors (group)", ThreatActor, "#d6336c";
    "Threat-Actor-Individual", ThreatActor("Threat-Actor-Individual"), Threats, "threat-actor-individuals", "Threat actor (individual)", "Threat actors (individual)", ThreatActor, "#c2255c";
    "Intrusion-Set", Type("intrusion-set"), Threats, "intrusion-sets", "Intrusion set", "Intrusion sets", IntrusionSet, "#ae3ec9";
    "Campaign", Type("campaign"), Threats, "campaigns", "Campaign", "Campaigns", Campaign, "#9c36b5";
    "Malware", Type("malware"), Arsenal, "malwares", "Malware", "Malware", Malware, "#f76707";
    "Channel", Type("channel"), Arsenal, "channels", "Channel", "Channels", Channel, "#e8590c";
    "Tool", Type("tool"), Arsenal, "tools", "Tool", "Tools", Tool, "#d9480f";
    "Vulnerability", Type("vulnerability"), Arsenal, "vulnerabilities", "Vulnerability", "Vulnerabilities", Vulnerability, "#c92a2a";
    "Attack-Pattern", Type("attack-pattern"), Techniques, "attack-patterns", "Attack pattern", "Attack patterns", AttackPattern, "#7048e8";
    "Narrative", Type("narrative"), Techniques, "narratives", "Narrative", "Narratives", Narrative, "#6741d9";
    "Course-Of-Action", Type("course-of-action"), Techniques, "courses-of-action", "Course of action", "Courses of action", CourseOfAction, "#5f3dc4";
    "Data-Component", Type("x-mitre-data-component"), Techniques, "data-components", "Data component", "Data components", DataSource, "#845ef7";
    "Data-Source", Type("x-mitre-data-source"), Techniques, "data-sources", "Data source", "Data sources", DataSource, "#9775fa";
    "Sector", Identity("class"), Entities, "sectors", "Sector", "Sectors", Sector, "#1c7ed6";
    "Event", Type("event"), Entities, "events", "Event", "Events", Event, "#1971c2";
    "Organization", Identity("organization"), Entities, "organizations", "Organization", "Organizations", Organization, "#1864ab";
    "System", Identity("system"), Entities, "systems", "System", "Systems", System, "#228be6";
    "Individual", Identity("individual"), Entities, "individuals", "Individual", "Individuals", Identity, "#339af0";
    "Security-Platform", Identity("securityplatform"), Entities, "security-platforms", "Security platform", "Security platforms", System, "#4dabf7";
    "Language", Type("language"), Entities, "languages", "Language", "Languages", Note, "#5c7cfa";
    "Region", Location("Region"), Locations, "regions", "Region", "Regions", Location, "#0ca678";
    "Country", Location("Country"), Locations, "countries", "Country", "Countries", Location, "#099268";
    "Administrative-Area", Location("Administrative-Area"), Locations, "administrative-areas", "Administrative area", "Administrative areas", Location, "#087f5b";
    "City", Location("City"), Locations, "cities", "City", "Cities", Location, "#20c997";
    "Position", Location("Position"), Locations, "positions", "Position", "Positions", Location, "#38d9a9";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_and_paths_are_unique() {
        let names: HashSet<_> = KINDS.iter().map(|k| k.name).collect();
        assert_eq!(names.len(), KINDS.len(), "duplicate kind name");
        let paths: HashSet<_> = KINDS.iter().map(Kind::path).collect();
        assert_eq!(paths.len(), KINDS.len(), "duplicate kind path");
    }

    #[test]
    fn every_category_has_kinds_and_round_trips_its_slug() {
        for category in Category::ALL {
            assert!(category.kinds().count() > 0, "{category:?} is empty");
            assert_eq!(Category::from_slug(category.slug()), Some(category));
        }
        assert_eq!(Category::from_slug("nowhere"), None);
    }

    fn kind_of(json: &str) -> Option<&'static str> {
        let object: Object<'_> = serde_json::from_str(json).expect("test JSON");
        Kind::of_object(&object).map(|k| k.name)
    }

    #[test]
    fn objects_find_their_kind() {
        assert_eq!(
            kind_of(r#"{"type":"intrusion-set"}"#),
            Some("Intrusion-Set")
        );
        assert_eq!(kind_of(r#"{"type":"artifact"}"#), Some("Artifact"));
        assert_eq!(
            kind_of(r#"{"type":"ipv4-addr"}"#),
            Some("Stix-Cyber-Observable")
        );
        assert_eq!(
            kind_of(r#"{"type":"identity","identity_class":"class"}"#),
            Some("Sector")
        );
        assert_eq!(
            kind_of(r#"{"type":"identity","identity_class":"unknown"}"#),
            Some("Organization")
        );
        assert_eq!(kind_of(r#"{"type":"identity"}"#), Some("Organization"));
        assert_eq!(
            kind_of(r#"{"type":"identity","identity_class":"securityplatform"}"#),
            Some("Security-Platform")
        );
        assert_eq!(
            kind_of(r#"{"type":"threat-actor"}"#),
            Some("Threat-Actor-Group")
        );
        assert_eq!(
            kind_of(r#"{"type":"threat-actor","x_opencti_type":"Threat-Actor-Individual"}"#),
            Some("Threat-Actor-Individual")
        );
        assert_eq!(
            kind_of(r#"{"type":"location","x_opencti_location_type":"City"}"#),
            Some("City")
        );
        assert_eq!(
            kind_of(r#"{"type":"location","country":"FR"}"#),
            Some("Country")
        );
        assert_eq!(
            kind_of(r#"{"type":"location","latitude":1.5,"longitude":2}"#),
            Some("Position")
        );
        assert_eq!(
            kind_of(r#"{"type":"location","region":"europe"}"#),
            Some("Region")
        );
        assert_eq!(
            kind_of(r#"{"type":"sighting"}"#),
            Some("Stix-Sighting-Relationship")
        );
        assert_eq!(kind_of(r#"{"type":"relationship"}"#), None);
        assert_eq!(kind_of(r#"{"type":"marking-definition"}"#), None);
    }

    #[test]
    fn kinds_are_found_by_name_and_slug() {
        let set = Kind::by_name("intrusion-set").expect("Intrusion-Set is registered");
        assert_eq!(set.stix.stix_type(), "intrusion-set");
        assert_eq!(set.path(), "/threats/intrusion-sets");
        assert_eq!(
            Kind::by_slug(Category::Threats, "intrusion-sets"),
            Some(set)
        );
        assert_eq!(Kind::by_slug(Category::Arsenal, "intrusion-sets"), None);
        let sector = Kind::by_name("Sector").expect("Sector is registered");
        assert_eq!(sector.stix, StixMapping::Identity("class"));
        assert_eq!(sector.stix.stix_type(), "identity");
    }

    #[test]
    fn stix_kinds_map_to_declared_types_and_custom_ones_to_extensions() {
        for kind in KINDS {
            let ty = kind.stix.stix_type();
            let declared = crate::types::TypeDef::get(ty).is_some();
            let custom = matches!(
                ty,
                "channel" | "narrative" | "event" | "language" | "stix-cyber-observable"
            ) || ty.starts_with("x-");
            assert!(
                declared != custom,
                "{}: `{ty}` is neither a STIX 2.1 type nor a known extension",
                kind.name
            );
        }
    }

    #[test]
    fn colours_are_css_hex() {
        for kind in KINDS {
            let hex = kind.color.strip_prefix('#').expect("colour starts with #");
            assert_eq!(hex.len(), 6, "{}", kind.name);
            assert!(hex.chars().all(|c| c.is_ascii_hexdigit()), "{}", kind.name);
        }
    }
}
