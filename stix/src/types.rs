//! Every STIX 2.1 object type and its properties, declared once.
//!
//! A [`TypeDef`] lists a type's own properties with their value types; the
//! properties common to its family (SDO, SRO, SCO, meta) come from the family.
//! Validation, deterministic ids and (later) forms and storage read this table.

use crate::vocab as v;

/// The kind of STIX object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// STIX Domain Object.
    Sdo,
    /// STIX Relationship Object.
    Sro,
    /// STIX Cyber-observable Object.
    Sco,
    /// Marking definitions, language content and extension definitions.
    Meta,
}

/// The value a property holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PropType {
    String,
    Timestamp,
    Bool,
    Integer {
        min: i64,
        max: i64,
    },
    Float {
        min: f64,
        max: f64,
    },
    /// An identifier of an object of one of these types; empty means any type.
    Ref(&'static [&'static str]),
    /// An identifier of any cyber observable.
    ScoRef,
    /// An identifier of any domain object.
    SdoRef,
    /// A non-empty list.
    List(&'static PropType),
    /// A closed vocabulary: other values are errors.
    Enum(&'static [&'static str]),
    /// An open vocabulary: other values are warnings.
    Vocab(&'static [&'static str]),
    /// A hashes dictionary (algorithm → digest).
    Hashes,
    /// Base64-encoded bytes.
    Binary,
    /// Hex-encoded bytes.
    Hex,
    /// Any JSON object.
    Dict,
    /// An object with these properties.
    Struct(&'static [Prop]),
    /// Any JSON value.
    Any,
}

/// One property of a type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prop {
    pub name: &'static str,
    pub ty: PropType,
    pub required: bool,
}

const fn opt(name: &'static str, ty: PropType) -> Prop {
    Prop {
        name,
        ty,
        required: false,
    }
}

const fn req(name: &'static str, ty: PropType) -> Prop {
    Prop {
        name,
        ty,
        required: true,
    }
}

use PropType::*;

const STR: PropType = String;
const STRS: PropType = List(&String);
const TS: PropType = Timestamp;
const ANY_REFS: PropType = List(&Ref(&[]));
const COUNT: PropType = Integer {
    min: 0,
    max: 999_999_999,
};
const NON_NEG: PropType = Integer {
    min: 0,
    max: i64::MAX,
};
const PORT: PropType = Integer {
    min: 0,
    max: 65_535,
};

const KILL_CHAIN_PHASE: PropType = Struct(&[req("kill_chain_name", STR), req("phase_name", STR)]);
const EXTERNAL_REFERENCE: PropType = Struct(&[
    req("source_name", STR),
    opt("description", STR),
    opt("url", STR),
    opt("hashes", Hashes),
    opt("external_id", STR),
]);
const GRANULAR_MARKING: PropType = Struct(&[
    opt("lang", STR),
    opt("marking_ref", Ref(&["marking-definition"])),
    req("selectors", STRS),
]);

/// Properties every SDO and SRO has (STIX 2.1 §3.2).
pub const SDO_COMMON: &[Prop] = &[
    req("type", STR),
    req("spec_version", Enum(v::SPEC_VERSION)),
    req("id", STR),
    opt("created_by_ref", Ref(&["identity"])),
    req("created", TS),
    req("modified", TS),
    opt("revoked", Bool),
    opt("labels", STRS),
    opt("confidence", Integer { min: 0, max: 100 }),
    opt("lang", STR),
    opt("external_references", List(&EXTERNAL_REFERENCE)),
    opt("object_marking_refs", List(&Ref(&["marking-definition"]))),
    opt("granular_markings", List(&GRANULAR_MARKING)),
    opt("extensions", Dict),
];

/// Properties every SCO has (STIX 2.1 §3.2).
pub const SCO_COMMON: &[Prop] = &[
    req("type", STR),
    opt("spec_version", Enum(v::SPEC_VERSION)),
    req("id", STR),
    opt("object_marking_refs", List(&Ref(&["marking-definition"]))),
    opt("granular_markings", List(&GRANULAR_MARKING)),
    opt("defanged", Bool),
    opt("extensions", Dict),
];

