//! Graph reads (filters, direction, several roots, the hidden count, the
//! graph of given objects and of a container) and saved investigations
//! (ownership, sharing, what they hold), on a small marked base.

mod common;

use cairn_store::{
    GraphDirection, GraphFilter, Investigation, Scope, Store, WorkspaceNode, investigations,
};
use common::{AMBER, GREEN, RED, rel, sdo};

const ALPHA: &str = "malware--00000000-0000-4000-8000-000000000001";
const BRAVO: &str = "malware--00000000-0000-4000-8000-000000000002";
const CHARLIE: &str = "malware--00000000-0000-4000-8000-000000000003";
const DELTA: &str = "tool--00000000-0000-4000-8000-000000000004";
const USES: &str = "relationship--00000000-0000-4000-8000-000000000101";
const BRAVO_ALPHA: &str = "relationship--00000000-0000-4000-8000-000000000102";

fn ids(graph: &cairn_store::Graph) -> Vec<&str> {
    let mut ids: Vec<&str> = graph.nodes.iter().map(|n| n.id.as_str()).collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn graphs_filter_by_relationship_kind_marking_and_direction() {
    let store = common::store().await;
    let all = Scope::bypass();
    let root = [ALPHA.to_owned()];
    let graph = |filter: GraphFilter| {
        let store = &store;
        let all = &all;
        let root = &root;
        async move {
            store
                .graph(all, root, &filter, 1, 100)
                .await
                .expect("graph")
        }
    };
    let everything = graph(GraphFilter::default()).await;
    assert_eq!(ids(&everything), [ALPHA, BRAVO, CHARLIE, DELTA]);
    let alpha = everything
        .nodes
        .iter()
        .find(|n| n.id == ALPHA)
        .expect("root");
    assert_eq!((alpha.depth, alpha.kind.as_deref()), (0, Some("Malware")));
    let delta = everything
        .nodes
        .iter()
        .find(|n| n.id == DELTA)
        .expect("delta");
    assert_eq!(delta.markings.len(), 2, "{delta:?}");
    assert_eq!(delta.created.as_deref(), Some("2020-01-01T00:00:00Z"));

    let uses = graph(GraphFilter {
        relationship_types: vec!["uses".into()],
        ..Default::default()
    })
    .await;
    assert_eq!(ids(&uses), [ALPHA, DELTA]);
    assert_eq!(uses.edges.len(), 1);
    assert_eq!(uses.edges[0].id, USES);

    let tools = graph(GraphFilter {
        kinds: vec!["Tool".into()],
        ..Default::default()
    })
    .await;
    assert_eq!(ids(&tools), [ALPHA, DELTA]);

    let red = graph(GraphFilter {
        markings: vec![RED.into()],
        ..Default::default()
    })
    .await;
    assert_eq!(ids(&red), [ALPHA, CHARLIE]);

    // Alpha is the source of `uses` only; Bravo and Charlie point at it.
    let outgoing = graph(GraphFilter {
        direction: GraphDirection::Out,
        ..Default::default()
    })
    .await;
    assert_eq!(ids(&outgoing), [ALPHA, DELTA]);
    let incoming = graph(GraphFilter {
        direction: GraphDirection::In,
        ..Default::default()
    })
    .await;
    assert_eq!(ids(&incoming), [ALPHA, BRAVO, CHARLIE]);

    // All three relationships were created in 2020.
    let later = graph(GraphFilter {
        created_from: Some("2021-01-01T00:00:00Z".into()),
        ..Default::default()
    })
    .await;
    assert_eq!(ids(&later), [ALPHA]);
}

#[tokio::test]
async fn graphs_keep_to_the_scope_and_count_what_the_cap_hides() {
    let store = common::store().await;
    let green = Scope::markings([GREEN]);
    let graph = store
        .graph(&green, &[ALPHA.to_owned()], &GraphFilter::default(), 1, 100)
        .await
        .expect("graph");
    // Charlie is RED, Delta also AMBER.
    assert_eq!(ids(&graph), [ALPHA, BRAVO]);

    // Cap 2: Alpha and one neighbour; the other links are counted, not shown.
    let capped = store
        .graph(
            &Scope::bypass(),
            &[ALPHA.to_owned()],
            &GraphFilter::default(),
            1,
            2,
        )
        .await
        .expect("graph");
    assert_eq!(capped.nodes.len(), 2, "{capped:?}");
    assert!(capped.truncated);
    assert_eq!(capped.hidden, 2, "{capped:?}");

    // Under GREEN, Alpha's one visible link is shown or counted; the links
    // to Charlie (RED) and Delta (AMBER) are neither.
    let capped_green = store
        .graph(&green, &[ALPHA.to_owned()], &GraphFilter::default(), 1, 1)
        .await
        .expect("graph");
    assert_eq!(ids(&capped_green), [ALPHA]);
    assert_eq!(capped_green.hidden, 1, "{capped_green:?}");
    // A filter counts only what it keeps.
    let capped_uses = store
        .graph(
            &Scope::bypass(),
            &[ALPHA.to_owned()],
            &GraphFilter {
                kinds: vec!["Malware".into()],
                ..Default::default()
            },
            1,
            1,
        )
        .await
        .expect("graph");
    assert_eq!(capped_uses.hidden, 2, "{capped_uses:?}");

    // Two roots expand together.
    let both = store
        .graph(
            &Scope::bypass(),
            &[BRAVO.to_owned(), DELTA.to_owned()],
            &GraphFilter::default(),
            1,
            100,
        )
        .await
        .expect("graph");
    assert_eq!(ids(&both), [ALPHA, BRAVO, DELTA]);
    assert_eq!(both.edges.len(), 2);
}

#[tokio::test]
async fn a_subgraph_shows_what_the_reader_sees_and_a_container_its_contents() {
    let report = r#"{"type":"report","spec_version":"2.1","id":"report--00000000-0000-4000-8000-000000000009","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Weekly","published":"2020-01-02T00:00:00Z","object_refs":["malware--00000000-0000-4000-8000-000000000001","malware--00000000-0000-4000-8000-000000000002","relationship--00000000-0000-4000-8000-000000000102"]}"#;
    let store = common::store_with(&[
        sdo("malware", 1, "Alpha", &[]),
        sdo("malware", 2, "Bravo", &[GREEN]),
        sdo("tool", 4, "Delta", &[GREEN, AMBER]),
        rel(1, "uses", ALPHA, DELTA),
        rel(2, "related-to", BRAVO, ALPHA),
        report.to_owned(),
    ])
    .await;
    let objects = [
        ALPHA.to_owned(),
        DELTA.to_owned(),
        "malware--missing".to_owned(),
    ];
    let edges = [USES.to_owned(), BRAVO_ALPHA.to_owned()];
    let all = store
        .subgraph(&Scope::bypass(), &objects, &edges)
        .await
        .expect("subgraph");
    assert_eq!(ids(&all), [ALPHA, DELTA]);
    // Bravo is not in it, so its relationship is not drawn.
    assert_eq!(all.edges.len(), 1);
    let green = store
        .subgraph(&Scope::markings([GREEN]), &objects, &edges)
        .await
        .expect("subgraph");
    assert_eq!(ids(&green), [ALPHA]);
    assert!(green.edges.is_empty());

    let contents = store
        .container_graph(
            &Scope::bypass(),
            "report--00000000-0000-4000-8000-000000000009",
        )
        .await
        .expect("container")
        .expect("the report exists");
    assert_eq!(ids(&contents), [ALPHA, BRAVO]);
    assert_eq!(contents.edges.len(), 1);
    assert_eq!(contents.edges[0].id, BRAVO_ALPHA);
}

async fn saved(store: &Store, owner: &str) -> Investigation {
    let mut investigation = store
        .create_investigation(owner, "  Alpha's reach  ")
        .await
        .expect("create");
    assert_eq!(investigation.name, "Alpha's reach");
    investigation.nodes = vec![
        WorkspaceNode {
            id: ALPHA.into(),
            x: 10.0,
            y: -5.5,
            pinned: true,
        },
        WorkspaceNode {
            id: DELTA.into(),
            x: 80.0,
            y: 40.0,
            pinned: false,
        },
    ];
    investigation.edges = vec![USES.into()];
    investigation.notes = "Delta is the loader.".into();
    store
        .save_investigation(owner, &investigation)
        .await
        .expect("save")
        .expect("saved")
}

#[tokio::test]
async fn investigations_belong_to_their_owner_until_shared() {
    let store = common::store().await;
    let mine = saved(&store, "ana").await;
    assert_eq!(mine.nodes.len(), 2);
    assert!(mine.nodes[0].pinned);
    assert_eq!(mine.nodes[0].y, -5.5);
    assert_eq!(mine.edges, [USES]);
    assert_eq!(mine.notes, "Delta is the loader.");

    // Another analyst neither lists nor opens it.
    assert!(store.investigations("bob").await.expect("list").is_empty());
    assert!(
        store
            .investigation("bob", &mine.id)
            .await
            .expect("read")
            .is_none()
    );
    let listed = store.investigations("ana").await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].nodes, listed[0].shared), (2, false));

    // Shared: Bob reads it but cannot change or delete it.
    let mut shared = mine.clone();
    shared.shared = true;
    store
        .save_investigation("ana", &shared)
        .await
        .expect("share")
        .expect("saved");
    let seen = store
        .investigation("bob", &mine.id)
        .await
        .expect("read")
        .expect("shared");
    assert_eq!(seen.nodes.len(), 2);
    let mut changed = seen.clone();
    changed.name = "Bob's now".into();
    assert!(store.save_investigation("bob", &changed).await.is_err());
    assert!(store.delete_investigation("bob", &mine.id).await.is_err());

    // Bad input is refused with the field at fault, and nothing changes.
    let mut bad = mine.clone();
    bad.name = " ".into();
    let error = store
        .save_investigation("ana", &bad)
        .await
        .expect_err("empty name");
    assert!(error.to_string().starts_with("name:"), "{error}");
    bad.name = "ok".into();
    bad.nodes[0].x = f64::NAN;
    assert!(store.save_investigation("ana", &bad).await.is_err());
    bad.nodes = vec![
        WorkspaceNode {
            id: ALPHA.into(),
            x: 0.0,
            y: 0.0,
            pinned: false
        };
        investigations::MAX_NODES + 1
    ];
    assert!(store.save_investigation("ana", &bad).await.is_err());
    let kept = store
        .investigation("ana", &mine.id)
        .await
        .expect("read")
        .expect("kept");
    assert_eq!(kept.name, "Alpha's reach");
    assert_eq!(kept.nodes.len(), 2);

    assert!(
        store
            .delete_investigation("ana", &mine.id)
            .await
            .expect("delete")
    );
    assert!(store.investigations("ana").await.expect("list").is_empty());
}
