//! The shapes that travel between Cairn's server and its WASM client.
//!
//! The store answers with these types and the client renders them, so both
//! sides agree by construction. Plain data: serde for the wire, and with the
//! `surreal` feature (the store's) SurrealDB's `SurrealValue` for rows.

pub mod access;
pub mod dashboard;
pub mod dates;
pub mod graph;
pub mod imports;
pub mod knowledge;

pub use access::{
    AuditEntry, AuditFilter, GroupView, MarkingView, OrganizationView, RoleView, SessionView,
    TokenView, UserView,
};
pub use graph::{
    Graph, GraphDirection, GraphEdge, GraphFilter, GraphNode, Investigation, InvestigationSummary,
    WorkspaceNode,
};
pub use imports::{HistoryEntry, ImportSummary, RejectedObject, TrashEntry, Work};
pub use knowledge::{
    BulkChange, Entity, ExternalReference, Links, ListFilter, Neighbour, ObjectSummary, Page,
    SearchHit, Sort, UsedTechnique,
};
