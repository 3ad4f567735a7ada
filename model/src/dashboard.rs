//! What dashboards exchange: a widget's query (perspective, filters, grouping,
//! date field, period), the aggregate the store answers it with, the widgets
//! and their place on the grid, saved dashboards, and the ATT&CK matrix.

use serde::{Deserialize, Serialize};

/// What a widget counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Perspective {
    /// Objects (entities and observables).
    #[default]
    Entities,
    /// Relationships.
    Relationships,
    /// The history of changes (creations, updates, merges, deletions).
    Activity,
}

impl Perspective {
    pub const ALL: [Perspective; 3] = [
        Perspective::Entities,
        Perspective::Relationships,
        Perspective::Activity,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Perspective::Entities => "Entities",
            Perspective::Relationships => "Relationships",
            Perspective::Activity => "Activity",
        }
    }

    /// What a widget of this perspective may group by.
    pub fn groupings(self) -> &'static [GroupBy] {
        match self {
            Perspective::Entities => &[
                GroupBy::Kind,
                GroupBy::Type,
                GroupBy::Marking,
                GroupBy::Author,
                GroupBy::Label,
            ],
            Perspective::Relationships => &[
                GroupBy::RelationshipType,
                GroupBy::SourceType,
                GroupBy::TargetType,
                GroupBy::Target,
                GroupBy::Source,
                GroupBy::Marking,
            ],
            Perspective::Activity => &[GroupBy::Action, GroupBy::Type, GroupBy::User],
        }
    }
}

/// The attribute buckets are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The registry kind (Intrusion set, Country, Sector…).
    Kind,
    /// The STIX type.
    Type,
    Marking,
    Author,
    Label,
    RelationshipType,
    /// The STIX type of a relationship's source.
    SourceType,
    /// The STIX type of a relationship's target.
    TargetType,
    /// A relationship's target object (most targeted countries, most used techniques).
    Target,
    /// A relationship's source object (most active intrusion sets).
    Source,
    /// An activity's action (create, update, merge, delete, restore).
    Action,
    /// Who made a change.
    User,
}

impl GroupBy {
    pub fn label(self) -> &'static str {
        match self {
            GroupBy::Kind => "Kind",
            GroupBy::Type => "STIX type",
            GroupBy::Marking => "Marking",
            GroupBy::Author => "Author",
            GroupBy::Label => "Label",
            GroupBy::RelationshipType => "Relationship type",
            GroupBy::SourceType => "Source type",
            GroupBy::TargetType => "Target type",
            GroupBy::Target => "Target",
            GroupBy::Source => "Source",
            GroupBy::Action => "Action",
            GroupBy::User => "User",
        }
    }

    /// Whether buckets are objects (named and linked by their STIX id).
    pub fn is_object(self) -> bool {
        matches!(
            self,
            GroupBy::Marking | GroupBy::Author | GroupBy::Target | GroupBy::Source
        )
    }
}

/// Which date places an object, relationship or change in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DateField {
    /// When it came into Cairn (day precision). Activity is always this.
    #[default]
    Ingested,
    /// Its STIX `created` (month precision).
    Created,
}

impl DateField {
    pub fn label(self) -> &'static str {
        match self {
            DateField::Ingested => "Ingested in Cairn",
            DateField::Created => "STIX created",
        }
    }
}

/// Buckets along time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Interval {
    Day,
    Month,
    Year,
}

impl Interval {
    /// How many characters of an ISO date the bucket keeps.
    pub fn prefix(self) -> usize {
        match self {
            Interval::Day => 10,
            Interval::Month => 7,
            Interval::Year => 4,
        }
    }
}

/// Which objects, relationships or changes a series counts. Empty lists
/// filter nothing; values are STIX ids (markings, authors), kinds by name,
/// labels by value, types by STIX type.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WidgetFilter {
    pub kinds: Vec<String>,
    pub types: Vec<String>,
    pub labels: Vec<String>,
    pub markings: Vec<String>,
    pub authors: Vec<String>,
    pub relationship_types: Vec<String>,
    pub source_types: Vec<String>,
    pub target_types: Vec<String>,
    pub actions: Vec<String>,
}

