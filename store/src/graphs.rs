//! Graph reads: the capped, filtered neighbourhood of one or more objects
//! (entity graphs and expanding a node), and the graph of a given set of
//! objects and relationships (containers and saved investigations). Each
//! answers with the compact [`Graph`] payload, read through the scope.

use std::collections::{HashMap, HashSet};

use cairn_model::graph::{Graph, GraphEdge, GraphFilter, GraphNode};
use surrealdb::types::SurrealValue;

use crate::connect::Store;
use crate::error::StoreError;
use crate::query::{
    MIN_LINKS_PER_NODE, NODE_FIELDS, NodeRow, Reached, bind_graph_filter, graph_conditions,
    where_clause,
};
use crate::rows::{edge_records, object_record, object_records};
use crate::scope::Scope;

/// An edge row as graph reads select it.
#[derive(SurrealValue)]
struct EdgeRow {
    stix_id: String,
    relationship_type: String,
    source: String,
    target: String,
    created: Option<String>,
}

/// Up to how many roots the link counts are read beside the links.
const COUNTED_BESIDE: usize = 20;

impl Store {
    /// The objects within `depth` relationships of `id`, at most `cap`.
    pub async fn neighbourhood(
        &self,
        scope: &Scope,
        stix_id: &str,
        depth: u32,
        cap: usize,
    ) -> Result<Graph, StoreError> {
        self.graph(
            scope,
            &[stix_id.to_owned()],
            &GraphFilter::default(),
            depth,
            cap,
        )
        .await
    }

    /// The objects within `depth` relationships of the `roots` that `filter`
    /// keeps, at most `cap` of them, breadth first.
    ///
    /// The roots read up to `cap` links each way; each deeper level reads
    /// about `cap` links in all, shared by its frontier, in graph index
    /// order, so a hub in the frontier costs its share and not its 12,000
    /// links; once the cap is reached the walk stops. `truncated`
    /// says when either left something out, and `hidden` how many links of
    /// the roots were not shown (the roots are what an analyst expands).
    pub async fn graph(
        &self,
        scope: &Scope,
        roots: &[String],
        filter: &GraphFilter,
        depth: u32,
        cap: usize,
    ) -> Result<Graph, StoreError> {
        let mut graph = Graph::default();
        let cap = cap.max(1);
        let mut seen = HashSet::new();
        for root in self.nodes(scope, roots).await? {
            seen.insert(root.stix_id.clone());
            graph.nodes.push(node(root, 0));
        }
        let mut frontier: Vec<String> = graph.nodes.iter().map(|n| n.id.clone()).collect();
        let mut shown_of_roots: HashMap<String, u64> = HashMap::new();
        let mut full_roots = Vec::new();
        let mut edges_seen = HashSet::new();
        let mut degrees: Option<Vec<(String, u64)>> = None;
        for level in 1..=depth {
            if frontier.is_empty() {
                break;
            }
            if graph.nodes.len() >= cap {
                graph.truncated = true;
                if level == 1 {
                    // The roots fill the cap: all their links are left out.
                    full_roots.extend(frontier.iter().cloned());
                }
                break;
            }
            // The roots' links may fill the cap in either direction (a hub's
            // links mostly go one way, and both are read at once); deeper
            // levels read about `cap` links in all, half each way, shared.
            let per = if level == 1 {
                (cap.saturating_sub(graph.nodes.len()) / frontier.len()).max(MIN_LINKS_PER_NODE)
            } else {
                (cap / (2 * frontier.len())).max(MIN_LINKS_PER_NODE)
            };
            let mut next = Vec::new();
            // A few roots' link counts are read beside their links (the count
            // then costs no time of its own); for many, only when needed.
            let mut around = if level == 1 && frontier.len() <= COUNTED_BESIDE {
                let (around, counted) = tokio::try_join!(
                    self.neighbours_of_many(scope, &frontier, per, filter),
                    self.degrees(scope, &frontier, filter)
                )?;
                degrees = Some(counted);
                around
            } else {
                self.neighbours_of_many(scope, &frontier, per, filter)
                    .await?
            };
            for id in &frontier {
                let links: Vec<Reached> = around.remove(id).unwrap_or_default();
                let read = |direction: &str| {
                    links
                        .iter()
                        .filter(|r| r.neighbour.direction == direction)
                        .count()
                };
                let full = read("out") >= per || read("in") >= per;
                if full {
                    graph.truncated = true;
                    if level == 1 {
                        full_roots.push(id.clone());
                    }
                }
                for reached in links {
                    let n = &reached.neighbour;
                    if !seen.contains(&n.other_id) {
                        if graph.nodes.len() >= cap {
                            graph.truncated = true;
                            if level == 1 {
                                full_roots.push(id.clone());
                            }
                            continue;
                        }
                        seen.insert(n.other_id.clone());
                        graph.nodes.push(GraphNode {
                            id: n.other_id.clone(),
                            stix_type: n.other_type.clone(),
                            kind: n.other_kind.clone(),
                            name: n.other_name.clone(),
                            depth: level,
                            markings: reached.other_markings.clone(),
                            created: reached.other_created.clone(),
                        });
                        next.push(n.other_id.clone());
                    }
                    if level == 1 {
                        *shown_of_roots.entry(id.clone()).or_default() += 1;
                    }
                    if edges_seen.insert(n.relationship.clone()) {
                        let (source, target) = if n.direction == "out" {
                            (id.clone(), n.other_id.clone())
                        } else {
                            (n.other_id.clone(), id.clone())
                        };
                        graph.edges.push(GraphEdge {
                            id: n.relationship.clone(),
                            relationship_type: n.relationship_type.clone(),
                            source,
                            target,
                            created: reached.created,
                        });
                    }
                }
            }
            frontier = next;
        }
        full_roots.sort();
        full_roots.dedup();
        if !full_roots.is_empty() {
            let degrees = match degrees {
                Some(all) => all,
                None => self.degrees(scope, &full_roots, filter).await?,
            };
            graph.hidden = degrees
                .iter()
                .filter(|(id, _)| full_roots.contains(id))
                .map(|(id, degree)| {
                    degree.saturating_sub(shown_of_roots.get(id).copied().unwrap_or(0))
                })
                .sum();
        }
        Ok(graph)
    }

