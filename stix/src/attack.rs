//! MITRE ATT&CK's tactics in matrix order (Enterprise, then the ICS-only
//! ones), so techniques can be shown column by column as the matrix does.

/// Tactic short names (`kill_chain_phases[].phase_name`) in matrix order.
pub const TACTICS: &[&str] = &[
    "reconnaissance",
    "resource-development",
    "initial-access",
    "execution",
    "persistence",
    "privilege-escalation",
    "defense-evasion",
    "evasion",
    "credential-access",
    "discovery",
    "lateral-movement",
    "collection",
    "command-and-control",
    "exfiltration",
    "inhibit-response-function",
    "impair-process-control",
    "impact",
    "network-effects",
    "remote-service-effects",
];

/// Where a phase sorts: known tactics in matrix order, others after them.
pub fn tactic_rank(phase_name: &str) -> usize {
    TACTICS
        .iter()
        .position(|t| *t == phase_name)
        .unwrap_or(TACTICS.len())
}

/// `command-and-control` → `Command and Control`, as ATT&CK writes it.
pub fn tactic_label(phase_name: &str) -> String {
    phase_name
        .split('-')
        .enumerate()
        .map(|(i, word)| match word {
            "and" | "or" | "of" if i > 0 => word.to_owned(),
            _ => {
                let mut chars = word.chars();
                chars.next().map_or_else(String::new, |c| {
                    c.to_uppercase().collect::<String>() + chars.as_str()
                })
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tactics_read_and_sort_as_in_the_matrix() {
        assert_eq!(tactic_label("command-and-control"), "Command and Control");
        assert_eq!(tactic_label("initial-access"), "Initial Access");
        assert!(tactic_rank("reconnaissance") < tactic_rank("impact"));
        assert!(tactic_rank("impact") < tactic_rank("made-up"));
    }
}