/// A period, as ISO dates (`YYYY-MM-DD`, inclusive); either end may be open.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One series of a widget: what to count and how to bucket it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct WidgetQuery {
    /// The series' name in legends (empty: a name made from the query).
    pub name: String,
    pub perspective: Perspective,
    pub filter: WidgetFilter,
    /// Buckets by attribute (`None`: by time when `interval` is set, else one total).
    pub group_by: Option<GroupBy>,
    /// Buckets along time.
    pub interval: Option<Interval>,
    /// At most this many buckets by attribute, largest first (1–100).
    pub top: u32,
    pub date_field: DateField,
}

/// One bucket of an aggregate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// What identifies the bucket: a kind, a date, a STIX id…
    pub key: String,
    /// What people read: the object's name for object buckets, else the key.
    pub label: String,
    /// For object buckets: the object's registry kind (icon, link).
    pub kind: Option<String>,
    /// For object buckets: the country's ISO code (world maps).
    pub country: Option<String>,
    pub count: u64,
}

/// The answer to a [`WidgetQuery`] over a period.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Aggregate {
    /// Everything the query counts in the period.
    pub total: u64,
    /// Everything it counts up to the period's end (all time when open).
    pub all: u64,
    /// The same over the period before, of the same length (trends); `None`
    /// when the period is open at the start.
    pub previous: Option<u64>,
    pub buckets: Vec<Bucket>,
}

/// How a widget draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WidgetKind {
    Number,
    List,
    Distribution,
    Bars,
    HorizontalBars,
    Line,
    Area,
    Donut,
    Heatmap,
    Treemap,
    Timeline,
    WorldMap,
    Text,
}

impl WidgetKind {
    pub const ALL: [WidgetKind; 13] = [
        WidgetKind::Number,
        WidgetKind::List,
        WidgetKind::Distribution,
        WidgetKind::Bars,
        WidgetKind::HorizontalBars,
        WidgetKind::Line,
        WidgetKind::Area,
        WidgetKind::Donut,
        WidgetKind::Heatmap,
        WidgetKind::Treemap,
        WidgetKind::Timeline,
        WidgetKind::WorldMap,
        WidgetKind::Text,
    ];

    pub fn label(self) -> &'static str {
        match self {
            WidgetKind::Number => "Number",
            WidgetKind::List => "List",
            WidgetKind::Distribution => "Distribution list",
            WidgetKind::Bars => "Vertical bars",
            WidgetKind::HorizontalBars => "Horizontal bars",
            WidgetKind::Line => "Line",
            WidgetKind::Area => "Area",
            WidgetKind::Donut => "Donut",
            WidgetKind::Heatmap => "Heatmap",
            WidgetKind::Treemap => "Treemap",
            WidgetKind::Timeline => "Timeline",
            WidgetKind::WorldMap => "World map",
            WidgetKind::Text => "Text",
        }
    }

    /// The key written in URLs and JSON.
    pub fn key(self) -> &'static str {
        match self {
            WidgetKind::Number => "number",
            WidgetKind::List => "list",
            WidgetKind::Distribution => "distribution",
            WidgetKind::Bars => "bars",
            WidgetKind::HorizontalBars => "horizontal_bars",
            WidgetKind::Line => "line",
            WidgetKind::Area => "area",
            WidgetKind::Donut => "donut",
            WidgetKind::Heatmap => "heatmap",
            WidgetKind::Treemap => "treemap",
            WidgetKind::Timeline => "timeline",
            WidgetKind::WorldMap => "world_map",
            WidgetKind::Text => "text",
        }
    }

    pub fn from_key(key: &str) -> Option<WidgetKind> {
        WidgetKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Whether the widget's series are bucketed along time.
    pub fn over_time(self) -> bool {
        matches!(
            self,
            WidgetKind::Line | WidgetKind::Area | WidgetKind::Heatmap | WidgetKind::Timeline
        )
    }

    /// How many series it draws (text none, the rest up to [`MAX_SERIES`]).
    pub fn max_series(self) -> usize {
        match self {
            WidgetKind::Text => 0,
            WidgetKind::Number
            | WidgetKind::List
            | WidgetKind::Distribution
            | WidgetKind::Donut
            | WidgetKind::Treemap
            | WidgetKind::WorldMap => 1,
            _ => MAX_SERIES,
        }
    }
}

