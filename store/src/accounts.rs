//! Accounts and what they may do: users (argon2 password hashes), roles,
//! groups with their marking clearances, organizations, and the [`Caller`] a
//! user becomes once signed in.
//!
//! A user holds the capabilities of every role of every group they are in
//! (closed under implication, `cairn_access`), and is cleared for the markings
//! their groups grant: granting a level grants the lower levels of the same
//! scheme (TLP:AMBER grants TLP:GREEN and TLP:CLEAR, in both TLP versions).
//! Organizations are the knowledge base's own identities of class
//! `organization`; a user's organizations open the objects restricted to them.

use cairn_model::access::{GroupView, MarkingView, OrganizationView, RoleView, UserView};
use std::collections::BTreeSet;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use cairn_access::{Capabilities, Capability, DEFAULT_ROLES};
use cairn_stix::markings::TLP;
use surrealdb::types::{RecordId, SurrealValue, Value};

use crate::connect::Store;
use crate::error::StoreError;
use crate::rows::{object_record, record_key};
use crate::scope::Scope;

/// Shortest password accepted.
pub const MIN_PASSWORD: usize = 12;

/// Who is calling, resolved from a session or an API token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub user_id: String,
    pub login: String,
    pub name: String,
    pub capabilities: Capabilities,
    /// What the caller may read.
    pub scope: Scope,
    /// The markings the caller's groups put on new objects.
    pub default_markings: Vec<String>,
}

impl Caller {
    /// Whether the caller holds `capability`.
    pub fn can(&self, capability: Capability) -> bool {
        self.capabilities.allows(capability)
    }
}

/// Why signing in failed. Deliberately vague towards the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoginError {
    #[error("wrong login or password")]
    WrongCredentials,
    #[error("this account is disabled")]
    Disabled,
}

#[derive(Debug, SurrealValue)]
struct Credentials {
    id: RecordId,
    password: String,
    disabled: bool,
}

#[derive(Debug, SurrealValue)]
struct Resolved {
    login: String,
    name: String,
    disabled: bool,
    capabilities: Vec<String>,
    markings: Vec<String>,
    default_markings: Vec<String>,
    organizations: Vec<String>,
}

/// A fresh random secret of `bytes` bytes, base64url without padding.
pub(crate) fn random_secret(bytes: usize) -> Result<String, StoreError> {
    use base64::Engine as _;
    let mut buffer = vec![0u8; bytes];
    getrandom::getrandom(&mut buffer)
        .map_err(|e| StoreError::Unreadable(format!("no randomness available: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buffer))
}

/// The argon2id hash of a password, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, StoreError> {
    check_password(password)?;
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt)
        .map_err(|e| StoreError::Unreadable(format!("no randomness available: {e}")))?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|e| StoreError::Unreadable(format!("cannot salt the password: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| StoreError::Unreadable(format!("cannot hash the password: {e}")))
}

fn check_password(password: &str) -> Result<(), StoreError> {
    if password.chars().count() < MIN_PASSWORD {
        return Err(StoreError::Invalid {
            field: "password",
            reason: format!("must be at least {MIN_PASSWORD} characters"),
        });
    }
    Ok(())
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password nobody knows: unknown logins are checked
/// against it, so that they take as long as known ones.
static DECOY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    random_secret(24)
        .and_then(|secret| hash_password(&secret))
        .unwrap_or_default()
});

fn user_record(id: &str) -> RecordId {
    RecordId::new("user", id)
}

fn group_record(key: &str) -> RecordId {
    RecordId::new("user_group", key)
}

fn role_record(key: &str) -> RecordId {
    RecordId::new("role", key)
}

fn check_login(login: &str) -> Result<String, StoreError> {
    let login = login.trim().to_lowercase();
    let valid = !login.is_empty()
        && login.len() <= 64
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !valid {
        return Err(StoreError::Invalid {
            field: "login",
            reason: "use 1 to 64 letters, digits, dots, dashes, underscores or @".into(),
        });
    }
    Ok(login)
}

fn check_name(field: &'static str, name: &str) -> Result<String, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(StoreError::Invalid {
            field,
            reason: "must be 1 to 100 characters".into(),
        });
    }
    Ok(name.to_owned())
}

