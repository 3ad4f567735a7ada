//! Accounts, sessions, tokens and clearances against a real SurrealDB: what a
//! user may do and see follows their groups, secrets never rest in the store in
//! clear, and ended sessions stay ended.

mod common;

use cairn_access::Capability;
use cairn_stix::markings::TLP;
use cairn_store::{ImportOptions, LoginError, Store};

fn tlp(name: &str, version: u8) -> String {
    TLP.iter()
        .find(|t| t.name == name && t.version == version)
        .map(|t| t.id.to_owned())
        .expect("well-known marking")
}

#[tokio::test]
async fn the_first_administrator_comes_from_a_one_time_setup_secret() {
    let store = Store::open("mem://").await.expect("open");
    assert_eq!(store.user_count().await.expect("count"), 0);
    let secret = store
        .create_setup_secret()
        .await
        .expect("secret")
        .expect("no users yet");
    let wrong = store
        .complete_setup("not-the-secret", "admin", "Admin", "a long enough password")
        .await;
    assert!(wrong.is_err());
    let admin = store
        .complete_setup(&secret, "admin", "Admin", "a long enough password")
        .await
        .expect("setup");
    let caller = store.caller(&admin).await.expect("caller").expect("active");
    assert!(caller.can(Capability::Bypass) && caller.scope.is_bypass());
    // Used once, and never again once a user exists.
    assert!(
        store
            .complete_setup(&secret, "admin2", "Admin", "a long enough password")
            .await
            .is_err()
    );
    assert_eq!(store.create_setup_secret().await.expect("secret"), None);
}

#[tokio::test]
async fn sign_in_sessions_and_disabling() {
    let store = Store::open("mem://").await.expect("open");
    let id = store
        .create_user(
            "Vera",
            "Vera Viewer",
            "viewer password 1",
            &["viewers".into()],
        )
        .await
        .expect("create");
    assert!(
        store
            .create_user("vera", "Other", "viewer password 2", &["viewers".into()])
            .await
            .is_err(),
        "logins are unique, whatever their case"
    );
    assert!(
        store
            .create_user("x", "X", "short", &["viewers".into()])
            .await
            .is_err()
    );
    assert!(
        store
            .create_user("y", "Y", "long enough password", &["nope".into()])
            .await
            .is_err()
    );
    assert_eq!(
        store
            .authenticate("vera", "wrong password!")
            .await
            .expect("auth"),
        Err(LoginError::WrongCredentials)
    );
    assert_eq!(
        store
            .authenticate("nobody", "wrong password!")
            .await
            .expect("auth"),
        Err(LoginError::WrongCredentials)
    );
    assert_eq!(
        store
            .authenticate(" VERA ", "viewer password 1")
            .await
            .expect("auth"),
        Ok(id.clone())
    );

    let caller = store.caller(&id).await.expect("caller").expect("active");
    assert!(caller.can(Capability::Knowledge));
    assert!(!caller.can(Capability::KnowledgeUpdate) && !caller.can(Capability::Settings));
    // Cleared for TLP:GREEN: GREEN and CLEAR of both TLP versions, PAP:GREEN and below.
    let allowed = caller.scope.allowed().expect("not bypass");
    for (name, version) in [
        ("TLP:GREEN", 2),
        ("TLP:CLEAR", 2),
        ("TLP:GREEN", 1),
        ("TLP:WHITE", 1),
    ] {
        assert!(allowed.contains(&tlp(name, version)), "{name} {version}");
    }
    for (name, version) in [
        ("TLP:AMBER", 2),
        ("TLP:AMBER", 1),
        ("TLP:RED", 2),
        ("TLP:AMBER+STRICT", 2),
    ] {
        assert!(!allowed.contains(&tlp(name, version)), "{name} {version}");
    }

    let secret = store
        .start_session(&id, Some("192.0.2.1".into()), Some("test".into()))
        .await
        .expect("session");
    assert_eq!(
        store
            .session_caller(&secret)
            .await
            .expect("session")
            .map(|c| c.login),
        Some("vera".to_owned())
    );
    assert_eq!(store.sessions().await.expect("sessions").len(), 1);
    store.end_session(&secret).await.expect("logout");
    assert_eq!(store.session_caller(&secret).await.expect("session"), None);

    // Disabling ends the sessions at once and refuses the password.
    let secret = store.start_session(&id, None, None).await.expect("session");
    store.set_user_disabled(&id, true).await.expect("disable");
    assert_eq!(store.session_caller(&secret).await.expect("session"), None);
    assert_eq!(
        store
            .authenticate("vera", "viewer password 1")
            .await
            .expect("auth"),
        Err(LoginError::Disabled)
    );
    store.set_user_disabled(&id, false).await.expect("enable");

    // A password change ends the sessions too, and needs the current password.
    let secret = store.start_session(&id, None, None).await.expect("session");
    assert!(
        store
            .change_password(&id, "not my password", "a brand new password")
            .await
            .is_err()
    );
    store
        .change_password(&id, "viewer password 1", "a brand new password")
        .await
        .expect("change");
    assert_eq!(store.session_caller(&secret).await.expect("session"), None);
    assert!(
        store
            .authenticate("vera", "a brand new password")
            .await
            .expect("auth")
            .is_ok()
    );
}

