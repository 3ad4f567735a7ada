//! Who may do what: capabilities, what each implies, and the default roles.
//!
//! After OpenCTI's: a role is a set of capabilities; a user holds the
//! capabilities of every role of every group they are in. Capabilities form a
//! tree and a capability implies the ones below it (its children): deleting
//! knowledge implies editing it, editing implies reading it, and `Bypass`
//! implies everything, markings included. Pure data: the server enforces it
//! (every server function names the capability it needs), the client uses the
//! same table to hide what the user cannot do.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

/// One capability. The serialized form is the code (`KNOWLEDGE_KNUPDATE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Capability {
    /// Everything, and every object whatever its markings.
    #[serde(rename = "BYPASS")]
    Bypass,
    /// Read the knowledge base.
    #[serde(rename = "KNOWLEDGE")]
    Knowledge,
    /// Create and update knowledge.
    #[serde(rename = "KNOWLEDGE_KNUPDATE")]
    KnowledgeUpdate,
    /// Delete knowledge (and restore it from the trash).
    #[serde(rename = "KNOWLEDGE_KNUPDATE_KNDELETE")]
    KnowledgeDelete,
    /// Upload files and import them.
    #[serde(rename = "KNOWLEDGE_KNASKIMPORT")]
    Import,
    /// Export knowledge.
    #[serde(rename = "KNOWLEDGE_KNGETEXPORT")]
    Export,
    /// Create and manage investigations and dashboards.
    #[serde(rename = "EXPLORE")]
    Explore,
    /// Manage connectors and run them (the role of connector accounts).
    #[serde(rename = "CONNECTORAPI")]
    Connectors,
    /// Manage users, groups, roles, organizations, markings and settings.
    #[serde(rename = "SETTINGS")]
    Settings,
}

impl Capability {
    /// Every capability, in the order the role editor shows them.
    pub const ALL: &'static [Capability] = &[
        Capability::Bypass,
        Capability::Knowledge,
        Capability::KnowledgeUpdate,
        Capability::KnowledgeDelete,
        Capability::Import,
        Capability::Export,
        Capability::Explore,
        Capability::Connectors,
        Capability::Settings,
    ];

    /// The stable code, as stored and sent.
    pub fn code(self) -> &'static str {
        match self {
            Capability::Bypass => "BYPASS",
            Capability::Knowledge => "KNOWLEDGE",
            Capability::KnowledgeUpdate => "KNOWLEDGE_KNUPDATE",
            Capability::KnowledgeDelete => "KNOWLEDGE_KNUPDATE_KNDELETE",
            Capability::Import => "KNOWLEDGE_KNASKIMPORT",
            Capability::Export => "KNOWLEDGE_KNGETEXPORT",
            Capability::Explore => "EXPLORE",
            Capability::Connectors => "CONNECTORAPI",
            Capability::Settings => "SETTINGS",
        }
    }

    /// The capability with this code.
    pub fn from_code(code: &str) -> Option<Capability> {
        Capability::ALL.iter().copied().find(|c| c.code() == code)
    }

    /// What people read.
    pub fn label(self) -> &'static str {
        match self {
            Capability::Bypass => "Bypass all capabilities and markings",
            Capability::Knowledge => "Access knowledge",
            Capability::KnowledgeUpdate => "Create and update knowledge",
            Capability::KnowledgeDelete => "Delete knowledge",
            Capability::Import => "Upload and import files",
            Capability::Export => "Export knowledge",
            Capability::Explore => "Manage investigations and dashboards",
            Capability::Connectors => "Manage connectors",
            Capability::Settings => "Manage users and settings",
        }
    }

    /// The capabilities directly below this one.
    pub fn children(self) -> &'static [Capability] {
        match self {
            Capability::Bypass => &[
                Capability::KnowledgeDelete,
                Capability::Import,
                Capability::Export,
                Capability::Explore,
                Capability::Connectors,
                Capability::Settings,
            ],
            Capability::KnowledgeDelete => &[Capability::KnowledgeUpdate],
            Capability::KnowledgeUpdate
            | Capability::Import
            | Capability::Export
            | Capability::Explore => &[Capability::Knowledge],
            Capability::Connectors => &[Capability::Import, Capability::KnowledgeUpdate],
            Capability::Knowledge | Capability::Settings => &[],
        }
    }

    /// Whether holding `self` grants `other` (itself or anything below it).
    pub fn implies(self, other: Capability) -> bool {
        self == other || self.children().iter().any(|c| c.implies(other))
    }
}

