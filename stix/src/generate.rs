//! A realistic synthetic dataset for demos and benchmarks: threat actors and
//! their arsenal, techniques, vulnerabilities, observables, indicators with
//! valid patterns, reports, sightings, and relationships whose fan-out follows a
//! power law, so a few hubs are very connected, as in real intelligence.
//!
//! Deterministic for a given seed; every object is valid STIX 2.1 and every
//! relationship is one the matrix allows.

use serde_json::{Value, json};

use crate::ids::deterministic_id;
use crate::json::Json;
use crate::markings::TLP;

/// A small, fast, seedable generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// An index skewed towards the start (about a power law): hubs come first.
    fn skewed(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64) * u.powi(3)) as usize % n.max(1)
    }

    fn uuid4(&mut self) -> String {
        let (a, b) = (self.next(), self.next());
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&a.to_le_bytes());
        bytes[8..].copy_from_slice(&b.to_le_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }
}

const ADJECTIVES: &[&str] = &[
    "Crimson",
    "Silent",
    "Iron",
    "Velvet",
    "Hidden",
    "Frozen",
    "Golden",
    "Shadow",
    "Emerald",
    "Scarlet",
    "Obsidian",
    "Wandering",
    "Hollow",
    "Azure",
    "Copper",
    "Midnight",
    "Rusty",
    "Pale",
];
const ANIMALS: &[&str] = &[
    "Lynx", "Panda", "Kitten", "Spider", "Jackal", "Bear", "Viper", "Heron", "Mantis", "Falcon",
    "Badger", "Orca", "Wolf", "Raven", "Tiger", "Gecko", "Hornet", "Moth",
];
const SYLLABLES: &[&str] = &[
    "ra", "ko", "zen", "tor", "vex", "lum", "dri", "qua", "nix", "sol", "bar", "kel", "mor", "ty",
];
const TACTICS: &[&str] = &[
    "reconnaissance",
    "initial-access",
    "execution",
    "persistence",
    "privilege-escalation",
    "defense-evasion",
    "credential-access",
    "discovery",
    "lateral-movement",
    "collection",
    "command-and-control",
    "exfiltration",
    "impact",
];
const VERBS: &[&str] = &[
    "Spearphishing",
    "Credential Dumping",
    "Process Injection",
    "Scheduled Task",
    "DLL Sideloading",
    "Web Shell",
    "Data Staging",
    "Remote Services",
    "Token Theft",
    "Log Clearing",
    "Port Scanning",
];
const SECTORS: &[&str] = &[
    "energy",
    "financial-services",
    "government-national",
    "healthcare",
    "telecommunications",
    "manufacturing",
    "defense",
    "education",
    "transportation",
    "retail",
];
const COUNTRIES: &[(&str, &str)] = &[
    ("France", "FR"),
    ("Germany", "DE"),
    ("United States", "US"),
    ("Japan", "JP"),
    ("Brazil", "BR"),
    ("India", "IN"),
    ("Ukraine", "UA"),
    ("Australia", "AU"),
    ("Canada", "CA"),
    ("Kenya", "KE"),
];
const TLDS: &[&str] = &["com", "net", "org", "info", "xyz", "top", "ru", "io"];

/// The time every generated object was created (fixed, so runs are reproducible).
const EPOCH_YEAR: u32 = 2020;

fn timestamp(rng: &mut Rng) -> String {
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}:{:02}.000Z",
        EPOCH_YEAR + rng.below(6) as u32,
        1 + rng.below(12),
        1 + rng.below(28),
        rng.below(24),
        rng.below(60),
        rng.below(60)
    )
}

fn word(rng: &mut Rng) -> String {
    let n = 2 + rng.below(2);
    let mut w: String = (0..n).map(|_| *rng.pick(SYLLABLES)).collect();
    if let Some(first) = w.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    w
}

fn hex(rng: &mut Rng, len: usize) -> String {
    (0..len).map(|_| format!("{:x}", rng.below(16))).collect()
}

