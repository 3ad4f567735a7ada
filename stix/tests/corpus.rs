//! The STIX library against real data from `../shared/corpus/`: the OASIS example
//! bundles, both ATT&CK bundles, the spec's observables with the reference
//! library's deterministic ids, and the pattern cases.

use std::io::Read;
use std::path::PathBuf;

use cairn_stix::bundle::{for_each_object, parse_bundle};
use cairn_stix::ids::deterministic_id;
use cairn_stix::pattern::Pattern;
use cairn_stix::validate::{Severity, validate};
use cairn_stix::{Json, Object};

fn corpus(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus")
        .join(path)
}

fn read(path: &str) -> Vec<u8> {
    let path = corpus(path);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    if path.extension().is_some_and(|e| e == "xz") {
        let mut out = Vec::new();
        liblzma::read::XzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .expect("xz");
        out
    } else {
        bytes
    }
}

/// Parses, validates and round-trips every object; returns the object count.
fn check_bundle(name: &str, bytes: &[u8]) -> usize {
    let original: serde_json::Value = serde_json::from_slice(bytes).expect("serde_json parses");
    let (info, objects) = parse_bundle(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(info.not_objects.is_empty(), "{name}");
    let mut errors = Vec::new();
    for object in &objects {
        errors.extend(
            validate(object)
                .issues
                .into_iter()
                .filter(|i| i.severity == Severity::Error),
        );
    }
    assert!(
        errors.is_empty(),
        "{name}: {} errors, first: {:#?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    let expected = original["objects"].as_array().expect("objects");
    assert_eq!(objects.len(), expected.len(), "{name}");
    for (object, expected) in objects.iter().zip(expected) {
        let written = serde_json::to_string(object).expect("serialises");
        let again: serde_json::Value = serde_json::from_str(&written).expect("reparses");
        assert_eq!(
            &again,
            expected,
            "{name}: {} does not round-trip",
            object.get_str("id").unwrap_or("?")
        );
    }
    objects.len()
}

#[test]
fn every_oasis_example_bundle_is_valid_and_round_trips() {
    let dir = corpus("stix");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus/stix") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let bytes = std::fs::read(&path).expect("read");
        assert!(check_bundle(&name, &bytes) > 0, "{name} is empty");
        seen += 1;
    }
    assert_eq!(seen, 11);
}

#[test]
fn enterprise_attack_is_valid_and_round_trips() {
    assert_eq!(
        check_bundle("enterprise", &read("attack/enterprise-attack.json.xz")),
        24_771
    );
}

#[test]
fn ics_attack_is_valid_and_round_trips() {
    assert!(check_bundle("ics", &read("attack/ics-attack-18.1.json.xz")) > 1000);
}

#[test]
fn deterministic_sco_ids_equal_the_reference_library() {
    let cases: serde_json::Value =
        serde_json::from_slice(&read("sco/sco-deterministic-ids.json")).expect("json");
    let cases = cases["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 79);
    let mut wrong = Vec::new();
    for case in cases {
        let Json::Object(object) = Json::from_value(&case["object"]) else {
            panic!("object")
        };
        let expected = case["id"].as_str().expect("id");
        let computed = deterministic_id(&object);
        if computed.as_deref() != Some(expected) {
            wrong.push(format!("{expected} != {computed:?} for {}", case["object"]));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of 79 differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_spec_observables_are_valid_but_three_artifacts() {
    let bytes = read("sco/sco-examples.json");
    let (_, objects) = parse_bundle(&bytes).expect("parses");
    assert_eq!(objects.len(), 82);
    let mut errors: Vec<(String, String)> = Vec::new();
    for object in &objects {
        for issue in validate(object).errors() {
            errors.push((
                issue.object_id.clone().unwrap_or_default(),
                format!("{}: {}", issue.path, issue.message),
            ));
        }
    }
    assert_eq!(errors.len(), 3, "{errors:#?}");
    for (id, message) in &errors {
        assert!(id.starts_with("artifact--"), "{id}");
        assert_eq!(message, "payload_bin: is not valid base64");
    }
}

#[test]
fn every_pattern_case_is_judged_as_listed() {
    let cases: serde_json::Value =
        serde_json::from_slice(&read("patterns/stix-patterns-v21.json")).expect("json");
    let mut wrong = Vec::new();
    for (list, valid) in [("valid", true), ("invalid", false)] {
        for case in cases[list].as_array().expect(list) {
            let text = case.as_str().expect("pattern");
            let result = Pattern::parse(text);
            if result.is_ok() != valid {
                wrong.push(format!("{list}: {text} → {result:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Cheap deterministic fuzzing in every test run (the cargo-fuzz targets go
/// further): truncations and byte flips of real inputs must never panic.
#[test]
fn mangled_inputs_never_panic() {
    let bundle = read("stix/poisonivy.json");
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..400 {
        let mut bytes = bundle.clone();
        if round % 2 == 0 {
            bytes.truncate((next() as usize) % bundle.len());
        }
        for _ in 0..(round % 7) {
            let at = (next() as usize) % bytes.len().max(1);
            if let Some(b) = bytes.get_mut(at) {
                *b = (next() & 0xff) as u8;
            }
        }
        let _ = for_each_object(&bytes, |object: Object<'_>| {
            let _ = validate(&object);
        });
    }
    let patterns: serde_json::Value =
        serde_json::from_slice(&read("patterns/stix-patterns-v21.json")).expect("json");
    for text in patterns["valid"]
        .as_array()
        .expect("valid")
        .iter()
        .filter_map(|v| v.as_str())
    {
        for cut in 0..text.len() {
            if text.is_char_boundary(cut) {
                let _ = Pattern::parse(&text[..cut]);
                let _ = Pattern::parse(&text[cut..]);
            }
        }
    }
}
