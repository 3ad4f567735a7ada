//! The graph an analyst is building, as plain data: which objects and
//! relationships it holds and which nodes are pinned, with undo and redo, the
//! shortest paths between two nodes, and the dates of its timeline. Pure Rust
//! (no browser), so it is tested natively; the canvas draws whatever state
//! this holds.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use cairn_model::{Graph, GraphEdge, GraphNode};

/// How many steps back undo can go.
const UNDO_DEPTH: usize = 100;

/// What the workspace holds at one moment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    pub pinned: BTreeSet<String>,
}

impl Snapshot {
    pub fn has_node(&self, id: &str) -> bool {
        self.nodes.iter().any(|n| n.id == id)
    }

    pub fn node(&self, id: &str) -> Option<&GraphNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Adds what `graph` has that this lacks; returns the ids of the nodes added.
    /// An edge comes in only when both its ends are here.
    pub fn merge(&mut self, graph: &Graph) -> Vec<String> {
        let mut here: HashSet<String> = self.nodes.iter().map(|n| n.id.clone()).collect();
        let mut added = Vec::new();
        for node in &graph.nodes {
            if here.insert(node.id.clone()) {
                added.push(node.id.clone());
                self.nodes.push(node.clone());
            }
        }
        let mut known: HashSet<String> = self.edges.iter().map(|e| e.id.clone()).collect();
        for edge in &graph.edges {
            if here.contains(&edge.source)
                && here.contains(&edge.target)
                && known.insert(edge.id.clone())
            {
                self.edges.push(edge.clone());
            }
        }
        added
    }

    /// Removes these nodes and the edges touching them.
    pub fn remove(&mut self, ids: &[String]) {
        let gone: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        self.nodes.retain(|n| !gone.contains(n.id.as_str()));
        self.edges
            .retain(|e| !gone.contains(e.source.as_str()) && !gone.contains(e.target.as_str()));
        self.pinned.retain(|id| !gone.contains(id.as_str()));
    }

    /// The distinct days (`YYYY-MM-DD`) on which what it holds was created, in order.
    pub fn days(&self) -> Vec<String> {
        let created = self
            .nodes
            .iter()
            .map(|n| n.created.as_deref())
            .chain(self.edges.iter().map(|e| e.created.as_deref()));
        let days: BTreeSet<String> = created
            .flatten()
            .filter_map(|c| c.get(..10))
            .map(str::to_owned)
            .collect();
        days.into_iter().collect()
    }

    /// Every shortest path between `from` and `to`, following relationships
    /// either way, at most `max`: each as its node ids and edge ids in order.
    pub fn shortest_paths(&self, from: &str, to: &str, max: usize) -> Vec<Path> {
        let mut around: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        for e in &self.edges {
            around
                .entry(e.source.as_str())
                .or_default()
                .push((e.target.as_str(), e.id.as_str()));
            around
                .entry(e.target.as_str())
                .or_default()
                .push((e.source.as_str(), e.id.as_str()));
        }
        if !self.has_node(from) || !self.has_node(to) {
            return Vec::new();
        }
        // Breadth first from `from`, keeping every predecessor at the shortest distance.
        let mut distance: HashMap<&str, usize> = HashMap::from([(from, 0)]);
        let mut before: HashMap<&str, Vec<(&str, &str)>> = HashMap::new();
        let mut queue = VecDeque::from([from]);
        while let Some(at) = queue.pop_front() {
            let d = distance[at];
            if distance.get(to).is_some_and(|&found| d >= found) {
                break;
            }
            for &(next, edge) in around.get(at).into_iter().flatten() {
                match distance.get(next) {
                    None => {
                        distance.insert(next, d + 1);
                        before.entry(next).or_default().push((at, edge));
                        queue.push_back(next);
                    }
                    Some(&nd) if nd == d + 1 => before.entry(next).or_default().push((at, edge)),
                    Some(_) => {}
                }
            }
        }
        if !distance.contains_key(to) {
            return Vec::new();
        }
        // Walk back from `to`, depth first, until `max` paths.
        let mut paths = Vec::new();
        let mut stack = vec![(to, Vec::<&str>::new(), vec![to])];
        while let Some((at, edges, nodes)) = stack.pop() {
            if paths.len() >= max {
                break;
            }
            if at == from {
                paths.push(Path {
                    nodes: nodes.iter().rev().map(|s| s.to_string()).collect(),
                    edges: edges.iter().rev().map(|s| s.to_string()).collect(),
                });
                continue;
            }
            for &(prev, edge) in before.get(at).into_iter().flatten() {
                let mut edges = edges.clone();
                edges.push(edge);
                let mut nodes = nodes.clone();
                nodes.push(prev);
                stack.push((prev, edges, nodes));
            }
        }
        paths
    }
}

/// One path through the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub nodes: Vec<String>,
    pub edges: Vec<String>,
}

/// A snapshot with the steps before and after it.
#[derive(Debug, Clone, Default)]
pub struct History {
    pub now: Snapshot,
    past: Vec<Snapshot>,
    future: Vec<Snapshot>,
}

impl History {
    pub fn new(now: Snapshot) -> History {
        History {
            now,
            ..Default::default()
        }
    }

