//! The parties: the creditor (our user's own business, its profile) and its debtors.
//!
//! Forms hold what a user typed (strings, every field optional so the same form serves creation
//! and edition); `apply` checks every rule and yields a validated record, or the first error with
//! the field and the value.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Field, Result};
use crate::identifiers;

/// Which law applies to a debtor: the late-payment rules of the Code de commerce for a
/// professional, the Code civil and the Code de la consommation for a consumer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DebtorKind {
    /// A business or a professional acting for their business (B2B).
    Professionnel,
    /// A private individual (B2C).
    Consommateur,
}

impl DebtorKind {
    /// Stable key, as stored and as typed in the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            DebtorKind::Professionnel => "professionnel",
            DebtorKind::Consommateur => "consommateur",
        }
    }

    /// Reads the stable key (also `pro` / `particulier` / `b2b` / `b2c`, as people say it).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "professionnel" | "pro" | "b2b" | "entreprise" => Ok(DebtorKind::Professionnel),
            "consommateur" | "particulier" | "b2c" => Ok(DebtorKind::Consommateur),
            _ => Err(Error::invalid(Field::DebtorKind, text, "valeurs possibles : professionnel, consommateur")),
        }
    }
}

/// How the creditor values the relationship; it later picks the reminder scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Segment {
    /// A new client: no payment history yet.
    Nouveau,
    /// A regular client.
    Regulier,
    /// A client the business depends on.
    Strategique,
}

impl Segment {
    /// Stable key, as stored and as typed in the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Segment::Nouveau => "nouveau",
            Segment::Regulier => "regulier",
            Segment::Strategique => "strategique",
        }
    }

    /// Reads the stable key (accents tolerated).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "nouveau" => Ok(Segment::Nouveau),
            "regulier" | "régulier" => Ok(Segment::Regulier),
            "strategique" | "stratégique" => Ok(Segment::Strategique),
            _ => Err(Error::invalid(Field::Segment, text, "valeurs possibles : nouveau, regulier, strategique")),
        }
    }
}

/// A postal address as La Poste wants it on an envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PostalAddress {
    /// Street lines (number and street, building, PO box), top to bottom; at most 4.
    pub lines: Vec<String>,
    /// Postcode (5 digits in France).
    pub postcode: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
}

impl PostalAddress {
    /// Lines joined by newlines, as stored.
    pub fn lines_text(&self) -> String {
        self.lines.join("\n")
    }

    /// Splits stored or typed lines (newlines or ` | ` separate them).
    pub fn split_lines(text: &str) -> Vec<String> {
        text.split(['\n', '|']).map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect()
    }

    fn check(&self) -> Result<()> {
        if self.lines.len() > 4 {
            return Err(Error::invalid(Field::Address, self.lines.join(" | "), "4 lignes au plus (norme postale)"));
        }
        if let Some(line) = self.lines.iter().find(|l| l.chars().count() > 38) {
            return Err(Error::invalid(
                Field::Address,
                line,
                "38 caractères au plus par ligne (norme postale NF Z 10-011)",
            ));
        }
        if self.country == "FR" && !self.postcode.is_empty() {
            identifiers::french_postcode(&self.postcode)
                .map_err(|reason| Error::invalid(Field::Postcode, &self.postcode, reason))?;
        }
        Ok(())
    }
}

/// A debtor as recorded in the ledger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Debtor {
    /// Ledger identifier.
    pub id: i64,
    /// Professional or consumer.
    pub kind: DebtorKind,
    /// Company name, or first and last name of a person.
    pub name: String,
    /// SIREN, when the debtor is a French business.
    pub siren: Option<String>,
    /// Person to talk to.
    pub contact_name: Option<String>,
    /// Postal address.
    pub address: PostalAddress,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Relationship segment.
    pub segment: Segment,
    /// Free notes.
    pub notes: String,
    /// Penalty rate stipulated in this debtor's contract (percent a year): overrides the terms of
    /// sale for a business, replaces the legal rate for a consumer.
    pub contract_penalty_rate: Option<Decimal>,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// The user-editable part of a debtor, validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DebtorDetails {
    /// Professional or consumer.
    pub kind: DebtorKind,
    /// Name.
    pub name: String,
    /// SIREN (9 digits, Luhn-checked).
    pub siren: Option<String>,
    /// Person to talk to.
    pub contact_name: Option<String>,
    /// Postal address.
    pub address: PostalAddress,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Segment.
    pub segment: Segment,
    /// Notes.
    pub notes: String,
    /// Contractual penalty rate (percent a year).
    pub contract_penalty_rate: Option<Decimal>,
}

