//! The creditor profile: one row.

use rust_decimal::Decimal;
use sqlx::{Row, SqliteConnection};
use std::str::FromStr;

use super::rows::corrupt;
use super::{Ledger, WriteTx};
use crate::error::{Error, Result};
use crate::parties::{CreditorProfile, LatePenaltyClause, ProfileForm};
use crate::receivables::invoice::NewAttachment;

impl Ledger {
    /// The creditor profile, if it was filled in.
    pub async fn profile(&self) -> Result<Option<CreditorProfile>> {
        load(&mut *self.pool.acquire().await?).await
    }

    /// The default payment term (30 days until a profile says otherwise).
    pub async fn payment_term_days(&self) -> Result<u32> {
        Ok(payment_term(self.profile().await?.as_ref()))
    }
}

/// The default payment term a profile gives: 30 days until one says otherwise.
pub(super) fn payment_term(profile: Option<&CreditorProfile>) -> u32 {
    profile.map_or(30, |p| p.payment_term_days)
}

impl WriteTx {
    /// Applies the typed changes to the profile, creating it the first time.
    pub async fn update_profile(&mut self, form: &ProfileForm) -> Result<CreditorProfile> {
        let current = load(self.conn()).await?;
        let p = form.apply(current)?;
        let now = self.now;
        save(self.conn(), &p, now).await?;
        Ok(p)
    }

    /// The creditor profile as this transaction sees it.
    pub(super) async fn profile(&mut self) -> Result<Option<CreditorProfile>> {
        load(self.conn()).await
    }

    /// The default payment term as this transaction sees it.
    pub(super) async fn payment_term_days(&mut self) -> Result<u32> {
        Ok(payment_term(self.profile().await?.as_ref()))
    }
}

async fn load(conn: &mut SqliteConnection) -> Result<Option<CreditorProfile>> {
    let row = sqlx::query("SELECT * FROM creditor_profile WHERE id = 1").fetch_optional(&mut *conn).await?;
    let Some(row) = row else { return Ok(None) };
    let rate: Option<String> = row.try_get("late_penalty_rate")?;
    let late_penalty = match rate {
        None => LatePenaltyClause::LegalDefault,
        Some(text) => {
            LatePenaltyClause::Rate(Decimal::from_str(&text).map_err(|_| corrupt("late_penalty_rate", &text))?)
        }
    };
    let term: i64 = row.try_get("payment_term_days")?;
    Ok(Some(CreditorProfile {
        legal_name: row.try_get("legal_name")?,
        legal_form: row.try_get("legal_form")?,
        siren: row.try_get("siren")?,
        siret: row.try_get("siret")?,
        vat_number: row.try_get("vat_number")?,
        rcs_city: row.try_get("rcs_city")?,
        address: super::rows::address(&row)?,
        email: row.try_get("email")?,
        phone: row.try_get("phone")?,
        iban: row.try_get("iban")?,
        bic: row.try_get("bic")?,
        signatory_name: row.try_get("signatory_name")?,
        signatory_title: row.try_get("signatory_title")?,
        late_penalty,
        payment_term_days: u32::try_from(term).map_err(|_| corrupt("payment_term_days", &term.to_string()))?,
        interest_options: {
            let basis: String = row.try_get("day_basis")?;
            let imputation: String = row.try_get("imputation")?;
            crate::law::interest::Options {
                day_basis: crate::law::interest::DayBasis::parse(&basis).map_err(|_| corrupt("day_basis", &basis))?,
                imputation: crate::law::interest::Imputation::parse(&imputation)
                    .map_err(|_| corrupt("imputation", &imputation))?,
            }
        },
    }))
}

async fn save(conn: &mut SqliteConnection, p: &CreditorProfile, now: chrono::DateTime<chrono::Utc>) -> Result<()> {
    sqlx::query(
        "INSERT INTO creditor_profile (id, legal_name, legal_form, siren, siret, vat_number, rcs_city, \
                 address_lines, postcode, city, country, email, phone, iban, bic, signatory_name, \
                 signatory_title, late_penalty_rate, payment_term_days, updated_at, day_basis, imputation) \
             VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21) \
             ON CONFLICT (id) DO UPDATE SET legal_name = excluded.legal_name, legal_form = excluded.legal_form, \
                 siren = excluded.siren, siret = excluded.siret, vat_number = excluded.vat_number, \
                 rcs_city = excluded.rcs_city, address_lines = excluded.address_lines, \
                 postcode = excluded.postcode, city = excluded.city, country = excluded.country, \
                 email = excluded.email, phone = excluded.phone, iban = excluded.iban, bic = excluded.bic, \
                 signatory_name = excluded.signatory_name, signatory_title = excluded.signatory_title, \
                 late_penalty_rate = excluded.late_penalty_rate, \
                 payment_term_days = excluded.payment_term_days, updated_at = excluded.updated_at, \
                 day_basis = excluded.day_basis, imputation = excluded.imputation",
    )
    .bind(&p.legal_name)
    .bind(&p.legal_form)
    .bind(&p.siren)
    .bind(&p.siret)
    .bind(&p.vat_number)
    .bind(&p.rcs_city)
    .bind(p.address.lines_text())
    .bind(&p.address.postcode)
    .bind(&p.address.city)
    .bind(&p.address.country)
    .bind(&p.email)
    .bind(&p.phone)
    .bind(&p.iban)
    .bind(&p.bic)
    .bind(&p.signatory_name)
    .bind(&p.signatory_title)
    .bind(p.late_penalty.to_stored())
    .bind(i64::from(p.payment_term_days))
    .bind(now)
    .bind(p.interest_options.day_basis.as_str())
    .bind(p.interest_options.imputation.as_str())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

impl Ledger {
    /// Sets the creditor's logo (a PNG, checked by decoding it), or removes it (one transaction).
    pub async fn set_logo(&self, logo: Option<&NewAttachment>) -> Result<()> {
        if self.profile().await?.is_none() {
            return Err(Error::NoProfile);
        }
        let mut tx = self.begin().await?;
        let sha256 = match logo {
            Some(file) => {
                crate::documents::logo::Logo::from_png(&file.file_name, &file.bytes)?;
                let now = tx.now;
                Some(super::invoices::store_attachment(tx.conn(), file, now).await?)
            }
            None => None,
        };
        sqlx::query("UPDATE creditor_profile SET logo_sha256 = $1 WHERE id = 1")
            .bind(sha256)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The creditor's logo, decoded, if one was set.
    pub async fn logo(&self) -> Result<Option<std::sync::Arc<crate::documents::logo::Logo>>> {
        let bytes: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT a.content FROM creditor_profile p JOIN attachments a ON a.sha256 = p.logo_sha256 WHERE p.id = 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        bytes.map(|b| crate::documents::logo::Logo::from_png("logo", &b)).transpose()
    }
}
