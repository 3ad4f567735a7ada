//! Custom dashboards: named grids of widgets saved in the store, owned by the
//! user who made them and, when shared, open read-only to everyone else.
//! The widgets are kept as their JSON (checked here: kinds, series, places),
//! so a dashboard is one record however many widgets it has.

use cairn_model::dashboard::{
    Dashboard, DashboardFile, DashboardSummary, GRID_COLUMNS, MAX_SERIES, Widget,
};
use surrealdb::types::{RecordId, SurrealValue};

use crate::connect::Store;
use crate::edit::now;
use crate::error::StoreError;

const TABLE: &str = "dashboard";
/// The longest name accepted.
pub const MAX_NAME_CHARS: usize = 200;
/// The most widgets on one dashboard.
pub const MAX_WIDGETS: usize = 60;
/// The longest text widget, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;

fn record(id: &str) -> RecordId {
    RecordId::new(TABLE, id)
}

#[derive(Debug, SurrealValue)]
struct Row {
    id: String,
    name: String,
    owner: String,
    shared: bool,
    widgets: String,
    period: Option<String>,
    created: String,
    modified: String,
}

const FIELDS: &str =
    "record::id(id) AS id, name, owner, shared, widgets, period, created, modified";

impl Row {
    fn dashboard(self) -> Result<Dashboard, StoreError> {
        let widgets: Vec<Widget> = serde_json::from_str(&self.widgets)
            .map_err(|e| StoreError::Unreadable(format!("dashboard {}: {e}", self.id)))?;
        Ok(Dashboard {
            id: self.id,
            name: self.name,
            owner: self.owner,
            shared: self.shared,
            widgets,
            period: self.period.unwrap_or_else(|| "30d".to_owned()),
            created: self.created,
            modified: self.modified,
        })
    }
}

fn invalid(field: &'static str, reason: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field,
        reason: reason.into(),
    }
}

/// Checks what a dashboard holds: at most [`MAX_WIDGETS`] widgets with
/// distinct ids, titles of sensible length, series within what the kind
/// draws, places inside the grid, periods the pickers know.
pub fn check(widgets: &[Widget], period: &str) -> Result<(), StoreError> {
    if widgets.len() > MAX_WIDGETS {
        return Err(invalid(
            "widgets",
            format!("a dashboard holds at most {MAX_WIDGETS} widgets"),
        ));
    }
    if cairn_model::dates::resolve_period(period, "2000-01-01").is_none() {
        return Err(invalid("period", format!("{period:?} is not a period")));
    }
    let mut ids = std::collections::BTreeSet::new();
    for w in widgets {
        if w.id.is_empty() || w.id.len() > 64 || !ids.insert(w.id.as_str()) {
            return Err(invalid(
                "widgets",
                format!("widget id {:?} is empty, too long or repeated", w.id),
            ));
        }
        if w.title.chars().count() > MAX_NAME_CHARS {
            return Err(invalid(
                "widgets",
                format!("widget {:?}: the title is too long", w.title),
            ));
        }
        if w.series.len() > w.kind.max_series().min(MAX_SERIES) {
            return Err(invalid(
                "widgets",
                format!(
                    "widget {:?}: a {} draws at most {} series",
                    w.title,
                    w.kind.label().to_lowercase(),
                    w.kind.max_series()
                ),
            ));
        }
        if w.text.chars().count() > MAX_TEXT_CHARS {
            return Err(invalid(
                "widgets",
                format!("widget {:?}: the text is too long", w.title),
            ));
        }
        let p = w.place;
        if p.w == 0 || p.h == 0 || p.h > 24 || p.x + p.w > GRID_COLUMNS || p.y > 1_000 {
            return Err(invalid(
                "widgets",
                format!("widget {:?} is placed outside the grid", w.title),
            ));
        }
    }
    Ok(())
}

impl Store {
    /// Creates a dashboard owned by `owner`, empty or with `widgets`.
    pub async fn create_dashboard(
        &self,
        owner: &str,
        name: &str,
        widgets: &[Widget],
        period: &str,
    ) -> Result<Dashboard, StoreError> {
        let name = crate::error::required_text("name", name, MAX_NAME_CHARS)?;
        check(widgets, period)?;
        let id = format!("dashboard--{}", uuid::Uuid::new_v4());
        let at = now();
        self.db()
            .query(
                "CREATE $record SET name = $name, owner = $owner, shared = false, widgets = $widgets,
                        period = $period, created = $at, modified = $at",
            )
            .bind(("record", record(&id)))
            .bind(("name", name))
            .bind(("owner", owner.to_owned()))
            .bind(("widgets", to_json(widgets)?))
            .bind(("period", period.to_owned()))
            .bind(("at", at))
            .await?
            .check()?;
        self.dashboard(owner, &id)
            .await?
            .ok_or_else(|| StoreError::Unreadable("the new dashboard was not saved".into()))
    }