/// Properties of marking definitions (STIX 2.1 §7.2.1).
pub const MARKING_COMMON: &[Prop] = &[
    req("type", STR),
    req("spec_version", Enum(v::SPEC_VERSION)),
    req("id", STR),
    opt("created_by_ref", Ref(&["identity"])),
    req("created", TS),
    opt("external_references", List(&EXTERNAL_REFERENCE)),
    opt("object_marking_refs", List(&Ref(&["marking-definition"]))),
    opt("granular_markings", List(&GRANULAR_MARKING)),
    opt("extensions", Dict),
];

/// A STIX object type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TypeDef {
    pub name: &'static str,
    pub family: Family,
    /// The type's own properties (the family's common ones are in [`TypeDef::common`]).
    pub props: &'static [Prop],
    /// For SCOs: the properties that make up the deterministic id.
    pub id_contributing: &'static [&'static str],
    /// At least one of these properties must be present.
    pub at_least_one: &'static [&'static str],
}

impl TypeDef {
    /// The definition of STIX type `name`, if it is a STIX 2.1 type.
    pub fn get(name: &str) -> Option<&'static TypeDef> {
        TYPES.iter().find(|t| t.name == name)
    }

    /// The properties common to this type's family.
    pub fn common(&self) -> &'static [Prop] {
        common_props(self.family, self.name)
    }

    /// The definition of property `name`, own or common.
    pub fn prop(&self, name: &str) -> Option<&'static Prop> {
        self.props
            .iter()
            .chain(self.common())
            .find(|p| p.name == name)
    }
}

/// The common properties of a family (marking definitions have their own set).
pub fn common_props(family: Family, type_name: &str) -> &'static [Prop] {
    match family {
        Family::Sco => SCO_COMMON,
        Family::Meta if type_name == "marking-definition" => MARKING_COMMON,
        _ => SDO_COMMON,
    }
}

/// Whether `name` is a STIX 2.1 cyber-observable type.
pub fn is_sco_type(name: &str) -> bool {
    TypeDef::get(name).is_some_and(|t| t.family == Family::Sco)
}

/// Whether objects of type `name` hold others in `object_refs`: reports,
/// groupings, notes, opinions, observed data, and OpenCTI's cases.
pub fn is_container_type(name: &str) -> bool {
    TypeDef::get(name).is_some_and(|t| t.props.iter().any(|p| p.name == "object_refs"))
        || name.starts_with("x-opencti-case-")
}

/// Whether `name` is a STIX 2.1 domain object type.
pub fn is_sdo_type(name: &str) -> bool {
    TypeDef::get(name).is_some_and(|t| t.family == Family::Sdo)
}

const fn sdo(name: &'static str, props: &'static [Prop]) -> TypeDef {
    TypeDef {
        name,
        family: Family::Sdo,
        props,
        id_contributing: &[],
        at_least_one: &[],
    }
}

const fn sco(name: &'static str, props: &'static [Prop], id: &'static [&'static str]) -> TypeDef {
    TypeDef {
        name,
        family: Family::Sco,
        props,
        id_contributing: id,
        at_least_one: &[],
    }
}

const KCP: PropType = List(&KILL_CHAIN_PHASE);
const NET_REF: PropType = Ref(&["ipv4-addr", "ipv6-addr", "mac-addr", "domain-name"]);

