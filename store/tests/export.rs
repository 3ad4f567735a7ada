//! Export gives back exactly what was imported, in STIX and CSV, whole or by
//! neighbourhood, and only what the scope may see.

mod common;

use std::collections::HashMap;

use cairn_store::{ExportFilter, ExportFormat, ImportOptions, Scope, Store};

fn ics() -> Vec<u8> {
    common::corpus("attack/ics-attack-18.1.json.xz")
}

async fn export(
    store: &Store,
    scope: &Scope,
    filter: &ExportFilter,
    format: ExportFormat,
) -> (usize, String) {
    let mut out = Vec::new();
    let count = store
        .export(scope, filter, format, &mut out)
        .await
        .expect("export");
    (count, String::from_utf8(out).expect("utf-8"))
}

#[tokio::test]
async fn a_whole_export_gives_back_every_object_unchanged() {
    let bytes = ics();
    let store = Store::open("mem://").await.expect("open");
    store
        .import_bundle(&bytes, &ImportOptions::default(), |_, _| {})
        .await
        .expect("import");
    let original: serde_json::Value = serde_json::from_slice(&bytes).expect("json");
    let original: HashMap<String, &serde_json::Value> = original["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .map(|o| (o["id"].as_str().expect("id").to_owned(), o))
        .collect();

    let (count, text) = export(
        &store,
        &Scope::bypass(),
        &ExportFilter::default(),
        ExportFormat::Stix,
    )
    .await;
    assert_eq!(count, original.len());
    let exported: serde_json::Value = serde_json::from_str(&text).expect("the export is JSON");
    assert_eq!(exported["type"], "bundle");
    let objects = exported["objects"].as_array().expect("objects");
    assert_eq!(objects.len(), original.len());
    for object in objects {
        let id = object["id"].as_str().expect("id");
        assert_eq!(
            Some(&object),
            original.get(id),
            "{id} changed on the way through"
        );
    }
    // The export validates as a bundle.
    let (_, parsed) = cairn_stix::bundle::parse_bundle(text.as_bytes()).expect("parses");
    assert!(parsed.iter().all(|o| cairn_stix::validate(o).is_valid()));
}

#[tokio::test]
async fn a_neighbourhood_export_holds_the_object_its_neighbours_and_their_relationships() {
    let store = Store::open("mem://").await.expect("open");
    store
        .import_bundle(&ics(), &ImportOptions::default(), |_, _| {})
        .await
        .expect("import");
    let page = store
        .list_objects(
            &Scope::bypass(),
            &cairn_store::ListFilter {
                types: vec!["malware".into()],
                ..Default::default()
            },
            None,
            1,
        )
        .await
        .expect("list");
    let malware = page.items[0].stix_id.clone();
    let neighbours = store
        .neighbours(&Scope::bypass(), &malware)
        .await
        .expect("neighbours");
    assert!(!neighbours.is_empty());

    let filter = ExportFilter {
        ids: vec![malware.clone()],
        depth: 1,
        ..Default::default()
    };
    let (count, text) = export(&store, &Scope::bypass(), &filter, ExportFormat::Stix).await;
    let bundle: serde_json::Value = serde_json::from_str(&text).expect("json");
    let ids: Vec<&str> = bundle["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    assert_eq!(ids.len(), count);
    assert!(ids.contains(&malware.as_str()));
    for n in &neighbours {
        assert!(
            ids.contains(&n.other_id.as_str()),
            "missing neighbour {}",
            n.other_id
        );
        assert!(
            ids.contains(&n.relationship.as_str()),
            "missing relationship {}",
            n.relationship
        );
    }

    let filter = ExportFilter {
        ids: vec![malware.clone()],
        depth: 0,
        ..Default::default()
    };
    let (count, _) = export(&store, &Scope::bypass(), &filter, ExportFormat::Stix).await;
    assert_eq!(count, 1);
}

#[tokio::test]
async fn csv_has_a_header_a_row_per_object_and_quotes_where_needed() {
    let store = Store::open("mem://").await.expect("open");
    let bundle = r#"{"type":"bundle","id":"bundle--00000000-0000-4000-8000-000000000000","objects":[
      {"type":"malware","spec_version":"2.1","id":"malware--00000000-0000-4000-8000-000000000001","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Ivy, \"Poison\"","is_family":true,"labels":["rat","china"]},
      {"type":"malware","spec_version":"2.1","id":"malware--00000000-0000-4000-8000-000000000002","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Hidden","is_family":true,"object_marking_refs":["marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"]}]}"#;
    store
        .import_bundle(bundle.as_bytes(), &ImportOptions::default(), |_, _| {})
        .await
        .expect("import");
    let green = Scope::markings(["marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"]);
    let (count, text) = export(&store, &green, &ExportFilter::default(), ExportFormat::Csv).await;
    assert_eq!(count, 1);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], cairn_store::export::CSV_COLUMNS.join(","));
    assert!(
        lines[1].starts_with(
            "malware--00000000-0000-4000-8000-000000000001,malware,\"Ivy, \"\"Poison\"\"\","
        ),
        "{}",
        lines[1]
    );
    assert!(lines[1].contains(",rat;china,"), "{}", lines[1]);
    assert_eq!(lines.len(), 2, "the hidden object leaked: {text}");
}

