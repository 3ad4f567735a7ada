//! The audit log: sign-ins (and failed attempts), sign-outs, changes to users,
//! groups, roles and tokens, exports, and every knowledge change (read from
//! the history, where imports and edits already record who changed what).

use cairn_model::access::{AuditEntry, AuditFilter};
use surrealdb::types::SurrealValue;

use crate::connect::Store;
use crate::error::StoreError;

impl Store {
    /// Records one event.
    pub async fn audit(
        &self,
        user: Option<&str>,
        action: &str,
        target: Option<&str>,
        details: Option<&str>,
        address: Option<&str>,
    ) -> Result<(), StoreError> {
        self.db()
            .query(
                "CREATE audit CONTENT {
                     user: $user, action: $action, target: $target, details: $details, address: $address
                 } RETURN NONE",
            )
            .bind(("user", user.map(str::to_owned)))
            .bind(("action", action.to_owned()))
            .bind(("target", target.map(str::to_owned)))
            .bind(("details", details.map(str::to_owned)))
            .bind(("address", address.map(str::to_owned)))
            .await?
            .check()?;
        Ok(())
    }

    /// The latest `limit` entries matching `filter`, newest first: the audit
    /// table and the knowledge history, merged.
    pub async fn audit_log(
        &self,
        filter: &AuditFilter,
        limit: u64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let condition = "($user = NONE OR user = $user)
            AND ($action = NONE OR action = $action OR (string::ends_with($action, '.') AND string::starts_with(action, $action)))
            AND ($from = NONE OR at >= <datetime> $from)
            AND ($to = NONE OR at < <datetime> $to)
            AND ($text = NONE OR string::contains(string::lowercase(target ?? ''), $text)
                 OR string::contains(string::lowercase(details ?? ''), $text))";
        let query = format!(
            "SELECT * FROM (
                 SELECT at, user, action, target, details, address FROM audit
             ) WHERE {condition} ORDER BY at DESC LIMIT $limit;
             SELECT * FROM (
                 SELECT at, user, 'knowledge.' + action AS action, object AS target,
                        IF array::len(fields ?? []) > 0 {{ type + ': ' + array::join(fields, ', ') }} ELSE {{ type }} AS details,
                        NONE AS address
                   FROM history
             ) WHERE {condition} ORDER BY at DESC LIMIT $limit;"
        );
        #[derive(SurrealValue)]
        struct Row {
            at: surrealdb::types::Datetime,
            user: Option<String>,
            action: String,
            target: Option<String>,
            details: Option<String>,
            address: Option<String>,
        }
        let mut response = self
            .db()
            .query(query)
            .bind(("user", filter.user.clone()))
            .bind(("action", filter.action.clone()))
            .bind(("from", filter.from.clone()))
            .bind(("to", filter.to.clone()))
            .bind(("text", filter.text.as_ref().map(|t| t.to_lowercase())))
            .bind(("limit", limit as i64))
            .await?
            .check()?;
        let mut rows: Vec<Row> = response.take(0)?;
        let history: Vec<Row> = response.take(1)?;
        rows.extend(history);
        rows.sort_by_key(|r| std::cmp::Reverse(r.at));
        rows.truncate(limit as usize);
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                at: r.at.to_string(),
                user: r.user,
                action: r.action,
                target: r.target,
                details: r.details,
                address: r.address,
            })
            .collect())
    }
}
