//! Edits from forms and bulk actions: validated like imports, with errors named
//! by field, markings limited to the editor's clearance, relationships limited
//! to the matrix, and every change in the history under the editor's name.

mod common;

use cairn_store::{BulkChange, ListFilter, Scope, StoreError};
use common::{AMBER, GREEN, RED, store};
use serde_json::{Map, Value, json};

const ALPHA: &str = "malware--00000000-0000-4000-8000-000000000001";
const BRAVO: &str = "malware--00000000-0000-4000-8000-000000000002";

fn object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

fn field_of(error: StoreError) -> String {
    match error {
        StoreError::InvalidObject { field, .. } => field,
        other => panic!("expected a field error, got {other}"),
    }
}

#[tokio::test]
async fn a_new_indicator_is_checked_then_stored_with_its_history() {
    let store = store().await;
    let scope = Scope::markings([GREEN]);
    let mut indicator = object(json!({
        "type": "indicator",
        "name": "Bad hash",
        "pattern": "[file:hashes.MD5 = 'x'",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
        "object_marking_refs": [GREEN],
    }));
    let error = store
        .save_object(&scope, indicator.clone(), Some("ana"))
        .await
        .expect_err("an unclosed pattern is refused");
    assert_eq!(field_of(error), "pattern");

    indicator.insert(
        "pattern".into(),
        json!("[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e']"),
    );
    let id = store
        .save_object(&scope, indicator, Some("ana"))
        .await
        .expect("a valid indicator is saved");
    assert!(id.starts_with("indicator--"));
    let stored: Value =
        serde_json::from_str(&store.get_object(&scope, &id).await.unwrap().unwrap()).unwrap();
    assert_eq!(stored["name"], "Bad hash");
    assert_eq!(stored["spec_version"], "2.1");
    let history = store.history_of(&scope, &id).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].user.as_deref(), Some("ana"));

    // An edit is a new version with a later `modified`, the creation kept.
    let mut edited = object(stored.clone());
    edited.insert("name".into(), json!("Empty file hash"));
    assert_eq!(
        store
            .save_object(&scope, edited, Some("ben"))
            .await
            .unwrap(),
        id
    );
    let again: Value =
        serde_json::from_str(&store.get_object(&scope, &id).await.unwrap().unwrap()).unwrap();
    assert_eq!(again["name"], "Empty file hash");
    assert_eq!(again["created"], stored["created"]);
    assert!(again["modified"].as_str() > stored["modified"].as_str());
    let history = store.history_of(&scope, &id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].user.as_deref(), Some("ben"));
    assert!(
        history[1].fields.contains(&"name".to_owned()),
        "{history:?}"
    );
}

#[tokio::test]
async fn editors_apply_only_markings_they_hold_and_edit_only_what_they_see() {
    let store = store().await;
    let scope = Scope::markings([GREEN]);
    let tool = object(json!({"type": "tool", "name": "Secret", "object_marking_refs": [RED]}));
    let error = store
        .save_object(&scope, tool, None)
        .await
        .expect_err("RED is refused");
    assert_eq!(field_of(error), "object_marking_refs");

    // Charlie is RED: the GREEN editor cannot rewrite it.
    let charlie = object(json!({
        "type": "malware", "id": "malware--00000000-0000-4000-8000-000000000003",
        "name": "Charlie", "is_family": true
    }));
    assert_eq!(
        field_of(store.save_object(&scope, charlie, None).await.unwrap_err()),
        "id"
    );
}

#[tokio::test]
async fn relationships_follow_the_matrix_between_visible_ends() {
    let store = store().await;
    let scope = Scope::bypass();
    let indicator = store
        .save_object(
            &scope,
            object(json!({
                "type": "indicator", "name": "Alpha beacon",
                "pattern": "[domain-name:value = 'alpha.example']", "pattern_type": "stix",
                "valid_from": "2024-01-01T00:00:00Z"
            })),
            None,
        )
        .await
        .unwrap();
    let relate = |relationship_type: &str, target: &str| {
        object(json!({
            "type": "relationship", "relationship_type": relationship_type,
            "source_ref": indicator, "target_ref": target
        }))
    };
    let error = store
        .save_object(&scope, relate("uses", ALPHA), None)
        .await
        .expect_err("an indicator does not use malware");
    assert_eq!(field_of(error), "relationship_type");
    let id = store
        .save_object(&scope, relate("indicates", ALPHA), None)
        .await
        .expect("an indicator indicates malware");
    assert!(id.starts_with("relationship--"));
    let neighbours = store.neighbours(&scope, ALPHA).await.unwrap();
    assert!(
        neighbours
            .iter()
            .any(|n| n.relationship_type == "indicates" && n.other_id == indicator)
    );
    // A GREEN editor cannot point at RED Charlie.
    let error = store
        .save_object(
            &Scope::markings([GREEN]),
            relate("indicates", "malware--00000000-0000-4000-8000-000000000003"),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(field_of(error), "target_ref");
}

#[tokio::test]
async fn bulk_changes_touch_only_visible_objects_and_only_held_markings() {
    let store = store().await;
    let scope = Scope::markings([GREEN, AMBER]);
    let ids = vec![
        ALPHA.to_owned(),
        BRAVO.to_owned(),
        "malware--00000000-0000-4000-8000-000000000003".to_owned(),
    ];
    let changed = store
        .bulk_change(
            &scope,
            &ids,
            &BulkChange::AddLabels(vec!["triaged".into()]),
            Some("ana"),
        )
        .await
        .unwrap();
    assert_eq!(changed, 2, "Charlie (RED) is out of reach");
    let filter = ListFilter {
        labels: vec!["triaged".into()],
        ..ListFilter::default()
    };
    let page = store
        .list_objects(&Scope::bypass(), &filter, None, 10)
        .await
        .unwrap();
    assert_eq!(page.total, 2);

    // Adding a label twice changes nothing; removing it changes both.
    let again = BulkChange::AddLabels(vec!["triaged".into()]);
    assert_eq!(
        store.bulk_change(&scope, &ids, &again, None).await.unwrap(),
        0
    );
    let remove = BulkChange::RemoveLabels(vec!["triaged".into()]);
    assert_eq!(
        store
            .bulk_change(&scope, &ids, &remove, None)
            .await
            .unwrap(),
        2
    );

    let marking = BulkChange::AddMarkings(vec![AMBER.into()]);
    assert_eq!(
        store
            .bulk_change(&scope, &ids, &marking, None)
            .await
            .unwrap(),
        2
    );
    let alpha: Value =
        serde_json::from_str(&store.get_object(&scope, ALPHA).await.unwrap().unwrap()).unwrap();
    assert_eq!(alpha["object_marking_refs"], json!([AMBER]));
    assert!(
        store
            .get_object(&Scope::markings([GREEN]), ALPHA)
            .await
            .unwrap()
            .is_none(),
        "once AMBER, Alpha is hidden from a GREEN reader"
    );
    let red = BulkChange::AddMarkings(vec![RED.into()]);
    assert!(store.bulk_change(&scope, &ids, &red, None).await.is_err());
}