#[tokio::test]
async fn a_list_exports_its_filtered_rows_in_order_within_the_scope() {
    let store = common::store().await;
    let filter = ExportFilter {
        list: Some(cairn_store::ListFilter {
            types: vec!["malware".into()],
            ..Default::default()
        }),
        ..Default::default()
    };
    let scope = Scope::markings([common::GREEN]);
    let (count, text) = export(&store, &scope, &filter, ExportFormat::Csv).await;
    assert_eq!(count, 2, "Charlie is RED and Delta a tool:\n{text}");
    let names: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| {
            if l.contains("Alpha") {
                "Alpha"
            } else if l.contains("Bravo") {
                "Bravo"
            } else {
                l
            }
        })
        .collect();
    assert_eq!(names, ["Alpha", "Bravo"]);
}

#[tokio::test]
async fn a_container_exports_with_what_it_holds_that_the_scope_sees() {
    let report = r#"{"type":"report","spec_version":"2.1","id":"report--00000000-0000-4000-8000-000000000009","created":"2020-01-01T00:00:00Z","modified":"2020-01-01T00:00:00Z","name":"Weekly","published":"2020-01-01T00:00:00Z","object_refs":["malware--00000000-0000-4000-8000-000000000002","malware--00000000-0000-4000-8000-000000000003","relationship--00000000-0000-4000-8000-000000000101"]}"#;
    let store = common::store().await;
    store
        .import_bundle(
            &common::bundle(&[report.to_owned()]),
            &ImportOptions::default(),
            |_, _| {},
        )
        .await
        .expect("import");
    let filter = ExportFilter {
        ids: vec!["report--00000000-0000-4000-8000-000000000009".into()],
        ..Default::default()
    };
    let (_, text) = export(
        &store,
        &Scope::markings([common::GREEN, common::AMBER]),
        &filter,
        ExportFormat::Stix,
    )
    .await;
    let bundle: serde_json::Value = serde_json::from_str(&text).expect("json");
    let mut ids: Vec<&str> = bundle["objects"]
        .as_array()
        .expect("objects")
        .iter()
        .filter_map(|o| o["id"].as_str())
        .collect();
    ids.sort_unstable();
    // Charlie (RED) stays out; the relationship Alpha → Delta comes with its ends
    // only when they are exported too, so it stays out as well.
    assert_eq!(
        ids,
        [
            "malware--00000000-0000-4000-8000-000000000002",
            "report--00000000-0000-4000-8000-000000000009",
        ]
    );
}
