//! The STIX 2.1 model and Cairn's type registry.
//!
//! This crate is pure (no I/O, no web dependencies) so that the server and the
//! WASM client share one definition of every entity kind. Everything that needs
//! to know about kinds — navigation, lists, forms, icons, validation, storage and
//! export — reads [`registry`] instead of repeating it.

pub mod icons;
pub mod registry;

pub use icons::Icon;
pub use registry::{Category, KINDS, Kind, StixMapping};
