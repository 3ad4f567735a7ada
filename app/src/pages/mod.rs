//! The routed pages. Each page module keeps the components of one route.

pub mod access;
pub mod category;
pub mod dashboard;
pub mod data;
pub mod not_built;
pub mod not_found;
pub mod settings;
pub mod sign_in;
