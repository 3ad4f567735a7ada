//! Delete goes to the trash with the relationships it carries, restore brings
//! them back, and no edge is ever left without both its ends.

use cairn_store::{ImportOptions, Scope, Store};

const GREEN: &str = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
const AMBER: &str = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
const RED: &str = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";

fn sdo(ty: &str, n: u32, name: &str, markings: &[&str]) -> String {
    let refs: Vec<String> = markings.iter().map(|m| format!("\"{m}\"")).collect();
    let extra = if ty == "malware" {
        r#","is_family":true"#
    } else {
        ""
    };
    format!(
        r#"{{"type":"{ty}","spec_version":"2.1","id":"{ty}--00000000-0000-4000-8000-00000000000{n}","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"{name}"{extra}{}}}"#,
        if refs.is_empty() {
            String::new()
        } else {
            format!(r#","object_marking_refs":[{}]"#, refs.join(","))
        }
    )
}

fn rel(n: u32, ty: &str, from: &str, to: &str) -> String {
    format!(
        r#"{{"type":"relationship","spec_version":"2.1","id":"relationship--00000000-0000-4000-8000-00000000010{n}","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","relationship_type":"{ty}","source_ref":"{from}","target_ref":"{to}"}}"#
    )
}

async fn store() -> Store {
    let objects = [
        sdo("malware", 1, "Alpha", &[]),
        sdo("malware", 2, "Bravo", &[GREEN]),
        sdo("malware", 3, "Charlie", &[RED]),
        sdo("tool", 4, "Delta", &[GREEN, AMBER]),
        rel(
            1,
            "uses",
            "malware--00000000-0000-4000-8000-000000000001",
            "tool--00000000-0000-4000-8000-000000000004",
        ),
        rel(
            2,
            "related-to",
            "malware--00000000-0000-4000-8000-000000000002",
            "malware--00000000-0000-4000-8000-000000000001",
        ),
        rel(
            3,
            "related-to",
            "malware--00000000-0000-4000-8000-000000000003",
            "malware--00000000-0000-4000-8000-000000000001",
        ),
    ];
    let bundle = format!(
        r#"{{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[{}]}}"#,
        objects.join(",")
    );
    let store = Store::open("mem://").await.expect("open");
    let summary = store
        .import_bundle(bundle.as_bytes(), &ImportOptions::default(), |_, _| {})
        .await
        .expect("import");
    assert_eq!(
        (summary.created, summary.rejected),
        (7, 0),
        "{:?}",
        summary.errors
    );
    store
}

const ALPHA: &str = "malware--00000000-0000-4000-8000-000000000001";
const DELTA: &str = "tool--00000000-0000-4000-8000-000000000004";

#[tokio::test]
async fn deleting_an_object_takes_its_relationships_and_restore_brings_all_back() {
    let store = store().await;
    let trash = store
        .delete(&Scope::bypass(), ALPHA, Some("analyst"))
        .await
        .expect("delete")
        .expect("visible");
    assert_eq!(
        store
            .count_knowledge(&Scope::bypass())
            .await
            .expect("count"),
        (3, 0)
    );
    assert_eq!(store.orphan_edges().await.expect("orphans"), 0);
    assert!(
        store
            .get_object(&Scope::bypass(), ALPHA)
            .await
            .expect("get")
            .is_none()
    );
    let entries = store.trash().await.expect("trash");
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].stix_id.as_str(), entries[0].relationships),
        (ALPHA, 3)
    );
    assert_eq!(entries[0].name.as_deref(), Some("Alpha"));

    let skipped = store
        .restore(&trash, Some("analyst"))
        .await
        .expect("restore");
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(
        store
            .count_knowledge(&Scope::bypass())
            .await
            .expect("count"),
        (4, 3)
    );
    assert!(store.trash().await.expect("trash").is_empty());
    let history = store.history_of(ALPHA).await.expect("history");
    assert_eq!(
        history
            .iter()
            .map(|h| h.action.as_str())
            .collect::<Vec<_>>(),
        ["create", "delete", "restore"]
    );
}

#[tokio::test]
async fn a_relationship_whose_other_end_is_gone_is_not_restored_but_reported() {
    let store = store().await;
    let alpha = store
        .delete(&Scope::bypass(), ALPHA, None)
        .await
        .expect("delete")
        .expect("visible");
    store
        .delete(&Scope::bypass(), DELTA, None)
        .await
        .expect("delete")
        .expect("visible");
    let skipped = store.restore(&alpha, None).await.expect("restore");
    assert_eq!(
        skipped,
        ["relationship--00000000-0000-4000-8000-000000000101"]
    );
    assert_eq!(
        store
            .count_knowledge(&Scope::bypass())
            .await
            .expect("count"),
        (3, 2)
    );
    assert_eq!(store.orphan_edges().await.expect("orphans"), 0);
}

#[tokio::test]
async fn relationships_can_be_deleted_alone_and_hidden_objects_cannot_be_deleted() {
    let store = store().await;
    let rel = "relationship--00000000-0000-4000-8000-000000000101";
    store
        .delete(&Scope::bypass(), rel, None)
        .await
        .expect("delete")
        .expect("visible");
    assert_eq!(
        store
            .count_knowledge(&Scope::bypass())
            .await
            .expect("count"),
        (4, 2)
    );
    let charlie = "malware--00000000-0000-4000-8000-000000000003";
    assert_eq!(
        store
            .delete(&Scope::markings([GREEN]), charlie, None)
            .await
            .expect("delete"),
        None
    );
    assert_eq!(
        store
            .count_knowledge(&Scope::bypass())
            .await
            .expect("count"),
        (4, 2)
    );
    assert_eq!(
        store.purge_trash().await.expect("purge"),
        0,
        "nothing is 30 days old yet"
    );
}