/// Every STIX 2.1 object type.
pub const TYPES: &[TypeDef] = &[
    sdo(
        "attack-pattern",
        &[
            req("name", STR),
            opt("description", STR),
            opt("aliases", STRS),
            opt("kill_chain_phases", KCP),
        ],
    ),
    sdo(
        "campaign",
        &[
            req("name", STR),
            opt("description", STR),
            opt("aliases", STRS),
            opt("first_seen", TS),
            opt("last_seen", TS),
            opt("objective", STR),
        ],
    ),
    sdo(
        "course-of-action",
        &[
            req("name", STR),
            opt("description", STR),
            opt("action", Any),
        ],
    ),
    sdo(
        "grouping",
        &[
            opt("name", STR),
            opt("description", STR),
            req("context", Vocab(v::GROUPING_CONTEXT)),
            req("object_refs", ANY_REFS),
        ],
    ),
    sdo(
        "identity",
        &[
            req("name", STR),
            opt("description", STR),
            opt("roles", STRS),
            opt("identity_class", Vocab(v::IDENTITY_CLASS)),
            opt("sectors", List(&Vocab(v::INDUSTRY_SECTOR))),
            opt("contact_information", STR),
        ],
    ),
    sdo(
        "incident",
        &[
            req("name", STR),
            opt("description", STR),
            opt("kill_chain_phases", KCP),
        ],
    ),
    sdo(
        "indicator",
        &[
            opt("name", STR),
            opt("description", STR),
            opt("indicator_types", List(&Vocab(v::INDICATOR_TYPE))),
            req("pattern", STR),
            req("pattern_type", Vocab(v::PATTERN_TYPE)),
            opt("pattern_version", STR),
            req("valid_from", TS),
            opt("valid_until", TS),
            opt("kill_chain_phases", KCP),
        ],
    ),
    sdo(
        "infrastructure",
        &[
            req("name", STR),
            opt("description", STR),
            opt("infrastructure_types", List(&Vocab(v::INFRASTRUCTURE_TYPE))),
            opt("aliases", STRS),
            opt("kill_chain_phases", KCP),
            opt("first_seen", TS),
            opt("last_seen", TS),
        ],
    ),
    sdo(
        "intrusion-set",
        &[
            req("name", STR),
            opt("description", STR),
            opt("aliases", STRS),
            opt("first_seen", TS),
            opt("last_seen", TS),
            opt("goals", STRS),
            opt("resource_level", Vocab(v::ATTACK_RESOURCE_LEVEL)),
            opt("primary_motivation", Vocab(v::ATTACK_MOTIVATION)),
            opt("secondary_motivations", List(&Vocab(v::ATTACK_MOTIVATION))),
        ],
    ),
    TypeDef {
        at_least_one: &["region", "country", "latitude"],
        ..sdo(
            "location",
            &[
                opt("name", STR),
                opt("description", STR),
                opt(
                    "latitude",
                    Float {
                        min: -90.0,
                        max: 90.0,
                    },
                ),
                opt(
                    "longitude",
                    Float {
                        min: -180.0,
                        max: 180.0,
                    },
                ),
                opt(
                    "precision",
                    Float {
                        min: 0.0,
                        max: f64::MAX,
                    },
                ),
                opt("region", Vocab(v::REGION)),
                opt("country", STR),
                opt("administrative_area", STR),
                opt("city", STR),
                opt("street_address", STR),
                opt("postal_code", STR),
            ],
        )
    },
    sdo(
        "malware",
        &[
            opt("name", STR),
            opt("description", STR),
            opt("malware_types", List(&Vocab(v::MALWARE_TYPE))),
            req("is_family", Bool),
            opt("aliases", STRS),
            opt("kill_chain_phases", KCP),
            opt("first_seen", TS),
            opt("last_seen", TS),
            opt("operating_system_refs", List(&Ref(&["software"]))),
            opt(
                "architecture_execution_envs",
                List(&Vocab(v::PROCESSOR_ARCHITECTURE)),
            ),
            opt(
                "implementation_languages",
                List(&Vocab(v::IMPLEMENTATION_LANGUAGE)),
            ),
            opt("capabilities", List(&Vocab(v::MALWARE_CAPABILITIES))),
            opt("sample_refs", List(&Ref(&["file", "artifact"]))),
        ],
    ),
    TypeDef {
        at_least_one: &["result", "analysis_sco_refs"],
        ..sdo(
            "malware-analysis",
            &[
                req("product", STR),
                opt("version", STR),
                opt("host_vm_ref", Ref(&["software"])),
                opt("operating_system_ref", Ref(&["software"])),
                opt("installed_software_refs", List(&Ref(&["software"]))),
                opt("configuration_version", STR),
                opt("modules", STRS),
                opt("analysis_engine_version", STR),
                opt("analysis_definition_version", STR),
                opt("submitted", TS),
                opt("analysis_started", TS),
                opt("analysis_ended", TS),
                opt("result_name", STR),
                opt("result", Vocab(v::MALWARE_RESULT)),
                opt("analysis_sco_refs", List(&ScoRef)),
                opt("sample_ref", Ref(&["file", "artifact", "network-traffic"])),
            ],
        )
    },
    sdo(
        "note",
        &[
            opt("abstract", STR),
            req("content", STR),
            opt("authors", STRS),
            req("object_refs", ANY_REFS),
        ],
    ),
    sdo(
        "observed-data",
        &[
            req("first_observed", TS),
            req("last_observed", TS),
            req(
                "number_observed",
                Integer {
                    min: 1,
                    max: 999_999_999,
                },
            ),
            opt("objects", Dict),
            opt("object_refs", ANY_REFS),
        ],
    ),
    sdo(
        "opinion",
        &[
            opt("explanation", STR),
            opt("authors", STRS),
            req("opinion", Enum(v::OPINION)),
            req("object_refs", ANY_REFS),
        ],
    ),
    sdo(
        "report",
        &[
            req("name", STR),
            opt("description", STR),
            opt("report_types", List(&Vocab(v::REPORT_TYPE))),
            req("published", TS),
            req("object_refs", ANY_REFS),
        ],
    ),
    sdo(
        "threat-actor",
        &[
            req("name", STR),
            opt("description", STR),
            opt("threat_actor_types", List(&Vocab(v::THREAT_ACTOR_TYPE))),
            opt("aliases", STRS),
            opt("first_seen", TS),
            opt("last_seen", TS),
            opt("roles", List(&Vocab(v::THREAT_ACTOR_ROLE))),
            opt("goals", STRS),
            opt("sophistication", Vocab(v::THREAT_ACTOR_SOPHISTICATION)),
            opt("resource_level", Vocab(v::ATTACK_RESOURCE_LEVEL)),
            opt("primary_motivation", Vocab(v::ATTACK_MOTIVATION)),
            opt("secondary_motivations", List(&Vocab(v::ATTACK_MOTIVATION))),
            opt("personal_motivations", List(&Vocab(v::ATTACK_MOTIVATION))),
        ],
    ),
    sdo(
        "tool",
        &[
            req("name", STR),
            opt("description", STR),
            opt("tool_types", List(&Vocab(v::TOOL_TYPE))),
            opt("aliases", STRS),
            opt("kill_chain_phases", KCP),
            opt("tool_version", STR),
        ],
    ),
    sdo(
        "vulnerability",
        &[req("name", STR), opt("description", STR)],
    ),
    TypeDef {
        family: Family::Sro,
        ..sdo(
            "relationship",
            &[
                req("relationship_type", STR),
                opt("description", STR),
                req("source_ref", Ref(&[])),
                req("target_ref", Ref(&[])),
                opt("start_time", TS),
                opt("stop_time", TS),
            ],
        )
    },
    TypeDef {
        family: Family::Sro,
        ..sdo(
            "sighting",
            &[
                opt("description", STR),
                opt("first_seen", TS),
                opt("last_seen", TS),
                opt("count", COUNT),
                req("sighting_of_ref", SdoRef),
                opt("observed_data_refs", List(&Ref(&["observed-data"]))),
                opt("where_sighted_refs", List(&Ref(&["identity", "location"]))),
                opt("summary", Bool),
            ],
        )
    },
    TypeDef {
        family: Family::Meta,
        ..sdo(
            "marking-definition",
            &[
                opt("name", STR),
                opt("definition_type", STR),
                opt("definition", Dict),
            ],
        )
    },
    TypeDef {
        family: Family::Meta,
        ..sdo(
            "language-content",
            &[
                req("object_ref", Ref(&[])),
                opt("object_modified", TS),
                req("contents", Dict),
            ],
        )
    },
    TypeDef {
        family: Family::Meta,
        ..sdo(
            "extension-definition",
            &[
                req("name", STR),
                opt("description", STR),
                req("schema", STR),
                req("version", STR),
                req("extension_types", List(&Enum(v::EXTENSION_TYPE))),
                opt("extension_properties", STRS),
            ],
        )
    },
    TypeDef {
        at_least_one: &[],
        ..sco(
            "artifact",
            &[
                opt("mime_type", STR),
                opt("payload_bin", Binary),
                opt("url", STR),
                opt("hashes", Hashes),
                opt("encryption_algorithm", Enum(v::ENCRYPTION_ALGORITHM)),
                opt("decryption_key", STR),
            ],
            &["hashes", "payload_bin"],
        )
    },
    sco(
        "autonomous-system",
        &[req("number", NON_NEG), opt("name", STR), opt("rir", STR)],
        &["number"],
    ),
    sco(
        "directory",
        &[
            req("path", STR),
            opt("path_enc", STR),
            opt("ctime", TS),
            opt("mtime", TS),
            opt("atime", TS),
            opt("contains_refs", List(&Ref(&["file", "directory"]))),
        ],
        &["path"],
    ),
    sco(
        "domain-name",
        &[
            req("value", STR),
            opt(
                "resolves_to_refs",
                List(&Ref(&["ipv4-addr", "ipv6-addr", "domain-name"])),
            ),
        ],
        &["value"],
    ),
    sco(
        "email-addr",
        &[
            req("value", STR),
            opt("display_name", STR),
            opt("belongs_to_ref", Ref(&["user-account"])),
        ],
        &["value"],
    ),
    sco(
        "email-message",
        &[
            req("is_multipart", Bool),
            opt("date", TS),
            opt("content_type", STR),
            opt("from_ref", Ref(&["email-addr"])),
            opt("sender_ref", Ref(&["email-addr"])),
            opt("to_refs", List(&Ref(&["email-addr"]))),
            opt("cc_refs", List(&Ref(&["email-addr"]))),
            opt("bcc_refs", List(&Ref(&["email-addr"]))),
            opt("message_id", STR),
            opt("subject", STR),
            opt("received_lines", STRS),
            opt("additional_header_fields", Dict),
            opt("body", STR),
            opt(
                "body_multipart",
                List(&Struct(&[
                    opt("body", STR),
                    opt("body_raw_ref", Ref(&["artifact", "file"])),
                    opt("content_type", STR),
                    opt("content_disposition", STR),
                ])),
            ),
            opt("raw_email_ref", Ref(&["artifact"])),
        ],
        &["from_ref", "subject", "body"],
    ),
    TypeDef {
        at_least_one: &["hashes", "name"],
        ..sco(
            "file",
            &[
                opt("hashes", Hashes),
                opt("size", NON_NEG),
                opt("name", STR),
                opt("name_enc", STR),
                opt("magic_number_hex", Hex),
                opt("mime_type", STR),
                opt("ctime", TS),
                opt("mtime", TS),
                opt("atime", TS),
                opt("parent_directory_ref", Ref(&["directory"])),
                opt("contains_refs", List(&ScoRef)),
                opt("content_ref", Ref(&["artifact"])),
            ],
            &["hashes", "name", "extensions", "parent_directory_ref"],
        )
    },
    sco(
        "ipv4-addr",
        &[
            req("value", STR),
            opt("resolves_to_refs", List(&Ref(&["mac-addr"]))),
            opt("belongs_to_refs", List(&Ref(&["autonomous-system"]))),
        ],
        &["value"],
    ),
    sco(
        "ipv6-addr",
        &[
            req("value", STR),
            opt("resolves_to_refs", List(&Ref(&["mac-addr"]))),
            opt("belongs_to_refs", List(&Ref(&["autonomous-system"]))),
        ],
        &["value"],
    ),
    sco("mac-addr", &[req("value", STR)], &["value"]),
    sco("mutex", &[req("name", STR)], &["name"]),
    sco(
        "network-traffic",
        &[
            opt("start", TS),
            opt("end", TS),
            opt("is_active", Bool),
            opt("src_ref", NET_REF),
            opt("dst_ref", NET_REF),
            opt("src_port", PORT),
            opt("dst_port", PORT),
            req("protocols", STRS),
            opt("src_byte_count", NON_NEG),
            opt("dst_byte_count", NON_NEG),
            opt("src_packets", NON_NEG),
            opt("dst_packets", NON_NEG),
            opt("ipfix", Dict),
            opt("src_payload_ref", Ref(&["artifact"])),
            opt("dst_payload_ref", Ref(&["artifact"])),
            opt("encapsulates_refs", List(&Ref(&["network-traffic"]))),
            opt("encapsulated_by_ref", Ref(&["network-traffic"])),
        ],
        &[
            "start",
            "end",
            "src_ref",
            "dst_ref",
            "src_port",
            "dst_port",
            "protocols",
            "extensions",
        ],
    ),
    sco(
        "process",
        &[
            opt("is_hidden", Bool),
            opt(
                "pid",
                Integer {
                    min: i64::MIN,
                    max: i64::MAX,
                },
            ),
            opt("created_time", TS),
            opt("cwd", STR),
            opt("command_line", STR),
            opt("environment_variables", Dict),
            opt("opened_connection_refs", List(&Ref(&["network-traffic"]))),
            opt("creator_user_ref", Ref(&["user-account"])),
            opt("image_ref", Ref(&["file"])),
            opt("parent_ref", Ref(&["process"])),
            opt("child_refs", List(&Ref(&["process"]))),
        ],
        &[],
    ),
    sco(
        "software",
        &[
            req("name", STR),
            opt("cpe", STR),
            opt("swid", STR),
            opt("languages", STRS),
            opt("vendor", STR),
            opt("version", STR),
        ],
        &["name", "cpe", "swid", "vendor", "version"],
    ),
    sco("url", &[req("value", STR)], &["value"]),
    sco(
        "user-account",
        &[
            opt("user_id", STR),
            opt("credential", STR),
            opt("account_login", STR),
            opt("account_type", Vocab(v::ACCOUNT_TYPE)),
            opt("display_name", STR),
            opt("is_service_account", Bool),
            opt("is_privileged", Bool),
            opt("can_escalate_privs", Bool),
            opt("is_disabled", Bool),
            opt("account_created", TS),
            opt("account_expires", TS),
            opt("credential_last_changed", TS),
            opt("account_first_login", TS),
            opt("account_last_login", TS),
        ],
        &["account_type", "user_id", "account_login"],
    ),
    sco(
        "windows-registry-key",
        &[
            opt("key", STR),
            opt(
                "values",
                List(&Struct(&[
                    opt("name", STR),
                    opt("data", STR),
                    opt("data_type", Enum(v::WINDOWS_REGISTRY_DATATYPE)),
                ])),
            ),
            opt("modified_time", TS),
            opt("creator_user_ref", Ref(&["user-account"])),
            opt("number_of_subkeys", NON_NEG),
        ],
        &["key", "values"],
    ),
    sco(
        "x509-certificate",
        &[
            opt("is_self_signed", Bool),
            opt("hashes", Hashes),
            opt("version", STR),
            opt("serial_number", STR),
            opt("signature_algorithm", STR),
            opt("issuer", STR),
            opt("validity_not_before", TS),
            opt("validity_not_after", TS),
            opt("subject", STR),
            opt("subject_public_key_algorithm", STR),
            opt("subject_public_key_modulus", STR),
            opt("subject_public_key_exponent", NON_NEG),
            opt("x509_v3_extensions", Dict),
        ],
        &["hashes", "serial_number"],
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stix_type_is_declared_once() {
        let count = |f: Family| TYPES.iter().filter(|t| t.family == f).count();
        assert_eq!(count(Family::Sdo), 19);
        assert_eq!(count(Family::Sro), 2);
        assert_eq!(count(Family::Sco), 18);
        assert_eq!(count(Family::Meta), 3);
        let mut names: Vec<_> = TYPES.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TYPES.len());
    }

    #[test]
    fn containers_are_the_types_with_object_refs_and_cases() {
        let mut containers: Vec<&str> = TYPES
            .iter()
            .map(|t| t.name)
            .filter(|t| is_container_type(t))
            .collect();
        containers.sort_unstable();
        assert_eq!(
            containers,
            ["grouping", "note", "observed-data", "opinion", "report"]
        );
        assert!(is_container_type("x-opencti-case-incident"));
        assert!(!is_container_type("malware"));
    }

    #[test]
    fn id_contributing_properties_are_declared_properties() {
        for def in TYPES {
            for name in def.id_contributing.iter().chain(def.at_least_one) {
                assert!(def.prop(name).is_some(), "{}.{name}", def.name);
            }
        }
    }
}
