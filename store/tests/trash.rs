//! Delete goes to the trash with the relationships it carries, restore brings
//! them back, and no edge is ever left without both its ends.

mod common;

use cairn_store::Scope;
use common::{GREEN, store};

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
    let history = store
        .history_of(&cairn_store::Scope::bypass(), ALPHA)
        .await
        .expect("history");
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
