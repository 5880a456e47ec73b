//! CSV column mappings saved under a name, for next month's export from the same tool.

use sqlx::Row;

use super::{Ledger, WriteTx};
use crate::error::{Error, Field, Result};
use crate::import::mapping::Mapping;

impl WriteTx {
    /// Saves (or replaces) a named mapping.
    pub async fn save_import_preset(&mut self, name: &str, mapping: &Mapping) -> Result<()> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 60 {
            return Err(Error::invalid(Field::Name, name, "de 1 à 60 caractères"));
        }
        let json = serde_json::to_string(mapping).map_err(|e| Error::invalid(Field::Name, name, e.to_string()))?;
        let now = self.now;
        sqlx::query(
            "INSERT INTO import_presets (name, mapping, created_at, updated_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (name) DO UPDATE SET mapping = excluded.mapping, updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(json)
        .bind(now)
        .execute(self.conn())
        .await?;
        Ok(())
    }

    /// Deletes a named mapping; an unknown name is an error.
    pub async fn delete_import_preset(&mut self, name: &str) -> Result<()> {
        let done =
            sqlx::query("DELETE FROM import_presets WHERE name = $1").bind(name.trim()).execute(self.conn()).await?;
        if done.rows_affected() == 0 {
            return Err(unknown(name));
        }
        Ok(())
    }
}

impl Ledger {
    /// Saves (or replaces) a named mapping, in its own transaction.
    pub async fn save_import_preset(&self, name: &str, mapping: &Mapping) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.save_import_preset(name, mapping).await?;
        tx.commit().await
    }

    /// Deletes a named mapping.
    pub async fn delete_import_preset(&self, name: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.delete_import_preset(name).await?;
        tx.commit().await
    }

    /// A named mapping; an unknown name is an error listing the known ones.
    pub async fn import_preset(&self, name: &str) -> Result<Mapping> {
        let presets = self.import_presets().await?;
        presets
            .into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
            .map(|(_, m)| m)
            .ok_or_else(|| unknown(name))
    }

    /// Every saved mapping, by name.
    pub async fn import_presets(&self) -> Result<Vec<(String, Mapping)>> {
        let rows = sqlx::query("SELECT name, mapping FROM import_presets ORDER BY name").fetch_all(&self.pool).await?;
        let mut presets = Vec::with_capacity(rows.len());
        for row in rows {
            let name: String = row.try_get("name")?;
            let json: String = row.try_get("mapping")?;
            let mapping = serde_json::from_str(&json)
                .map_err(|e| super::rows::corrupt("import_presets.mapping", &format!("{json} ({e})")))?;
            presets.push((name, mapping));
        }
        Ok(presets)
    }
}

fn unknown(name: &str) -> Error {
    Error::invalid(Field::Name, name, "aucun préréglage d'import de ce nom (voir : recouvre import presets)")
}
