//! Any bytes through the bundle reader and the validator: no input may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = cairn_stix::bundle::for_each_object(data, |object| {
        let report = cairn_stix::validate(&object);
        let _ = report.is_valid();
        let _ = cairn_stix::ids::deterministic_id(&object);
        let _ = serde_json_roundtrip(&object);
    });
});

fn serde_json_roundtrip(object: &cairn_stix::Object<'_>) -> usize {
    cairn_stix::Json::Object(object.clone()).to_string().len()
}