/// The default groups: key, name, description, role, the markings granted.
const DEFAULT_GROUPS: &[(&str, &str, &str, &str, &[&str])] = &[
    (
        "administrators",
        "Administrators",
        "Everything, every marking.",
        "administrator",
        &["TLP:RED", "PAP:RED"],
    ),
    (
        "analysts",
        "Analysts",
        "Work on knowledge cleared up to TLP:AMBER+STRICT.",
        "analyst",
        &["TLP:AMBER+STRICT", "PAP:AMBER"],
    ),
    (
        "viewers",
        "Viewers",
        "Read knowledge cleared up to TLP:GREEN.",
        "viewer",
        &["TLP:GREEN", "PAP:GREEN"],
    ),
    (
        "connectors",
        "Connectors",
        "Connector and script accounts.",
        "connector",
        &["TLP:RED", "PAP:RED"],
    ),
];

/// The TLP 2.0 or PAP marking called `name`.
fn well_known(name: &str) -> Option<&'static str> {
    TLP.iter()
        .find(|t| t.name == name && t.version == 2)
        .map(|t| t.id)
}

impl Store {
    /// Creates the default roles and groups that do not exist yet.
    pub(crate) async fn ensure_access_defaults(&self) -> Result<(), StoreError> {
        #[derive(SurrealValue)]
        struct RoleRow {
            id: RecordId,
            name: String,
            description: String,
            capabilities: Vec<String>,
        }
        #[derive(SurrealValue)]
        struct GroupRow {
            id: RecordId,
            name: String,
            description: String,
            roles: Vec<RecordId>,
            markings: Vec<String>,
            default_markings: Vec<String>,
        }
        let roles: Vec<RoleRow> = DEFAULT_ROLES
            .iter()
            .map(|r| RoleRow {
                id: role_record(r.key),
                name: r.name.into(),
                description: r.description.into(),
                capabilities: r.capabilities.iter().map(|c| c.code().to_owned()).collect(),
            })
            .collect();
        let groups: Vec<GroupRow> = DEFAULT_GROUPS
            .iter()
            .map(|(key, name, description, role, markings)| GroupRow {
                id: group_record(key),
                name: (*name).into(),
                description: (*description).into(),
                roles: vec![role_record(role)],
                markings: markings
                    .iter()
                    .filter_map(|m| well_known(m))
                    .map(str::to_owned)
                    .collect(),
                default_markings: Vec::new(),
            })
            .collect();
        self.db()
            .query(
                "BEGIN TRANSACTION;
                 INSERT IGNORE INTO role $roles RETURN NONE;
                 INSERT IGNORE INTO user_group $groups RETURN NONE;
                 COMMIT TRANSACTION;",
            )
            .bind(("roles", roles))
            .bind(("groups", groups))
            .await?
            .check()?;
        Ok(())
    }

    /// How many users exist.
    pub async fn user_count(&self) -> Result<u64, StoreError> {
        let count: Option<i64> = self
            .db()
            .query("RETURN count(SELECT VALUE id FROM user)")
            .await?
            .check()?
            .take(0)?;
        Ok(count.unwrap_or(0) as u64)
    }

