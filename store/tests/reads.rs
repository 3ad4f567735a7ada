//! The read side over a small hand-made base: filters, sorting, containers,
//! aggregations and capped neighbourhoods.

mod common;

use cairn_store::{ListFilter, Scope, Sort, Store};

fn id(ty: &str, n: u32) -> String {
    format!("{ty}--00000000-0000-4000-8000-0000000000{n:02}")
}

fn obj(ty: &str, n: u32, created: &str, body: &str) -> String {
    format!(
        r#"{{"type":"{ty}","spec_version":"2.1","id":"{}","created":"{created}","modified":"{created}"{body}}}"#,
        id(ty, n)
    )
}

fn rel(n: u32, verb: &str, from: &str, to: &str) -> String {
    obj(
        "relationship",
        n,
        "2022-01-01T00:00:00Z",
        &format!(r#","relationship_type":"{verb}","source_ref":"{from}","target_ref":"{to}""#),
    )
}

async fn store() -> Store {
    let author = id("identity", 1);
    let objects = vec![
        obj(
            "identity",
            1,
            "2020-01-01T00:00:00Z",
            r#","name":"ACME CERT","identity_class":"organization""#,
        ),
        obj(
            "identity",
            2,
            "2020-01-01T00:00:00Z",
            r#","name":"Energy","identity_class":"class""#,
        ),
        obj(
            "identity",
            3,
            "2020-01-01T00:00:00Z",
            r#","name":"Finance","identity_class":"class""#,
        ),
        obj(
            "malware",
            4,
            "2020-01-15T00:00:00Z",
            &format!(
                r#","name":"Alpha","is_family":true,"labels":["rat"],"confidence":80,"created_by_ref":"{author}""#
            ),
        ),
        obj(
            "malware",
            5,
            "2021-03-02T00:00:00Z",
            r#","name":"Bravo","is_family":true,"labels":["rat","wiper"],"confidence":30"#,
        ),
        obj(
            "intrusion-set",
            6,
            "2021-03-09T00:00:00Z",
            r#","name":"Set One""#,
        ),
        obj(
            "intrusion-set",
            7,
            "2021-05-01T00:00:00Z",
            r#","name":"Set Two""#,
        ),
        obj(
            "report",
            8,
            "2022-01-01T00:00:00Z",
            &format!(
                r#","name":"Report","published":"2022-01-01T00:00:00Z","object_refs":["{}","{}"]"#,
                id("malware", 4),
                id("intrusion-set", 6)
            ),
        ),
        obj(
            "attack-pattern",
            20,
            "2020-01-01T00:00:00Z",
            r#","name":"Phishing","external_references":[{"source_name":"mitre-attack","external_id":"T1566"}],"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"initial-access"}]"#,
        ),
        obj(
            "attack-pattern",
            21,
            "2020-01-01T00:00:00Z",
            r#","name":"Valid Accounts","external_references":[{"source_name":"mitre-attack","external_id":"T1078"}],"kill_chain_phases":[{"kill_chain_name":"mitre-attack","phase_name":"persistence"},{"kill_chain_name":"mitre-attack","phase_name":"initial-access"}]"#,
        ),
        rel(
            15,
            "uses",
            &id("intrusion-set", 7),
            &id("attack-pattern", 20),
        ),
        rel(
            16,
            "uses",
            &id("intrusion-set", 7),
            &id("attack-pattern", 21),
        ),
        rel(10, "targets", &id("intrusion-set", 6), &id("identity", 2)),
        rel(11, "targets", &id("intrusion-set", 7), &id("identity", 2)),
        rel(12, "targets", &id("intrusion-set", 7), &id("identity", 3)),
        rel(13, "uses", &id("intrusion-set", 6), &id("malware", 4)),
        rel(14, "uses", &id("intrusion-set", 6), &id("malware", 5)),
    ];
    common::store_with(&objects).await
}

async fn names(store: &Store, filter: ListFilter) -> Vec<String> {
    let page = store
        .list_objects(&Scope::bypass(), &filter, None, 50)
        .await
        .expect("list");
    assert_eq!(page.total as usize, page.items.len());
    page.items.into_iter().filter_map(|o| o.name).collect()
}

#[tokio::test]
async fn list_filters_and_sorts() {
    let store = store().await;
    assert_eq!(
        names(
            &store,
            ListFilter {
                labels: vec!["wiper".into()],
                ..Default::default()
            }
        )
        .await,
        ["Bravo"]
    );
    assert_eq!(
        names(
            &store,
            ListFilter {
                labels: vec!["rat".into()],
                sort: Sort::NameDesc,
                ..Default::default()
            }
        )
        .await,
        ["Bravo", "Alpha"]
    );
    assert_eq!(
        names(
            &store,
            ListFilter {
                min_confidence: Some(50),
                ..Default::default()
            }
        )
        .await,
        ["Alpha"]
    );
    assert_eq!(
        names(
            &store,
            ListFilter {
                created_by: Some(id("identity", 1)),
                ..Default::default()
            }
        )
        .await,
        ["Alpha"]
    );
    let in_2021 = ListFilter {
        created_from: Some("2021-01-01T00:00:00Z".into()),
        created_to: Some("2022-01-01T00:00:00Z".into()),
        sort: Sort::CreatedDesc,
        ..Default::default()
    };
    assert_eq!(
        names(&store, in_2021).await,
        ["Set Two", "Set One", "Bravo"]
    );
}

#[tokio::test]
async fn lists_select_by_kind_and_show_the_author() {
    let store = store().await;
    let sectors = ListFilter {
        kinds: vec!["Sector".into()],
        ..Default::default()
    };
    assert_eq!(names(&store, sectors).await, ["Energy", "Finance"]);
    let organizations = ListFilter {
        kinds: vec!["Organization".into()],
        ..Default::default()
    };
    assert_eq!(names(&store, organizations).await, ["ACME CERT"]);
    let page = store
        .list_objects(
            &Scope::bypass(),
            &ListFilter {
                kinds: vec!["Malware".into()],
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .expect("list");
    let alpha = &page.items[0];
    assert_eq!(alpha.kind.as_deref(), Some("Malware"));
    assert_eq!(alpha.author.as_deref(), Some("ACME CERT"));
    assert_eq!(alpha.confidence, Some(80));
    let mut by_kind = store.count_by_kind(&Scope::bypass()).await.expect("counts");
    by_kind.sort();
    assert_eq!(
        by_kind,
        [
            ("Attack-Pattern".to_owned(), 2),
            ("Intrusion-Set".to_owned(), 2),
            ("Malware".to_owned(), 2),
            ("Organization".to_owned(), 1),
            ("Report".to_owned(), 1),
            ("Sector".to_owned(), 2),
        ]
    );
}

#[tokio::test]
async fn techniques_come_with_their_tactics() {
    let store = store().await;
    let used = store
        .techniques_used(&Scope::bypass(), &id("intrusion-set", 7))
        .await
        .expect("techniques");
    let names: Vec<_> = used.iter().filter_map(|t| t.name.as_deref()).collect();
    assert_eq!(
        names,
        ["Valid Accounts", "Phishing"],
        "ordered by ATT&CK id"
    );
    assert_eq!(used[0].x_mitre_id.as_deref(), Some("T1078"));
    assert_eq!(
        used[0].phases,
        ["mitre-attack:persistence", "mitre-attack:initial-access"]
    );
    // Set One uses malware, not techniques.
    assert!(
        store
            .techniques_used(&Scope::bypass(), &id("intrusion-set", 6))
            .await
            .expect("techniques")
            .is_empty()
    );
}

#[tokio::test]
async fn containers_and_aggregations() {
    let store = store().await;
    let containers = store
        .containers_of(&Scope::bypass(), &id("malware", 4), 10)
        .await
        .expect("containers");
    assert_eq!(containers.total, 1);
    assert_eq!(
        containers
            .items
            .iter()
            .filter_map(|c| c.name.clone())
            .collect::<Vec<_>>(),
        ["Report"]
    );
    let contents = store
        .contents_of(&Scope::bypass(), &id("report", 8), 10)
        .await
        .expect("contents");
    assert_eq!(contents.total, 2);
    assert_eq!(
        contents
            .items
            .iter()
            .filter_map(|c| c.name.clone())
            .collect::<Vec<_>>(),
        ["Alpha", "Set One"]
    );
    let first = store
        .contents_of(&Scope::bypass(), &id("report", 8), 1)
        .await
        .expect("contents");
    assert_eq!((first.items.len(), first.total), (1, 2));
    assert!(
        store
            .containers_of(&Scope::bypass(), &id("malware", 5), 10)
            .await
            .expect("containers")
            .items
            .is_empty()
    );

    assert_eq!(
        store
            .count_by_label(&Scope::bypass())
            .await
            .expect("labels"),
        [("rat".to_owned(), 2), ("wiper".to_owned(), 1)]
    );
    let months = store
        .count_by_month(&Scope::bypass())
        .await
        .expect("months");
    assert_eq!(
        months.iter().map(|(m, _)| m.as_str()).collect::<Vec<_>>(),
        ["2020-01", "2021-03", "2021-05", "2022-01"]
    );
    assert_eq!(
        months.iter().find(|(m, _)| m == "2021-03").map(|(_, n)| *n),
        Some(2)
    );
    assert_eq!(
        store
            .top_targets(&Scope::bypass(), &["identity"], 5)
            .await
            .expect("targets"),
        [("Energy".to_owned(), 2), ("Finance".to_owned(), 1)]
    );
}

#[tokio::test]
async fn neighbourhoods_are_capped_honestly() {
    let store = store().await;
    let full = store
        .neighbourhood(&Scope::bypass(), &id("intrusion-set", 6), 2, 100)
        .await
        .expect("graph");
    // Set One → Energy, Alpha, Bravo; at depth 2 Energy ← Set Two.
    assert_eq!(full.nodes.len(), 5, "{full:?}");
    assert_eq!(full.edges.len(), 4, "{full:?}");
    assert!(!full.truncated);
    let capped = store
        .neighbourhood(&Scope::bypass(), &id("intrusion-set", 6), 2, 2)
        .await
        .expect("graph");
    assert_eq!(capped.nodes.len(), 2);
    // Alpha, Bravo (and Set Two behind Energy) were left out.
    assert!(capped.truncated, "{capped:?}");
    assert!(
        capped
            .edges
            .iter()
            .all(|e| capped.nodes.iter().any(|n| n.id == e.source)
                && capped.nodes.iter().any(|n| n.id == e.target))
    );
}

#[tokio::test]
async fn a_hub_in_the_frontier_gets_its_share_of_the_cap() {
    // Root uses Hub (used by 40 other sets) and Leaf.
    let mut objects = vec![
        obj(
            "intrusion-set",
            1,
            "2021-01-01T00:00:00Z",
            r#","name":"Root""#,
        ),
        obj(
            "malware",
            2,
            "2021-01-01T00:00:00Z",
            r#","name":"Hub","is_family":true"#,
        ),
        obj(
            "malware",
            3,
            "2021-01-01T00:00:00Z",
            r#","name":"Leaf","is_family":true"#,
        ),
        rel(1, "uses", &id("intrusion-set", 1), &id("malware", 2)),
        rel(2, "uses", &id("intrusion-set", 1), &id("malware", 3)),
    ];
    for n in 10..50 {
        objects.push(obj(
            "intrusion-set",
            n,
            "2021-01-01T00:00:00Z",
            &format!(r#","name":"Set {n}""#),
        ));
        objects.push(rel(n, "uses", &id("intrusion-set", n), &id("malware", 2)));
    }
    let store = common::store_with(&objects).await;
    let root = id("intrusion-set", 1);
    let roomy = store
        .neighbourhood(&Scope::bypass(), &root, 2, 200)
        .await
        .expect("graph");
    assert_eq!(roomy.nodes.len(), 43, "{roomy:?}");
    assert!(!roomy.truncated);
    // Cap 40: the second level's frontier (Hub, Leaf) shares it, 10 links
    // each way, so Hub shows 10 of its 41 and does not fill the cap alone.
    let capped = store
        .neighbourhood(&Scope::bypass(), &root, 2, 40)
        .await
        .expect("graph");
    assert!(capped.truncated);
    assert!(
        (12..=13).contains(&capped.nodes.len()),
        "{} nodes",
        capped.nodes.len()
    );
}

#[tokio::test]
async fn lists_sort_by_a_kinds_own_column_across_pages() {
    let report = |n: u32, published: &str| {
        obj(
            "report",
            n,
            "2020-01-01T00:00:00Z",
            &format!(
                r#","name":"Report {n}","published":"{published}","report_types":["threat-report"],"object_refs":["{}"]"#,
                id("identity", 9)
            ),
        )
    };
    let store = common::store_with(&[
        obj(
            "identity",
            9,
            "2020-01-01T00:00:00Z",
            r#","name":"Energy","identity_class":"class""#,
        ),
        report(1, "2023-05-01T00:00:00Z"),
        report(2, "2021-01-01T00:00:00Z"),
        report(3, "2022-07-01T00:00:00Z"),
    ])
    .await;
    let filter = ListFilter {
        types: vec!["report".into()],
        sort: Sort::ColumnDesc("published".into()),
        ..ListFilter::default()
    };
    let first = store
        .list_objects(&Scope::bypass(), &filter, None, 2)
        .await
        .expect("page");
    let names = |p: &cairn_store::Page<cairn_store::ObjectSummary>| {
        p.items
            .iter()
            .filter_map(|o| o.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&first), ["Report 1", "Report 3"]);
    assert_eq!(
        first.items[0].facets.get("published").map(String::as_str),
        Some("2023-05-01T00:00:00Z")
    );
    let rest = store
        .list_objects(&Scope::bypass(), &filter, first.next.as_deref(), 2)
        .await
        .expect("page");
    assert_eq!(names(&rest), ["Report 2"]);
    // Only the registry's columns sort; anything else is refused, not run.
    let bad = ListFilter {
        sort: Sort::ColumnAsc("raw".into()),
        ..filter
    };
    assert!(
        store
            .list_objects(&Scope::bypass(), &bad, None, 2)
            .await
            .is_err()
    );
}

#[tokio::test]
async fn containers_come_newest_first_a_page_at_a_time() {
    let tool = id("tool", 1);
    let mut objects = vec![obj(
        "tool",
        1,
        "2020-01-01T00:00:00Z",
        r#","name":"Hammer""#,
    )];
    for (n, day) in [(2, "03"), (3, "01"), (4, "04"), (5, "02")] {
        objects.push(obj(
            "report",
            n,
            &format!("2021-01-{day}T00:00:00Z"),
            &format!(
                r#","name":"Report {day}","published":"2021-01-{day}T00:00:00Z","object_refs":["{tool}"]"#
            ),
        ));
    }
    let store = common::store_with(&objects).await;
    let page = store
        .containers_of(&Scope::bypass(), &tool, 2)
        .await
        .expect("containers");
    let names: Vec<_> = page.items.iter().filter_map(|c| c.name.clone()).collect();
    assert_eq!(
        (names, page.total),
        (vec!["Report 04".to_owned(), "Report 03".to_owned()], 4)
    );
    // The entity page lists the same page and total.
    let entity = store
        .entity(&Scope::bypass(), &tool, 2)
        .await
        .expect("entity")
        .expect("visible");
    assert_eq!(entity.containers, page);
}
