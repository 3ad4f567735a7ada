//! Accounts and access as the administration pages show them: users, roles,
//! groups, markings, organizations, sessions, tokens and the audit log. Never a
//! password hash nor a secret.

use serde::{Deserialize, Serialize};
// The derive names these unqualified.
#[cfg(feature = "surreal")]
#[allow(unused_imports)]
use surrealdb::types::{SurrealValue, Value};

/// A user as the administration pages show it (never the password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct UserView {
    pub id: String,
    pub login: String,
    pub name: String,
    pub disabled: bool,
    /// Group keys.
    pub groups: Vec<String>,
    /// Organization identity ids.
    pub organizations: Vec<String>,
    pub created_at: String,
}

/// A role and its capability codes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct RoleView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub capabilities: Vec<String>,
}

/// A group: its roles, the markings it grants and those it puts on new objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct GroupView {
    pub id: String,
    pub name: String,
    pub description: String,
    pub roles: Vec<String>,
    pub markings: Vec<String>,
    pub default_markings: Vec<String>,
}

/// A marking definition a group can grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct MarkingView {
    pub id: String,
    pub name: String,
    pub scheme: String,
    pub order: i64,
    pub color: String,
}

/// An organization (an identity of the knowledge base).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct OrganizationView {
    pub id: String,
    pub name: String,
}

/// A session as the administration page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct SessionView {
    /// The SHA-256 of the secret: names the session, opens nothing.
    pub id: String,
    pub user_id: String,
    pub login: Option<String>,
    pub address: Option<String>,
    pub agent: Option<String>,
    pub created_at: String,
    pub last_seen: String,
    pub expires_at: String,
}

/// An API token (never its secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct TokenView {
    pub id: String,
    pub user_id: String,
    pub login: Option<String>,
    pub name: String,
    /// The first characters of the secret, to tell tokens apart.
    pub hint: String,
    pub created_at: String,
    pub last_used: Option<String>,
}

/// One entry of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "surreal", derive(surrealdb::types::SurrealValue))]
pub struct AuditEntry {
    /// RFC 3339.
    pub at: String,
    /// The login of who acted (`None`: the platform itself, or an unknown login).
    pub user: Option<String>,
    /// `login`, `login_failed`, `logout`, `user.create`, `export`,
    /// `knowledge.create`, …
    pub action: String,
    /// What was acted on (a login, a group, a STIX id, a file).
    pub target: Option<String>,
    /// More, in words.
    pub details: Option<String>,
    /// The client's address, for sign-ins.
    pub address: Option<String>,
}

/// Which entries to show. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuditFilter {
    pub user: Option<String>,
    /// An action, or a prefix ending in `.` (`knowledge.`).
    pub action: Option<String>,
    /// RFC 3339 bounds.
    pub from: Option<String>,
    pub to: Option<String>,
    /// Words to find in the target or details.
    pub text: Option<String>,
}