    /// Creates a user in `groups` (group keys); returns the user's id.
    pub async fn create_user(
        &self,
        login: &str,
        name: &str,
        password: &str,
        groups: &[String],
    ) -> Result<String, StoreError> {
        let login = check_login(login)?;
        // A user without a display name goes by their login.
        let name = if name.trim().is_empty() {
            login.clone()
        } else {
            check_name("name", name)?
        };
        let hash = hash_password(password)?;
        self.check_groups(groups).await?;
        let id = uuid::Uuid::new_v4().simple().to_string();
        let created = self
            .db()
            .query(
                "IF (SELECT VALUE id FROM user WHERE login = $login LIMIT 1)[0] != NONE {
                     RETURN false;
                 } ELSE {
                     CREATE $user CONTENT {
                         login: $login, name: $name, password: $hash, disabled: false,
                         groups: $groups, organizations: [], created_at: time::now()
                     } RETURN NONE;
                     RETURN true;
                 };",
            )
            .bind(("user", user_record(&id)))
            .bind(("login", login.clone()))
            .bind(("name", name))
            .bind(("hash", hash))
            .bind((
                "groups",
                groups.iter().map(|g| group_record(g)).collect::<Vec<_>>(),
            ))
            .await?
            .check()?
            .take::<Option<bool>>(0)?;
        if created != Some(true) {
            return Err(StoreError::Invalid {
                field: "login",
                reason: format!("{login} is taken"),
            });
        }
        Ok(id)
    }

    async fn check_groups(&self, groups: &[String]) -> Result<(), StoreError> {
        let known: Vec<String> = self
            .db()
            .query("SELECT VALUE record::id(id) FROM user_group")
            .await?
            .check()?
            .take(0)?;
        if let Some(unknown) = groups.iter().find(|g| !known.contains(g)) {
            return Err(StoreError::Invalid {
                field: "groups",
                reason: format!("there is no group {unknown}"),
            });
        }
        Ok(())
    }

    /// Every user, by login.
    pub async fn users(&self) -> Result<Vec<UserView>, StoreError> {
        Ok(self
            .db()
            .query(
                "SELECT record::id(id) AS id, login, name, disabled,
                        groups.map(|$g| record::id($g)) AS groups,
                        organizations.map(|$o| record::id($o)) AS organizations,
                        <string> created_at AS created_at
                   FROM user ORDER BY login ASC",
            )
            .await?
            .check()?
            .take(0)?)
    }

    /// The user with this login.
    pub async fn user_by_login(&self, login: &str) -> Result<Option<UserView>, StoreError> {
        Ok(self
            .users()
            .await?
            .into_iter()
            .find(|u| u.login == login.trim().to_lowercase()))
    }

    /// Checks a login and password; the user's id when they match.
    pub async fn authenticate(
        &self,
        login: &str,
        password: &str,
    ) -> Result<Result<String, LoginError>, StoreError> {
        let found: Option<Credentials> = self
            .db()
            .query("SELECT id, password, disabled FROM user WHERE login = $login LIMIT 1")
            .bind(("login", login.trim().to_lowercase()))
            .await?
            .check()?
            .take::<Vec<Credentials>>(0)?
            .into_iter()
            .next();
        let Some(user) = found else {
            // As long as a real check, so that logins cannot be probed by timing.
            let _ = verify_password(password, &DECOY_HASH);
            return Ok(Err(LoginError::WrongCredentials));
        };
        if !verify_password(password, &user.password) {
            return Ok(Err(LoginError::WrongCredentials));
        }
        if user.disabled {
            return Ok(Err(LoginError::Disabled));
        }
        Ok(Ok(record_key(&user.id)))
    }

    /// What a user may do and see; `None` when the user does not exist or is disabled.
    pub async fn caller(&self, user_id: &str) -> Result<Option<Caller>, StoreError> {
        let resolved: Option<Resolved> = self
            .db()
            .query(
                "SELECT login, name, disabled,
                        array::flatten(array::flatten(groups.*.roles.*.capabilities ?? [])) AS capabilities,
                        array::flatten(groups.*.markings) ?? [] AS markings,
                        array::flatten(groups.*.default_markings) ?? [] AS default_markings,
                        organizations.map(|$o| record::id($o)) AS organizations
                   FROM ONLY $user",
            )
            .bind(("user", user_record(user_id)))
            .await?
            .check()?
            .take(0)?;
        let Some(resolved) = resolved.filter(|r| !r.disabled) else {
            return Ok(None);
        };
        let capabilities =
            Capabilities::from_codes(resolved.capabilities.iter().map(String::as_str));
        let scope = if capabilities.bypass() {
            Scope::bypass()
        } else {
            Scope::markings(self.cleared_markings(&resolved.markings).await?)
        }
        .in_organizations(resolved.organizations);
        let mut default_markings = resolved.default_markings;
        default_markings.sort();
        default_markings.dedup();
        Ok(Some(Caller {
            user_id: user_id.to_owned(),
            login: resolved.login,
            name: resolved.name,
            capabilities,
            scope,
            default_markings,
        }))
    }

    /// Every marking definition a clearance for `granted` covers: each granted
    /// one and the markings of the same scheme with a lower or equal order.
    pub async fn cleared_markings(
        &self,
        granted: &[String],
    ) -> Result<BTreeSet<String>, StoreError> {
        let all = self.marking_definitions().await?;
        let mut cleared: BTreeSet<String> = granted.iter().cloned().collect();
        for g in all.iter().filter(|m| granted.contains(&m.id)) {
            for m in all
                .iter()
                .filter(|m| m.scheme == g.scheme && m.order <= g.order)
            {
                cleared.insert(m.id.clone());
            }
        }
        Ok(cleared)
    }

    /// The well-known markings (TLP 1.0 and 2.0, PAP) and those in the store.
    pub async fn marking_definitions(&self) -> Result<Vec<MarkingView>, StoreError> {
        #[derive(SurrealValue)]
        struct Stored {
            #[surreal(flatten)]
            view: MarkingView,
            raw: String,
        }
        let rows: Vec<Stored> = self
            .db()
            .query(
                "SELECT stix_id AS id, stix_id AS name, marking_scheme ?? 'statement' AS scheme,
                        marking_order ?? 0 AS order, color ?? '#888888' AS color, raw
                   FROM object WHERE type = 'marking-definition'",
            )
            .await?
            .check()?
            .take(0)?;
        let stored: Vec<MarkingView> = rows
            .into_iter()
            .map(|row| {
                let mut view = row.view;
                let object: Option<cairn_stix::Object<'_>> = serde_json::from_str(&row.raw).ok();
                if let Some(name) = object.as_ref().and_then(cairn_stix::markings::display_name) {
                    view.name = name;
                }
                view
            })
            .collect();
        let mut all: Vec<MarkingView> = TLP
            .iter()
            .filter(|t| !stored.iter().any(|s| s.id == t.id))
            .map(|t| MarkingView {
                id: t.id.into(),
                name: t.name.into(),
                scheme: t.scheme.into(),
                order: i64::from(t.order),
                color: t.color.into(),
            })
            .collect();
        all.extend(stored);
        all.sort_by(|a, b| (&a.scheme, a.order, &a.name).cmp(&(&b.scheme, b.order, &b.name)));
        Ok(all)
    }

    /// Changes a user's password after checking the current one.
    pub async fn change_password(
        &self,
        user_id: &str,
        current: &str,
        new: &str,
    ) -> Result<(), StoreError> {
        let hash: Option<String> = self
            .db()
            .query("SELECT VALUE password FROM ONLY $user")
            .bind(("user", user_record(user_id)))
            .await?
            .check()?
            .take(0)?;
        if !hash.is_some_and(|h| verify_password(current, &h)) {
            return Err(StoreError::Invalid {
                field: "current",
                reason: "is not your current password".into(),
            });
        }
        self.set_password(user_id, new).await
    }

    /// Sets a user's password (an administrator's reset) and ends their
    /// other sessions' validity by ending them all.
    pub async fn set_password(&self, user_id: &str, password: &str) -> Result<(), StoreError> {
        let hash = hash_password(password)?;
        self.db()
            .query(
                "BEGIN TRANSACTION;
                 UPDATE $user SET password = $hash, password_changed_at = time::now() RETURN NONE;
                 DELETE session WHERE user = $user;
                 COMMIT TRANSACTION;",
            )
            .bind(("user", user_record(user_id)))
            .bind(("hash", hash))
            .await?
            .check()?;
        Ok(())
    }

    /// Disables or enables a user; disabling ends their sessions at once.
    pub async fn set_user_disabled(&self, user_id: &str, disabled: bool) -> Result<(), StoreError> {
        self.db()
            .query(
                "BEGIN TRANSACTION;
                 UPDATE $user SET disabled = $disabled RETURN NONE;
                 IF $disabled { DELETE session WHERE user = $user; };
                 COMMIT TRANSACTION;",
            )
            .bind(("user", user_record(user_id)))
            .bind(("disabled", disabled))
            .await?
            .check()?;
        Ok(())
    }

    /// Sets a user's groups and organizations.
    pub async fn set_user_membership(
        &self,
        user_id: &str,
        groups: &[String],
        organizations: &[String],
    ) -> Result<(), StoreError> {
        self.check_groups(groups).await?;
        let known: Vec<String> = self
            .organizations()
            .await?
            .into_iter()
            .map(|o| o.id)
            .collect();
        if let Some(unknown) = organizations.iter().find(|o| !known.contains(o)) {
            return Err(StoreError::Invalid {
                field: "organizations",
                reason: format!("there is no organization {unknown}"),
            });
        }
        self.db()
            .query("UPDATE $user SET groups = $groups, organizations = $orgs RETURN NONE")
            .bind(("user", user_record(user_id)))
            .bind((
                "groups",
                groups.iter().map(|g| group_record(g)).collect::<Vec<_>>(),
            ))
            .bind((
                "orgs",
                organizations
                    .iter()
                    .map(|o| object_record(o))
                    .collect::<Vec<_>>(),
            ))
            .await?
            .check()?;
        Ok(())
    }

    /// Every role.
    pub async fn roles(&self) -> Result<Vec<RoleView>, StoreError> {
        Ok(self
            .db()
            .query("SELECT record::id(id) AS id, name, description, capabilities FROM role ORDER BY name ASC")
            .await?
            .check()?
            .take(0)?)
    }

    /// Creates or replaces a role; `key` is derived from the name when new.
    pub async fn save_role(
        &self,
        key: Option<&str>,
        name: &str,
        description: &str,
        capabilities: &[String],
    ) -> Result<String, StoreError> {
        let name = check_name("name", name)?;
        if let Some(unknown) = capabilities
            .iter()
            .find(|c| Capability::from_code(c).is_none())
        {
            return Err(StoreError::Invalid {
                field: "capabilities",
                reason: format!("{unknown} is not a capability"),
            });
        }
        let key = key.map_or_else(|| slug(&name), str::to_owned);
        self.db()
            .query("UPSERT $role CONTENT { name: $name, description: $description, capabilities: $capabilities } RETURN NONE")
            .bind(("role", role_record(&key)))
            .bind(("name", name))
            .bind(("description", description.trim().to_owned()))
            .bind(("capabilities", capabilities.to_vec()))
            .await?
            .check()?;
        Ok(key)
    }

    /// Every group.
    pub async fn groups(&self) -> Result<Vec<GroupView>, StoreError> {
        Ok(self
            .db()
            .query(
                "SELECT record::id(id) AS id, name, description, roles.map(|$r| record::id($r)) AS roles,
                        markings, default_markings
                   FROM user_group ORDER BY name ASC",
            )
            .await?
            .check()?
            .take(0)?)
    }

    /// Creates or replaces a group.
    pub async fn save_group(
        &self,
        key: Option<&str>,
        group: &GroupView,
    ) -> Result<String, StoreError> {
        let name = check_name("name", &group.name)?;
        let roles: Vec<String> = self.roles().await?.into_iter().map(|r| r.id).collect();
        if let Some(unknown) = group.roles.iter().find(|r| !roles.contains(r)) {
            return Err(StoreError::Invalid {
                field: "roles",
                reason: format!("there is no role {unknown}"),
            });
        }
        let markings: Vec<String> = self
            .marking_definitions()
            .await?
            .into_iter()
            .map(|m| m.id)
            .collect();
        if let Some(unknown) = group
            .markings
            .iter()
            .chain(&group.default_markings)
            .find(|m| !markings.contains(m))
        {
            return Err(StoreError::Invalid {
                field: "markings",
                reason: format!("there is no marking definition {unknown}"),
            });
        }
        let key = key.map_or_else(|| slug(&name), str::to_owned);
        self.db()
            .query(
                "UPSERT $group CONTENT {
                     name: $name, description: $description, roles: $roles,
                     markings: $markings, default_markings: $defaults
                 } RETURN NONE",
            )
            .bind(("group", group_record(&key)))
            .bind(("name", name))
            .bind(("description", group.description.trim().to_owned()))
            .bind((
                "roles",
                group
                    .roles
                    .iter()
                    .map(|r| role_record(r))
                    .collect::<Vec<_>>(),
            ))
            .bind(("markings", group.markings.clone()))
            .bind(("defaults", group.default_markings.clone()))
            .await?
            .check()?;
        Ok(key)
    }

    /// The organizations: identities of class `organization`.
    pub async fn organizations(&self) -> Result<Vec<OrganizationView>, StoreError> {
        Ok(self
            .db()
            .query(
                "SELECT stix_id AS id, name FROM object
                  WHERE type = 'identity' AND class = 'organization' ORDER BY name ASC",
            )
            .await?
            .check()?
            .take(0)?)
    }
}

/// The key of a record named `name`: lowercase letters, digits and dashes.
fn slug(name: &str) -> String {
    let slug: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        uuid::Uuid::new_v4().simple().to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_decoy_hash_is_a_valid_hash_of_no_known_password() {
        assert!(PasswordHash::new(&DECOY_HASH).is_ok());
        assert!(!verify_password("", &DECOY_HASH));
    }

    #[test]
    fn passwords_hash_with_a_fresh_salt_and_verify() {
        let a = hash_password("correct horse battery").expect("hash");
        let b = hash_password("correct horse battery").expect("hash");
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &a));
        assert!(!verify_password("correct horse batterY", &a));
        assert!(hash_password("short").is_err());
    }
}