    /// Applies a change as one undoable step; a change that changes nothing
    /// is not a step. Returns whether it changed anything.
    pub fn change(&mut self, f: impl FnOnce(&mut Snapshot)) -> bool {
        let before = self.now.clone();
        f(&mut self.now);
        if self.now == before {
            return false;
        }
        self.past.push(before);
        if self.past.len() > UNDO_DEPTH {
            self.past.remove(0);
        }
        self.future.clear();
        true
    }

    pub fn can_undo(&self) -> bool {
        !self.past.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.future.is_empty()
    }

    pub fn undo(&mut self) -> bool {
        match self.past.pop() {
            Some(before) => {
                self.future.push(std::mem::replace(&mut self.now, before));
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.future.pop() {
            Some(after) => {
                self.past.push(std::mem::replace(&mut self.now, after));
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, created: &str) -> GraphNode {
        GraphNode {
            id: id.into(),
            stix_type: "malware".into(),
            kind: Some("Malware".into()),
            name: Some(id.to_uppercase()),
            depth: 0,
            markings: Vec::new(),
            created: Some(created.into()),
        }
    }

    fn edge(id: &str, source: &str, target: &str) -> GraphEdge {
        GraphEdge {
            id: id.into(),
            relationship_type: "uses".into(),
            source: source.into(),
            target: target.into(),
            created: Some("2021-06-01T00:00:00Z".into()),
        }
    }

    /// a – b – d and a – c – d (two shortest paths), d – e, and f alone.
    fn diamond() -> Snapshot {
        let mut s = Snapshot::default();
        s.merge(&Graph {
            nodes: ["a", "b", "c", "d", "e", "f"]
                .iter()
                .map(|id| node(id, "2020-01-01T00:00:00Z"))
                .collect(),
            edges: vec![
                edge("ab", "a", "b"),
                edge("cb", "c", "a"),
                edge("bd", "b", "d"),
                edge("dc", "d", "c"),
                edge("de", "d", "e"),
            ],
            ..Default::default()
        });
        s
    }

    #[test]
    fn merging_adds_only_what_is_new_and_edges_with_both_ends() {
        let mut s = Snapshot::default();
        let added = s.merge(&Graph {
            nodes: vec![node("a", "2020-01-01T00:00:00Z")],
            edges: vec![edge("ab", "a", "b")],
            ..Default::default()
        });
        assert_eq!(added, ["a"]);
        assert!(s.edges.is_empty(), "b is not here yet");
        let added = s.merge(&Graph {
            nodes: vec![
                node("a", "2020-01-01T00:00:00Z"),
                node("b", "2020-01-01T00:00:00Z"),
            ],
            edges: vec![edge("ab", "a", "b")],
            ..Default::default()
        });
        assert_eq!(added, ["b"]);
        assert_eq!(s.edges.len(), 1);
        assert_eq!(s.nodes.len(), 2);
    }

    #[test]
    fn all_shortest_paths_either_way_round() {
        let s = diamond();
        let mut paths = s.shortest_paths("a", "e", 10);
        paths.sort_by(|x, y| x.nodes.cmp(&y.nodes));
        assert_eq!(
            paths,
            [
                Path {
                    nodes: vec!["a".into(), "b".into(), "d".into(), "e".into()],
                    edges: vec!["ab".into(), "bd".into(), "de".into()],
                },
                Path {
                    nodes: vec!["a".into(), "c".into(), "d".into(), "e".into()],
                    edges: vec!["cb".into(), "dc".into(), "de".into()],
                },
            ]
        );
        assert_eq!(s.shortest_paths("a", "e", 1).len(), 1);
        assert!(s.shortest_paths("a", "f", 10).is_empty(), "f is alone");
        assert!(s.shortest_paths("a", "zz", 10).is_empty());
        assert_eq!(s.shortest_paths("a", "a", 10)[0].nodes, ["a"]);
    }

    #[test]
    fn removing_a_node_takes_its_edges_and_pin() {
        let mut s = diamond();
        s.pinned.insert("d".into());
        s.remove(&["d".into()]);
        assert!(!s.has_node("d"));
        assert_eq!(s.edges.len(), 2);
        assert!(s.pinned.is_empty());
        assert!(s.shortest_paths("a", "e", 10).is_empty());
    }

    #[test]
    fn undo_and_redo_walk_the_steps() {
        let mut h = History::new(diamond());
        assert!(!h.can_undo());
        assert!(h.change(|s| s.remove(&["f".into()])));
        assert!(h.change(|s| {
            s.pinned.insert("a".into());
        }));
        // A change that changes nothing is not a step.
        assert!(!h.change(|s| s.remove(&["nothing".into()])));
        assert!(h.undo());
        assert!(h.now.pinned.is_empty());
        assert!(h.undo());
        assert!(h.now.has_node("f"));
        assert!(!h.undo());
        assert!(h.redo());
        assert!(!h.now.has_node("f"));
        // A new change forgets what could be redone.
        assert!(h.change(|s| s.remove(&["e".into()])));
        assert!(!h.can_redo());
    }

    #[test]
    fn the_timeline_has_each_creation_day_once() {
        let mut s = diamond();
        s.nodes[0].created = Some("2019-03-04T10:00:00.000Z".into());
        s.nodes[1].created = None;
        assert_eq!(s.days(), ["2019-03-04", "2020-01-01", "2021-06-01"]);
    }
}
