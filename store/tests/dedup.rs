//! Deduplication: copies of stored objects under other ids merge into them,
//! distinct things never merge, and ATT&CK keeps every one of its ids.

mod common;

use cairn_store::{ImportOptions, ImportSummary, ListFilter, Scope, Store};
use common::bundle;

fn sdo(ty: &str, n: u32, name: &str, extra: &str) -> String {
    format!(
        r#"{{"type":"{ty}","spec_version":"2.1","id":"{ty}--00000000-0000-4000-8000-0000000000{n:02}","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"{name}"{extra}}}"#
    )
}

fn id(ty: &str, n: u32) -> String {
    format!("{ty}--00000000-0000-4000-8000-0000000000{n:02}")
}

async fn import(store: &Store, objects: &[String]) -> ImportSummary {
    store
        .import_bundle(&bundle(objects), &ImportOptions::default(), |_, _| {})
        .await
        .expect("import")
}

#[tokio::test]
async fn a_copy_under_another_id_merges_and_keeps_its_name_as_an_alias() {
    let store = Store::open("mem://").await.expect("open");
    assert_eq!(
        import(&store, &[sdo("intrusion-set", 1, "APT1", "")])
            .await
            .created,
        1
    );

    let copy = sdo("intrusion-set", 2, "Comment Crew", r#","aliases":["APT1"]"#);
    let merged = import(&store, std::slice::from_ref(&copy)).await;
    assert_eq!((merged.created, merged.updated), (0, 1), "{merged:?}");
    let page = store
        .list_objects(&Scope::bypass(), &ListFilter::default(), None, 10)
        .await
        .expect("list");
    assert_eq!(page.total, 1);

    // A relationship to the copy's id lands on the stored object.
    let malware = sdo("malware", 3, "WEBC2", r#","is_family":true"#);
    let uses = format!(
        r#"{{"type":"relationship","spec_version":"2.1","id":"relationship--00000000-0000-4000-8000-000000000099","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","relationship_type":"uses","source_ref":"{}","target_ref":"{}"}}"#,
        id("intrusion-set", 2),
        id("malware", 3)
    );
    let summary = import(&store, &[malware, uses]).await;
    assert_eq!(
        (summary.created, summary.rejected),
        (2, 0),
        "{:?}",
        summary.errors
    );
    let neighbours = store
        .neighbours(&Scope::bypass(), &id("intrusion-set", 1))
        .await
        .expect("neighbours");
    assert_eq!(neighbours.len(), 1);
    assert_eq!(neighbours[0].other_name.as_deref(), Some("WEBC2"));

    // Importing the copy again changes nothing.
    let again = import(&store, &[copy]).await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 1));
    let history = store
        .history_of(&cairn_store::Scope::bypass(), &id("intrusion-set", 1))
        .await
        .expect("history");
    assert_eq!(
        history
            .iter()
            .map(|h| h.action.as_str())
            .collect::<Vec<_>>(),
        ["create", "merge"]
    );
}

#[tokio::test]
async fn distinct_things_never_merge() {
    let store = Store::open("mem://").await.expect("open");
    // Two ids in one bundle are two things, even when they share an alias.
    let both = import(
        &store,
        &[
            sdo("intrusion-set", 1, "Group A", r#","aliases":["Shared"]"#),
            sdo("intrusion-set", 2, "Group B", r#","aliases":["Shared"]"#),
        ],
    )
    .await;
    assert_eq!(both.created, 2);
    // A revoked object never merges.
    let revoked = import(
        &store,
        &[sdo("intrusion-set", 3, "Group A", r#","revoked":true"#)],
    )
    .await;
    assert_eq!(revoked.created, 1);
    // Objects with an ATT&CK id never merge by name.
    let technique = |n: u32, tid: &str| {
        sdo(
            "attack-pattern",
            n,
            "DNS",
            &format!(
                r#","external_references":[{{"source_name":"mitre-attack","external_id":"{tid}"}}]"#
            ),
        )
    };
    assert_eq!(
        import(&store, &[technique(4, "T1071.004")]).await.created,
        1
    );
    assert_eq!(
        import(&store, &[technique(5, "T1590.002")]).await.created,
        1
    );
    // The same name on another type is another thing.
    assert_eq!(
        import(&store, &[sdo("tool", 6, "Group A", "")])
            .await
            .created,
        1
    );
    assert_eq!(
        store
            .count_knowledge(&cairn_store::Scope::bypass())
            .await
            .expect("count")
            .0,
        6
    );
}

#[tokio::test]
async fn observables_merge_by_deterministic_id() {
    let store = Store::open("mem://").await.expect("open");
    let ip = |uuid: &str| {
        format!(
            r#"{{"type":"ipv4-addr","spec_version":"2.1","id":"ipv4-addr--{uuid}","value":"198.51.100.3"}}"#
        )
    };
    assert_eq!(
        import(&store, &[ip("b4e29b62-2053-47c4-bab4-bbce39e5ed67")])
            .await
            .created,
        1
    );
    let copy = import(&store, &[ip("84445275-e371-444b-baea-ac7d07a180fd")]).await;
    assert_eq!((copy.created, copy.updated), (0, 1));
    assert_eq!(
        store
            .count_knowledge(&cairn_store::Scope::bypass())
            .await
            .expect("count")
            .0,
        1
    );
}

#[tokio::test]
async fn enterprise_attack_keeps_all_its_ids() {
    let bytes = common::corpus("attack/enterprise-attack.json.xz");
    let store = Store::open("mem://").await.expect("open");
    let summary = store
        .import_bundle(&bytes, &ImportOptions::default(), |_, _| {})
        .await
        .expect("import");
    assert_eq!(
        (
            summary.objects,
            summary.created,
            summary.updated,
            summary.rejected
        ),
        (24_771, 24_771, 0, 0)
    );
    let (objects, edges) = store
        .count_knowledge(&cairn_store::Scope::bypass())
        .await
        .expect("count");
    assert_eq!(objects + edges, 24_771);
}
