//! Signing in and out, the signed-in user, the first administrator's setup,
//! and (server side) the gate every server function passes.
//!
//! The server resolves the caller of each request before any server function
//! runs (a session cookie or an `Authorization: Bearer` API token, see
//! `cairn-server`'s router) and provides it as [`RequestAuth`]. Server
//! functions reach the store only through [`require`], which refuses callers
//! without the capability asked for and hands back the store together with the
//! caller's access scope: there is no other way to the store, so no read can
//! forget the scope.

use cairn_access::{Capabilities, Capability};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The signed-in user, as the client knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    pub user_id: String,
    pub login: String,
    pub name: String,
    pub capabilities: Capabilities,
}

impl Me {
    pub fn can(&self, capability: Capability) -> bool {
        self.capabilities.allows(capability)
    }
}

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "cairn_session";

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use std::collections::{HashMap, VecDeque};
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use cairn_access::Capability;
    use cairn_store::{Caller, Store};

    use crate::error::AppError;

    /// Who sent the request, resolved by the server before any server function runs.
    #[derive(Debug, Clone, Default)]
    pub struct RequestAuth {
        pub caller: Option<Caller>,
        /// The session secret from the cookie, to end it on logout.
        pub session: Option<String>,
        /// The client's address.
        pub address: Option<String>,
        /// Whether the request came over TLS (directly or through a proxy).
        pub secure: bool,
        pub agent: Option<String>,
    }

    /// What the server shares with every request: the store and the limiter.
    #[derive(Clone)]
    pub struct Gate {
        store: Store,
        pub limiter: LoginLimiter,
    }

    impl Gate {
        pub fn new(store: Store) -> Gate {
            Gate {
                store,
                limiter: LoginLimiter::default(),
            }
        }

        /// The store, for the server's own resolution of callers.
        pub fn store(&self) -> &Store {
            &self.store
        }
    }

    /// A caller allowed through the gate, with the store.
    pub struct Access {
        pub caller: Caller,
        pub store: Store,
        pub request: RequestAuth,
    }

    impl Access {
        /// The scope every read of this caller takes.
        pub fn scope(&self) -> &cairn_store::Scope {
            &self.caller.scope
        }

        /// Records an event of this caller in the audit log; a failure to
        /// record is logged, never hidden.
        pub async fn audit(&self, action: &str, target: Option<&str>, details: Option<&str>) {
            if let Err(error) = self
                .store
                .audit(
                    Some(&self.caller.login),
                    action,
                    target,
                    details,
                    self.request.address.as_deref(),
                )
                .await
            {
                tracing::error!(%error, action, "cannot write the audit log");
            }
        }
    }

    fn gate() -> Result<Gate, AppError> {
        leptos::prelude::use_context::<Gate>()
            .ok_or_else(|| AppError::Store("no store in the request context".into()))
    }

    /// The request's authentication (anonymous when the server provided none).
    pub fn request_auth() -> RequestAuth {
        leptos::prelude::use_context::<RequestAuth>().unwrap_or_default()
    }

    /// The store and the caller, when the caller holds `capability`; otherwise
    /// `Unauthenticated` (nobody signed in) or `Forbidden`.
    pub fn require(capability: Capability) -> Result<Access, AppError> {
        let gate = gate()?;
        let request = request_auth();
        let Some(caller) = request.caller.clone() else {
            return Err(AppError::Unauthenticated);
        };
        if !caller.can(capability) {
            return Err(AppError::Forbidden(capability.label().to_owned()));
        }
        Ok(Access {
            caller,
            store: gate.store,
            request,
        })
    }

    /// The store for what needs no signed-in user: signing in, the first
    /// setup, the platform's title on the sign-in page.
    pub fn public() -> Result<(Store, LoginLimiter, RequestAuth), AppError> {
        let gate = gate()?;
        Ok((gate.store, gate.limiter, request_auth()))
    }

    /// Failed sign-ins allowed per account in [`WINDOW`].
    pub const PER_ACCOUNT: usize = 5;
    /// Failed sign-ins allowed per client address in [`WINDOW`].
    pub const PER_ADDRESS: usize = 20;
    /// How long failures are remembered.
    pub const WINDOW: Duration = Duration::from_secs(15 * 60);

    /// Counts failed sign-ins per account and per address, in memory.
    #[derive(Clone, Default)]
    pub struct LoginLimiter {
        failures: Arc<Mutex<HashMap<String, VecDeque<Instant>>>>,
    }

    impl LoginLimiter {
        fn keys(login: &str, address: Option<&str>) -> [(String, usize); 2] {
            [
                (
                    format!("account:{}", login.trim().to_lowercase()),
                    PER_ACCOUNT,
                ),
                (
                    format!("address:{}", address.unwrap_or("unknown")),
                    PER_ADDRESS,
                ),
            ]
        }

        /// Seconds until another attempt is allowed, when the limit is reached.
        pub fn blocked(&self, login: &str, address: Option<&str>) -> Option<u64> {
            let now = Instant::now();
            let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
            Self::keys(login, address)
                .into_iter()
                .filter_map(|(key, limit)| {
                    let times = failures.get_mut(&key)?;
                    while times
                        .front()
                        .is_some_and(|t| now.duration_since(*t) > WINDOW)
                    {
                        times.pop_front();
                    }
                    (times.len() >= limit).then(|| {
                        let oldest = times.front().copied().unwrap_or(now);
                        WINDOW
                            .saturating_sub(now.duration_since(oldest))
                            .as_secs()
                            .max(1)
                    })
                })
                .max()
        }

        /// Records a failed attempt.
        pub fn fail(&self, login: &str, address: Option<&str>) {
            let now = Instant::now();
            let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
            for (key, _) in Self::keys(login, address) {
                failures.entry(key).or_default().push_back(now);
            }
        }

        /// Forgets the account's failures after a successful sign-in.
        pub fn succeed(&self, login: &str) {
            let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
            failures.remove(&format!("account:{}", login.trim().to_lowercase()));
        }
    }

    /// The `Set-Cookie` value that stores a session secret.
    pub fn session_cookie(secret: &str, secure: bool) -> String {
        format!(
            "{}={secret}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
            super::SESSION_COOKIE,
            cairn_store::sessions::ABSOLUTE.as_secs(),
            if secure { "; Secure" } else { "" }
        )
    }

    /// The `Set-Cookie` value that removes the session cookie.
    pub fn clear_cookie(secure: bool) -> String {
        format!(
            "{}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{}",
            super::SESSION_COOKIE,
            if secure { "; Secure" } else { "" }
        )
    }

    /// Adds a `Set-Cookie` header to the server function's response.
    pub fn set_cookie(value: String) {
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>()
            && let Ok(value) = axum::http::HeaderValue::from_str(&value)
        {
            response.append_header(axum::http::header::SET_COOKIE, value);
        }
    }

    impl From<&Caller> for super::Me {
        fn from(caller: &Caller) -> Self {
            super::Me {
                user_id: caller.user_id.clone(),
                login: caller.login.clone(),
                name: caller.name.clone(),
                capabilities: caller.capabilities.clone(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_limiter_blocks_an_account_after_its_failures_and_forgets_on_success() {
            let limiter = LoginLimiter::default();
            for _ in 0..PER_ACCOUNT {
                assert_eq!(limiter.blocked("ann", Some("a")), None);
                limiter.fail("ann", Some("a"));
            }
            let wait = limiter.blocked("ANN", Some("b")).expect("blocked");
            assert!(wait > 0 && wait <= WINDOW.as_secs());
            assert_eq!(limiter.blocked("bob", Some("b")), None);
            limiter.succeed("ann");
            assert_eq!(limiter.blocked("ann", Some("b")), None);
        }

        #[test]
        fn the_limiter_blocks_an_address_trying_many_accounts() {
            let limiter = LoginLimiter::default();
            for n in 0..PER_ADDRESS {
                limiter.fail(&format!("user{n}"), Some("203.0.113.9"));
            }
            assert!(
                limiter
                    .blocked("someone-new", Some("203.0.113.9"))
                    .is_some()
            );
            assert_eq!(limiter.blocked("someone-new", Some("203.0.113.10")), None);
        }

        #[test]
        fn cookies_are_http_only_strict_and_secure_over_tls() {
            let cookie = session_cookie("s3cret", true);
            assert!(cookie.starts_with("cairn_session=s3cret;"));
            assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
            assert!(cookie.ends_with("; Secure"));
            assert!(!session_cookie("s3cret", false).contains("Secure"));
            assert!(clear_cookie(false).contains("Max-Age=0"));
        }
    }
}

/// The signed-in user; `Unauthenticated` when nobody is.
#[server(endpoint = "auth/me", input = Json)]
pub async fn whoami() -> Result<Me, AppError> {
    let request = request_auth();
    request
        .caller
        .as_ref()
        .map(Me::from)
        .ok_or(AppError::Unauthenticated)
}

/// Signs in; sets the session cookie.
#[server(endpoint = "auth/login", input = Json)]
pub async fn login(login: String, password: String) -> Result<Me, AppError> {
    let (store, limiter, request) = public()?;
    let address = request.address.as_deref();
    if let Some(retry_after) = limiter.blocked(&login, address) {
        let _ = store
            .audit(
                Some(&login),
                "login_blocked",
                None,
                Some("too many failed attempts"),
                address,
            )
            .await;
        return Err(AppError::RateLimited { retry_after });
    }
    let user_id = match store.authenticate(&login, &password).await? {
        Ok(user_id) => user_id,
        Err(reason) => {
            limiter.fail(&login, address);
            store
                .audit(
                    Some(&login),
                    "login_failed",
                    None,
                    Some(&reason.to_string()),
                    address,
                )
                .await?;
            return Err(AppError::Invalid {
                field: "password".into(),
                message: reason.to_string(),
            });
        }
    };
    limiter.succeed(&login);
    let caller = store
        .caller(&user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let secret = store
        .start_session(&user_id, request.address.clone(), request.agent.clone())
        .await?;
    set_cookie(session_cookie(&secret, request.secure));
    store
        .audit(Some(&caller.login), "login", None, None, address)
        .await?;
    Ok(Me::from(&caller))
}

/// Signs out: ends the session in the store, so the cookie opens nothing any more.
#[server(endpoint = "auth/logout", input = Json)]
pub async fn logout() -> Result<(), AppError> {
    let (store, _, request) = public()?;
    if let Some(secret) = &request.session {
        store.end_session(secret).await?;
    }
    if let Some(caller) = &request.caller {
        store
            .audit(
                Some(&caller.login),
                "logout",
                None,
                None,
                request.address.as_deref(),
            )
            .await?;
    }
    set_cookie(clear_cookie(request.secure));
    Ok(())
}

/// Changes the signed-in user's password (their sessions end; this one is
/// renewed so they stay signed in here).
#[server(endpoint = "auth/password", input = Json)]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    let request = request_auth();
    let Some(caller) = request.caller.clone() else {
        return Err(AppError::Unauthenticated);
    };
    let (store, _, _) = public()?;
    store
        .change_password(&caller.user_id, &current, &new)
        .await?;
    let secret = store
        .start_session(
            &caller.user_id,
            request.address.clone(),
            request.agent.clone(),
        )
        .await?;
    set_cookie(session_cookie(&secret, request.secure));
    store
        .audit(
            Some(&caller.login),
            "user.password",
            Some(&caller.login),
            None,
            request.address.as_deref(),
        )
        .await?;
    Ok(())
}

/// Whether the platform still waits for its first administrator.
#[server(endpoint = "auth/setup-needed", input = Json)]
pub async fn setup_needed() -> Result<bool, AppError> {
    let (store, _, _) = public()?;
    Ok(store.user_count().await? == 0)
}

/// Creates the first administrator with the one-time secret printed on the
/// server's console, and signs them in.
#[server(endpoint = "auth/setup", input = Json)]
pub async fn complete_setup(
    secret: String,
    login: String,
    name: String,
    password: String,
) -> Result<Me, AppError> {
    let (store, _, request) = public()?;
    let user_id = store
        .complete_setup(&secret, &login, &name, &password)
        .await?;
    store
        .audit(
            Some(&login),
            "user.create",
            Some(&login),
            Some("first administrator, by the setup link"),
            request.address.as_deref(),
        )
        .await?;
    let caller = store
        .caller(&user_id)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let secret = store
        .start_session(&user_id, request.address.clone(), request.agent.clone())
        .await?;
    set_cookie(session_cookie(&secret, request.secure));
    Ok(Me::from(&caller))
}

/// The signed-in user, shared with every component: `None` while loading,
/// then the answer of [`whoami`].
#[derive(Clone, Copy)]
pub struct Session(pub LocalResource<Result<Me, AppError>>);

/// Fetches the signed-in user once and provides it to every component.
pub fn provide_session() {
    provide_context(Session(LocalResource::new(whoami)));
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    /// Whether the signed-in user holds `capability` (false while loading).
    pub fn can(&self, capability: Capability) -> bool {
        matches!(self.0.get(), Some(Ok(me)) if me.can(capability))
    }
}
