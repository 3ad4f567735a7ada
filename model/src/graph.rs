//! What graphs exchange: the compact payload the server sends for entity,
//! container and investigation graphs (ids, kinds, labels, edges; never whole
//! objects), the filters a graph is read with, and saved investigations.

use serde::{Deserialize, Serialize};
// The derive names these unqualified.
#[cfg(feature = "surreal")]
#[allow(unused_imports)]
use surrealdb::types::{SurrealValue, Value};

/// A node of a graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphNode {
    pub id: String,
    pub stix_type: String,
    /// The registry kind, when it is an entity (icon, colour and label come from it).
    pub kind: Option<String>,
    /// The name, the observable value, or `None`.
    pub name: Option<String>,
    /// How many relationships from where the graph was started.
    pub depth: u32,
    /// The STIX ids of its marking definitions.
    pub markings: Vec<String>,
    /// When it was created (STIX timestamp), for date filters and timelines.
    pub created: Option<String>,
}

/// An edge of a graph: one relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphEdge {
    pub id: String,
    pub relationship_type: String,
    pub source: String,
    pub target: String,
    pub created: Option<String>,
}

/// A graph as the server sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Graph {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// Whether the cap left objects out: more were reached than shown, or an
    /// object had more links than were read (each node's first links are read,
    /// so a hub never costs more than the cap).
    pub truncated: bool,
    /// How many relationships of the expanded nodes are not shown (counted in
    /// the caller's scope), when the cap left some out.
    pub hidden: u64,
}

/// Which relationships of a node a graph follows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum GraphDirection {
    #[default]
    Both,
    /// Those the node is the source of.
    Out,
    /// Those the node is the target of.
    In,
}

/// What a graph keeps. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct GraphFilter {
    /// Registry kinds of the objects reached.
    pub kinds: Vec<String>,
    /// Relationship types followed.
    pub relationship_types: Vec<String>,
    /// Objects reached must carry one of these marking definitions.
    pub markings: Vec<String>,
    /// Relationships created in [from, to) (RFC 3339 or STIX timestamps).
    pub created_from: Option<String>,
    pub created_to: Option<String>,
    pub direction: GraphDirection,
}

/// A node of a saved investigation: which object, where it was drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct WorkspaceNode {
    pub id: String,
    pub x: f64,
    pub y: f64,
    /// Kept in place by layouts.
    pub pinned: bool,
}

/// A saved investigation: a named workspace of objects and relationships.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct Investigation {
    /// `investigation--<uuid>`.
    pub id: String,
    pub name: String,
    /// The owner's login.
    pub owner: String,
    /// Whether every analyst may open it (read-only unless they own it).
    pub shared: bool,
    pub notes: String,
    pub nodes: Vec<WorkspaceNode>,
    /// The relationships drawn, by STIX id.
    pub edges: Vec<String>,
    pub created: String,
    pub modified: String,
}

/// An investigation as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct InvestigationSummary {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub shared: bool,
    pub nodes: u64,
    pub modified: String,
}
