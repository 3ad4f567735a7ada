//! The STIX 2.1 model and Cairn's type registry.
//!
//! This crate is pure (no I/O, no web dependencies) so that the server and the
//! WASM client share one definition of every type. Everything that needs to know
//! about kinds and types — navigation, lists, forms, icons, validation, storage
//! and export — reads this crate instead of repeating it.
//!
//! - [`registry`]: OpenCTI's entity kinds (name, category, icon, colour, STIX mapping).
//! - [`types`]: every STIX 2.1 object type and its properties.
//! - [`json`]: a borrowing JSON tree; STIX objects are [`json::Object`]s, so custom
//!   properties and types round-trip untouched.
//! - [`bundle`]: streaming bundle reading.
//! - [`validate`]: errors and warnings by object id and JSON path.
//! - [`ids`]: identifier syntax and deterministic SCO ids.
//! - [`pattern`]: STIX patterning (parse, check, evaluate).
//! - [`markings`]: TLP 1.0 and 2.0 marking definitions.
//! - [`relationships`]: the relationship matrix.
//! - [`forms`]: the fields of a create/edit form, by type and kind.
//! - [`generate`]: a realistic synthetic dataset for demos and benchmarks.

pub mod attack;
pub mod bundle;
pub mod columns;
pub mod countries;
pub mod forms;
pub mod generate;
pub mod icons;
pub mod ids;
pub mod json;
pub mod markings;
pub mod pattern;
pub mod registry;
pub mod relationships;
pub mod timestamp;
pub mod types;
pub mod validate;
pub mod vocab;

pub use icons::Icon;
pub use json::{Json, Object};
pub use registry::{Category, KINDS, Kind, StixMapping};
pub use validate::{Issue, Report, Severity, validate};