/// The capabilities a user holds, closed under implication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities(BTreeSet<Capability>);

impl Capabilities {
    /// The closure of `held`: each capability with everything it implies.
    pub fn from_held(held: impl IntoIterator<Item = Capability>) -> Capabilities {
        let mut all = BTreeSet::new();
        for capability in held {
            for candidate in Capability::ALL {
                if capability.implies(*candidate) {
                    all.insert(*candidate);
                }
            }
        }
        Capabilities(all)
    }

    /// The closure of the capabilities with these codes (unknown codes are ignored).
    pub fn from_codes<'a>(codes: impl IntoIterator<Item = &'a str>) -> Capabilities {
        Capabilities::from_held(codes.into_iter().filter_map(Capability::from_code))
    }

    /// Whether `capability` is held.
    pub fn allows(&self, capability: Capability) -> bool {
        self.0.contains(&capability)
    }

    /// Whether markings are bypassed.
    pub fn bypass(&self) -> bool {
        self.allows(Capability::Bypass)
    }

    pub fn iter(&self) -> impl Iterator<Item = Capability> + '_ {
        self.0.iter().copied()
    }
}

/// A role created with every new platform.
#[derive(Debug, Clone, Copy)]
pub struct DefaultRole {
    pub key: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub capabilities: &'static [Capability],
}

/// Administrator, Analyst, Viewer and Connector.
pub const DEFAULT_ROLES: &[DefaultRole] = &[
    DefaultRole {
        key: "administrator",
        name: "Administrator",
        description: "Everything, whatever the markings.",
        capabilities: &[Capability::Bypass],
    },
    DefaultRole {
        key: "analyst",
        name: "Analyst",
        description: "Reads, creates, edits, deletes, imports and exports knowledge; investigations and dashboards.",
        capabilities: &[
            Capability::KnowledgeDelete,
            Capability::Import,
            Capability::Export,
            Capability::Explore,
        ],
    },
    DefaultRole {
        key: "viewer",
        name: "Viewer",
        description: "Reads knowledge, nothing else.",
        capabilities: &[Capability::Knowledge],
    },
    DefaultRole {
        key: "connector",
        name: "Connector",
        description: "For connector and script accounts: imports and writes knowledge.",
        capabilities: &[Capability::Connectors],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_serialize_as_codes() {
        for capability in Capability::ALL {
            assert_eq!(Capability::from_code(capability.code()), Some(*capability));
            let json = serde_json::to_string(capability).expect("serialize");
            assert_eq!(json, format!("\"{}\"", capability.code()));
        }
        assert_eq!(Capability::from_code("NOPE"), None);
    }

    #[test]
    fn parents_imply_their_children_and_not_the_reverse() {
        assert!(Capability::KnowledgeDelete.implies(Capability::KnowledgeUpdate));
        assert!(Capability::KnowledgeDelete.implies(Capability::Knowledge));
        assert!(!Capability::KnowledgeUpdate.implies(Capability::KnowledgeDelete));
        assert!(!Capability::Knowledge.implies(Capability::KnowledgeUpdate));
        assert!(Capability::Connectors.implies(Capability::Import));
        assert!(!Capability::Settings.implies(Capability::Knowledge));
        for capability in Capability::ALL {
            assert!(Capability::Bypass.implies(*capability), "{capability:?}");
            assert!(capability.implies(*capability));
        }
    }

    #[test]
    fn default_roles_hold_what_their_names_say() {
        let role = |key: &str| {
            let role = DEFAULT_ROLES.iter().find(|r| r.key == key).expect("role");
            Capabilities::from_held(role.capabilities.iter().copied())
        };
        let viewer = role("viewer");
        assert!(viewer.allows(Capability::Knowledge));
        assert!(
            Capability::ALL
                .iter()
                .filter(|c| **c != Capability::Knowledge)
                .all(|c| !viewer.allows(*c))
        );
        let analyst = role("analyst");
        assert!(
            analyst.allows(Capability::KnowledgeDelete) && analyst.allows(Capability::Knowledge)
        );
        assert!(!analyst.allows(Capability::Settings) && !analyst.bypass());
        assert!(role("administrator").bypass());
        let connector = role("connector");
        assert!(
            connector.allows(Capability::Import) && !connector.allows(Capability::KnowledgeDelete)
        );
    }
}
