//! Dashboard reads: widget series from the tallies (grouping, time buckets,
//! the caller's scope, deletions, periods and trends), the ATT&CK matrix of
//! the base and of one object on real ATT&CK ICS data, and saved dashboards
//! (ownership, sharing, export and import, bad input refused).

mod common;

use cairn_model::dashboard::{
    DateField, GroupBy, Interval, Period, Perspective, Place, Widget, WidgetKind, WidgetQuery,
};
use cairn_store::{ImportOptions, Scope, Store};
use common::{GREEN, RED};

fn query(perspective: Perspective, group_by: Option<GroupBy>) -> WidgetQuery {
    WidgetQuery {
        perspective,
        group_by,
        top: 10,
        ..Default::default()
    }
}

fn counts(aggregate: &cairn_model::dashboard::Aggregate) -> Vec<(&str, u64)> {
    aggregate
        .buckets
        .iter()
        .map(|b| (b.label.as_str(), b.count))
        .collect()
}

/// The most active sources the scope sees: name and relationship count.
async fn sources(store: &Store, scope: &Scope) -> Vec<(String, u64)> {
    let aggregate = store
        .aggregate(
            scope,
            &query(Perspective::Relationships, Some(GroupBy::Source)),
            &Period::default(),
        )
        .await
        .expect("sources");
    aggregate
        .buckets
        .into_iter()
        .map(|b| (b.label, b.count))
        .collect()
}

fn named(pairs: &[(&str, u64)]) -> Vec<(String, u64)> {
    pairs.iter().map(|(n, c)| ((*n).to_owned(), *c)).collect()
}

fn today() -> String {
    cairn_store::edit::now()[..10].to_owned()
}

#[tokio::test]
async fn series_count_kinds_relationships_and_time_within_the_scope() {
    let store = common::store().await;
    let all = Scope::bypass();
    let everything = Period::default();
    let kinds = store
        .aggregate(
            &all,
            &query(Perspective::Entities, Some(GroupBy::Kind)),
            &everything,
        )
        .await
        .expect("by kind");
    assert_eq!(counts(&kinds), [("Malware", 3), ("Tool", 1)]);
    assert_eq!(kinds.total, 4);
    assert_eq!(kinds.previous, None);

    // GREEN only: Alpha and Bravo; Charlie (RED) and Delta (GREEN+AMBER) are hidden.
    let green = Scope::markings([GREEN]);
    let seen = store
        .aggregate(
            &green,
            &query(Perspective::Entities, Some(GroupBy::Kind)),
            &everything,
        )
        .await
        .expect("green");
    assert_eq!(counts(&seen), [("Malware", 2)]);

    let mut relationships = query(Perspective::Relationships, Some(GroupBy::RelationshipType));
    relationships.date_field = DateField::Created;
    let by_type = store
        .aggregate(&all, &relationships, &everything)
        .await
        .expect("relationships");
    assert_eq!(counts(&by_type), [("related-to", 2), ("uses", 1)]);

    // A relationship counts for those who see it and both its ends: GREEN
    // sees Bravo → Alpha only (Delta is also AMBER, Charlie RED).
    let mut all_relationships = query(Perspective::Relationships, None);
    all_relationships.date_field = DateField::Created;
    let green_rels = store
        .aggregate(&green, &all_relationships, &everything)
        .await
        .expect("green relationships");
    assert_eq!(green_rels.total, 1);
    // Ends are counted the same way: GREEN sees Bravo's relationship only.
    assert_eq!(sources(&store, &green).await, named(&[("Bravo", 1)]));
    // Delta loses AMBER: Alpha → Delta becomes visible to GREEN.
    store
        .import_bundle(
            &common::bundle(&[common::sdo("tool", 4, "Delta", &[GREEN]).replace(
                "\"modified\":\"2020-01-01T00:00:00Z\"",
                "\"modified\":\"2021-01-01T00:00:00Z\"",
            )]),
            &ImportOptions::default(),
            |_, _| {},
        )
        .await
        .expect("update Delta");
    let green_rels = store
        .aggregate(&green, &all_relationships, &everything)
        .await
        .expect("green relationships after");
    assert_eq!(green_rels.total, 2);
    assert_eq!(
        sources(&store, &green).await,
        named(&[("Alpha", 1), ("Bravo", 1)])
    );

    let mut monthly = query(Perspective::Relationships, None);
    monthly.interval = Some(Interval::Month);
    monthly.date_field = DateField::Created;
    let months = store
        .aggregate(&all, &monthly, &everything)
        .await
        .expect("months");
    assert_eq!(counts(&months), [("2020-01", 3)]);

    // Ingested today: the period of the last 7 days holds everything, the week before nothing.
    let week = cairn_model::dates::resolve_period("7d", &today()).expect("7d");
    let mut number = query(Perspective::Entities, None);
    number.filter.kinds = vec!["Malware".into()];
    let recent = store.aggregate(&all, &number, &week).await.expect("week");
    assert_eq!((recent.total, recent.previous), (3, Some(0)));
    let mut daily = number.clone();
    daily.interval = Some(Interval::Day);
    let days = store.aggregate(&all, &daily, &week).await.expect("days");
    assert_eq!(counts(&days), [(today().as_str(), 3)]);

    // A deleted object leaves its cell, with its relationships.
    store
        .delete(&all, "malware--00000000-0000-4000-8000-000000000003", None)
        .await
        .expect("delete")
        .expect("deleted");
    let after = store
        .aggregate(&all, &number, &everything)
        .await
        .expect("after");
    assert_eq!(after.total, 2);
    let rels = store
        .aggregate(&all, &relationships, &everything)
        .await
        .expect("relationships after");
    assert_eq!(counts(&rels), [("related-to", 1), ("uses", 1)]);
    assert_eq!(
        sources(&store, &all).await,
        named(&[("Alpha", 1), ("Bravo", 1)])
    );
    // Restored, Charlie and its relationship count again.
    let entry = store.trash().await.expect("trash").remove(0);
    let skipped = store.restore(&entry.id, None).await.expect("restore");
    assert!(skipped.is_empty());
    assert_eq!(
        sources(&store, &all).await,
        named(&[("Alpha", 1), ("Bravo", 1), ("Charlie", 1)])
    );
    // Deleting a relationship alone leaves its source's count.
    store
        .delete(
            &all,
            "relationship--00000000-0000-4000-8000-000000000102",
            None,
        )
        .await
        .expect("delete relationship")
        .expect("deleted relationship");
    assert_eq!(
        sources(&store, &all).await,
        named(&[("Alpha", 1), ("Charlie", 1)])
    );

    // Markings by name; a perspective's missing filter is refused.
    let markings = store
        .aggregate(
            &all,
            &query(Perspective::Entities, Some(GroupBy::Marking)),
            &everything,
        )
        .await
        .expect("markings");
    assert!(
        counts(&markings)
            .iter()
            .any(|(l, n)| l.starts_with("TLP:GREEN") && *n == 2),
        "{markings:?}"
    );
    let mut wrong = query(Perspective::Relationships, Some(GroupBy::Kind));
    wrong.filter.labels = vec!["x".into()];
    assert!(store.aggregate(&all, &wrong, &everything).await.is_err());
    // Activity is for those who see everything.
    let activity = query(Perspective::Activity, Some(GroupBy::Action));
    assert!(
        store
            .aggregate(&green, &activity, &everything)
            .await
            .is_err()
    );
    let actions = store
        .aggregate(&all, &activity, &everything)
        .await
        .expect("activity");
    assert!(
        counts(&actions)
            .iter()
            .any(|(l, n)| *l == "create" && *n >= 7),
        "{actions:?}"
    );
    let _ = RED;
}

