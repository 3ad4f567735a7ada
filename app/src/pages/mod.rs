//! The routed pages. Each page module keeps the components of one route.

pub mod access;
pub mod category;
pub mod custom_dashboard;
pub mod dashboard;
pub mod dashboards;
pub mod data;
pub mod entity;
pub mod export;
pub mod form;
pub mod investigation;
pub mod investigations;
pub mod list;
pub mod matrix;
pub mod not_built;
pub mod not_found;
pub mod search;
pub mod settings;
pub mod sign_in;
pub mod trash;
