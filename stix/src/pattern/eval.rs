//! Deciding whether a pattern matches observations, after STIX 2.1 §9: a
//! comparison expression is tested against the cyber observables of one
//! observation (following `_ref` and `_refs` to the objects they name); the
//! observation operators combine distinct observations, ordered by time for
//! FOLLOWEDBY and bounded by WITHIN, REPEATS and START/STOP.

use base64::Engine as _;

use super::{CompExpr, Literal, ObsExpr, Op, Pattern, Qualifier, Step};
use crate::json::{Json, Object};
use crate::timestamp::Timestamp;

/// Most candidate bindings kept at each step, so a pathological pattern over
/// many observations stays bounded.
const MAX_BINDINGS: usize = 10_000;

/// One observation: when it was seen and the observables seen.
#[derive(Debug, Clone)]
pub struct Observation<'a> {
    pub first_observed: Timestamp,
    pub last_observed: Timestamp,
    /// The objects a comparison starts from.
    pub roots: Vec<&'a Object<'a>>,
    /// Every object references may lead to (by `id`).
    pub objects: &'a [Object<'a>],
}

impl Pattern {
    /// Whether the pattern matches the observations.
    pub fn matches(&self, observations: &[Observation<'_>]) -> bool {
        !bindings(&self.root, observations).is_empty()
    }
}

/// Retro-hunt: whether the pattern matches a set of observables, each one its own
/// observation (all seen at the same moment), references resolved across the set.
pub fn matches_objects(pattern: &Pattern, objects: &[Object<'_>]) -> bool {
    let epoch = Timestamp {
        seconds: 0,
        nanos: 0,
    };
    let observations: Vec<Observation<'_>> = objects
        .iter()
        .map(|object| Observation {
            first_observed: epoch,
            last_observed: epoch,
            roots: vec![object],
            objects,
        })
        .collect();
    pattern.matches(&observations)
}

type Binding = Vec<usize>;

fn bindings(expr: &ObsExpr, obs: &[Observation<'_>]) -> Vec<Binding> {
    match expr {
        ObsExpr::Observation(comp) => (0..obs.len())
            .filter(|&i| comp_matches(comp, &obs[i]))
            .map(|i| vec![i])
            .take(MAX_BINDINGS)
            .collect(),
        ObsExpr::Or(a, b) => {
            let mut all = bindings(a, obs);
            all.extend(bindings(b, obs));
            all.truncate(MAX_BINDINGS);
            all
        }
        ObsExpr::And(a, b) => join(&bindings(a, obs), &bindings(b, obs), |_, _| true),
        ObsExpr::FollowedBy(a, b) => join(&bindings(a, obs), &bindings(b, obs), |x, y| {
            let last = x.iter().map(|&i| obs[i].last_observed).max();
            let first = y.iter().map(|&i| obs[i].first_observed).min();
            last <= first
        }),
        ObsExpr::Qualified(inner, qualifier) => {
            let found = bindings(inner, obs);
            match qualifier {
                Qualifier::Within(seconds) => found
                    .into_iter()
                    .filter(|b| span(b, obs) <= *seconds)
                    .collect(),
                Qualifier::StartStop(start, stop) => found
                    .into_iter()
                    .filter(|b| {
                        b.iter().all(|&i| {
                            obs[i].first_observed >= *start && obs[i].last_observed < *stop
                        })
                    })
                    .collect(),
                Qualifier::Repeats(count) => repeats(&found, *count as usize),
            }
        }
    }
}

fn join(a: &[Binding], b: &[Binding], keep: impl Fn(&Binding, &Binding) -> bool) -> Vec<Binding> {
    let mut out = Vec::new();
    for x in a {
        for y in b {
            if x.iter().all(|i| !y.contains(i)) && keep(x, y) {
                let mut both = x.clone();
                both.extend(y);
                both.sort_unstable();
                out.push(both);
                if out.len() >= MAX_BINDINGS {
                    return out;
                }
            }
        }
    }
    out
}

fn span(binding: &Binding, obs: &[Observation<'_>]) -> f64 {
    let first = binding.iter().map(|&i| obs[i].first_observed).min();
    let last = binding.iter().map(|&i| obs[i].last_observed).max();
    match (first, last) {
        (Some(f), Some(l)) => l.as_f64() - f.as_f64(),
        _ => 0.0,
    }
}

/// `count` pairwise-disjoint bindings, combined; chosen greedily from each start.
fn repeats(found: &[Binding], count: usize) -> Vec<Binding> {
    let mut out = Vec::new();
    for start in 0..found.len() {
        let mut used: Binding = found[start].clone();
        let mut taken = 1;
        for other in found.iter().skip(start + 1) {
            if taken == count {
                break;
            }
            if other.iter().all(|i| !used.contains(i)) {
                used.extend(other);
                taken += 1;
            }
        }
        if taken == count {
            used.sort_unstable();
            out.push(used);
        }
    }
    out
}

fn comp_matches(comp: &CompExpr, obs: &Observation<'_>) -> bool {
    match comp {
        CompExpr::And(a, b) => comp_matches(a, obs) && comp_matches(b, obs),
        CompExpr::Or(a, b) => comp_matches(a, obs) || comp_matches(b, obs),
        CompExpr::Test(test) => obs.roots.iter().any(|root| {
            root.get_str("type") == Some(test.path.object_type.as_str()) && {
                let values = resolve(root, &test.path.steps, obs.objects);
                match &test.op {
                    Op::Exists => !values.is_empty(),
                    op => values
                        .iter()
                        .any(|v| compare(op, v).is_some_and(|r| r != test.negated)),
                }
            }
        }),
    }
}

/// What a path leads to from `root`, following references into `objects`.
fn resolve<'a>(root: &'a Object<'a>, steps: &[Step], objects: &'a [Object<'a>]) -> Vec<Node<'a>> {
    let mut current = vec![Node::Object(root)];
    let mut last_key: Option<&str> = None;
    for step in steps {
        let mut next = Vec::new();
        for node in current {
            match (step, node) {
                (Step::Key(key), Node::Object(object)) => {
                    if let Some(value) = object.get(key) {
                        next.push(follow(value, key, objects));
                    }
                }
                (Step::Index(i), Node::Value(Json::Array(items))) => {
                    let index = if *i < 0 { items.len() as i64 + i } else { *i };
                    if let Some(item) = usize::try_from(index).ok().and_then(|i| items.get(i)) {
                        next.push(follow(item, last_key.unwrap_or_default(), objects));
                    }
                }
                (Step::AnyIndex, Node::Value(Json::Array(items))) => {
                    next.extend(
                        items
                            .iter()
                            .map(|item| follow(item, last_key.unwrap_or_default(), objects)),
                    );
                }
                (Step::AnyIndex, Node::Value(Json::Object(map))) => {
                    next.extend(map.iter().map(|(_, v)| Node::Value(v)));
                }
                _ => {}
            }
        }
        last_key = match step {
            Step::Key(k) => Some(k.as_str()),
            _ => last_key,
        };
        current = next;
    }
    current
}

#[derive(Clone, Copy)]
enum Node<'a> {
    Object(&'a Object<'a>),
    Value(&'a Json<'a>),
}

/// A value reached through `key`: `_ref` properties (and the items of `_refs`)
/// lead to the object they name, when it is among `objects`.
fn follow<'a>(value: &'a Json<'a>, key: &str, objects: &'a [Object<'a>]) -> Node<'a> {
    match value {
        Json::Object(object) => Node::Object(object),
        Json::Str(id) if key.ends_with("_ref") || key.ends_with("_refs") => objects
            .iter()
            .find(|o| o.get_str("id") == Some(id.as_ref()))
            .map_or(Node::Value(value), Node::Object),
        _ => Node::Value(value),
    }
}

/// The result of one comparison, or `None` when the types do not compare.
fn compare(op: &Op, node: &Node<'_>) -> Option<bool> {
    let Node::Value(value) = node else {
        return None;
    };
    use std::cmp::Ordering::*;
    match op {
        Op::Eq(lit) => equal(lit, value),
        Op::Ne(lit) => equal(lit, value).map(|e| !e),
        Op::Lt(lit) => order(lit, value).map(|o| o == Less),
        Op::Le(lit) => order(lit, value).map(|o| o != Greater),
        Op::Gt(lit) => order(lit, value).map(|o| o == Greater),
        Op::Ge(lit) => order(lit, value).map(|o| o != Less),
        Op::In(set) => Some(set.iter().any(|lit| equal(lit, value) == Some(true))),
        Op::Like(like) => value
            .as_str()
            .map(|s| like_regex(like).is_some_and(|r| r.is_match(s))),
        Op::Matches(re) => value
            .as_str()
            .map(|s| regex::Regex::new(re).is_ok_and(|r| r.is_match(s))),
        Op::IsSubset(net) => value.as_str().and_then(|s| subset(s, net)),
        Op::IsSuperset(net) => value.as_str().and_then(|s| subset(net, s)),
        Op::Exists => Some(true),
    }
}

fn equal(lit: &Literal, value: &Json<'_>) -> Option<bool> {
    match (lit, value) {
        (Literal::Str(a), Json::Str(b)) => Some(a == b),
        (Literal::Bool(a), Json::Bool(b)) => Some(a == b),
        (Literal::Binary(bytes), Json::Str(b)) => base64::engine::general_purpose::STANDARD
            .decode(b.as_bytes())
            .ok()
            .map(|d| &d == bytes),
        (Literal::Hex(bytes), Json::Str(b)) => Some(hex_eq(bytes, b)),
        _ => order(lit, value).map(|o| o == std::cmp::Ordering::Equal),
    }
}

fn hex_eq(bytes: &[u8], text: &str) -> bool {
    text.len() == bytes.len() * 2
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).is_ok_and(|v| v == *b))
}

/// How the object's value compares with the literal.
fn order(lit: &Literal, value: &Json<'_>) -> Option<std::cmp::Ordering> {
    match (lit, value) {
        (Literal::Int(_) | Literal::Float(_), _) => {
            let a = value.as_f64()?;
            let b = match lit {
                Literal::Int(i) => *i as f64,
                Literal::Float(f) => *f,
                _ => return None,
            };
            a.partial_cmp(&b)
        }
        (Literal::Timestamp(t), Json::Str(s)) => Some(Timestamp::parse(s).ok()?.cmp(t)),
        (Literal::Str(a), Json::Str(b)) => Some(b.as_ref().cmp(a.as_str())),
        _ => None,
    }
}

fn like_regex(like: &str) -> Option<regex::Regex> {
    let mut re = String::from("(?s)^");
    for c in like.chars() {
        match c {
            '%' => re.push_str(".*"),
            '_' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).ok()
}

/// Whether address or network `inner` lies within network `outer` (CIDR).
fn subset(inner: &str, outer: &str) -> Option<bool> {
    let (inner_ip, inner_len) = cidr(inner)?;
    let (outer_ip, outer_len) = cidr(outer)?;
    if inner_ip.len() != outer_ip.len() || inner_len < outer_len {
        return Some(false);
    }
    Some((0..outer_len).all(|bit| {
        let mask = 0x80u8 >> (bit % 8);
        inner_ip[bit / 8] & mask == outer_ip[bit / 8] & mask
    }))
}

fn cidr(text: &str) -> Option<(Vec<u8>, usize)> {
    let (ip, len) = match text.split_once('/') {
        Some((ip, len)) => (ip, Some(len.parse::<usize>().ok()?)),
        None => (text, None),
    };
    let bytes = match ip.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
        std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
    };
    let max = bytes.len() * 8;
    let len = len.unwrap_or(max);
    (len <= max).then_some((bytes, len))
}