#[tokio::test]
async fn targets_and_the_attack_matrix_on_ics_data() {
    let store = Store::open("mem://").await.expect("open");
    store
        .import_bundle(
            &common::corpus("attack/ics-attack-18.1.json.xz"),
            &ImportOptions::default(),
            |_, _| {},
        )
        .await
        .expect("import");
    let all = Scope::bypass();
    let mut techniques = query(Perspective::Relationships, Some(GroupBy::Target));
    techniques.filter.relationship_types = vec!["uses".into()];
    techniques.filter.target_types = vec!["attack-pattern".into()];
    let used = store
        .aggregate(&all, &techniques, &Period::default())
        .await
        .expect("most used techniques");
    assert_eq!(used.buckets.len(), 10);
    assert!(used.buckets.windows(2).all(|w| w[0].count >= w[1].count));
    assert_eq!(
        used.buckets[0].kind.as_deref(),
        Some("Attack-Pattern"),
        "{:?}",
        used.buckets[0]
    );

    // The tally by end agrees with counting the relationships themselves.
    for (side, end_type) in [
        (GroupBy::Target, "attack-pattern"),
        (GroupBy::Source, "intrusion-set"),
        (GroupBy::Source, "malware"),
    ] {
        let mut ranked = query(Perspective::Relationships, Some(side));
        if side == GroupBy::Target {
            ranked.filter.target_types = vec![end_type.into()];
        } else {
            ranked.filter.source_types = vec![end_type.into()];
        }
        let tallied: Vec<(String, u64)> = store
            .aggregate(&all, &ranked, &Period::default())
            .await
            .expect("ranked ends")
            .buckets
            .into_iter()
            .map(|b| (b.key, b.count))
            .collect();
        let counted = store
            .ends_from_rows(side, end_type, 10)
            .await
            .expect("ends from rows");
        assert!(!counted.is_empty(), "{end_type}");
        assert_eq!(tallied, counted, "{end_type}");
    }

    // The newest of a kind, newest first; none of a kind the base lacks.
    let mut sets = query(Perspective::Entities, None);
    sets.filter.kinds = vec!["Intrusion-Set".into()];
    let newest = store
        .latest(&all, &sets, &Period::default(), 5)
        .await
        .expect("newest intrusion sets");
    assert_eq!(newest.len(), 5);
    assert!(newest.windows(2).all(|w| w[0].created >= w[1].created));
    assert!(newest.iter().all(|o| o.stix_type == "intrusion-set"));
    let mut cases = query(Perspective::Entities, None);
    cases.filter.kinds = vec!["Case-Incident".into()];
    assert!(
        store
            .latest(&all, &cases, &Period::default(), 5)
            .await
            .expect("no cases")
            .is_empty()
    );

    let matrix = store.matrix(&all, None).await.expect("matrix");
    assert!(
        matrix.columns.len() >= 10,
        "{} tactics",
        matrix.columns.len()
    );
    let top = &used.buckets[0];
    let cell = matrix
        .columns
        .iter()
        .flat_map(|c| &c.cells)
        .find(|c| c.stix_id == top.key)
        .expect("the most used technique is a cell");
    assert_eq!(cell.count, top.count);
    assert_eq!(matrix.max, top.count);

    // TEMP.Veles's matrix: what it uses, once each.
    let veles = store
        .list_objects(
            &all,
            &cairn_model::knowledge::ListFilter {
                types: vec!["intrusion-set".into()],
                name_contains: Some("TEMP.Veles".into()),
                ..Default::default()
            },
            None,
            1,
        )
        .await
        .expect("list")
        .items
        .remove(0);
    let own = store
        .matrix(&all, Some(&veles.stix_id))
        .await
        .expect("own matrix");
    assert!(own.used > 0 && own.max >= 1);
    let uses = store
        .techniques_used(&all, &veles.stix_id)
        .await
        .expect("uses");
    assert_eq!(own.used as usize, {
        let mut ids: Vec<&str> = uses.iter().map(|u| u.stix_id.as_str()).collect();
        ids.sort();
        ids.dedup();
        ids.len()
    });
}

