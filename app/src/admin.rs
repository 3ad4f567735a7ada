//! Server functions of the administration pages under Settings: users,
//! groups, roles, organizations, marking definitions, API tokens, sessions
//! and the audit log. All need `Manage users and settings`, except a user's
//! own tokens. Every change is written to the audit log.

use cairn_model::{
    AuditEntry, AuditFilter, GroupView, MarkingView, OrganizationView, RoleView, SessionView,
    TokenView, UserView,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[cfg(feature = "ssr")]
use cairn_access::Capability;

/// A token just created: its secret is shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewToken {
    pub secret: String,
    pub token: TokenView,
}

#[server(endpoint = "admin/users", input = Json)]
pub async fn list_users() -> Result<Vec<UserView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    Ok(access.store.users().await?)
}

#[server(endpoint = "admin/user-create", input = Json)]
pub async fn create_user(
    login: String,
    name: String,
    password: String,
    groups: Vec<String>,
) -> Result<UserView, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    let id = access
        .store
        .create_user(&login, &name, &password, &groups)
        .await?;
    let user = user(&access, &id).await?;
    access
        .audit(
            "user.create",
            Some(&user.login),
            Some(&format!("groups: {}", groups.join(", "))),
        )
        .await;
    Ok(user)
}

#[cfg(feature = "ssr")]
async fn user(access: &crate::auth::Access, id: &str) -> Result<UserView, AppError> {
    access
        .store
        .users()
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .ok_or_else(|| AppError::NotFound(format!("user {id}")))
}

/// Sets a user's groups, organizations and whether they are disabled
/// (disabling ends their sessions at once).
#[server(endpoint = "admin/user-update", input = Json)]
pub async fn update_user(
    id: String,
    groups: Vec<String>,
    organizations: Vec<String>,
    disabled: bool,
) -> Result<UserView, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    if disabled && id == access.caller.user_id {
        return Err(AppError::Invalid {
            field: "disabled".into(),
            message: "you cannot disable yourself".into(),
        });
    }
    access
        .store
        .set_user_membership(&id, &groups, &organizations)
        .await?;
    access.store.set_user_disabled(&id, disabled).await?;
    let user = user(&access, &id).await?;
    access
        .audit(
            if disabled {
                "user.disable"
            } else {
                "user.update"
            },
            Some(&user.login),
            Some(&format!(
                "groups: {}; organizations: {}",
                groups.join(", "),
                organizations.join(", ")
            )),
        )
        .await;
    Ok(user)
}

/// Sets a new password for a user (their sessions end).
#[server(endpoint = "admin/user-password", input = Json)]
pub async fn reset_password(id: String, password: String) -> Result<(), AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    access.store.set_password(&id, &password).await?;
    let user = user(&access, &id).await?;
    access
        .audit(
            "user.password",
            Some(&user.login),
            Some("reset by an administrator"),
        )
        .await;
    Ok(())
}

#[server(endpoint = "admin/groups", input = Json)]
pub async fn list_groups() -> Result<Vec<GroupView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    Ok(access.store.groups().await?)
}

/// Creates (empty `group.id`) or replaces a group.
#[server(endpoint = "admin/group-save", input = Json)]
pub async fn save_group(group: GroupView) -> Result<Vec<GroupView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    let key = (!group.id.is_empty()).then_some(group.id.as_str());
    let key = access.store.save_group(key, &group).await?;
    access
        .audit(
            "group.save",
            Some(&key),
            Some(&format!(
                "roles: {}; markings: {}",
                group.roles.join(", "),
                group.markings.join(", ")
            )),
        )
        .await;
    Ok(access.store.groups().await?)
}

#[server(endpoint = "admin/roles", input = Json)]
pub async fn list_roles() -> Result<Vec<RoleView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    Ok(access.store.roles().await?)
}

/// Creates (empty `role.id`) or replaces a role.
#[server(endpoint = "admin/role-save", input = Json)]
pub async fn save_role(role: RoleView) -> Result<Vec<RoleView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    let key = (!role.id.is_empty()).then_some(role.id.as_str());
    let key = access
        .store
        .save_role(key, &role.name, &role.description, &role.capabilities)
        .await?;
    access
        .audit("role.save", Some(&key), Some(&role.capabilities.join(", ")))
        .await;
    Ok(access.store.roles().await?)
}

#[server(endpoint = "admin/organizations", input = Json)]
pub async fn list_organizations() -> Result<Vec<OrganizationView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    Ok(access.store.organizations().await?)
}

/// Creates an organization: a STIX identity of class `organization`, imported
/// like any other object (so it merges with one of the same name).
#[server(endpoint = "admin/organization-create", input = Json)]
pub async fn create_organization(name: String) -> Result<Vec<OrganizationView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    let name = name.trim().to_owned();
    if name.is_empty() {
        return Err(AppError::Invalid {
            field: "name".into(),
            message: "an organization needs a name".into(),
        });
    }
    let now = stix_now();
    let identity = serde_json::json!({
        "type": "identity", "spec_version": "2.1",
        "id": format!("identity--{}", uuid::Uuid::new_v4()),
        "created": now, "modified": now,
        "name": name, "identity_class": "organization",
    });
    import_one(&access, identity).await?;
    access.audit("organization.create", Some(&name), None).await;
    Ok(access.store.organizations().await?)
}

