//! One object's page in one call: its STIX JSON and links (one read of the
//! record), neighbours, containers and (for a container) contents, read
//! concurrently through the caller's scope. The server function and the
//! benchmark both use it, so the benchmark measures what the page costs.

use cairn_model::Entity;

use crate::connect::Store;
use crate::error::StoreError;
use crate::scope::Scope;

impl Store {
    /// The object's page, or `None` when the scope does not see it (exactly as
    /// when it does not exist). `limit` bounds the containers it lists and,
    /// for a container, the contents.
    pub async fn entity(
        &self,
        scope: &Scope,
        stix_id: &str,
        limit: u64,
    ) -> Result<Option<Entity>, StoreError> {
        let (object, neighbours, containers, contents) = tokio::try_join!(
            self.object_and_links(scope, stix_id),
            self.neighbours(scope, stix_id),
            self.containers_of(scope, stix_id, limit),
            self.contents_of(scope, stix_id, limit),
        )?;
        let Some((stix, links)) = object else {
            return Ok(None);
        };
        Ok(Some(Entity {
            stix,
            links,
            neighbours,
            containers,
            contents,
        }))
    }
}
