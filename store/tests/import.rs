//! Importing real bundles into a real (in-memory) SurrealDB: counts, re-imports,
//! versions, rejected objects and dangling references.

mod common;

use cairn_store::{ImportOptions, ImportSummary, Scope, Store};
use common::{bundle, corpus};

async fn import(store: &Store, bytes: &[u8]) -> ImportSummary {
    store
        .import_bundle(bytes, &ImportOptions::default(), |_, _| {})
        .await
        .expect("import")
}

#[tokio::test]
async fn ics_attack_goes_in_whole_and_a_reimport_changes_nothing() {
    let store = Store::open("mem://").await.expect("open");
    let bytes = corpus("attack/ics-attack-18.1.json.xz");
    let first = import(&store, &bytes).await;
    assert_eq!(
        first.rejected,
        0,
        "{:?}",
        &first.errors[..first.errors.len().min(3)]
    );
    assert_eq!(first.created, first.objects);
    let (_, parsed) = cairn_stix::bundle::parse_bundle(&bytes).expect("parses");
    let relationships = parsed
        .iter()
        .filter(|o| o.get_str("type") == Some("relationship"))
        .count();
    let (objects, edges) = store
        .count_knowledge(&cairn_store::Scope::bypass())
        .await
        .expect("count");
    assert_eq!(edges, relationships as u64);
    assert_eq!(objects + edges, first.objects as u64);

    let again = import(&store, &bytes).await;
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, first.objects)
    );
    assert_eq!(
        store
            .count_knowledge(&cairn_store::Scope::bypass())
            .await
            .expect("count"),
        (objects, edges)
    );

    // Author, markings, kill-chain phases and external references are links
    // to shared records, and read back as the bundle gave them.
    let technique = parsed
        .iter()
        .find(|o| {
            o.get_str("type") == Some("attack-pattern")
                && o.get("kill_chain_phases").is_some()
                && o.get("object_marking_refs").is_some()
        })
        .expect("an ICS technique");
    let links = store
        .links(
            &cairn_store::Scope::bypass(),
            technique.get_str("id").unwrap_or_default(),
        )
        .await
        .expect("links")
        .expect("stored");
    let strings = |key: &str| -> Vec<String> {
        technique
            .get(key)
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(links.markings, strings("object_marking_refs"));
    assert_eq!(
        links.created_by.as_deref(),
        technique.get_str("created_by_ref")
    );
    assert_eq!(
        links.created_by_name.as_deref(),
        Some("The MITRE Corporation")
    );
    let phases: Vec<String> = technique
        .get("kill_chain_phases")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let p = p.as_object()?;
            Some(format!(
                "{}:{}",
                p.get_str("kill_chain_name")?,
                p.get_str("phase_name")?
            ))
        })
        .collect();
    assert_eq!(links.kill_chain_phases, phases);
    let references = technique
        .get("external_references")
        .and_then(|v| v.as_array())
        .expect("references");
    assert_eq!(links.external_references.len(), references.len());
    assert_eq!(
        links.external_references[0].external_id.as_deref(),
        references[0]
            .as_object()
            .and_then(|r| r.get_str("external_id"))
    );
    // One record per distinct phase, shared by every technique in it.
    let mut all_phases: Vec<String> = parsed
        .iter()
        .flat_map(|o| {
            o.get("kill_chain_phases")
                .and_then(|v| v.as_array())
                .into_iter()
                .flatten()
        })
        .filter_map(|p| {
            let p = p.as_object()?;
            Some(format!(
                "{}:{}",
                p.get_str("kill_chain_name")?,
                p.get_str("phase_name")?
            ))
        })
        .collect();
    all_phases.sort();
    all_phases.dedup();
    assert_eq!(store.kill_chain_phases().await.expect("phases"), all_phases);
}

const MALWARE: &str = r#"{"type":"malware","spec_version":"2.1","id":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","created":"2016-04-06T20:07:09.000Z","modified":"MODIFIED","name":"NAME","is_family":true}"#;

fn malware(modified: &str, name: &str) -> String {
    MALWARE.replace("MODIFIED", modified).replace("NAME", name)
}

#[tokio::test]
async fn only_a_newer_modified_makes_a_new_version() {
    let store = Store::open("mem://").await.expect("open");
    let first = import(
        &store,
        &bundle(&[malware("2016-04-06T20:07:09.000Z", "Poison Ivy")]),
    )
    .await;
    assert_eq!(first.created, 1);
    let newer = import(
        &store,
        &bundle(&[malware("2017-01-01T00:00:00.000Z", "Poison Ivy RAT")]),
    )
    .await;
    assert_eq!((newer.created, newer.updated, newer.unchanged), (0, 1, 0));
    let older = import(
        &store,
        &bundle(&[malware("2016-06-01T00:00:00.000Z", "Stale name")]),
    )
    .await;
    assert_eq!((older.created, older.updated, older.unchanged), (0, 0, 1));
    let history = store
        .history_of(
            &Scope::bypass(),
            "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b",
        )
        .await
        .expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].action, "create");
    assert_eq!(history[1].action, "update");
    assert_eq!(
        history[1].fields,
        vec!["modified".to_owned(), "name".to_owned()]
    );
}