    /// How many relationships `filter` keeps each object has, counting those
    /// the scope sees with their far ends.
    async fn degrees(
        &self,
        scope: &Scope,
        stix_ids: &[String],
        filter: &GraphFilter,
    ) -> Result<Vec<(String, u64)>, StoreError> {
        #[derive(SurrealValue)]
        struct Degree {
            id: String,
            outs: i64,
            ins: i64,
        }
        let (outs, ins) = match filter.direction {
            cairn_model::GraphDirection::Both => (true, true),
            cairn_model::GraphDirection::Out => (true, false),
            cairn_model::GraphDirection::In => (false, true),
        };
        // What the graph read keeps: the filter's conditions and, unless the
        // scope sees everything, both the relationship and its far end
        // visible. With no condition the count is the graph index's alone.
        let count = |arrow: &str, far: &str, on: bool| {
            if !on {
                return "0".to_owned();
            }
            let (mut conditions, on_end) = graph_conditions(filter, far);
            conditions.extend(on_end);
            if !scope.is_bypass() {
                conditions.push(Scope::visible(&["", far]));
            }
            format!("count({arrow}(rel{}))", where_clause(&conditions))
        };
        let query = format!(
            "SELECT record::id(id) AS id, {} AS outs, {} AS ins FROM $records",
            count("->", "out.", outs),
            count("<-", "in.", ins)
        );
        let rows: Vec<Degree> = bind_graph_filter(self.read(scope, query), filter)
            .bind(("records", object_records(stix_ids)))
            .await?
            .check()?
            .take(0)?;
        Ok(rows
            .into_iter()
            .map(|d| (d.id, (d.outs + d.ins).max(0) as u64))
            .collect())
    }

    /// The graph of exactly these objects and relationships, as far as the
    /// scope sees them: a relationship shows when both its ends do. Objects
    /// come in the order asked; unknown ids are left out.
    pub async fn subgraph(
        &self,
        scope: &Scope,
        objects: &[String],
        relationships: &[String],
    ) -> Result<Graph, StoreError> {
        // The objects and the relationships are read concurrently.
        let query = format!(
            "SELECT stix_id, relationship_type, record::id(in) AS source, record::id(out) AS target, created
               FROM $records WHERE stix_id != NONE AND {}",
            Scope::FILTER
        );
        let read_edges = async {
            let edges: Vec<EdgeRow> = self
                .read(scope, query)
                .bind(("records", edge_records(relationships)))
                .await?
                .check()?
                .take(0)?;
            Ok::<_, StoreError>(edges)
        };
        let (nodes, edges) = tokio::try_join!(self.nodes(scope, objects), read_edges)?;
        let shown: HashSet<&str> = nodes.iter().map(|n| n.stix_id.as_str()).collect();
        let edges = edges
            .into_iter()
            .filter(|e| shown.contains(e.source.as_str()) && shown.contains(e.target.as_str()))
            .map(|e| GraphEdge {
                id: e.stix_id,
                relationship_type: e.relationship_type,
                source: e.source,
                target: e.target,
                created: e.created,
            })
            .collect();
        Ok(Graph {
            nodes: nodes.into_iter().map(|n| node(n, 0)).collect(),
            edges,
            truncated: false,
            hidden: 0,
        })
    }

    /// The graph of a container: the objects it holds and the relationships
    /// it holds between them.
    pub async fn container_graph(
        &self,
        scope: &Scope,
        container: &str,
    ) -> Result<Option<Graph>, StoreError> {
        #[derive(SurrealValue)]
        struct Held {
            held: Vec<String>,
        }
        let Some(row) = self
            .read(
                scope,
                format!(
                    "SELECT held ?? [] AS held FROM ONLY $record WHERE {}",
                    Scope::FILTER
                ),
            )
            .bind(("record", object_record(container)))
            .await?
            .check()?
            .take::<Option<Held>>(0)?
        else {
            return Ok(None);
        };
        let (relationships, objects): (Vec<String>, Vec<String>) = row
            .held
            .into_iter()
            .partition(|id| id.starts_with("relationship--"));
        Ok(Some(self.subgraph(scope, &objects, &relationships).await?))
    }

    /// The nodes of these objects the scope sees, in the order asked.
    async fn nodes(&self, scope: &Scope, stix_ids: &[String]) -> Result<Vec<NodeRow>, StoreError> {
        let query = format!(
            "SELECT {NODE_FIELDS} FROM $records WHERE stix_id != NONE AND {}",
            Scope::FILTER
        );
        let rows: Vec<NodeRow> = self
            .read(scope, query)
            .bind(("records", object_records(stix_ids)))
            .await?
            .check()?
            .take(0)?;
        let mut by_id: HashMap<String, NodeRow> =
            rows.into_iter().map(|r| (r.stix_id.clone(), r)).collect();
        Ok(stix_ids.iter().filter_map(|id| by_id.remove(id)).collect())
    }
}

fn node(row: NodeRow, depth: u32) -> GraphNode {
    let markings = row.marking_ids();
    GraphNode {
        id: row.stix_id,
        stix_type: row.stix_type,
        kind: row.kind,
        name: row.name,
        depth,
        markings,
        created: row.created,
    }
}
