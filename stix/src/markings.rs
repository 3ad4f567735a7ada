//! The Traffic Light Protocol marking definitions with their well-known ids:
//! TLP 1.0 (built into STIX 2.1, §7.2.1.4) and TLP 2.0 (the OASIS extension).
//! `order` ranks levels within a scheme (a clearance for one level covers the
//! lower ones of the same scheme).

use serde_json::json;

/// The extension definition TLP 2.0 markings use.
pub const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// One well-known marking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlp {
    pub id: &'static str,
    /// `TLP:AMBER+STRICT`, as displayed.
    pub name: &'static str,
    /// The level as written in the definition, e.g. `amber+strict`.
    pub level: &'static str,
    /// 1 for TLP 1.0, 2 for TLP 2.0.
    pub version: u8,
    /// Rank within its version, lowest is the most shareable.
    pub order: u8,
    /// CSS colour for chips.
    pub color: &'static str,
}

/// Every TLP marking, TLP 2.0 first.
pub const TLP: &[Tlp] = &[
    Tlp {
        id: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        name: "TLP:CLEAR",
        level: "clear",
        version: 2,
        order: 0,
        color: "#ffffff",
    },
    Tlp {
        id: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        name: "TLP:GREEN",
        level: "green",
        version: 2,
        order: 1,
        color: "#2e7d32",
    },
    Tlp {
        id: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        name: "TLP:AMBER",
        level: "amber",
        version: 2,
        order: 2,
        color: "#d68100",
    },
    Tlp {
        id: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        name: "TLP:AMBER+STRICT",
        level: "amber+strict",
        version: 2,
        order: 3,
        color: "#d68100",
    },
    Tlp {
        id: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        name: "TLP:RED",
        level: "red",
        version: 2,
        order: 4,
        color: "#c62828",
    },
    Tlp {
        id: "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        name: "TLP:WHITE",
        level: "white",
        version: 1,
        order: 0,
        color: "#ffffff",
    },
    Tlp {
        id: "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
        name: "TLP:GREEN",
        level: "green",
        version: 1,
        order: 1,
        color: "#2e7d32",
    },
    Tlp {
        id: "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
        name: "TLP:AMBER",
        level: "amber",
        version: 1,
        order: 2,
        color: "#d68100",
    },
    Tlp {
        id: "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
        name: "TLP:RED",
        level: "red",
        version: 1,
        order: 3,
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
        if self.version == 1 {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Json, Object};

    #[test]
    fn the_published_definitions_are_valid_stix() {
        for tlp in TLP {
            let Json::Object(object) = Json::from_value(&tlp.to_stix()) else {
                panic!()
            };
            let report = crate::validate::validate(&object);
            assert!(report.is_valid(), "{}: {:?}", tlp.name, report.issues);
            assert_eq!(Tlp::by_id(tlp.id), Some(tlp));
        }
        let _ = Object::default();
    }
}