    /// One dashboard, if `reader` owns it or it is shared.
    pub async fn dashboard(&self, reader: &str, id: &str) -> Result<Option<Dashboard>, StoreError> {
        let row: Option<Row> = self
            .db()
            .query(format!(
                "SELECT {FIELDS} FROM ONLY $record WHERE owner = $reader OR shared = true"
            ))
            .bind(("record", record(id)))
            .bind(("reader", reader.to_owned()))
            .await?
            .check()?
            .take(0)?;
        row.map(Row::dashboard).transpose()
    }

    /// The dashboards `reader` owns and those shared with everyone, by name.
    pub async fn dashboards(&self, reader: &str) -> Result<Vec<DashboardSummary>, StoreError> {
        #[derive(Debug, SurrealValue)]
        struct Summary {
            id: String,
            name: String,
            owner: String,
            shared: bool,
            widgets: String,
            modified: String,
        }
        let rows: Vec<Summary> = self
            .db()
            .query(
                "SELECT record::id(id) AS id, name, owner, shared, widgets, modified FROM dashboard
                  WHERE owner = $reader OR shared = true ORDER BY name ASC",
            )
            .bind(("reader", reader.to_owned()))
            .await?
            .check()?
            .take(0)?;
        Ok(rows
            .into_iter()
            .map(|r| DashboardSummary {
                widgets: serde_json::from_str::<Vec<serde_json::Value>>(&r.widgets)
                    .map_or(0, |w| w.len() as u64),
                id: r.id,
                name: r.name,
                owner: r.owner,
                shared: r.shared,
                modified: r.modified,
            })
            .collect())
    }

    /// Saves a dashboard's name, sharing, period and widgets; only its owner
    /// may. `None` when `owner` cannot see such a dashboard.
    pub async fn save_dashboard(
        &self,
        owner: &str,
        dashboard: &Dashboard,
    ) -> Result<Option<Dashboard>, StoreError> {
        let name = crate::error::required_text("name", &dashboard.name, MAX_NAME_CHARS)?;
        check(&dashboard.widgets, &dashboard.period)?;
        let Some(stored) = self.dashboard(owner, &dashboard.id).await? else {
            return Ok(None);
        };
        if stored.owner != owner {
            return Err(not_owner());
        }
        self.db()
            .query(
                "UPDATE $record SET name = $name, shared = $shared, widgets = $widgets,
                        period = $period, modified = $at",
            )
            .bind(("record", record(&dashboard.id)))
            .bind(("name", name))
            .bind(("shared", dashboard.shared))
            .bind(("widgets", to_json(&dashboard.widgets)?))
            .bind(("period", dashboard.period.clone()))
            .bind(("at", now()))
            .await?
            .check()?;
        self.dashboard(owner, &dashboard.id).await
    }

    /// A copy of a dashboard `reader` can open, owned by `reader`, named `name`.
    pub async fn duplicate_dashboard(
        &self,
        reader: &str,
        id: &str,
        name: &str,
    ) -> Result<Option<Dashboard>, StoreError> {
        let Some(source) = self.dashboard(reader, id).await? else {
            return Ok(None);
        };
        self.create_dashboard(reader, name, &source.widgets, &source.period)
            .await
            .map(Some)
    }

    /// Deletes a dashboard; only its owner may. Returns whether there was one.
    pub async fn delete_dashboard(&self, owner: &str, id: &str) -> Result<bool, StoreError> {
        let Some(stored) = self.dashboard(owner, id).await? else {
            return Ok(false);
        };
        if stored.owner != owner {
            return Err(not_owner());
        }
        self.db()
            .query("DELETE $record")
            .bind(("record", record(id)))
            .await?
            .check()?;
        Ok(true)
    }

    /// A new dashboard for `owner` from an export file's JSON; the file is
    /// checked as a saved dashboard is, and nothing is created when it fails.
    pub async fn import_dashboard(&self, owner: &str, json: &str) -> Result<Dashboard, StoreError> {
        let file: DashboardFile = serde_json::from_str(json)
            .map_err(|e| invalid("file", format!("not a Cairn dashboard: {e}")))?;
        if file.format != cairn_model::dashboard::FILE_FORMAT || file.version != 1 {
            return Err(invalid(
                "file",
                format!(
                    "not a Cairn dashboard file (format {:?}, version {})",
                    file.format, file.version
                ),
            ));
        }
        self.create_dashboard(owner, &file.name, &file.widgets, &file.period)
            .await
    }
}

fn to_json(widgets: &[Widget]) -> Result<String, StoreError> {
    serde_json::to_string(widgets).map_err(|e| StoreError::Unreadable(e.to_string()))
}

fn not_owner() -> StoreError {
    invalid(
        "owner",
        "only the user who created this dashboard can change it",
    )
}
