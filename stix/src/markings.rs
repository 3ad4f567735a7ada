//! The well-known marking definitions: the Traffic Light Protocol, TLP 1.0
//! (built into STIX 2.1, §7.2.1.4) and TLP 2.0 (the OASIS extension), and the
//! Permissible Actions Protocol (PAP, as OpenCTI publishes it), with their ids.
//!
//! `order` ranks levels within a scheme on one scale for both TLP versions
//! (CLEAR/WHITE 0, GREEN 1, AMBER 2, AMBER+STRICT 3, RED 4): a clearance for
//! one level covers the lower ones of the same scheme. [`rank`] gives the
//! scheme and order of any marking definition, custom ones included
//! (`x_opencti_definition_type`/`x_opencti_order`, as OpenCTI writes them).

use serde_json::json;

/// The extension definition TLP 2.0 markings use.
pub const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// One well-known marking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlp {
    pub id: &'static str,
    /// `TLP` or `PAP`.
    pub scheme: &'static str,
    /// `TLP:AMBER+STRICT`, as displayed.
    pub name: &'static str,
    /// The level as written in the definition, e.g. `amber+strict`.
    pub level: &'static str,
    /// 1 for TLP 1.0, 2 for TLP 2.0 (and PAP).
    pub version: u8,
    /// Rank within its version, lowest is the most shareable.
    pub order: u8,
    /// CSS colour for chips.
    pub color: &'static str,
}

/// Every well-known marking: TLP 2.0, TLP 1.0, then PAP.
pub const TLP: &[Tlp] = &[
    Tlp {
        id: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        scheme: "TLP",
        name: "TLP:CLEAR",
        level: "clear",
        version: 2,
        order: 0,
        color: "#ffffff",
    },
    Tlp {
        id: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        scheme: "TLP",
        name: "TLP:GREEN",
        level: "green",
        version: 2,
        order: 1,
        color: "#2e7d32",
    },
    Tlp {
        id: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        scheme: "TLP",
        name: "TLP:AMBER",
        level: "amber",
        version: 2,
        order: 2,
        color: "#d68100",
    },
    Tlp {
        id: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        scheme: "TLP",
        name: "TLP:AMBER+STRICT",
        level: "amber+strict",
        version: 2,
        order: 3,
        color: "#d68100",
    },
    Tlp {
        id: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        scheme: "TLP",
        name: "TLP:RED",
        level: "red",
        version: 2,
        order: 4,
        color: "#c62828",
    },
    Tlp {
        id: "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        scheme: "TLP",
        name: "TLP:WHITE",
        level: "white",
        version: 1,
        order: 0,
        color: "#ffffff",
    },
    Tlp {
        id: "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        scheme: "TLP",
        name: "TLP:GREEN",
        level: "green",
        version: 1,
        order: 1,
        color: "#2e7d32",
    },
    Tlp {
        id: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        scheme: "TLP",
        name: "TLP:AMBER",
        level: "amber",
        version: 1,
        order: 2,
        color: "#d68100",
    },
    Tlp {
        id: "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        scheme: "TLP",
        name: "TLP:RED",
        level: "red",
        version: 1,
        order: 4,
        color: "#c62828",
    },
    Tlp {
        id: "marking-definition--26979557-61e2-53af-9f86-da03b443d465",
        scheme: "PAP",
        name: "PAP:CLEAR",
        level: "clear",
        version: 2,
        order: 0,
        color: "#ffffff",
    },
    Tlp {
        id: "marking-definition--93fad522-2703-570f-9b4f-404c5deb1e06",
        scheme: "PAP",
        name: "PAP:GREEN",
        level: "green",
        version: 2,
        order: 1,
        color: "#2e7d32",
    },
    Tlp {
        id: "marking-definition--0863948a-7b79-5cba-b409-348708d739c8",
        scheme: "PAP",
        name: "PAP:AMBER",
        level: "amber",
        version: 2,
        order: 2,
        color: "#d68100",
    },
    Tlp {
        id: "marking-definition--2dca4733-ddf5-5b69-9774-dc74dc249d18",
        scheme: "PAP",
        name: "PAP:RED",
        level: "red",
        version: 2,
        order: 4,
        color: "#c62828",
    },
];

