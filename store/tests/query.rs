//! Reads under an access scope: lists, counts, objects and neighbours show
//! exactly what the caller's markings allow, and hidden objects do not leak
//! through relationship ends or totals.

mod common;

use cairn_store::{ListFilter, Scope, Sort, Store};
use common::{AMBER, GREEN, store};

async fn names(store: &Store, scope: &Scope) -> (Vec<String>, u64) {
    let page = store
        .list_objects(scope, &ListFilter::default(), None, 100)
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
        .list_objects(&Scope::bypass(), &filter, None, 10)
        .await
        .expect("list");
    assert_eq!((page.items.len(), page.total), (1, 1));
    let filter = ListFilter {
        name_contains: Some("ARL".into()),
        ..Default::default()
    };
    let page = store
        .list_objects(&Scope::bypass(), &filter, None, 10)
        .await
        .expect("list");
    assert_eq!(page.items[0].name.as_deref(), Some("Charlie"));
    // Cursor paging walks every order without gaps or repeats, and the total
    // does not depend on the page.
    for sort in [
        Sort::NameAsc,
        Sort::NameDesc,
        Sort::CreatedDesc,
        Sort::ModifiedAsc,
    ] {
        let filter = ListFilter {
            sort: sort.clone(),
            ..Default::default()
        };
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = store
                .list_objects(&Scope::bypass(), &filter, after.as_deref(), 3)
                .await
                .expect("list");
            assert_eq!(page.total, 4);
            assert!(page.items.len() <= 3);
            seen.extend(page.items.into_iter().filter_map(|o| o.name));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let mut expected = vec!["Alpha", "Bravo", "Charlie", "Delta"];
        if sort == Sort::NameDesc {
            expected.reverse();
        }
        if matches!(sort, Sort::NameAsc | Sort::NameDesc) {
            assert_eq!(seen, expected, "{sort:?}");
        } else {
            seen.sort();
            assert_eq!(seen, expected, "{sort:?}");
        }
    }
    let error = store
        .list_objects(&Scope::bypass(), &ListFilter::default(), Some("page 2"), 3)
        .await
        .expect_err("a made-up cursor");
    assert!(error.to_string().contains("cursor"), "{error}");
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

    // Aliases are searched too, and the matching one is highlighted.
    let set = r#"{"type":"intrusion-set","spec_version":"2.1","id":"intrusion-set--00000000-0000-4000-8000-0000000000aa","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"APT1","aliases":["Comment Crew","Byzantine Candor"]}"#;
    store
        .import_bundle(
            &common::bundle(&[set.to_owned()]),
            &Default::default(),
            |_, _| {},
        )
        .await
        .expect("import");
    let hits = store
        .search(&Scope::bypass(), "candor", 10)
        .await
        .expect("search");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].name.as_deref(), Some("APT1"));
    assert_eq!(
        hits[0].highlight.as_deref(),
        Some("Byzantine <mark>Candor</mark>")
    );
}
