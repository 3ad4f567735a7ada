//! The navigation sections: Dashboard, custom dashboards, the registry's knowledge categories,
//! Investigations, Data and Settings. The shell and the pages both read this list.

use cairn_stix::{Category, Icon};

/// One top-level entry of the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Dashboard,
    /// Custom dashboards.
    Dashboards,
    Knowledge(Category),
    /// Saved graph workspaces.
    Investigations,
    Data,
    Settings,
}

/// The sub-pages of Data, with their display names.
pub const DATA_PAGES: &[(&str, &str)] = &[
    ("import", "Import"),
    ("works", "Works"),
    ("export", "Export"),
    ("trash", "Trash"),
];

impl Section {
    /// Every section in navigation order.
    pub fn all() -> impl Iterator<Item = Section> {
        [Section::Dashboard, Section::Dashboards]
            .into_iter()
            .chain(Category::ALL.into_iter().map(Section::Knowledge))
            .chain([Section::Investigations, Section::Data, Section::Settings])
    }

    pub fn label(self) -> &'static str {
        match self {
            Section::Dashboard => "Dashboard",
            Section::Dashboards => "Custom dashboards",
            Section::Knowledge(category) => category.label(),
            Section::Investigations => "Investigations",
            Section::Data => "Data",
            Section::Settings => "Settings",
        }
    }

    pub fn path(self) -> String {
        match self {
            Section::Dashboard => "/".to_owned(),
            Section::Dashboards => "/dashboards".to_owned(),
            Section::Knowledge(category) => format!("/{}", category.slug()),
            Section::Investigations => "/investigations".to_owned(),
            Section::Data => "/data".to_owned(),
            Section::Settings => "/settings".to_owned(),
        }
    }

    pub fn icon(self) -> Icon {
        match self {
            Section::Dashboard | Section::Dashboards => Icon::Dashboard,
            Section::Knowledge(category) => category.icon(),
            Section::Investigations => Icon::Investigation,
            Section::Data => Icon::Data,
            Section::Settings => Icon::Settings,
        }
    }

    /// The section a location path belongs to.
    pub fn of_path(path: &str) -> Option<Section> {
        let first = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or_default();
        match first {
            "" => Some(Section::Dashboard),
            "dashboards" => Some(Section::Dashboards),
            // The ATT&CK matrix of the base belongs with the techniques.
            "matrix" => Some(Section::Knowledge(Category::Techniques)),
            "investigations" => Some(Section::Investigations),
            "data" => Some(Section::Data),
            "settings" => Some(Section::Settings),
            slug => Category::from_slug(slug).map(Section::Knowledge),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_navigation_follows_opencti_categories() {
        let labels: Vec<_> = Section::all().map(Section::label).collect();
        assert_eq!(
            labels,
            [
                "Dashboard",
                "Custom dashboards",
                "Analyses",
                "Cases",
                "Events",
                "Observations",
                "Threats",
                "Arsenal",
                "Techniques",
                "Entities",
                "Locations",
                "Investigations",
                "Data",
                "Settings"
            ]
        );
    }

    #[test]
    fn paths_map_back_to_their_section() {
        for section in Section::all() {
            assert_eq!(Section::of_path(&section.path()), Some(section));
        }
        assert_eq!(
            Section::of_path("/threats/intrusion-sets"),
            Some(Section::Knowledge(Category::Threats))
        );
        assert_eq!(Section::of_path("/data/import"), Some(Section::Data));
        assert_eq!(Section::of_path("/nowhere"), None);
    }
}
