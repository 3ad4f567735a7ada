//! Runs SurrealQL against a Cairn store and prints the answer, for looking at
//! query plans (`EXPLAIN`) and timings on a large store while tuning reads.
//!
//! `cargo run --release -p cairn-store --example sql -- surrealkv://DIR 'SELECT …' [ID] [REPEAT]`
//!
//! `ID` is bound as `$id` (its `object` record) and `$sid` (the string); the
//! query runs `REPEAT` times in one process (warm caches), each timed.

use std::time::Instant;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(sql)) = (args.next(), args.next()) else {
        eprintln!("usage: sql STORE_URL 'SURREALQL' [id] [repeat]");
        std::process::exit(2);
    };
    let id = args.next().filter(|id| !id.is_empty());
    let repeat: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(1);
    let db = surrealdb::engine::any::connect(url).await?;
    db.use_ns("cairn").use_db("cairn").await?;
    for round in 0..repeat {
        let start = Instant::now();
        let mut query = db.query(sql.as_str());
        if let Some(id) = &id {
            query = query
                .bind(("id", surrealdb::types::RecordId::new("object", id.as_str())))
                .bind(("sid", id.clone()));
        }
        let mut response = query.await?;
        let elapsed = start.elapsed();
        if round + 1 == repeat {
            for i in 0..response.num_statements() {
                let value: surrealdb::types::Value = response.take(i)?;
                let text = format!("{value:?}");
                println!("[{i}] {}", &text[..text.len().min(3000)]);
            }
        }
        println!("{:.1} ms", elapsed.as_secs_f64() * 1e3);
    }
    Ok(())
}
