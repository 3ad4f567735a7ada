// One widget of every kind that Cairn draws, as a dashboard export file:
// the Chromium benchmark times it and the screenshots show it.

/** One widget of every kind, as an export file. */
export function catalogue() {
  const q = (perspective, extra = {}) => ({ perspective, top: 10, ...extra });
  const kinds = [
    ["number", q("entities", { filter: { kinds: ["Intrusion-Set"] } })],
    ["list", q("entities", { filter: { kinds: ["Report"] } })],
    ["distribution", q("relationships", { group_by: "target", filter: { relationship_types: ["targets"], target_types: ["identity"], kinds: ["Sector"] } })],
    ["bars", q("relationships", { group_by: "relationship_type" })],
    ["horizontal_bars", q("relationships", { group_by: "source", filter: { source_types: ["intrusion-set"] } })],
    ["line", q("relationships", { interval: "month", date_field: "created" })],
    ["area", q("entities", { interval: "day" })],
    ["donut", q("entities", { group_by: "kind" })],
    ["heatmap", q("entities", { interval: "year", date_field: "created" })],
    ["treemap", q("entities", { group_by: "marking" })],
    ["timeline", q("entities", { filter: { kinds: ["Campaign"] } })],
    ["world_map", q("relationships", { group_by: "target", top: 100, filter: { relationship_types: ["targets"], target_types: ["location"], kinds: ["Country"] } })],
    ["text", null],
  ];
  return {
    format: "cairn-dashboard",
    version: 1,
    name: "Every widget kind",
    period: "all",
    widgets: kinds.map(([kind, series], i) => ({
      id: `w${i}`,
      title: kind,
      kind,
      series: series ? [series] : [],
      text: kind === "text" ? "Every widget kind, timed." : "",
      place: { x: (i % 3) * 4, y: Math.floor(i / 3) * 4, w: 4, h: 4 },
    })),
  };
}
