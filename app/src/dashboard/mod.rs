//! Dashboards: typed ECharts bindings and the world map ([`echarts`]), chart
//! options built from the store's aggregates ([`options`]), a widget's view
//! for every kind ([`widget`]), the grid widgets are moved and resized on
//! ([`grid`]), the widget form ([`editor`]), the period picker ([`period`]),
//! the ATT&CK matrix ([`matrix`]), and the server functions ([`data`]).

pub mod data;
pub mod echarts;
pub mod editor;
pub mod grid;
pub mod matrix;
pub mod options;
pub mod period;
pub mod widget;