/// The most series one widget draws.
pub const MAX_SERIES: usize = 5;
/// The grid's columns.
pub const GRID_COLUMNS: u32 = 12;

/// Where a widget sits on the grid, in cells (12 columns; rows of fixed height).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub x: u32,
    pub y: u32,
    pub w: u32,
    pub h: u32,
}

/// One widget of a dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Widget {
    /// Unique within its dashboard.
    pub id: String,
    pub title: String,
    pub kind: WidgetKind,
    #[serde(default)]
    pub series: Vec<WidgetQuery>,
    /// For text widgets: Markdown.
    #[serde(default)]
    pub text: String,
    pub place: Place,
}

/// A custom dashboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// `dashboard--<uuid>`.
    pub id: String,
    pub name: String,
    /// The owner's login.
    pub owner: String,
    /// Whether every analyst may open it (read-only unless they own it).
    pub shared: bool,
    pub widgets: Vec<Widget>,
    /// The period its widgets read (the dashboard's picker).
    pub period: String,
    pub created: String,
    pub modified: String,
}

/// A dashboard as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardSummary {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub shared: bool,
    pub widgets: u64,
    pub modified: String,
}

/// What a dashboard's export file holds (and an import reads).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardFile {
    /// Always `cairn-dashboard`.
    pub format: String,
    pub version: u32,
    pub name: String,
    pub period: String,
    pub widgets: Vec<Widget>,
}

/// What a dashboard export file says it is.
pub const FILE_FORMAT: &str = "cairn-dashboard";

impl Dashboard {
    /// The dashboard as its export file.
    pub fn to_file(&self) -> DashboardFile {
        DashboardFile {
            format: FILE_FORMAT.to_owned(),
            version: 1,
            name: self.name.clone(),
            period: self.period.clone(),
            widgets: self.widgets.clone(),
        }
    }
}

/// One technique cell of an ATT&CK matrix, sub-techniques folded in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixCell {
    pub stix_id: String,
    pub name: String,
    /// `T1234`.
    pub attack_id: Option<String>,
    /// How often it is used (its sub-techniques' uses included).
    pub count: u64,
    /// How many sub-techniques it has, and how many of them are used.
    pub subtechniques: u32,
    pub subtechniques_used: u32,
}

/// A tactic's column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixColumn {
    /// The kill-chain phase name, e.g. `initial-access`.
    pub tactic: String,
    pub cells: Vec<MatrixCell>,
}

/// An ATT&CK matrix, for the base or for one object.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Matrix {
    pub columns: Vec<MatrixColumn>,
    /// The highest count of a cell (colour scale).
    pub max: u64,
    /// How many distinct techniques are used.
    pub used: u64,
}

/// A widget of the home dashboard: one series, a kind, and its place as
/// `(x, y, w, h)`.
fn home_widget(
    id: &str,
    title: &str,
    kind: WidgetKind,
    (x, y, w, h): (u32, u32, u32, u32),
    query: WidgetQuery,
) -> Widget {
    Widget {
        id: id.to_owned(),
        title: title.to_owned(),
        kind,
        series: vec![query],
        text: String::new(),
        place: Place { x, y, w, h },
    }
}

