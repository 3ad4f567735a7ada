//! Sessions, API tokens and the one-time setup token.
//!
//! Secrets are random (32 bytes) and shown once; the store keeps only their
//! SHA-256, as the record key (`session:⟨sha256⟩`, `api_token:⟨sha256⟩`), so a
//! copy of the store opens no account. Sessions end after [`IDLE`] without use
//! or [`ABSOLUTE`] after sign-in, on logout, when their user is disabled or
//! their password changes, or when an administrator revokes them.

use cairn_model::access::{SessionView, TokenView};
use std::time::Duration;

use sha2::{Digest, Sha256};
use surrealdb::types::{RecordId, SurrealValue};

use crate::accounts::{Caller, random_secret};
use crate::connect::Store;
use crate::error::StoreError;
use crate::rows::record_key;

/// A session unused for this long ends.
pub const IDLE: Duration = Duration::from_secs(8 * 3600);
/// A session ends this long after sign-in, used or not.
pub const ABSOLUTE: Duration = Duration::from_secs(7 * 24 * 3600);
/// The setup link works for this long.
pub const SETUP_VALIDITY: Duration = Duration::from_secs(24 * 3600);
/// API tokens start with this, so that they are recognisable in a leak scan.
pub const TOKEN_PREFIX: &str = "cairn_";

/// The SHA-256 of a secret, hex.
pub fn digest(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, SurrealValue)]
struct SessionCheck {
    user: RecordId,
    live: bool,
    touch: bool,
}

fn secs(d: Duration) -> i64 {
    d.as_secs() as i64
}