fn widget(id: &str, kind: WidgetKind, x: u32) -> Widget {
    Widget {
        id: id.into(),
        title: format!("{} widget", kind.label()),
        kind,
        series: vec![query(Perspective::Entities, Some(GroupBy::Kind))],
        text: String::new(),
        place: Place {
            x,
            y: 0,
            w: 4,
            h: 3,
        },
    }
}

#[tokio::test]
async fn dashboards_belong_to_their_owner_and_travel_as_files() {
    let store = Store::open("mem://").await.expect("open");
    let mine = store
        .create_dashboard("ana", "Weekly", &[widget("a", WidgetKind::Donut, 0)], "7d")
        .await
        .expect("create");
    assert_eq!(mine.widgets.len(), 1);
    assert!(
        store
            .dashboard("bob", &mine.id)
            .await
            .expect("read")
            .is_none()
    );

    let mut moved = mine.clone();
    moved.widgets[0].place.x = 8;
    moved.widgets.push(widget("b", WidgetKind::Line, 0));
    moved.shared = true;
    let saved = store
        .save_dashboard("ana", &moved)
        .await
        .expect("save")
        .expect("saved");
    assert_eq!((saved.widgets[0].place.x, saved.widgets.len()), (8, 2));
    // Shared: Bob reads it, cannot change or delete it, can copy it.
    assert!(
        store
            .dashboard("bob", &mine.id)
            .await
            .expect("read")
            .is_some()
    );
    assert!(store.save_dashboard("bob", &moved).await.is_err());
    assert!(store.delete_dashboard("bob", &mine.id).await.is_err());
    let copy = store
        .duplicate_dashboard("bob", &mine.id, "Bob's weekly")
        .await
        .expect("duplicate")
        .expect("copied");
    assert_eq!((copy.owner.as_str(), copy.widgets.len()), ("bob", 2));

    // Bad input: nothing saved.
    let mut outside = saved.clone();
    outside.widgets[0].place.x = 11;
    assert!(store.save_dashboard("ana", &outside).await.is_err());
    let mut too_many = saved.clone();
    too_many.widgets[0].series = vec![WidgetQuery::default(); 2];
    assert!(store.save_dashboard("ana", &too_many).await.is_err());
    let mut twice = saved.clone();
    twice.widgets[1].id = "a".into();
    assert!(store.save_dashboard("ana", &twice).await.is_err());
    assert_eq!(
        store.dashboard("ana", &mine.id).await.expect("read"),
        Some(saved.clone())
    );

    // Export, import as a new dashboard; a file that is not one is refused.
    let file = serde_json::to_string(&saved.to_file()).expect("json");
    let imported = store.import_dashboard("carl", &file).await.expect("import");
    assert_eq!(
        (imported.widgets.clone(), imported.owner.as_str()),
        (saved.widgets.clone(), "carl")
    );
    assert!(
        store
            .import_dashboard("carl", "{\"format\":\"other\"}")
            .await
            .is_err()
    );
    assert!(store.import_dashboard("carl", "not json").await.is_err());
    assert_eq!(store.dashboards("carl").await.expect("list").len(), 2);

    assert!(
        store
            .delete_dashboard("ana", &mine.id)
            .await
            .expect("delete")
    );
    assert!(
        store
            .dashboard("ana", &mine.id)
            .await
            .expect("read")
            .is_none()
    );
}
