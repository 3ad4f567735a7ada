//! Parser and evaluator tests on hand-made cases (the corpus cases live in
//! `stix/tests/corpus.rs`).

use super::*;
use crate::json::Object;

fn objects(json: &str) -> Vec<Object<'static>> {
    let value: Vec<Object> = serde_json::from_str(json).expect("test objects parse");
    value.into_iter().map(Object::into_owned).collect()
}

fn hunt(pattern: &str, objects: &[Object<'_>]) -> bool {
    let pattern = Pattern::parse(pattern).unwrap_or_else(|e| panic!("{pattern}: {e}"));
    matches_objects(&pattern, objects)
}

#[test]
fn errors_give_the_position_and_what_was_expected() {
    let error = Pattern::parse("[file:size = ]").expect_err("missing value");
    assert_eq!(error.offset, 13);
    assert!(error.message.starts_with("expected a constant"), "{error}");
    let error = Pattern::parse("[file:name = 'x'] WITHIN 5 HOURS").expect_err("unit");
    assert!(error.message.contains("expected SECONDS"), "{error}");
    let error = Pattern::parse("[file:hashes.SHA-256 = 'x']").expect_err("hyphen");
    assert!(error.message.contains("quote it"), "{error}");
}

#[test]
fn precedence_puts_and_above_or_above_followedby() {
    let p = Pattern::parse("[a:b = 1] OR [a:b = 2] AND [a:b = 3] FOLLOWEDBY [a:b = 4]")
        .expect("parses");
    let ObsExpr::FollowedBy(left, _) = &p.root else {
        panic!("{:?}", p.root)
    };
    let ObsExpr::Or(_, right) = left.as_ref() else {
        panic!("{left:?}")
    };
    assert!(matches!(right.as_ref(), ObsExpr::And(_, _)));
}

#[test]
fn unknown_types_and_properties_are_warnings() {
    let p = Pattern::parse("[file:file_name = 'x'] AND [emailaddr:value = 'y']").expect("parses");
    assert_eq!(p.warnings().len(), 2, "{:?}", p.warnings());
    assert!(
        Pattern::parse("[x-usb-device:serial = '1']")
            .expect("parses")
            .warnings()
            .is_empty()
    );
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let deep = format!("{}[a:b = 1]{}", "(".repeat(5000), ")".repeat(5000));
    assert!(
        Pattern::parse(&deep)
            .expect_err("too deep")
            .message
            .contains("nesting")
    );
}

const NET: &str = r#"[
  {"type":"ipv4-addr","id":"ipv4-addr--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a01","value":"198.51.100.7"},
  {"type":"domain-name","id":"domain-name--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a02","value":"evil.example.com",
   "resolves_to_refs":["ipv4-addr--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a01"]},
  {"type":"file","id":"file--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a03","name":"dropper.exe","size":4096,
   "hashes":{"MD5":"cead3f77f6cda6ec00f57d76c9a6879f"},"magic_number_hex":"4D5A"},
  {"type":"network-traffic","id":"network-traffic--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a04",
   "dst_ref":"ipv4-addr--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a01","dst_port":443,"protocols":["ipv4","tcp"]}
]"#;

#[test]
fn evaluates_comparisons_against_observables() {
    let objects = objects(NET);
    assert!(hunt("[ipv4-addr:value = '198.51.100.7']", &objects));
    assert!(!hunt("[ipv4-addr:value = '198.51.100.8']", &objects));
    assert!(hunt(
        "[ipv4-addr:value ISSUBSET '198.51.100.0/24']",
        &objects
    ));
    assert!(!hunt("[ipv4-addr:value ISSUBSET '10.0.0.0/8']", &objects));
    assert!(hunt(
        "[ipv4-addr:value NOT ISSUBSET '10.0.0.0/8']",
        &objects
    ));
    assert!(hunt(
        "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f']",
        &objects
    ));
    assert!(hunt(
        "[file:size > 1024 AND file:name LIKE 'drop%.exe']",
        &objects
    ));
    assert!(!hunt("[file:size < 1024]", &objects));
    assert!(hunt("[file:name MATCHES '^dr.+\\\\.exe$']", &objects));
    assert!(hunt("[file:magic_number_hex = h'4d5a']", &objects));
    assert!(hunt("[file:size IN (1, 4096)]", &objects));
    assert!(hunt(
        "[network-traffic:dst_ref.value = '198.51.100.7']",
        &objects
    ));
    assert!(hunt("[network-traffic:protocols[*] = 'tcp']", &objects));
    assert!(hunt("[network-traffic:protocols[0] = 'ipv4']", &objects));
    assert!(hunt(
        "[domain-name:resolves_to_refs[*].value = '198.51.100.7']",
        &objects
    ));
    assert!(hunt("[EXISTS file:hashes.MD5]", &objects));
    assert!(!hunt("[EXISTS file:hashes.'SHA-256']", &objects));
}

#[test]
fn observation_operators_need_distinct_observations() {
    let objects = objects(NET);
    assert!(hunt(
        "[ipv4-addr:value = '198.51.100.7'] AND [file:name = 'dropper.exe']",
        &objects
    ));
    assert!(!hunt(
        "[file:name = 'dropper.exe'] AND [file:name = 'dropper.exe']",
        &objects
    ));
    assert!(hunt(
        "[file:name = 'dropper.exe'] OR [file:name = 'other']",
        &objects
    ));
    assert!(hunt(
        "[ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [file:size = 4096] WITHIN 5 SECONDS",
        &objects
    ));
    assert!(!hunt(
        "[file:name = 'dropper.exe'] REPEATS 2 TIMES",
        &objects
    ));
}

#[test]
fn timing_qualifiers_use_observation_times() {
    let objects = objects(NET);
    let at = |s: &str| Timestamp::parse(s).expect("timestamp");
    let obs = |i: usize, t: &str| Observation {
        first_observed: at(t),
        last_observed: at(t),
        roots: vec![&objects[i]],
        objects: &objects,
    };
    let observations = [
        obs(0, "2020-01-01T00:00:00Z"),
        obs(2, "2020-01-01T00:10:00Z"),
    ];
    let p = |s: &str| Pattern::parse(s).expect("parses");
    assert!(
        p("[ipv4-addr:value = '198.51.100.7'] FOLLOWEDBY [file:size = 4096]")
            .matches(&observations)
    );
    assert!(
        !p("[file:size = 4096] FOLLOWEDBY [ipv4-addr:value = '198.51.100.7']")
            .matches(&observations)
    );
    assert!(
        !p("([ipv4-addr:value = '198.51.100.7'] AND [file:size = 4096]) WITHIN 60 SECONDS")
            .matches(&observations)
    );
    assert!(
        p("([ipv4-addr:value = '198.51.100.7'] AND [file:size = 4096]) WITHIN 600 SECONDS")
            .matches(&observations)
    );
    assert!(
        p("[file:size = 4096] START t'2020-01-01T00:05:00Z' STOP t'2020-01-01T01:00:00Z'")
            .matches(&observations)
    );
    assert!(!p("[ipv4-addr:value = '198.51.100.7'] START t'2020-01-01T00:05:00Z' STOP t'2020-01-01T01:00:00Z'").matches(&observations));
}