impl Store {
    /// Starts a session for a signed-in user; returns its secret (for the cookie).
    pub async fn start_session(
        &self,
        user_id: &str,
        address: Option<String>,
        agent: Option<String>,
    ) -> Result<String, StoreError> {
        let secret = random_secret(32)?;
        self.db()
            .query(
                "CREATE $sess CONTENT {
                     user: $user, address: $address, agent: $agent,
                     created_at: time::now(), last_seen: time::now(),
                     expires_at: time::now() + duration::from_secs($absolute)
                 } RETURN NONE",
            )
            .bind(("sess", RecordId::new("session", digest(&secret))))
            .bind(("user", RecordId::new("user", user_id)))
            .bind(("address", address))
            .bind((
                "agent",
                agent.map(|a| a.chars().take(200).collect::<String>()),
            ))
            .bind(("absolute", secs(ABSOLUTE)))
            .await?
            .check()?;
        Ok(secret)
    }

    /// The caller behind a session secret, if the session is live; records the
    /// use (at most once a minute) so that idle expiry counts from it.
    pub async fn session_caller(&self, secret: &str) -> Result<Option<Caller>, StoreError> {
        let record = RecordId::new("session", digest(secret));
        let check: Option<SessionCheck> = self
            .db()
            .query(
                "SELECT user,
                        time::now() < expires_at AND time::now() - last_seen < duration::from_secs($idle) AS live,
                        time::now() - last_seen > 1m AS touch
                   FROM ONLY $sess",
            )
            .bind(("sess", record.clone()))
            .bind(("idle", secs(IDLE)))
            .await?
            .check()?
            .take(0)?;
        let Some(check) = check else {
            return Ok(None);
        };
        if !check.live {
            self.db()
                .query("DELETE $sess")
                .bind(("sess", record))
                .await?
                .check()?;
            return Ok(None);
        }
        if check.touch {
            self.db()
                .query("UPDATE $sess SET last_seen = time::now() RETURN NONE")
                .bind(("sess", record))
                .await?
                .check()?;
        }
        self.caller(&record_key(&check.user)).await
    }

    /// Ends the session with this secret (logout).
    pub async fn end_session(&self, secret: &str) -> Result<(), StoreError> {
        self.revoke_session(&digest(secret)).await
    }

    /// Ends the session with this id (an administrator's revocation).
    pub async fn revoke_session(&self, id: &str) -> Result<(), StoreError> {
        self.db()
            .query("DELETE $sess")
            .bind(("sess", RecordId::new("session", id)))
            .await?
            .check()?;
        Ok(())
    }

    /// The live sessions, latest first; expired ones are removed on the way.
    pub async fn sessions(&self) -> Result<Vec<SessionView>, StoreError> {
        Ok(self
            .db()
            .query(
                "DELETE session WHERE time::now() >= expires_at OR time::now() - last_seen >= duration::from_secs($idle);
                 SELECT record::id(id) AS id, record::id(user) AS user_id, user.login AS login, address, agent,
                        <string> created_at AS created_at, <string> last_seen AS last_seen,
                        <string> expires_at AS expires_at
                   FROM session ORDER BY last_seen DESC",
            )
            .bind(("idle", secs(IDLE)))
            .await?
            .check()?
            .take(1)?)
    }

    /// Creates an API token for a user; returns the secret (shown once) and the token.
    pub async fn create_token(
        &self,
        user_id: &str,
        name: &str,
    ) -> Result<(String, TokenView), StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(StoreError::Invalid {
                field: "name",
                reason: "must be 1 to 100 characters".into(),
            });
        }
        if self.caller(user_id).await?.is_none() {
            return Err(StoreError::Invalid {
                field: "user",
                reason: "no such active user".into(),
            });
        }
        let secret = format!("{TOKEN_PREFIX}{}", random_secret(32)?);
        let id = digest(&secret);
        self.db()
            .query(
                "CREATE $tok CONTENT {
                     user: $user, name: $name, hint: $hint, created_at: time::now(), last_used: NONE
                 } RETURN NONE",
            )
            .bind(("tok", RecordId::new("api_token", id.as_str())))
            .bind(("user", RecordId::new("user", user_id)))
            .bind(("name", name.to_owned()))
            .bind((
                "hint",
                secret
                    .chars()
                    .take(TOKEN_PREFIX.len() + 4)
                    .collect::<String>(),
            ))
            .await?
            .check()?;
        let token = self
            .tokens(Some(user_id))
            .await?
            .into_iter()
            .find(|t| t.id == id)
            .ok_or_else(|| StoreError::Unreadable("the new token vanished".into()))?;
        Ok((secret, token))
    }

    /// The caller behind an API token secret.
    pub async fn token_caller(&self, secret: &str) -> Result<Option<Caller>, StoreError> {
        if !secret.starts_with(TOKEN_PREFIX) {
            return Ok(None);
        }
        let record = RecordId::new("api_token", digest(secret));
        let user: Option<RecordId> = self
            .db()
            .query("UPDATE $tok SET last_used = time::now() RETURN VALUE user")
            .bind(("tok", record))
            .await?
            .check()?
            .take::<Vec<RecordId>>(0)?
            .into_iter()
            .next();
        match user {
            Some(user) => self.caller(&record_key(&user)).await,
            None => Ok(None),
        }
    }

    /// API tokens, of one user or of everyone.
    pub async fn tokens(&self, user_id: Option<&str>) -> Result<Vec<TokenView>, StoreError> {
        Ok(self
            .db()
            .query(
                "SELECT record::id(id) AS id, record::id(user) AS user_id, user.login AS login, name, hint,
                        <string> created_at AS created_at,
                        IF last_used != NONE { <string> last_used } ELSE { NONE } AS last_used
                   FROM api_token WHERE $user = NONE OR user = $user ORDER BY created_at DESC",
            )
            .bind(("user", user_id.map(|u| RecordId::new("user", u))))
            .await?
            .check()?
            .take(0)?)
    }

    /// Revokes a token; `owner` limits the revocation to that user's tokens.
    pub async fn revoke_token(&self, id: &str, owner: Option<&str>) -> Result<bool, StoreError> {
        let deleted: Vec<surrealdb::types::Value> = self
            .db()
            .query("DELETE $tok WHERE $owner = NONE OR user = $owner RETURN BEFORE")
            .bind(("tok", RecordId::new("api_token", id)))
            .bind(("owner", owner.map(|u| RecordId::new("user", u))))
            .await?
            .check()?
            .take(0)?;
        Ok(!deleted.is_empty())
    }

    /// Issues the one-time secret that lets the first administrator be
    /// created; `None` once any user exists.
    pub async fn create_setup_secret(&self) -> Result<Option<String>, StoreError> {
        if self.user_count().await? > 0 {
            return Ok(None);
        }
        let secret = random_secret(24)?;
        self.db()
            .query(
                "UPSERT setup:admin CONTENT {
                     digest: $digest, expires_at: time::now() + duration::from_secs($validity)
                 } RETURN NONE",
            )
            .bind(("digest", digest(&secret)))
            .bind(("validity", secs(SETUP_VALIDITY)))
            .await?
            .check()?;
        Ok(Some(secret))
    }

    /// Creates the first administrator with the setup secret, which then stops
    /// working; returns the new user's id.
    pub async fn complete_setup(
        &self,
        secret: &str,
        login: &str,
        name: &str,
        password: &str,
    ) -> Result<String, StoreError> {
        let valid: Option<bool> = self
            .db()
            .query(
                "SELECT VALUE digest = $digest AND time::now() < expires_at FROM ONLY setup:admin",
            )
            .bind(("digest", digest(secret)))
            .await?
            .check()?
            .take(0)?;
        if valid != Some(true) || self.user_count().await? > 0 {
            return Err(StoreError::Invalid {
                field: "setup",
                reason: "this setup link is not valid (any more); restart Cairn for a new one"
                    .into(),
            });
        }
        let id = self
            .create_user(login, name, password, &["administrators".to_owned()])
            .await?;
        self.db().query("DELETE setup:admin").await?.check()?;
        Ok(id)
    }
}
