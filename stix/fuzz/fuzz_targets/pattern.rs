//! Any text through the pattern parser and, when it parses, the evaluator
//! against a few observables.
#![no_main]

use libfuzzer_sys::fuzz_target;

const OBSERVABLES: &str = r#"{"type":"bundle","id":"bundle--5d0092c5-5f74-4287-9642-33f4c354e56d","objects":[
 {"type":"ipv4-addr","id":"ipv4-addr--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a01","value":"198.51.100.7"},
 {"type":"file","id":"file--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a03","name":"a.exe","size":4096,
  "hashes":{"MD5":"cead3f77f6cda6ec00f57d76c9a6879f"}},
 {"type":"network-traffic","id":"network-traffic--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a04",
  "dst_ref":"ipv4-addr--1e60f4c5-1b0b-5e5a-9f5c-5c8b0b5a1a01","dst_port":443,"protocols":["tcp"]}]}"#;

fuzz_target!(|text: &str| {
    if let Ok(pattern) = cairn_stix::pattern::Pattern::parse(text) {
        let _ = pattern.warnings();
        if let Ok((_, objects)) = cairn_stix::bundle::parse_bundle(OBSERVABLES.as_bytes()) {
            let _ = cairn_stix::pattern::matches_objects(&pattern, &objects);
        }
    }
});
