//! The access matrix: objects marked TLP:CLEAR, GREEN, AMBER, AMBER+STRICT and
//! RED, users cleared up to each level, and every read path called through the
//! real router as every user. For every (user, object) pair the object is
//! visible exactly when the user's clearance covers its marking — in lists,
//! counts, entity pages, neighbours, graphs, search, export and history — and
//! every registered server function refuses callers without its capability.

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use cairn_access::Capability;
use cairn_stix::markings::TLP;
use cairn_store::{GroupView, ImportOptions};
use common::{ADMIN_PASSWORD, App, app, call, sign_in};
use serde_json::{Value, json};

const LEVELS: [&str; 5] = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED"];

fn marking(level: usize) -> &'static str {
    TLP.iter()
        .find(|t| t.version == 2 && t.scheme == "TLP" && t.name == format!("TLP:{}", LEVELS[level]))
        .map(|t| t.id)
        .expect("TLP 2.0 marking")
}

fn uuid(kind: u32, n: usize) -> String {
    format!("00000000-0000-4000-8000-{kind:06}{n:06}")
}
fn set_id(level: usize) -> String {
    format!("intrusion-set--{}", uuid(1, level))
}
fn malware_id(level: usize) -> String {
    format!("malware--{}", uuid(2, level))
}
fn rel_id(from: usize, to: usize) -> String {
    format!("relationship--{}", uuid(3, from * 10 + to))
}
const REPORT: &str = "report--00000000-0000-4000-8000-000004000000";

/// Every object of the matrix with the level it is marked (`None`: unmarked).
fn objects() -> Vec<(String, Option<usize>)> {
    let mut all: Vec<(String, Option<usize>)> = Vec::new();
    for level in 0..LEVELS.len() {
        all.push((set_id(level), Some(level)));
        all.push((malware_id(level), Some(level)));
    }
    all.push((REPORT.to_owned(), None));
    all
}