impl From<&Debtor> for DebtorDetails {
    fn from(d: &Debtor) -> Self {
        DebtorDetails {
            kind: d.kind,
            name: d.name.clone(),
            siren: d.siren.clone(),
            contact_name: d.contact_name.clone(),
            address: d.address.clone(),
            email: d.email.clone(),
            phone: d.phone.clone(),
            segment: d.segment,
            notes: d.notes.clone(),
            contract_penalty_rate: d.contract_penalty_rate,
        }
    }
}

/// A debtor as typed: every field optional; `None` leaves it as it was, an empty string clears an
/// optional field.
#[derive(Debug, Clone, Default)]
#[allow(missing_docs)] // Same fields as `DebtorDetails`, as text.
pub struct DebtorForm {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub siren: Option<String>,
    pub contact_name: Option<String>,
    pub address_lines: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub segment: Option<String>,
    pub notes: Option<String>,
    /// A rate in percent, or an empty string to remove it.
    pub contract_penalty_rate: Option<String>,
}

/// `Some("")` clears, `Some(x)` sets, `None` keeps.
fn merge_optional(current: Option<String>, typed: Option<&String>) -> Option<String> {
    match typed.map(|t| t.trim()) {
        None => current,
        Some("") => None,
        Some(t) => Some(t.to_owned()),
    }
}

fn merge_required(current: String, typed: Option<&String>) -> String {
    typed.map(|t| t.trim().to_owned()).unwrap_or(current)
}

impl DebtorForm {
    /// Validates a new debtor: kind and name are required.
    pub fn create(&self) -> Result<DebtorDetails> {
        let kind = self
            .kind
            .as_deref()
            .ok_or_else(|| Error::invalid(Field::DebtorKind, "", "obligatoire : professionnel ou consommateur"))
            .and_then(DebtorKind::parse)?;
        let blank = DebtorDetails {
            kind,
            name: String::new(),
            siren: None,
            contact_name: None,
            address: PostalAddress { country: "FR".into(), ..PostalAddress::default() },
            email: None,
            phone: None,
            segment: Segment::Nouveau,
            notes: String::new(),
            contract_penalty_rate: None,
        };
        self.apply(blank)
    }

    /// Applies the typed changes to a debtor's details and checks every rule.
    pub fn apply(&self, current: DebtorDetails) -> Result<DebtorDetails> {
        let kind = match &self.kind {
            Some(k) => DebtorKind::parse(k)?,
            None => current.kind,
        };
        let segment = match &self.segment {
            Some(s) => Segment::parse(s)?,
            None => current.segment,
        };
        let name = merge_required(current.name, self.name.as_ref());
        if name.is_empty() {
            return Err(Error::invalid(Field::Name, name, "le nom du débiteur est obligatoire"));
        }
        if name.chars().count() > 200 {
            return Err(Error::invalid(Field::Name, name, "200 caractères au plus"));
        }
        let siren = merge_optional(current.siren, self.siren.as_ref())
            .map(|s| identifiers::siren(&s).map_err(|reason| Error::invalid(Field::Siren, s, reason)))
            .transpose()?;
        let email = merge_optional(current.email, self.email.as_ref())
            .map(|e| identifiers::email(&e).map_err(|reason| Error::invalid(Field::Email, e, reason)))
            .transpose()?;
        let country = merge_required(current.address.country, self.country.as_ref());
        let country =
            identifiers::country_code(&country).map_err(|reason| Error::invalid(Field::Country, &country, reason))?;
        let address = PostalAddress {
            lines: match &self.address_lines {
                Some(text) => PostalAddress::split_lines(text),
                None => current.address.lines,
            },
            postcode: merge_required(current.address.postcode, self.postcode.as_ref()),
            city: merge_required(current.address.city, self.city.as_ref()),
            country,
        };
        address.check()?;
        Ok(DebtorDetails {
            kind,
            name,
            siren,
            contact_name: merge_optional(current.contact_name, self.contact_name.as_ref()),
            address,
            email,
            phone: merge_optional(current.phone, self.phone.as_ref()),
            segment,
            notes: merge_required(current.notes, self.notes.as_ref()),
            contract_penalty_rate: match self.contract_penalty_rate.as_deref().map(str::trim) {
                None => current.contract_penalty_rate,
                Some("") => None,
                Some(text) => match LatePenaltyClause::parse(text)? {
                    LatePenaltyClause::Rate(rate) => Some(rate),
                    LatePenaltyClause::LegalDefault => None,
                },
            },
        })
    }
}