#[tokio::test]
async fn api_tokens_are_shown_once_and_revocable() {
    let store = Store::open("mem://").await.expect("open");
    let id = store
        .create_user("bot", "Bot", "connector password", &["connectors".into()])
        .await
        .expect("create");
    let (secret, token) = store.create_token(&id, "feeds").await.expect("token");
    assert!(secret.starts_with("cairn_") && secret.len() > 40);
    assert!(secret.starts_with(&token.hint) && token.hint.len() < 12);
    let caller = store
        .token_caller(&secret)
        .await
        .expect("token")
        .expect("valid");
    assert!(caller.can(Capability::Import));
    assert_eq!(
        store.token_caller("cairn_forged").await.expect("token"),
        None
    );
    assert!(
        !store
            .revoke_token(&token.id, Some("someone-else"))
            .await
            .expect("revoke")
    );
    assert!(
        store
            .revoke_token(&token.id, Some(&id))
            .await
            .expect("revoke")
    );
    assert_eq!(store.token_caller(&secret).await.expect("token"), None);
}

#[tokio::test]
async fn secrets_never_rest_in_the_store_in_clear() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("surrealkv://{}", dir.path().join("store").display());
    let store = Store::open(&url).await.expect("open");
    let password = "unmistakable-password-4711";
    let id = store
        .create_user("ann", "Ann", password, &["analysts".into()])
        .await
        .expect("create");
    let (token, _) = store.create_token(&id, "scripts").await.expect("token");
    let session = store.start_session(&id, None, None).await.expect("session");
    store.close();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let mut files = vec![dir.path().to_path_buf()];
    let mut scanned = 0;
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(
                std::fs::read_dir(&path)
                    .expect("dir")
                    .map(|e| e.expect("entry").path()),
            );
            continue;
        }
        let bytes = std::fs::read(&path).expect("file");
        scanned += bytes.len();
        for secret in [password, token.as_str(), session.as_str()] {
            assert!(
                !bytes.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{} holds a secret",
                path.display()
            );
        }
    }
    assert!(scanned > 0, "the store wrote something");
}

#[tokio::test]
async fn a_clearance_covers_the_lower_levels_of_custom_schemes_too() {
    let markings = [
        ("11111111-1111-4111-8111-111111111111", "ACME:INTERNAL", 1),
        ("22222222-2222-4222-8222-222222222222", "ACME:SECRET", 2),
        ("33333333-3333-4333-8333-333333333333", "ACME:TOP", 3),
    ];
    let objects: Vec<String> = markings
        .iter()
        .map(|(uuid, name, order)| {
            format!(
                r##"{{"type":"marking-definition","spec_version":"2.1","id":"marking-definition--{uuid}","created":"2024-01-01T00:00:00.000Z","name":"{name}","definition_type":"statement","definition":{{"statement":"{name}"}},"x_opencti_definition_type":"ACME","x_opencti_order":{order},"x_opencti_color":"#123456"}}"##
            )
        })
        .collect();
    let store = Store::open("mem://").await.expect("open");
    store
        .import_bundle(
            &common::bundle(&objects),
            &ImportOptions::default(),
            |_, _| {},
        )
        .await
        .expect("import");
    let secret = format!("marking-definition--{}", markings[1].0);
    let cleared = store
        .cleared_markings(std::slice::from_ref(&secret))
        .await
        .expect("cleared");
    assert!(cleared.contains(&format!("marking-definition--{}", markings[0].0)));
    assert!(cleared.contains(&secret));
    assert!(!cleared.contains(&format!("marking-definition--{}", markings[2].0)));
    let all = store.marking_definitions().await.expect("markings");
    let acme: Vec<_> = all.iter().filter(|m| m.scheme == "ACME").collect();
    assert_eq!(acme.len(), 3);
    assert_eq!(acme[0].color, "#123456");
}