#[tokio::test]
async fn a_newer_version_of_lower_confidence_only_adds_what_is_missing() {
    let store = Store::open("mem://").await.expect("open");
    let id = "malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b";
    let with = |modified: &str, name: &str, extra: &str| {
        malware(modified, name).replace(
            r#""is_family":true"#,
            &format!(r#""is_family":true{extra}"#),
        )
    };
    import(
        &store,
        &bundle(&[with(
            "2016-04-06T20:07:09.000Z",
            "Poison Ivy",
            r#","confidence":80"#,
        )]),
    )
    .await;
    // Lower confidence: the name stays, the new description is added.
    let lower = import(
        &store,
        &bundle(&[with(
            "2017-01-01T00:00:00.000Z",
            "Wrong name",
            r#","confidence":20,"description":"A RAT.""#,
        )]),
    )
    .await;
    assert_eq!(lower.updated, 1, "{lower:?}");
    let stored: serde_json::Value = serde_json::from_str(
        &store
            .get_object(&Scope::bypass(), id)
            .await
            .expect("get")
            .expect("stored"),
    )
    .expect("json");
    assert_eq!(stored["name"], "Poison Ivy");
    assert_eq!(stored["confidence"], 80);
    assert_eq!(stored["description"], "A RAT.");
    assert_eq!(stored["modified"], "2017-01-01T00:00:00.000Z");
    let history = store
        .history_of(&Scope::bypass(), id)
        .await
        .expect("history");
    assert_eq!(history[1].fields, ["modified", "description"]);
    // Importing the same copy again changes nothing.
    let again = import(
        &store,
        &bundle(&[with(
            "2017-01-01T00:00:00.000Z",
            "Wrong name",
            r#","confidence":20,"description":"A RAT.""#,
        )]),
    )
    .await;
    assert_eq!((again.updated, again.unchanged), (0, 1));
    // Equal or higher confidence wins outright.
    import(
        &store,
        &bundle(&[with(
            "2018-01-01T00:00:00.000Z",
            "Poison Ivy RAT",
            r#","confidence":90"#,
        )]),
    )
    .await;
    let stored: serde_json::Value = serde_json::from_str(
        &store
            .get_object(&Scope::bypass(), id)
            .await
            .expect("get")
            .expect("stored"),
    )
    .expect("json");
    assert_eq!(stored["name"], "Poison Ivy RAT");
    assert!(stored.get("description").is_none());
}

#[tokio::test]
async fn invalid_objects_are_rejected_and_the_valid_ones_kept_unless_strict() {
    let bytes = corpus("sco/sco-examples.json");
    let store = Store::open("mem://").await.expect("open");
    let strict = store
        .import_bundle(
            &bytes,
            &ImportOptions {
                strict: true,
                ..Default::default()
            },
            |_, _| {},
        )
        .await
        .expect("import");
    assert_eq!((strict.created, strict.rejected), (0, 82));
    assert_eq!(
        store
            .count_knowledge(&cairn_store::Scope::bypass())
            .await
            .expect("count"),
        (0, 0)
    );

    // The spec's examples repeat some observables (same id): the copies change nothing.
    let lenient = import(&store, &bytes).await;
    assert_eq!(
        (lenient.created, lenient.unchanged, lenient.rejected),
        (67, 12, 3)
    );
    assert_eq!(
        store
            .count_knowledge(&cairn_store::Scope::bypass())
            .await
            .expect("count"),
        (67, 0)
    );
    assert_eq!(lenient.errors.len(), 3);
    assert!(lenient.errors.iter().all(|e| {
        e.path == "payload_bin"
            && e.id
                .as_deref()
                .is_some_and(|id| id.starts_with("artifact--"))
    }));
}

#[tokio::test]
async fn a_relationship_to_an_unknown_object_is_reported_not_dropped() {
    let store = Store::open("mem://").await.expect("open");
    let relationship = r#"{"type":"relationship","spec_version":"2.1","id":"relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","relationship_type":"uses","source_ref":"malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b","target_ref":"attack-pattern--7e33a43e-e34b-40ec-89da-36c9bb2cacd5"}"#;
    let summary = import(
        &store,
        &bundle(&[
            malware("2016-04-06T20:07:09.000Z", "Poison Ivy"),
            relationship.to_owned(),
        ]),
    )
    .await;
    assert_eq!((summary.created, summary.rejected), (1, 1));
    assert_eq!(
        summary.errors[0].id.as_deref(),
        Some("relationship--44298a74-ba52-4f0c-87a3-1824e67d7fad")
    );
    assert!(
        summary.errors[0]
            .message
            .contains("attack-pattern--7e33a43e-e34b-40ec-89da-36c9bb2cacd5"),
        "{:?}",
        summary.errors
    );

    // Once the target exists, the same relationship goes in.
    let target = r#"{"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--7e33a43e-e34b-40ec-89da-36c9bb2cacd5","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Spearphishing"}"#;
    let summary = import(
        &store,
        &bundle(&[target.to_owned(), relationship.to_owned()]),
    )
    .await;
    assert_eq!((summary.created, summary.rejected), (2, 0));
    assert_eq!(
        store
            .count_knowledge(&cairn_store::Scope::bypass())
            .await
            .expect("count"),
        (2, 1)
    );
}

#[tokio::test]
async fn unreadable_input_is_an_error() {
    let store = Store::open("mem://").await.expect("open");
    let error = store
        .import_bundle(b"{\"type\":", &ImportOptions::default(), |_, _| {})
        .await
        .expect_err("broken");
    assert!(
        error.to_string().starts_with("invalid JSON at line 1"),
        "{error}"
    );
}