/// The late-payment clause of the creditor's terms of sale (conditions générales de vente).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "rate_percent", rename_all = "snake_case")]
pub enum LatePenaltyClause {
    /// No rate stated: the legal default applies (for businesses, the ECB rate + 10 points).
    LegalDefault,
    /// A yearly rate in percent stated in the terms of sale (e.g. `15.00`).
    Rate(Decimal),
}

impl LatePenaltyClause {
    /// Reads `legal` / `legal-default` / `defaut`, or a percentage such as `15`, `12,5` or `12.5 %`.
    pub fn parse(text: &str) -> Result<Self> {
        let trimmed = text.trim().trim_end_matches('%').trim();
        if matches!(trimmed.to_lowercase().as_str(), "legal" | "legal-default" | "légal" | "defaut" | "défaut") {
            return Ok(LatePenaltyClause::LegalDefault);
        }
        let rate = crate::money::parse_amount(trimmed).map_err(|e| {
            Error::invalid(Field::PenaltyRate, text, format!("{e} ; ou « legal » pour le taux légal par défaut"))
        })?;
        if rate <= Decimal::ZERO || rate > Decimal::ONE_HUNDRED {
            return Err(Error::invalid(
                Field::PenaltyRate,
                text,
                "un taux annuel en pourcentage, supérieur à 0 et au plus 100",
            ));
        }
        Ok(LatePenaltyClause::Rate(rate))
    }

    /// `legal` or the rate as a plain number (`15.00`), as stored.
    pub fn to_stored(self) -> Option<String> {
        match self {
            LatePenaltyClause::LegalDefault => None,
            LatePenaltyClause::Rate(r) => Some(crate::money::to_plain(r)),
        }
    }
}

/// The creditor: our user's own business, as it appears on every letter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CreditorProfile {
    /// Raison sociale, or the freelancer's name.
    pub legal_name: String,
    /// SARL, SAS, EI, micro-entreprise…
    pub legal_form: Option<String>,
    /// SIREN.
    pub siren: Option<String>,
    /// SIRET of the establishment that invoices (its first 9 digits are the SIREN).
    pub siret: Option<String>,
    /// Intra-community VAT number.
    pub vat_number: Option<String>,
    /// City of the trade register (RCS) where the company is registered.
    pub rcs_city: Option<String>,
    /// Postal address.
    pub address: PostalAddress,
    /// E-mail.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// IBAN where debtors pay (electronic form).
    pub iban: Option<String>,
    /// BIC of that account.
    pub bic: Option<String>,
    /// Who signs the letters.
    pub signatory_name: Option<String>,
    /// Their title (Gérante, Président…).
    pub signatory_title: Option<String>,
    /// The late-payment clause of the terms of sale.
    pub late_penalty: LatePenaltyClause,
    /// Default payment term in days, used when an invoice comes without a due date.
    pub payment_term_days: u32,
    /// How interest is computed and payments imputed.
    pub interest_options: crate::law::interest::Options,
}

/// The creditor profile as typed; `None` keeps, an empty string clears an optional field.
#[derive(Debug, Clone, Default)]
#[allow(missing_docs)] // Same fields as `CreditorProfile`, as text.
pub struct ProfileForm {
    pub legal_name: Option<String>,
    pub legal_form: Option<String>,
    pub siren: Option<String>,
    pub siret: Option<String>,
    pub vat_number: Option<String>,
    pub rcs_city: Option<String>,
    pub address_lines: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub signatory_name: Option<String>,
    pub signatory_title: Option<String>,
    pub late_penalty: Option<String>,
    pub payment_term_days: Option<String>,
    pub day_basis: Option<String>,
    pub imputation: Option<String>,
}

