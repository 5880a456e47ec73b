//! The rate table in the ledger: refreshed from the shipped file when the app changes, extended by
//! files the user imports.

use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

use super::Ledger;
use crate::error::Result;
use crate::law::rates::{self, RateEntry, RateTable};

/// Where a rate line came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateOrigin {
    /// The file shipped with this version of Recouvre.
    Shipped,
    /// A file the user imported.
    Imported,
}

/// A line of the stored table.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StoredRate {
    /// The fact.
    #[serde(flatten)]
    pub entry: RateEntry,
    /// Where it came from.
    pub origin: RateOrigin,
}

/// What an import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct RateImport {
    /// Lines the table did not have.
    pub added: usize,
    /// Lines whose value or source changed.
    pub changed: usize,
    /// Lines already there, identical.
    pub unchanged: usize,
}

const SHIPPED_KEY: &str = "shipped_rates_sha256";

async fn upsert(conn: &mut SqliteConnection, entry: &RateEntry, origin: RateOrigin, now: &str) -> Result<()> {
    let (origin_text, overwrite) = match origin {
        RateOrigin::Shipped => ("shipped", "WHERE rate_entries.origin = 'shipped'"),
        RateOrigin::Imported => ("imported", ""),
    };
    let sql = format!(
        "INSERT INTO rate_entries (kind, key, value, source, origin, loaded_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (kind, key) DO UPDATE SET value = excluded.value, source = excluded.source, \
             origin = excluded.origin, loaded_at = excluded.loaded_at {overwrite}"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(entry.kind.as_str())
        .bind(entry.key.to_string())
        .bind(entry.value.map(|v| v.to_string()))
        .bind(&entry.source)
        .bind(origin_text)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

impl Ledger {
    /// Loads the shipped rate file into the ledger when this build's file differs from the one last
    /// loaded. Imported lines are kept.
    pub(super) async fn sync_shipped_rates(&self) -> Result<()> {
        let hash = hex::encode(Sha256::digest(rates::SHIPPED.as_bytes()));
        let known: Option<String> = sqlx::query_scalar("SELECT value FROM ledger_meta WHERE key = $1")
            .bind(SHIPPED_KEY)
            .fetch_optional(&self.pool)
            .await?;
        if known.as_deref() == Some(hash.as_str()) {
            return Ok(());
        }
        let entries = rates::parse(rates::SHIPPED, "data/rates.csv")?;
        let mut tx = self.begin().await?;
        let now = tx.now.to_rfc3339();
        for entry in &entries {
            upsert(tx.conn(), entry, RateOrigin::Shipped, &now).await?;
        }
        sqlx::query("INSERT INTO ledger_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(SHIPPED_KEY)
            .bind(&hash)
            .execute(tx.conn())
            .await?;
        tx.commit().await
    }

    /// Every line of the rate table, by kind then key.
    pub async fn rate_entries(&self) -> Result<Vec<StoredRate>> {
        let rows: Vec<(String, String, Option<String>, String, String)> =
            sqlx::query_as("SELECT kind, key, value, source, origin FROM rate_entries ORDER BY kind, key")
                .fetch_all(&self.pool)
                .await?;
        // Stored lines are re-read through the file parser: one definition of what a valid line is.
        let mut csv = String::from("kind,key,value,source\n");
        let mut origins = Vec::with_capacity(rows.len());
        for (kind, key, value, source, origin) in &rows {
            let mut writer = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
            writer
                .write_record([kind.as_str(), key.as_str(), value.as_deref().unwrap_or(""), source.as_str()])
                .map_err(|e| super::rows::corrupt("rate_entries", &e.to_string()))?;
            csv.push_str(&String::from_utf8_lossy(&writer.into_inner().unwrap_or_default()));
            origins.push(if origin == "imported" { RateOrigin::Imported } else { RateOrigin::Shipped });
        }
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let entries = rates::parse(&csv, "registre")?;
        Ok(entries.into_iter().zip(origins).map(|(entry, origin)| StoredRate { entry, origin }).collect())
    }

    /// The rate table the engine uses.
    pub async fn rate_table(&self) -> Result<RateTable> {
        let entries: Vec<RateEntry> = self.rate_entries().await?.into_iter().map(|s| s.entry).collect();
        Ok(RateTable::new(&entries))
    }

    /// Imports a rate file (already parsed, so every line is valid): all lines or none.
    pub async fn import_rates(&self, entries: &[RateEntry]) -> Result<RateImport> {
        let current = self.rate_entries().await?;
        let mut summary = RateImport::default();
        let mut tx = self.begin().await?;
        let now = tx.now.to_rfc3339();
        for entry in entries {
            match current.iter().find(|s| s.entry.kind == entry.kind && s.entry.key == entry.key) {
                None => summary.added += 1,
                Some(s) if s.entry == *entry => summary.unchanged += 1,
                Some(_) => summary.changed += 1,
            }
            upsert(tx.conn(), entry, RateOrigin::Imported, &now).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }
}
