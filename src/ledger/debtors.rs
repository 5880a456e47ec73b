//! Debtors.

use sqlx::{AssertSqlSafe, QueryBuilder, Sqlite, SqliteConnection};

use super::rows::{self, DEBTOR_COLUMNS};
use super::{Ledger, WriteTx};
use crate::error::{Error, Result};
use crate::parties::{Debtor, DebtorDetails, DebtorForm};

impl Ledger {
    /// One debtor.
    pub async fn debtor(&self, id: i64) -> Result<Debtor> {
        load(&mut *self.pool.acquire().await?, id).await
    }
}

impl WriteTx {
    /// Records a new debtor from a typed form.
    pub async fn add_debtor(&mut self, form: &DebtorForm) -> Result<Debtor> {
        let details = form.create()?;
        self.add_debtor_details(&details).await
    }

    /// Records a validated debtor (demo data, imports, benchmarks).
    pub async fn add_debtor_details(&mut self, details: &DebtorDetails) -> Result<Debtor> {
        let now = self.now;
        let id = insert(self.conn(), details, now).await?;
        load(self.conn(), id).await
    }

    /// Applies typed changes to a debtor.
    pub async fn edit_debtor(&mut self, id: i64, form: &DebtorForm) -> Result<Debtor> {
        let current = load(self.conn(), id).await?;
        let details = form.apply(DebtorDetails::from(&current))?;
        let now = self.now;
        sqlx::query(
            "UPDATE debtors SET kind = $1, name = $2, siren = $3, contact_name = $4, address_lines = $5, \
                 postcode = $6, city = $7, country = $8, email = $9, phone = $10, segment = $11, notes = $12, \
                 updated_at = $13, contract_penalty_rate = $15 \
             WHERE id = $14",
        )
        .bind(details.kind.as_str())
        .bind(&details.name)
        .bind(&details.siren)
        .bind(&details.contact_name)
        .bind(details.address.lines_text())
        .bind(&details.address.postcode)
        .bind(&details.address.city)
        .bind(&details.address.country)
        .bind(&details.email)
        .bind(&details.phone)
        .bind(details.segment.as_str())
        .bind(&details.notes)
        .bind(now)
        .bind(id)
        .bind(details.contract_penalty_rate.map(|r| r.to_string()))
        .execute(self.conn())
        .await?;
        load(self.conn(), id).await
    }

    /// Records many validated debtors (benchmarks, imports); returns their ids in order. Multi-row
    /// inserts: a file of thousands of clients is a few round trips, not thousands.
    pub async fn add_debtors(&mut self, debtors: &[DebtorDetails]) -> Result<Vec<i64>> {
        let now = self.now;
        let mut ids = Vec::with_capacity(debtors.len());
        // 14 parameters a row: 256 rows stay far below SQLite's 32 766.
        for chunk in debtors.chunks(256) {
            let mut insert: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO debtors (kind, name, siren, contact_name, address_lines, postcode, city, country, email, \
                     phone, segment, notes, created_at, updated_at, contract_penalty_rate) ",
            );
            insert.push_values(chunk, |mut b, d| {
                b.push_bind(d.kind.as_str())
                    .push_bind(d.name.clone())
                    .push_bind(d.siren.clone())
                    .push_bind(d.contact_name.clone())
                    .push_bind(d.address.lines_text())
                    .push_bind(d.address.postcode.clone())
                    .push_bind(d.address.city.clone())
                    .push_bind(d.address.country.clone())
                    .push_bind(d.email.clone())
                    .push_bind(d.phone.clone())
                    .push_bind(d.segment.as_str())
                    .push_bind(d.notes.clone())
                    .push_bind(now)
                    .push_bind(now)
                    .push_bind(d.contract_penalty_rate.map(|r| r.to_string()));
            });
            insert.push(" RETURNING id");
            // RETURNING's order is unspecified, but rowids are handed out in insertion order.
            let mut chunk_ids: Vec<i64> = insert.build_query_scalar().fetch_all(self.conn()).await?;
            chunk_ids.sort_unstable();
            ids.extend(chunk_ids);
        }
        Ok(ids)
    }
}

async fn insert(conn: &mut SqliteConnection, d: &DebtorDetails, now: chrono::DateTime<chrono::Utc>) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO debtors (kind, name, siren, contact_name, address_lines, postcode, city, country, email, \
             phone, segment, notes, created_at, updated_at, contract_penalty_rate) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id",
    )
    .bind(d.kind.as_str())
    .bind(&d.name)
    .bind(&d.siren)
    .bind(&d.contact_name)
    .bind(d.address.lines_text())
    .bind(&d.address.postcode)
    .bind(&d.address.city)
    .bind(&d.address.country)
    .bind(&d.email)
    .bind(&d.phone)
    .bind(d.segment.as_str())
    .bind(&d.notes)
    .bind(now)
    .bind(d.contract_penalty_rate.map(|r| r.to_string()))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub(super) async fn load(conn: &mut SqliteConnection, id: i64) -> Result<Debtor> {
    let sql = format!("SELECT {DEBTOR_COLUMNS} FROM debtors WHERE id = $1");
    let row = sqlx::query(AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *conn).await?;
    row.as_ref().map(rows::debtor).transpose()?.ok_or(Error::UnknownDebtor(id))
}