async fn seed(app: &App) {
    let t = r#""created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","spec_version":"2.1""#;
    let mut stix: Vec<Value> = Vec::new();
    for (level, name) in LEVELS.iter().enumerate() {
        let marks = json!([marking(level)]);
        stix.push(serde_json::from_str(&format!(r#"{{"type":"intrusion-set","id":"{}",{t},"name":"Set {name}","description":"zebra group {name}"}}"#, set_id(level))).expect("json"));
        stix.last_mut().expect("set")["object_marking_refs"] = marks.clone();
        stix.push(serde_json::from_str(&format!(r#"{{"type":"malware","id":"{}",{t},"name":"Malware {name}","is_family":true,"description":"zebra tool {name}"}}"#, malware_id(level))).expect("json"));
        stix.last_mut().expect("malware")["object_marking_refs"] = marks;
    }
    for from in 0..LEVELS.len() {
        for to in 0..LEVELS.len() {
            stix.push(json!({
                "type": "relationship", "id": rel_id(from, to), "spec_version": "2.1",
                "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
                "relationship_type": "uses", "source_ref": set_id(from), "target_ref": malware_id(to),
            }));
        }
    }
    let refs: Vec<String> = objects()
        .into_iter()
        .filter(|(_, l)| l.is_some())
        .map(|(id, _)| id)
        .collect();
    stix.push(json!({
        "type": "report", "id": REPORT, "spec_version": "2.1",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "name": "Report everything", "published": "2024-01-01T00:00:00.000Z", "object_refs": refs,
    }));
    let bundle = json!({ "type": "bundle", "id": "bundle--00000000-0000-4000-8000-000000000001", "objects": stix });
    let summary = app
        .store
        .import_bundle(
            bundle.to_string().as_bytes(),
            &ImportOptions::default(),
            |_, _| {},
        )
        .await
        .expect("import");
    assert_eq!(summary.rejected, 0, "{:?}", summary.errors);

    // A reader role that may also export and investigate, and a group per level.
    app.store
        .save_role(
            Some("reader"),
            "Reader",
            "reads and exports",
            &[
                Capability::Knowledge.code().into(),
                Capability::Export.code().into(),
                Capability::Explore.code().into(),
            ],
        )
        .await
        .expect("role");
    for (level, name) in LEVELS.iter().enumerate() {
        let key = format!("cleared-{level}");
        app.store
            .save_group(
                Some(&key),
                &GroupView {
                    id: key.clone(),
                    name: format!("Cleared {name}"),
                    description: String::new(),
                    roles: vec!["reader".into()],
                    markings: vec![marking(level).to_owned()],
                    default_markings: Vec::new(),
                },
            )
            .await
            .expect("group");
        app.store
            .create_user(&format!("u{level}"), name, "a long test password", &[key])
            .await
            .expect("user");
    }
}

/// Who: a user cleared up to a level, or the administrator (`None`).
fn sees(clearance: Option<usize>, object: Option<usize>) -> bool {
    match (clearance, object) {
        (None, _) | (_, None) => true,
        (Some(c), Some(o)) => o <= c,
    }
}

fn ids(values: &Value, key: &str) -> BTreeSet<String> {
    values
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v[key].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn every_read_path_shows_each_user_exactly_what_their_clearance_covers() {
    let app = app().await;
    seed(&app).await;
    let mut callers: Vec<(Option<usize>, String)> = Vec::new();
    for level in 0..LEVELS.len() {
        callers.push((
            Some(level),
            sign_in(&app, &format!("u{level}"), "a long test password").await,
        ));
    }
    callers.push((None, sign_in(&app, "admin", ADMIN_PASSWORD).await));

    // An investigation holding everything, shared by the administrator.
    let admin = callers.last().map(|(_, c)| c.clone());
    let investigation = call(
        &app,
        "/api/investigations/create",
        json!({ "name": "Everything", "objects": objects().into_iter().map(|(id, _)| id).collect::<Vec<_>>() }),
        admin.as_deref(),
    )
    .await
    .json();
    let mut opened = call(
        &app,
        "/api/investigations/open",
        json!({ "id": investigation }),
        admin.as_deref(),
    )
    .await
    .json();
    opened["investigation"]["shared"] = json!(true);
    opened["investigation"]["edges"] = json!(
        (0..LEVELS.len())
            .flat_map(|f| (0..LEVELS.len()).map(move |t| rel_id(f, t)))
            .collect::<Vec<_>>()
    );
    let saved = call(
        &app,
        "/api/investigations/save",
        json!({ "investigation": opened["investigation"] }),
        admin.as_deref(),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);

    for (clearance, cookie) in &callers {
        let who = format!("{clearance:?}");
        let cookie = Some(cookie.as_str());
        let visible: BTreeSet<String> = objects()
            .into_iter()
            .filter(|(_, level)| sees(*clearance, *level))
            .map(|(id, _)| id)
            .collect();
        let visible_rels: BTreeSet<String> = (0..LEVELS.len())
            .flat_map(|f| (0..LEVELS.len()).map(move |t| (f, t)))
            .filter(|(f, t)| sees(*clearance, Some(*f)) && sees(*clearance, Some(*t)))
            .map(|(f, t)| rel_id(f, t))
            .collect();

        // List and its total.
        let page = call(
            &app,
            "/api/knowledge/list",
            json!({ "filter": {}, "after": null, "limit": 100 }),
            cookie,
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "{who}: {}", page.body);
        assert_eq!(
            ids(&page.json()["items"], "stix_id"),
            visible,
            "{who}: list"
        );
        assert_eq!(page.json()["total"], visible.len(), "{who}: total");

        // Counts.
        let counts = call(&app, "/api/knowledge/counts", json!({}), cookie)
            .await
            .json();
        assert_eq!(
            counts,
            json!({ "objects": visible.len(), "relationships": visible_rels.len() }),
            "{who}"
        );

        // Counts by kind add up to what the list shows.
        let by_kind = call(&app, "/api/knowledge/kind-counts", json!({}), cookie)
            .await
            .json();
        let summed: u64 = by_kind
            .as_array()
            .expect("pairs")
            .iter()
            .map(|pair| pair[1].as_u64().expect("count"))
            .sum();
        assert_eq!(summed, visible.len() as u64, "{who}: {by_kind}");

        // Dashboard series count exactly what the caller sees: objects by
        // kind, and relationships only with both ends visible.
        for (perspective, expected) in [
            ("entities", visible.len()),
            ("relationships", visible_rels.len()),
        ] {
            let series = call(
                &app,
                "/api/dashboard/aggregate",
                json!({ "query": { "perspective": perspective, "group_by": if perspective == "entities" { "kind" } else { "relationship_type" }, "top": 100 }, "period": {} }),
                cookie,
            )
            .await;
            assert_eq!(series.status, StatusCode::OK, "{who}: {}", series.body);
            let series = series.json();
            assert_eq!(series["total"], expected, "{who}: {perspective} {series}");
            let summed: u64 = series["buckets"]
                .as_array()
                .expect("buckets")
                .iter()
                .map(|b| b["count"].as_u64().expect("count"))
                .sum();
            assert_eq!(summed, expected as u64, "{who}: {perspective} buckets");
        }

        // Entity pages, neighbours, graphs and history, object by object.
        for (id, level) in objects() {
            let pair = format!("{who} × {id}");
            let entity = call(&app, "/api/knowledge/object", json!({ "id": id }), cookie).await;
            let history = call(&app, "/api/knowledge/history", json!({ "id": id }), cookie)
                .await
                .json();
            let graph = call(
                &app,
                "/api/graph/expand",
                json!({ "roots": [id], "filter": {}, "depth": 2, "cap": 100 }),
                cookie,
            )
            .await
            .json();
            if sees(*clearance, level) {
                assert_eq!(entity.status, StatusCode::OK, "{pair}: {}", entity.body);
                let entity = entity.json();
                let neighbours = ids(&entity["neighbours"], "other_id");
                assert!(
                    neighbours.is_subset(&visible),
                    "{pair}: neighbours {neighbours:?}"
                );
                let rels = ids(&entity["neighbours"], "relationship");
                assert!(rels.is_subset(&visible_rels), "{pair}: relationships");
                if id.starts_with("intrusion-set") {
                    let expected: BTreeSet<String> = (0..LEVELS.len())
                        .filter(|t| sees(*clearance, Some(*t)))
                        .map(malware_id)
                        .collect();
                    assert_eq!(neighbours, expected, "{pair}");
                }
                if id != REPORT {
                    assert_eq!(
                        ids(&entity["containers"]["items"], "stix_id"),
                        BTreeSet::from([REPORT.to_owned()]),
                        "{pair}"
                    );
                }
                assert!(
                    history.as_array().is_some_and(|h| !h.is_empty()),
                    "{pair}: history"
                );
                let nodes = ids(&graph["nodes"], "id");
                assert!(
                    nodes.contains(&id) && nodes.is_subset(&visible),
                    "{pair}: graph {nodes:?}"
                );
                let edges = ids(&graph["edges"], "id");
                assert!(edges.is_subset(&visible_rels), "{pair}: graph edges");
            } else {
                // Hidden answers exactly like missing: same error, no trace.
                let missing = call(
                    &app,
                    "/api/knowledge/object",
                    json!({ "id": "malware--00000000-0000-4000-8000-999999999999" }),
                    cookie,
                )
                .await;
                assert_eq!(entity.status, missing.status, "{pair}");
                assert_eq!(entity.json(), json!({ "NotFound": id }), "{pair}");
                assert_eq!(history, json!([]), "{pair}: history");
                assert_eq!(graph["nodes"], json!([]), "{pair}: graph");
            }
        }

        // The shared investigation and the report's graph: only what the user sees.
        let shared = call(
            &app,
            "/api/investigations/open",
            json!({ "id": investigation }),
            cookie,
        )
        .await
        .json();
        assert_eq!(
            ids(&shared["graph"]["nodes"], "id"),
            visible,
            "{who}: investigation"
        );
        assert_eq!(
            ids(&shared["graph"]["edges"], "id"),
            visible_rels,
            "{who}: investigation edges"
        );
        assert_eq!(shared["editable"], json!(clearance.is_none()), "{who}");
        let contents = call(
            &app,
            "/api/graph/container",
            json!({ "id": REPORT }),
            cookie,
        )
        .await
        .json();
        let held: BTreeSet<String> = visible.iter().filter(|id| *id != REPORT).cloned().collect();
        assert_eq!(ids(&contents["nodes"], "id"), held, "{who}: report graph");

        // Search: hits and highlights only from what the user sees.
        let hits = call(
            &app,
            "/api/knowledge/search",
            json!({ "text": "zebra", "limit": 100 }),
            cookie,
        )
        .await;
        let found = ids(&hits.json(), "stix_id");
        let expected: BTreeSet<String> = visible
            .iter()
            .filter(|id| id.as_str() != REPORT)
            .cloned()
            .collect();
        assert_eq!(found, expected, "{who}: search");
        for (level, name) in LEVELS.iter().enumerate() {
            if !sees(*clearance, Some(level)) {
                assert!(
                    !hits.body.contains(&format!("Set {name}\"")),
                    "{who}: search leaks {name}"
                );
            }
        }

        // Export: the bundle holds exactly the visible objects and relationships.
        let export = call(
            &app,
            "/api/knowledge/export",
            json!({ "types": [], "ids": [], "depth": 0, "csv": false }),
            cookie,
        )
        .await;
        assert_eq!(export.status, StatusCode::OK, "{who}: {}", export.body);
        let bundle: Value =
            serde_json::from_str(export.json().as_str().expect("text")).expect("bundle");
        let exported = ids(&bundle["objects"], "id");
        let expected: BTreeSet<String> = visible.union(&visible_rels).cloned().collect();
        assert_eq!(exported, expected, "{who}: export");
        // A neighbourhood export from a visible root stays inside the scope.
        let rooted = call(
            &app,
            "/api/knowledge/export",
            json!({ "types": [], "ids": [set_id(0)], "depth": 2, "csv": false }),
            cookie,
        )
        .await;
        let bundle: Value =
            serde_json::from_str(rooted.json().as_str().expect("text")).expect("bundle");
        assert!(
            ids(&bundle["objects"], "id").is_subset(&expected),
            "{who}: rooted export"
        );
    }
}

/// How to call each server function, and what it needs.
enum Need {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in user.
    SignedIn,
    Capability(Capability),
}

fn server_functions() -> Vec<(&'static str, Value, Need)> {
    use Need::{Public, SignedIn};
    use cairn_access::Capability::{
        Explore, Export, Import, Knowledge, KnowledgeDelete, KnowledgeUpdate, Settings,
    };
    let need = Need::Capability;
    vec![
        ("/api/platform/get", json!({}), Public),
        (
            "/api/platform/title",
            json!({ "title": "" }),
            need(Settings),
        ),
        ("/api/auth/me", json!({}), SignedIn),
        (
            "/api/auth/login",
            json!({ "login": "nobody", "password": "x" }),
            Public,
        ),
        ("/api/auth/logout", json!({}), Public),
        (
            "/api/auth/password",
            json!({ "current": "wrong", "new": "x" }),
            SignedIn,
        ),
        ("/api/auth/setup-needed", json!({}), Public),
        (
            "/api/auth/setup",
            json!({ "secret": "x", "login": "x", "name": "x", "password": "x" }),
            Public,
        ),
        ("/api/knowledge/counts", json!({}), need(Knowledge)),
        (
            "/api/dashboard/aggregate",
            json!({ "query": {}, "period": {} }),
            need(Knowledge),
        ),
        (
            "/api/dashboard/latest",
            json!({ "query": {}, "period": {}, "limit": 5 }),
            need(Knowledge),
        ),
        (
            "/api/dashboard/matrix",
            json!({ "of": null }),
            need(Knowledge),
        ),
        ("/api/dashboards/list", json!({}), need(Explore)),
        (
            "/api/dashboards/open",
            json!({ "id": "none" }),
            need(Explore),
        ),
        (
            "/api/dashboards/create",
            json!({ "name": "" }),
            need(Explore),
        ),
        (
            "/api/dashboards/save",
            json!({ "dashboard": { "id": "none", "name": "x", "owner": "x", "shared": false, "widgets": [], "period": "30d", "created": "", "modified": "" } }),
            need(Explore),
        ),
        (
            "/api/dashboards/duplicate",
            json!({ "id": "none", "name": "x" }),
            need(Explore),
        ),
        (
            "/api/dashboards/delete",
            json!({ "id": "none" }),
            need(Explore),
        ),
        (
            "/api/dashboards/import",
            json!({ "file": "" }),
            need(Explore),
        ),
        (
            "/api/knowledge/list",
            json!({ "filter": {}, "after": null, "limit": 1 }),
            need(Knowledge),
        ),
        (
            "/api/knowledge/object",
            json!({ "id": REPORT }),
            need(Knowledge),
        ),
        (
            "/api/graph/expand",
            json!({ "roots": [REPORT], "filter": {}, "depth": 1, "cap": 10 }),
            need(Knowledge),
        ),
        (
            "/api/graph/container",
            json!({ "id": REPORT }),
            need(Knowledge),
        ),
        (
            "/api/graph/container-add",
            json!({ "id": "none", "objects": [] }),
            need(KnowledgeUpdate),
        ),
        (
            "/api/graph/container-relate",
            json!({ "id": "none", "source": "none", "relationship_type": "uses", "target": "none" }),
            need(KnowledgeUpdate),
        ),
        ("/api/investigations/list", json!({}), need(Explore)),
        (
            "/api/investigations/open",
            json!({ "id": "none" }),
            need(Explore),
        ),
        (
            "/api/investigations/create",
            json!({ "name": "", "objects": [] }),
            need(Explore),
        ),
        (
            "/api/investigations/save",
            json!({ "investigation": { "id": "none", "name": "x", "owner": "x", "shared": false, "notes": "", "nodes": [], "edges": [], "created": "", "modified": "" } }),
            need(Explore),
        ),
        (
            "/api/investigations/delete",
            json!({ "id": "none" }),
            need(Explore),
        ),
        (
            "/api/investigations/report",
            json!({ "id": "none", "name": "x" }),
            need(KnowledgeUpdate),
        ),
        (
            "/api/knowledge/search",
            json!({ "text": "zebra", "limit": 5 }),
            need(Knowledge),
        ),
        (
            "/api/knowledge/history",
            json!({ "id": REPORT }),
            need(Knowledge),
        ),
        (
            "/api/knowledge/export",
            json!({ "types": ["report"], "ids": [], "depth": 0, "csv": true }),
            need(Export),
        ),
        (
            "/api/knowledge/export-list",
            json!({ "filter": { "types": ["report"] }, "csv": true }),
            need(Export),
        ),
        ("/api/knowledge/kind-counts", json!({}), need(Knowledge)),
        (
            "/api/knowledge/indicators",
            json!({ "id": REPORT }),
            need(Knowledge),
        ),
        ("/api/knowledge/vocabulary", json!({}), need(Knowledge)),
        (
            "/api/knowledge/techniques",
            json!({ "id": REPORT }),
            need(Knowledge),
        ),
        ("/api/works/list", json!({}), need(Knowledge)),
        (
            "/api/works/errors",
            json!({ "id": "none" }),
            need(Knowledge),
        ),
        (
            "/api/data/upload",
            json!({ "multipart": r#"{"type":"bundle","id":"bundle--00000000-0000-4000-8000-00000000000a","objects":[]}"# }),
            need(Import),
        ),
        (
            "/api/knowledge/save",
            json!({ "stix": "{\"type\":\"tool\"}" }),
            need(KnowledgeUpdate),
        ),
        (
            "/api/knowledge/bulk",
            json!({ "ids": [], "change": { "AddLabels": ["x"] } }),
            need(KnowledgeUpdate),
        ),
        (
            "/api/knowledge/delete",
            json!({ "ids": [] }),
            need(KnowledgeDelete),
        ),
        ("/api/data/trash", json!({}), need(KnowledgeDelete)),
        (
            "/api/data/restore",
            json!({ "id": "nothing" }),
            need(KnowledgeDelete),
        ),
        ("/api/data/demo", json!({ "objects": 0 }), need(Import)),
        ("/api/admin/users", json!({}), need(Settings)),
        (
            "/api/admin/user-create",
            json!({ "login": "x", "name": "x", "password": "short", "groups": [] }),
            need(Settings),
        ),
        (
            "/api/admin/user-update",
            json!({ "id": "nobody", "groups": [], "organizations": [], "disabled": false }),
            need(Settings),
        ),
        (
            "/api/admin/user-password",
            json!({ "id": "nobody", "password": "short" }),
            need(Settings),
        ),
        ("/api/admin/groups", json!({}), need(Settings)),
        (
            "/api/admin/group-save",
            json!({ "group": { "id": "", "name": "", "description": "", "roles": [], "markings": [], "default_markings": [] } }),
            need(Settings),
        ),
        ("/api/admin/roles", json!({}), need(Settings)),
        (
            "/api/admin/role-save",
            json!({ "role": { "id": "", "name": "", "description": "", "capabilities": [] } }),
            need(Settings),
        ),
        ("/api/admin/organizations", json!({}), need(Settings)),
        (
            "/api/admin/organization-create",
            json!({ "name": "" }),
            need(Settings),
        ),
        ("/api/admin/markings", json!({}), need(Settings)),
        (
            "/api/admin/marking-create",
            json!({ "scheme": "", "name": "", "order": 0, "color": "" }),
            need(Settings),
        ),
        ("/api/tokens/mine", json!({}), need(Knowledge)),
        ("/api/tokens/create", json!({ "name": "" }), need(Knowledge)),
        (
            "/api/tokens/revoke",
            json!({ "id": "none" }),
            need(Knowledge),
        ),
        ("/api/admin/tokens", json!({}), need(Settings)),
        ("/api/admin/sessions", json!({}), need(Settings)),
        (
            "/api/admin/session-revoke",
            json!({ "id": "none" }),
            need(Settings),
        ),
        ("/api/admin/audit", json!({ "filter": {} }), need(Settings)),
    ]
}

#[tokio::test]
async fn every_server_function_refuses_callers_without_its_capability() {
    let app = app().await;
    seed(&app).await;
    // The table covers every registered server function: a new one must be added here.
    let table = server_functions();
    let registered: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    let listed: BTreeSet<String> = table.iter().map(|(p, _, _)| (*p).to_owned()).collect();
    assert_eq!(
        registered, listed,
        "server functions without an access check in this test"
    );

    app.store
        .create_user(
            "viewer",
            "Viewer",
            "a long test password",
            &["viewers".into()],
        )
        .await
        .expect("viewer");
    app.store
        .create_user(
            "analyst",
            "Analyst",
            "a long test password",
            &["analysts".into()],
        )
        .await
        .expect("analyst");
    let callers: Vec<(&str, Option<String>, Vec<Capability>)> = vec![
        ("anonymous", None, vec![]),
        (
            "viewer",
            Some(sign_in(&app, "viewer", "a long test password").await),
            vec![Capability::Knowledge],
        ),
        (
            "analyst",
            Some(sign_in(&app, "analyst", "a long test password").await),
            vec![
                Capability::Knowledge,
                Capability::KnowledgeUpdate,
                Capability::KnowledgeDelete,
                Capability::Import,
                Capability::Export,
                Capability::Explore,
            ],
        ),
        (
            "admin",
            Some(sign_in(&app, "admin", ADMIN_PASSWORD).await),
            Capability::ALL.to_vec(),
        ),
    ];
    for (path, args, need) in &table {
        for (who, cookie, held) in &callers {
            if *path == "/api/auth/logout" && cookie.is_some() {
                continue; // would end the session the other calls use
            }
            let reply = match args.get("multipart").and_then(Value::as_str) {
                Some(file) => upload(&app, path, file, cookie.as_deref()).await,
                None => call(&app, path, args.clone(), cookie.as_deref()).await,
            };
            let body = reply.body.clone();
            let refused = match need {
                Need::Public => None,
                Need::SignedIn | Need::Capability(_) if cookie.is_none() => {
                    Some(json!("Unauthenticated"))
                }
                Need::SignedIn => None,
                Need::Capability(c) if !held.contains(c) => Some(json!({ "Forbidden": c.label() })),
                Need::Capability(_) => None,
            };
            match refused {
                Some(expected) => assert_eq!(reply.json(), expected, "{who} → {path}: {body}"),
                None => {
                    let answer = serde_json::from_str::<Value>(&body).unwrap_or(Value::Null);
                    assert!(
                        answer != json!("Unauthenticated") && answer.get("Forbidden").is_none(),
                        "{who} → {path} was refused: {body}"
                    );
                }
            }
        }
    }
}

/// Posts `file` as a one-file multipart form, as the browser's upload does.
async fn upload(app: &App, path: &str, file: &str, cookie: Option<&str>) -> common::Reply {
    use axum::body::Body;
    use axum::http::{Request, header};
    let body = format!(
        "--cairn-test\r\nContent-Disposition: form-data; name=\"files\"; filename=\"bundle.json\"\r\n\
         Content-Type: application/json\r\n\r\n{file}\r\n--cairn-test--\r\n"
    );
    let mut request = Request::post(path)
        .header(
            header::CONTENT_TYPE,
            "multipart/form-data; boundary=cairn-test",
        )
        .header(header::ACCEPT, "application/json");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    common::send(app, request.body(Body::from(body)).expect("request")).await
}