/// Longest payment term the law allows (60 days from the invoice date, C. com. L441-10 I).
pub const MAX_PAYMENT_TERM_DAYS: u32 = 60;

impl ProfileForm {
    /// Applies the typed changes to the current profile (or to a blank one) and checks every rule.
    pub fn apply(&self, current: Option<CreditorProfile>) -> Result<CreditorProfile> {
        let current = current.unwrap_or_else(|| CreditorProfile {
            legal_name: String::new(),
            legal_form: None,
            siren: None,
            siret: None,
            vat_number: None,
            rcs_city: None,
            address: PostalAddress { country: "FR".into(), ..PostalAddress::default() },
            email: None,
            phone: None,
            iban: None,
            bic: None,
            signatory_name: None,
            signatory_title: None,
            late_penalty: LatePenaltyClause::LegalDefault,
            payment_term_days: 30,
            interest_options: crate::law::interest::Options::default(),
        });
        let legal_name = merge_required(current.legal_name, self.legal_name.as_ref());
        if legal_name.is_empty() {
            return Err(Error::invalid(Field::LegalName, "", "la raison sociale (ou votre nom) est obligatoire"));
        }
        let check = |field: Field, value: Option<String>, rule: fn(&str) -> Result<String, String>| {
            value.map(|v| rule(&v).map_err(|reason| Error::invalid(field, v, reason))).transpose()
        };
        let siren = check(Field::Siren, merge_optional(current.siren, self.siren.as_ref()), identifiers::siren)?;
        let siret = check(Field::Siret, merge_optional(current.siret, self.siret.as_ref()), identifiers::siret)?;
        if let (Some(siren), Some(siret)) = (&siren, &siret)
            && !siret.starts_with(siren.as_str())
        {
            return Err(Error::invalid(
                Field::Siret,
                siret,
                format!("un SIRET commence par le SIREN de l'entreprise ({siren})"),
            ));
        }
        let vat_number = check(
            Field::VatNumber,
            merge_optional(current.vat_number, self.vat_number.as_ref()),
            identifiers::vat_number,
        )?;
        if let (Some(siren), Some(vat)) = (&siren, &vat_number)
            && vat.starts_with("FR")
            && !vat.ends_with(siren.as_str())
        {
            return Err(Error::invalid(
                Field::VatNumber,
                vat,
                format!("un numéro de TVA français se termine par le SIREN ({siren})"),
            ));
        }
        let iban = check(Field::Iban, merge_optional(current.iban, self.iban.as_ref()), identifiers::iban)?;
        let bic = check(Field::Bic, merge_optional(current.bic, self.bic.as_ref()), identifiers::bic)?;
        let email = check(Field::Email, merge_optional(current.email, self.email.as_ref()), identifiers::email)?;
        let country = merge_required(current.address.country, self.country.as_ref());
        let country =
            identifiers::country_code(&country).map_err(|reason| Error::invalid(Field::Country, &country, reason))?;
        let address = PostalAddress {
            lines: match &self.address_lines {
                Some(text) => PostalAddress::split_lines(text),
                None => current.address.lines,
            },
            postcode: merge_required(current.address.postcode, self.postcode.as_ref()),
            city: merge_required(current.address.city, self.city.as_ref()),
            country,
        };
        address.check()?;
        let late_penalty = match &self.late_penalty {
            Some(text) => LatePenaltyClause::parse(text)?,
            None => current.late_penalty,
        };
        let payment_term_days = match &self.payment_term_days {
            Some(text) => {
                let days: u32 = text.trim().parse().map_err(|_| {
                    Error::invalid(Field::PaymentTermDays, text, "un nombre entier de jours (par exemple 30)")
                })?;
                if days > MAX_PAYMENT_TERM_DAYS {
                    return Err(Error::invalid(
                        Field::PaymentTermDays,
                        text,
                        format!(
                            "la loi plafonne le délai de paiement à {MAX_PAYMENT_TERM_DAYS} jours à compter de la facture (C. com. L441-10)"
                        ),
                    ));
                }
                days
            }
            None => current.payment_term_days,
        };
        Ok(CreditorProfile {
            legal_name,
            legal_form: merge_optional(current.legal_form, self.legal_form.as_ref()),
            siren,
            siret,
            vat_number,
            rcs_city: merge_optional(current.rcs_city, self.rcs_city.as_ref()),
            address,
            email,
            phone: merge_optional(current.phone, self.phone.as_ref()),
            iban,
            bic,
            signatory_name: merge_optional(current.signatory_name, self.signatory_name.as_ref()),
            signatory_title: merge_optional(current.signatory_title, self.signatory_title.as_ref()),
            late_penalty,
            payment_term_days,
            interest_options: crate::law::interest::Options {
                day_basis: match &self.day_basis {
                    Some(text) => crate::law::interest::DayBasis::parse(text)?,
                    None => current.interest_options.day_basis,
                },
                imputation: match &self.imputation {
                    Some(text) => crate::law::interest::Imputation::parse(text)?,
                    None => current.interest_options.imputation,
                },
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(kind: &str, name: &str) -> DebtorForm {
        DebtorForm { kind: Some(kind.into()), name: Some(name.into()), ..DebtorForm::default() }
    }

    #[test]
    fn debtor_rules() {
        let ok = form("pro", "Atelier Dupont").create().unwrap();
        assert_eq!(ok.kind, DebtorKind::Professionnel);
        assert_eq!(ok.address.country, "FR");
        let cases: Vec<(DebtorForm, Field)> = vec![
            (form("fournisseur", "X"), Field::DebtorKind),
            (form("pro", "  "), Field::Name),
            (DebtorForm { siren: Some("123456789".into()), ..form("pro", "X") }, Field::Siren),
            (DebtorForm { email: Some("nope".into()), ..form("pro", "X") }, Field::Email),
            (DebtorForm { postcode: Some("6900".into()), ..form("pro", "X") }, Field::Postcode),
            (DebtorForm { country: Some("France".into()), ..form("pro", "X") }, Field::Country),
            (DebtorForm { segment: Some("vip".into()), ..form("pro", "X") }, Field::Segment),
        ];
        for (typed, field) in cases {
            match typed.create() {
                Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field, "{typed:?}"),
                other => panic!("{typed:?} gave {other:?}"),
            }
        }
        // A Belgian postcode is not checked against the French rule.
        let belgian = DebtorForm { country: Some("be".into()), postcode: Some("1000".into()), ..form("pro", "X") };
        assert_eq!(belgian.create().unwrap().address.country, "BE");
    }

    #[test]
    fn edit_keeps_clears_and_sets() {
        let base = DebtorForm { siren: Some("732829320".into()), phone: Some("01 02".into()), ..form("pro", "A") }
            .create()
            .unwrap();
        let edited = DebtorForm { phone: Some(String::new()), name: Some("B".into()), ..DebtorForm::default() }
            .apply(base.clone())
            .unwrap();
        assert_eq!(edited.name, "B");
        assert_eq!(edited.phone, None);
        assert_eq!(edited.siren, base.siren);
    }

    #[test]
    fn profile_rules() {
        let base = ProfileForm {
            legal_name: Some("Studio Élodie Martin".into()),
            siren: Some("732 829 320".into()),
            siret: Some("73282932000074".into()),
            iban: Some("FR76 3000 6000 0112 3456 7890 189".into()),
            late_penalty: Some("12,5 %".into()),
            ..ProfileForm::default()
        };
        let profile = base.apply(None).unwrap();
        assert_eq!(profile.iban.as_deref(), Some("FR7630006000011234567890189"));
        assert_eq!(profile.late_penalty, LatePenaltyClause::Rate(Decimal::new(125, 1)));
        let bad = [
            (ProfileForm { legal_name: None, ..base.clone() }, Field::LegalName),
            (ProfileForm { iban: Some("FR7630006000011234567890188".into()), ..base.clone() }, Field::Iban),
            (ProfileForm { siret: Some("55210055400013".into()), ..base.clone() }, Field::Siret),
            (ProfileForm { payment_term_days: Some("90".into()), ..base.clone() }, Field::PaymentTermDays),
            (ProfileForm { late_penalty: Some("-3".into()), ..base.clone() }, Field::PenaltyRate),
            (ProfileForm { vat_number: Some("FR40303265045".into()), ..base.clone() }, Field::VatNumber),
        ];
        for (typed, field) in bad {
            match typed.apply(None) {
                Err(Error::Invalid { field: f, .. }) => assert_eq!(f, field, "{typed:?}"),
                other => panic!("{typed:?} gave {other:?}"),
            }
        }
    }
}
