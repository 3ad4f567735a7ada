//! Icons for categories and entity kinds, as SVG path data on a 24×24 grid.
//!
//! One set serves every surface (navigation, lists, entity pages, graph nodes),
//! so a kind looks the same wherever it appears.

/// A named icon. [`Icon::path`] gives its SVG path data (24×24 viewBox, stroked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Icon {
    Dashboard,
    Report,
    Grouping,
    Note,
    Case,
    Task,
    Incident,
    Sighting,
    Observable,
    Indicator,
    Infrastructure,
    ThreatActor,
    IntrusionSet,
    Campaign,
    Malware,
    Tool,
    Vulnerability,
    Channel,
    AttackPattern,
    Narrative,
    CourseOfAction,
    DataSource,
    Identity,
    Organization,
    Sector,
    System,
    Event,
    Location,
    Investigation,
    Data,
    Settings,
}

impl Icon {
    /// SVG path data, drawn with `stroke="currentColor"` and no fill.
    pub const fn path(self) -> &'static str {
        match self {
            Icon::Dashboard => "M3 3h8v8H3zM13 3h8v5h-8zM13 10h8v11h-8zM3 13h8v8H3z",
            Icon::Report => "M6 2h9l5 5v15H6zM14 2v6h6M9 13h8M9 17h8",
            Icon::Grouping => "M3 7h7l2 2h9v11H3zM3 7V4h7l2 3",
            Icon::Note => "M5 3h14v13l-5 5H5zM14 21v-5h5M8 8h8M8 12h5",
            Icon::Case => "M3 7h18v13H3zM8 7V4h8v3M3 12h18",
            Icon::Task => "M4 12l5 5L20 6",
            Icon::Incident => "M12 3l10 18H2zM12 9v5M12 17v1",
            Icon::Sighting => {
                "M1 12s4-7 11-7 11 7 11 7-4 7-11 7S1 12 1 12zM12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6"
            }
            Icon::Observable => "M11 4a7 7 0 1 0 0 14a7 7 0 1 0 0-14M16 16l5 5",
            Icon::Indicator => "M12 2l8 4v6c0 5-3.5 8.5-8 10-4.5-1.5-8-5-8-10V6zM9 12l2 2 4-4",
            Icon::Infrastructure => "M3 4h18v6H3zM3 14h18v6H3zM7 7h1M7 17h1",
            Icon::ThreatActor => "M12 3a4 4 0 1 0 0 8a4 4 0 1 0 0-8M4 21c0-4 4-7 8-7s8 3 8 7",
            Icon::IntrusionSet => {
                "M8 4a3 3 0 1 0 0 6a3 3 0 1 0 0-6M16 4a3 3 0 1 0 0 6a3 3 0 1 0 0-6M2 20c0-3 3-6 6-6s6 3 6 6M14 14c3 0 8 2 8 6"
            }
            Icon::Campaign => "M5 21V4M5 4h12l-3 4 3 4H5",
            Icon::Malware => {
                "M12 6a5 5 0 0 1 5 5v4a5 5 0 0 1-10 0v-4a5 5 0 0 1 5-5zM12 6V3M7 11H3M17 11h4M7 16H3M17 16h4M12 11v9"
            }
            Icon::Tool => "M14 6a4 4 0 0 0 5 5l-9 9a2 2 0 0 1-3-3l9-9a4 4 0 0 0-2-2z",
            Icon::Vulnerability => "M12 2l9 5v10l-9 5-9-5V7zM12 8v5M12 16v1",
            Icon::Channel => "M4 5h16v11H9l-5 4z",
            Icon::AttackPattern => {
                "M12 2a10 10 0 1 0 0 20a10 10 0 1 0 0-20M12 7a5 5 0 1 0 0 10a5 5 0 1 0 0-10M12 11v2"
            }
            Icon::Narrative => "M4 4h7v16H4zM13 4h7v16h-7M6 8h3M15 8h3",
            Icon::CourseOfAction => {
                "M12 2l8 4v6c0 5-3.5 8.5-8 10-4.5-1.5-8-5-8-10V6zM12 8v8M8 12h8"
            }
            Icon::DataSource => {
                "M4 6c0-2 16-2 16 0v12c0 2-16 2-16 0zM4 6c0 2 16 2 16 0M4 12c0 2 16 2 16 0"
            }
            Icon::Identity => {
                "M4 4h16v16H4zM12 8a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5M8 18c0-2 2-3 4-3s4 1 4 3"
            }
            Icon::Organization => "M4 21V4h10v17M14 9h6v12M7 8h4M7 12h4M7 16h4M2 21h20",
            Icon::Sector => "M3 21h18M5 21V10l7-5 7 5v11M9 21v-6h6v6",
            Icon::System => "M3 4h18v12H3zM8 20h8M12 16v4",
            Icon::Event => "M4 5h16v16H4zM4 10h16M9 3v4M15 3v4",
            Icon::Location => {
                "M12 22s7-7 7-12a7 7 0 0 0-14 0c0 5 7 12 7 12zM12 7a3 3 0 1 0 0 6a3 3 0 1 0 0-6"
            }
            Icon::Investigation => {
                "M6 4a2 2 0 1 0 0 4a2 2 0 1 0 0-4M18 4a2 2 0 1 0 0 4a2 2 0 1 0 0-4M12 16a2 2 0 1 0 0 4a2 2 0 1 0 0-4M8 6h8M7 8l4 8M17 8l-4 8"
            }
            Icon::Data => {
                "M4 6c0-2 16-2 16 0v12c0 2-16 2-16 0zM4 6c0 2 16 2 16 0M12 10v7M9 14l3 3 3-3"
            }
            Icon::Settings => {
                "M12 8a4 4 0 1 0 0 8a4 4 0 1 0 0-8M12 2v3M12 19v3M2 12h3M19 12h3M5 5l2 2M17 17l2 2M5 19l2-2M17 7l2-2"
            }
        }
    }
}