impl Tlp {
    /// The well-known marking with this id.
    pub fn by_id(id: &str) -> Option<&'static Tlp> {
        TLP.iter().find(|t| t.id == id)
    }

    /// The marking definition object, exactly as the specifications publish it.
    pub fn to_stix(&self) -> serde_json::Value {
        if self.scheme == "PAP" {
            json!({
                "type": "marking-definition",
                "spec_version": "2.1",
                "id": self.id,
                "created": "2022-01-01T00:00:00.000Z",
                "definition_type": "statement",
                "name": self.name,
                "definition": { "statement": self.name },
                "x_opencti_definition_type": "PAP",
                "x_opencti_order": self.order,
                "x_opencti_color": self.color,
            })
        } else if self.version == 1 {
            json!({
                "type": "marking-definition",
                "spec_version": "2.1",
                "id": self.id,
                "created": "2017-01-20T00:00:00.000Z",
                "definition_type": "tlp",
                "name": self.name,
                "definition": { "tlp": self.level },
            })
        } else {
            json!({
                "type": "marking-definition",
                "spec_version": "2.1",
                "id": self.id,
                "created": "2022-10-01T00:00:00.000Z",
                "name": self.name,
                "extensions": {
                    TLP2_EXTENSION: { "extension_type": "property-extension", "tlp_2_0": self.level }
                },
            })
        }
    }
}

/// The scheme (`TLP`, `PAP`, or a custom one) and order of a marking
/// definition: well-known ones by id; others from `x_opencti_definition_type`
/// (else `definition_type`) and `x_opencti_order` (else 0).
pub fn rank(object: &crate::json::Object<'_>) -> Option<(String, i64)> {
    if object.get_str("type") != Some("marking-definition") {
        return None;
    }
    if let Some(known) = object.get_str("id").and_then(Tlp::by_id) {
        return Some((known.scheme.to_owned(), i64::from(known.order)));
    }
    let scheme = object
        .get_str("x_opencti_definition_type")
        .or(object.get_str("definition_type"))
        .unwrap_or("statement");
    let scheme = if scheme.eq_ignore_ascii_case("tlp") {
        "TLP".to_owned()
    } else {
        scheme.to_owned()
    };
    let order = object
        .get("x_opencti_order")
        .and_then(crate::json::Json::as_i64)
        .unwrap_or(0);
    Some((scheme, order))
}

/// What a marking definition is called: its `name`, a well-known one's name,
/// else its statement (cut to 40 characters) or TLP colour.
pub fn display_name(object: &crate::json::Object<'_>) -> Option<String> {
    if let Some(name) = object.get_str("name") {
        return Some(name.to_owned());
    }
    if let Some(known) = object.get_str("id").and_then(Tlp::by_id) {
        return Some(known.name.to_owned());
    }
    let definition = object.get("definition")?.as_object()?;
    if let Some(statement) = definition.get_str("statement") {
        let cut: String = statement.chars().take(40).collect();
        let more = if cut.len() < statement.len() {
            "…"
        } else {
            ""
        };
        return Some(format!("{}{more}", cut.trim_end()));
    }
    definition
        .get_str("tlp")
        .map(|tlp| format!("TLP:{}", tlp.to_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Json, Object};

    #[test]
    fn unnamed_markings_are_called_by_their_statement() {
        let statement: Object<'_> = serde_json::from_str(
            r#"{"type":"marking-definition","id":"marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168","definition_type":"statement","definition":{"statement":"Copyright 2015-2025, The MITRE Corporation. MITRE ATT&CK and ATT&CK are registered trademarks."}}"#,
        )
        .expect("json");
        assert_eq!(
            display_name(&statement).as_deref(),
            Some("Copyright 2015-2025, The MITRE Corporati…")
        );
        let named: Object<'_> =
            serde_json::from_str(r#"{"type":"marking-definition","name":"Internal"}"#)
                .expect("json");
        assert_eq!(display_name(&named).as_deref(), Some("Internal"));
    }

    #[test]
    fn the_published_definitions_are_valid_stix() {
        for tlp in TLP {
            let Json::Object(object) = Json::from_value(&tlp.to_stix()) else {
                panic!()
            };
            let report = crate::validate::validate(&object);
            assert!(report.is_valid(), "{}: {:?}", tlp.name, report.issues);
            assert_eq!(Tlp::by_id(tlp.id), Some(tlp));
            assert_eq!(
                rank(&object),
                Some((tlp.scheme.to_owned(), i64::from(tlp.order)))
            );
        }
        // The two TLP versions share one scale.
        let red = |version| {
            TLP.iter()
                .find(|t| t.level == "red" && t.version == version && t.scheme == "TLP")
        };
        assert_eq!(red(1).map(|t| t.order), red(2).map(|t| t.order));
        let _ = Object::default();
    }
}