fn entities(kinds: &[&str]) -> WidgetQuery {
    WidgetQuery {
        perspective: Perspective::Entities,
        filter: WidgetFilter {
            kinds: kinds.iter().map(|k| (*k).to_owned()).collect(),
            ..Default::default()
        },
        top: 10,
        ..Default::default()
    }
}

/// Relationships grouped by their ends on one side (`Source` or `Target`)
/// of one STIX type, of one relationship type or of any.
fn ends(group_by: GroupBy, end_type: &str, relationship_type: Option<&str>) -> WidgetQuery {
    let mut filter = WidgetFilter {
        relationship_types: relationship_type.map(str::to_owned).into_iter().collect(),
        ..Default::default()
    };
    if group_by == GroupBy::Source {
        filter.source_types = vec![end_type.to_owned()];
    } else {
        filter.target_types = vec![end_type.to_owned()];
    }
    WidgetQuery {
        perspective: Perspective::Relationships,
        filter,
        group_by: Some(group_by),
        top: 10,
        ..Default::default()
    }
}

/// The main kinds the home dashboard counts, with their titles.
pub const HOME_COUNTS: [(&str, &str); 6] = [
    ("Intrusion-Set", "Intrusion sets"),
    ("Malware", "Malware"),
    ("Report", "Reports"),
    ("Indicator", "Indicators"),
    ("Vulnerability", "Vulnerabilities"),
    ("Campaign", "Campaigns"),
];

/// The home dashboard: counts of the main kinds with their change, ingestion
/// per day, the most active intrusion sets and malware, the most targeted
/// sectors and countries, the techniques used most, the latest reports and
/// cases. Every widget reads the period of the picker.
pub fn home_widgets() -> Vec<Widget> {
    use GroupBy::{Source, Target};
    use WidgetKind::*;
    let mut widgets: Vec<Widget> = HOME_COUNTS
        .iter()
        .zip(0..)
        .map(|((kind, title), i)| {
            home_widget(
                &format!("count-{}", kind.to_lowercase()),
                title,
                Number,
                (i * 2, 0, 2, 2),
                entities(&[kind]),
            )
        })
        .collect();
    let mut ingestion = entities(&[]);
    ingestion.name = "Objects".to_owned();
    ingestion.interval = Some(Interval::Day);
    let mut techniques = ends(Target, "attack-pattern", Some("uses"));
    techniques.top = 24;
    let mut sectors = ends(Target, "identity", Some("targets"));
    sectors.filter.kinds = vec!["Sector".to_owned()];
    let mut countries = ends(Target, "location", Some("targets"));
    countries.filter.kinds = vec!["Country".to_owned()];
    countries.top = 100;
    widgets.extend([
        home_widget(
            "ingestion",
            "Ingestion per day",
            Area,
            (0, 2, 8, 4),
            ingestion,
        ),
        home_widget(
            "techniques",
            "Techniques used most",
            Heatmap,
            (8, 2, 4, 4),
            techniques,
        ),
        home_widget(
            "active-intrusion-sets",
            "Most active intrusion sets",
            HorizontalBars,
            (0, 6, 4, 4),
            ends(Source, "intrusion-set", None),
        ),
        home_widget(
            "active-malware",
            "Most active malware",
            HorizontalBars,
            (4, 6, 4, 4),
            ends(Source, "malware", None),
        ),
        home_widget(
            "targeted-sectors",
            "Most targeted sectors",
            Distribution,
            (8, 6, 4, 4),
            sectors,
        ),
        home_widget(
            "targeted-countries",
            "Most targeted countries",
            WorldMap,
            (0, 10, 6, 5),
            countries,
        ),
        home_widget(
            "latest-reports",
            "Latest reports",
            List,
            (6, 10, 3, 5),
            entities(&["Report"]),
        ),
        home_widget(
            "latest-cases",
            "Latest cases",
            List,
            (9, 10, 3, 5),
            entities(&["Case-Incident", "Case-Rfi", "Case-Rft"]),
        ),
    ]);
    widgets
}