/// Calls `emit` with `count` generated objects (at least a few hundred are made
/// whatever the count, so the dataset hangs together), all valid STIX 2.1.
pub fn generate(count: usize, seed: u64, mut emit: impl FnMut(Value)) {
    let mut rng = Rng(seed.max(1));
    let mut emitted = 0usize;
    let mut out = |value: Value, emitted: &mut usize| {
        *emitted += 1;
        emit(value);
    };
    let author = format!("identity--{}", rng.uuid4());
    let created = "2020-01-01T00:00:00.000Z";
    out(
        json!({"type": "identity", "spec_version": "2.1", "id": author, "created": created, "modified": created,
        "name": "Cairn demo data", "identity_class": "organization"}),
        &mut emitted,
    );
    for tlp in TLP.iter().filter(|t| t.version == 2 && t.scheme == "TLP") {
        out(tlp.to_stix(), &mut emitted);
    }
    let markings: Vec<&str> = TLP
        .iter()
        .filter(|t| t.version == 2 && t.scheme == "TLP")
        .map(|t| t.id)
        .collect();

    let scale = count.max(500);
    let part = |percent: usize| (scale * percent / 1000).max(3);
    let base = |rng: &mut Rng, ty: &str| {
        let at = timestamp(rng);
        let mut object = json!({"type": ty, "spec_version": "2.1", "id": format!("{ty}--{}", rng.uuid4()),
            "created": at, "modified": at, "created_by_ref": author, "confidence": 20 + rng.below(81)});
        let marking = match rng.below(100) {
            0..=49 => None,
            50..=74 => Some(markings[1]),
            75..=89 => Some(markings[2]),
            90..=96 => Some(markings[3]),
            _ => Some(markings[4]),
        };
        if let Some(m) = marking {
            object["object_marking_refs"] = json!([m]);
        }
        object
    };

    let mut sectors = Vec::new();
    for name in SECTORS {
        let mut o = base(&mut rng, "identity");
        o["name"] = json!(name.replace('-', " "));
        o["identity_class"] = json!("class");
        o["sectors"] = json!([name]);
        sectors.push(o["id"].as_str().unwrap_or_default().to_owned());
        out(o, &mut emitted);
    }
    let mut countries = Vec::new();
    for (name, code) in COUNTRIES {
        let mut o = base(&mut rng, "location");
        o["name"] = json!(name);
        o["country"] = json!(code);
        countries.push(o["id"].as_str().unwrap_or_default().to_owned());
        out(o, &mut emitted);
    }

    let named = |rng: &mut Rng,
                 ty: &str,
                 n: usize,
                 name: &mut dyn FnMut(&mut Rng, usize) -> String,
                 extra: &dyn Fn(&mut Rng, &mut Value)| {
        let mut ids = Vec::with_capacity(n);
        let mut objects = Vec::with_capacity(n);
        for i in 0..n {
            let mut o = base(rng, ty);
            o["name"] = json!(name(rng, i));
            o["description"] = json!(format!("Synthetic {ty} number {i} of the Cairn demo data."));
            extra(rng, &mut o);
            ids.push(o["id"].as_str().unwrap_or_default().to_owned());
            objects.push(o);
        }
        (ids, objects)
    };
    let actor_name =
        |rng: &mut Rng, i: usize| format!("{} {} {i}", rng.pick(ADJECTIVES), rng.pick(ANIMALS));
    let (sets, set_objects) = named(
        &mut rng,
        "intrusion-set",
        part(10),
        &mut { actor_name },
        &|rng, o| {
            o["aliases"] = json!([format!("APT-{}", 100 + rng.below(900))]);
        },
    );
    let (campaigns, campaign_objects) = named(
        &mut rng,
        "campaign",
        part(10),
        &mut |rng, i| format!("Operation {} {i}", word(rng)),
        &|_, _| {},
    );
    let (malware, malware_objects) = named(
        &mut rng,
        "malware",
        part(20),
        &mut |rng, i| format!("{}{i}", word(rng)),
        &|rng, o| {
            o["is_family"] = json!(true);
            o["malware_types"] = json!([rng.pick(&[
                "backdoor",
                "ransomware",
                "remote-access-trojan",
                "downloader",
                "wiper"
            ])]);
        },
    );
    let (tools, tool_objects) = named(
        &mut rng,
        "tool",
        part(10),
        &mut |rng, i| format!("{}Kit {i}", word(rng)),
        &|_, _| {},
    );
    let (techniques, technique_objects) = named(
        &mut rng,
        "attack-pattern",
        part(20),
        &mut |rng, i| format!("{} {i}", rng.pick(VERBS)),
        &|rng, o| {
            o["kill_chain_phases"] =
                json!([{"kill_chain_name": "mitre-attack", "phase_name": rng.pick(TACTICS)}]);
        },
    );
    let (vulns, vuln_objects) = named(
        &mut rng,
        "vulnerability",
        part(20),
        &mut |rng, i| format!("CVE-{}-{}", 2018 + rng.below(8), 1000 + i),
        &|_, _| {},
    );
    for o in set_objects
        .into_iter()
        .chain(campaign_objects)
        .chain(malware_objects)
        .chain(tool_objects)
        .chain(technique_objects)
        .chain(vuln_objects)
    {
        out(o, &mut emitted);
    }

    // Observables, with their deterministic ids.
    let observable_count = part(300);
    let mut observables: Vec<(String, String)> = Vec::with_capacity(observable_count);
    for i in 0..observable_count {
        let (ty, mut o, pattern) = match rng.below(5) {
            0 => {
                // Unique by construction (the index picks the /24), random within it.
                let ip = format!(
                    "{}.{}.{}.{}",
                    11 + (i >> 16) % 200,
                    (i >> 8) & 255,
                    i & 255,
                    1 + rng.below(254)
                );
                (
                    "ipv4-addr",
                    json!({"value": ip}),
                    format!("[ipv4-addr:value = '{ip}']"),
                )
            }
            1 => {
                let d = format!("{}{i}.{}", word(&mut rng).to_lowercase(), rng.pick(TLDS));
                (
                    "domain-name",
                    json!({"value": d}),
                    format!("[domain-name:value = '{d}']"),
                )
            }
            2 => {
                let u = format!(
                    "http://{}{i}.{}/{}",
                    word(&mut rng).to_lowercase(),
                    rng.pick(TLDS),
                    word(&mut rng).to_lowercase()
                );
                ("url", json!({"value": u}), format!("[url:value = '{u}']"))
            }
            3 => {
                let h = hex(&mut rng, 64);
                (
                    "file",
                    json!({"hashes": {"SHA-256": h}, "name": format!("{}.exe", word(&mut rng).to_lowercase())}),
                    format!("[file:hashes.'SHA-256' = '{h}']"),
                )
            }
            _ => {
                let e = format!(
                    "{}{i}@{}.{}",
                    word(&mut rng).to_lowercase(),
                    word(&mut rng).to_lowercase(),
                    rng.pick(TLDS)
                );
                (
                    "email-addr",
                    json!({"value": e}),
                    format!("[email-addr:value = '{e}']"),
                )
            }
        };
        o["type"] = json!(ty);
        o["spec_version"] = json!("2.1");
        if let Json::Object(object) = Json::from_value(&o)
            && let Some(id) = deterministic_id(&object)
        {
            o["id"] = json!(id);
            observables.push((id, pattern));
            out(o, &mut emitted);
        }
    }

    // Indicators over the observables, each based on its observable.
    let mut indicators = Vec::new();
    let mut relationships: Vec<(String, &str, String)> = Vec::new();
    for (observable, pattern) in observables.iter().take(part(150)) {
        let mut o = base(&mut rng, "indicator");
        o["name"] = json!(pattern.trim_matches(|c| c == '[' || c == ']'));
        o["pattern"] = json!(pattern);
        o["pattern_type"] = json!("stix");
        o["valid_from"] = o["created"].clone();
        o["indicator_types"] = json!(["malicious-activity"]);
        let id = o["id"].as_str().unwrap_or_default().to_owned();
        relationships.push((id.clone(), "based-on", observable.clone()));
        indicators.push(id);
        out(o, &mut emitted);
    }

    // Relationships with a skewed fan-out: low indexes are the hubs.
    let rel = |rng: &mut Rng,
               from: &[String],
               verb: &'static str,
               to: &[String],
               relationships: &mut Vec<(String, &'static str, String)>| {
        if !from.is_empty() && !to.is_empty() {
            relationships.push((
                from[rng.skewed(from.len())].clone(),
                verb,
                to[rng.skewed(to.len())].clone(),
            ));
        }
    };
    while emitted + relationships.len() + part(30) + part(20) < count {
        match rng.below(10) {
            0 | 1 => rel(&mut rng, &sets, "uses", &malware, &mut relationships),
            2 => rel(&mut rng, &sets, "uses", &techniques, &mut relationships),
            3 => rel(&mut rng, &malware, "uses", &techniques, &mut relationships),
            4 => rel(
                &mut rng,
                &campaigns,
                "attributed-to",
                &sets,
                &mut relationships,
            ),
            5 => rel(&mut rng, &sets, "targets", &sectors, &mut relationships),
            6 => rel(&mut rng, &sets, "targets", &countries, &mut relationships),
            7 => rel(&mut rng, &malware, "exploits", &vulns, &mut relationships),
            8 => rel(
                &mut rng,
                &indicators,
                "indicates",
                &malware,
                &mut relationships,
            ),
            _ => rel(&mut rng, &sets, "uses", &tools, &mut relationships),
        }
    }
    for (from, verb, to) in relationships {
        let mut o = base(&mut rng, "relationship");
        o["relationship_type"] = json!(verb);
        o["source_ref"] = json!(from);
        o["target_ref"] = json!(to);
        out(o, &mut emitted);
    }

    // Sightings of indicators by sectors, and reports holding a share of everything.
    for _ in 0..part(20) {
        let mut o = base(&mut rng, "sighting");
        o["sighting_of_ref"] = json!(indicators[rng.skewed(indicators.len())]);
        o["where_sighted_refs"] = json!([sectors[rng.below(sectors.len())]]);
        o["count"] = json!(1 + rng.below(50));
        out(o, &mut emitted);
    }
    let pools: [&[String]; 5] = [&sets, &malware, &techniques, &indicators, &campaigns];
    for i in 0..part(30) {
        let mut o = base(&mut rng, "report");
        o["name"] = json!(format!("{} activity report {i}", rng.pick(ADJECTIVES)));
        o["published"] = o["created"].clone();
        o["report_types"] = json!(["threat-report"]);
        let refs: Vec<&String> = (0..3 + rng.below(20))
            .map(|_| {
                let pool = pools[rng.below(pools.len())];
                &pool[rng.skewed(pool.len())]
            })
            .collect();
        o["object_refs"] = json!(refs);
        out(o, &mut emitted);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::validate;

    #[test]
    fn every_generated_object_is_valid_and_the_count_is_met() {
        let mut objects = Vec::new();
        generate(3000, 7, |o| objects.push(o));
        assert!(
            objects.len() >= 3000 && objects.len() < 3100,
            "{}",
            objects.len()
        );
        let mut warnings = 0;
        for object in &objects {
            let Json::Object(o) = Json::from_value(object) else {
                panic!("not an object")
            };
            let report = validate(&o);
            assert!(report.is_valid(), "{object}: {:?}", report.issues);
            warnings += report.warnings().count();
        }
        assert_eq!(warnings, 0, "every relationship is one the matrix allows");
        let ids: std::collections::HashSet<_> = objects
            .iter()
            .map(|o| o["id"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(ids.len(), objects.len(), "ids are unique");
    }

    #[test]
    fn the_same_seed_gives_the_same_data_and_hubs_exist() {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        generate(1000, 42, |o| a.push(o));
        generate(1000, 42, |o| b.push(o));
        assert_eq!(a, b);
        let mut degree = std::collections::HashMap::new();
        for o in a.iter().filter(|o| o["type"] == "relationship") {
            *degree
                .entry(o["source_ref"].as_str().unwrap_or_default().to_owned())
                .or_insert(0) += 1;
        }
        let max = degree.values().max().copied().unwrap_or(0);
        let mean = degree.values().sum::<usize>() as f64 / degree.len().max(1) as f64;
        assert!(
            max as f64 > 5.0 * mean,
            "a few hubs: max {max}, mean {mean:.1}"
        );
    }
}
