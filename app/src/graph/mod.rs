//! Knowledge graphs: typed cytoscape.js bindings ([`cytoscape`]), the look
//! taken from the STIX registry ([`style`]), the canvas every graph page
//! shares ([`canvas`]), the workspace model with undo, redo and shortest
//! paths ([`workspace`]), shared controls ([`controls`]), and the server
//! functions that read graphs and edit containers from them ([`data`]).
//! The compact payload ([`cairn_model::Graph`]) is all that travels.

pub mod canvas;
pub mod controls;
pub mod cytoscape;
pub mod data;
pub mod style;
pub mod workspace;