/// Now, as a STIX timestamp.
#[cfg(feature = "ssr")]
fn stix_now() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    cairn_stix::timestamp::Timestamp::from_unix(now.as_secs() as i64, now.subsec_millis()).to_stix()
}

/// Imports one object as the caller, failing with its first error.
#[cfg(feature = "ssr")]
async fn import_one(
    access: &crate::auth::Access,
    object: serde_json::Value,
) -> Result<(), AppError> {
    let bundle = serde_json::json!({
        "type": "bundle",
        "id": format!("bundle--{}", uuid::Uuid::new_v4()),
        "objects": [object],
    });
    let options = cairn_store::ImportOptions {
        strict: true,
        work: None,
        user: Some(access.caller.login.clone()),
    };
    let summary = access
        .store
        .import_bundle(bundle.to_string().as_bytes(), &options, |_, _| {})
        .await?;
    match summary.errors.first() {
        Some(error) => Err(AppError::Invalid {
            field: error.path.clone(),
            message: error.message.clone(),
        }),
        None => Ok(()),
    }
}

#[server(endpoint = "admin/markings", input = Json)]
pub async fn list_markings() -> Result<Vec<MarkingView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    Ok(access.store.marking_definitions().await?)
}

/// Creates a custom marking definition (`SCHEME:LEVEL`), ranked by `order`
/// within its scheme and shown in `color`.
#[server(endpoint = "admin/marking-create", input = Json)]
pub async fn create_marking(
    scheme: String,
    name: String,
    order: i64,
    color: String,
) -> Result<Vec<MarkingView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    let scheme = scheme.trim().to_uppercase();
    let name = name.trim().to_owned();
    if scheme.is_empty() || name.is_empty() {
        return Err(AppError::Invalid {
            field: "name".into(),
            message: "a marking needs a scheme and a name".into(),
        });
    }
    let valid_colour = color.len() == 7
        && color.starts_with('#')
        && color[1..].chars().all(|c| c.is_ascii_hexdigit());
    if !valid_colour {
        return Err(AppError::Invalid {
            field: "color".into(),
            message: "use a colour like #c62828".into(),
        });
    }
    if !(0..=1000).contains(&order) {
        return Err(AppError::Invalid {
            field: "order".into(),
            message: "use an order from 0 to 1000".into(),
        });
    }
    let full = if name.contains(':') {
        name
    } else {
        format!("{scheme}:{name}")
    };
    let marking = serde_json::json!({
        "type": "marking-definition", "spec_version": "2.1",
        "id": format!("marking-definition--{}", uuid::Uuid::new_v4()),
        "created": stix_now(),
        "name": full, "definition_type": "statement", "definition": { "statement": full },
        "x_opencti_definition_type": scheme, "x_opencti_order": order, "x_opencti_color": color,
    });
    import_one(&access, marking).await?;
    access.audit("marking.create", Some(&full), None).await;
    Ok(access.store.marking_definitions().await?)
}

/// The caller's own API tokens.
#[server(endpoint = "tokens/mine", input = Json)]
pub async fn my_tokens() -> Result<Vec<TokenView>, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    Ok(access.store.tokens(Some(&access.caller.user_id)).await?)
}

/// Creates an API token for the caller; the secret is in the answer, once.
#[server(endpoint = "tokens/create", input = Json)]
pub async fn create_token(name: String) -> Result<NewToken, AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    let (secret, token) = access
        .store
        .create_token(&access.caller.user_id, &name)
        .await?;
    access
        .audit("token.create", Some(&token.name), Some(&token.hint))
        .await;
    Ok(NewToken { secret, token })
}

/// Revokes a token: one's own, or anyone's with `Manage users and settings`.
#[server(endpoint = "tokens/revoke", input = Json)]
pub async fn revoke_token(id: String) -> Result<(), AppError> {
    let access = crate::auth::require(Capability::Knowledge)?;
    let owner =
        (!access.caller.can(Capability::Settings)).then_some(access.caller.user_id.as_str());
    if !access.store.revoke_token(&id, owner).await? {
        return Err(AppError::NotFound(format!("token {id}")));
    }
    access.audit("token.revoke", Some(&id), None).await;
    Ok(())
}

#[server(endpoint = "admin/tokens", input = Json)]
pub async fn list_tokens() -> Result<Vec<TokenView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    Ok(access.store.tokens(None).await?)
}

#[server(endpoint = "admin/sessions", input = Json)]
pub async fn list_sessions() -> Result<Vec<SessionView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    Ok(access.store.sessions().await?)
}

#[server(endpoint = "admin/session-revoke", input = Json)]
pub async fn revoke_session(id: String) -> Result<Vec<SessionView>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    access.store.revoke_session(&id).await?;
    access.audit("session.revoke", Some(&id), None).await;
    Ok(access.store.sessions().await?)
}

/// The latest 200 audit entries matching `filter`.
#[server(endpoint = "admin/audit", input = Json)]
pub async fn audit_log(filter: AuditFilter) -> Result<Vec<AuditEntry>, AppError> {
    let access = crate::auth::require(Capability::Settings)?;
    Ok(access.store.audit_log(&filter, 200).await?)
}
