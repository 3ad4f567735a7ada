//! Reads under an access scope: lists, counts, objects and neighbours show
//! exactly what the caller's markings allow, and hidden objects do not leak
//! through relationship ends or totals.

use cairn_store::{ImportOptions, ListFilter, Scope, Store};

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

async fn names(store: &Store, scope: &Scope) -> (Vec<String>, u64) {
    let page = store
        .list_objects(scope, &ListFilter::default(), 0, 100)
        .await
        .expect("list");
    (
        page.items.into_iter().filter_map(|o| o.name).collect(),
        page.total,
    )
}

#[tokio::test]
async fn lists_and_totals_follow_the_scope() {
    let store = store().await;
    assert_eq!(
        names(&store, &Scope::bypass()).await,
        (
            vec![
                "Alpha".into(),
                "Bravo".into(),
                "Charlie".into(),
                "Delta".into()
            ],
            4
        )
    );
    assert_eq!(
        names(&store, &Scope::markings([GREEN])).await,
        (vec!["Alpha".into(), "Bravo".into()], 2)
    );
    assert_eq!(
        names(&store, &Scope::markings([GREEN, AMBER])).await,
        (vec!["Alpha".into(), "Bravo".into(), "Delta".into()], 3)
    );
    assert_eq!(
        names(&store, &Scope::markings(Vec::<String>::new())).await,
        (vec!["Alpha".into()], 1)
    );

    let counts = store
        .count_by_type(&Scope::markings([GREEN]))
        .await
        .expect("counts");
    assert_eq!(counts, vec![("malware".to_owned(), 2)]);
}

#[tokio::test]
async fn filters_and_paging() {
    let store = store().await;
    let filter = ListFilter {
        types: vec!["tool".into()],
        ..Default::default()
    };
    let page = store
        .list_objects(&Scope::bypass(), &filter, 0, 10)
        .await
        .expect("list");
    assert_eq!((page.items.len(), page.total), (1, 1));
    let filter = ListFilter {
        name_contains: Some("ARL".into()),
        ..Default::default()
    };
    let page = store
        .list_objects(&Scope::bypass(), &filter, 0, 10)
        .await
        .expect("list");
    assert_eq!(page.items[0].name.as_deref(), Some("Charlie"));
    let page = store
        .list_objects(&Scope::bypass(), &ListFilter::default(), 1, 2)
        .await
        .expect("list");
    assert_eq!(
        page.items
            .iter()
            .filter_map(|o| o.name.clone())
            .collect::<Vec<_>>(),
        ["Bravo", "Charlie"]
    );
    assert_eq!(page.total, 4);
}

#[tokio::test]
async fn objects_and_neighbours_hide_what_the_scope_cannot_see() {
    let store = store().await;
    let alpha = "malware--00000000-0000-4000-8000-000000000001";
    let charlie = "malware--00000000-0000-4000-8000-000000000003";
    assert!(
        store
            .get_object(&Scope::markings([GREEN]), charlie)
            .await
            .expect("get")
            .is_none()
    );
    let raw = store
        .get_object(&Scope::bypass(), charlie)
        .await
        .expect("get")
        .expect("visible");
    assert!(raw.contains("\"name\":\"Charlie\""));

    let all = store
        .neighbours(&Scope::bypass(), alpha)
        .await
        .expect("neighbours");
    let mut seen: Vec<_> = all
        .iter()
        .map(|n| {
            (
                n.direction.as_str(),
                n.relationship_type.as_str(),
                n.other_name.clone().unwrap_or_default(),
            )
        })
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            ("in", "related-to", "Bravo".into()),
            ("in", "related-to", "Charlie".into()),
            ("out", "uses", "Delta".into())
        ]
    );

    let green = store
        .neighbours(&Scope::markings([GREEN]), alpha)
        .await
        .expect("neighbours");
    let seen: Vec<_> = green
        .iter()
        .map(|n| n.other_name.clone().unwrap_or_default())
        .collect();
    assert_eq!(seen, ["Bravo"]);
}

#[tokio::test]
async fn full_text_search_finds_words_with_highlights_within_the_scope() {
    let store = store().await;
    let hits = store
        .search(&Scope::bypass(), "charlie", 10)
        .await
        .expect("search");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].name.as_deref(), Some("Charlie"));
    assert_eq!(hits[0].highlight.as_deref(), Some("<mark>Charlie</mark>"));
    let hidden = store
        .search(&Scope::markings([GREEN]), "charlie", 10)
        .await
        .expect("search");
    assert!(hidden.is_empty(), "{hidden:?}");
}
