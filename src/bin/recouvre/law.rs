//! `recouvre rates …` and `recouvre interest …`: the rate table and the late-payment calculator.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use recouvre::law::interest::{
    Claim, Computation, DayBasis, Imputation, Movement, MovementKind, Options, RateBasis, compute,
};
use recouvre::law::rates::{self, HalfYear, RateTable};
use recouvre::money::{format_number_fr, parse_amount, to_plain};
use recouvre::{Error, Field, Ledger};
use serde::Serialize;

use crate::table::{Align, Table};
use crate::{date_or_today, output};

#[derive(Subcommand)]
pub enum RatesCommand {
    /// Every figure of the table with its source.
    List,
    /// Import a newer rate file (same format as data/rates.csv): all lines or none.
    Import { file: PathBuf },
    /// Say which half-years lack a figure, from 2015 to the current half-year.
    Check {
        /// Check up to the half-year of this date (default: today).
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
    },
}

#[derive(Args)]
pub struct InterestArgs {
    /// Principal (amount incl. VAT unpaid).
    #[arg(long)]
    principal: String,
    /// Due date (b2b, contract) or date of the formal notice (b2c): interest runs from the day after.
    #[arg(long, value_name = "DATE")]
    start: String,
    /// Last day counted (default: today).
    #[arg(long, value_name = "DATE")]
    end: Option<String>,
    /// b2b (ECB + 10 points), b2c (legal rate), contract:R (business terms of sale at R %, with the
    /// legal floor), consumer-contract:R (consumer contract penalty at R %).
    #[arg(long, default_value = "b2b")]
    basis: String,
    /// A payment, DATE:AMOUNT; repeat for several.
    #[arg(long = "payment", value_name = "DATE:AMOUNT")]
    payments: Vec<String>,
    /// A credit note, DATE:AMOUNT; repeat for several.
    #[arg(long = "credit-note", value_name = "DATE:AMOUNT")]
    credit_notes: Vec<String>,
    /// 365 (actual/365, default) or actual (leap-year days ÷ 366).
    #[arg(long, default_value = "365")]
    day_basis: String,
    /// interest-first (C. civ. 1343-1, default) or principal-first.
    #[arg(long, default_value = "interest-first")]
    imputation: String,
    /// Day a collective procedure was opened: interest stops that day.
    #[arg(long, value_name = "DATE")]
    stopped_on: Option<String>,
}

fn rate_basis(text: &str) -> Result<RateBasis, Error> {
    let rate = |r: &str| {
        parse_amount(r.trim_end_matches('%'))
            .ok()
            .filter(|r| r > &rust_decimal::Decimal::ZERO && r <= &rust_decimal::Decimal::ONE_HUNDRED)
            .ok_or_else(|| {
                Error::invalid(Field::Rate, text, "taux en pourcentage attendu après « : », par exemple contract:15")
            })
    };
    match text.trim().split_once(':') {
        None if text.trim() == "b2b" => Ok(RateBasis::B2bDefault),
        None if text.trim() == "b2c" => Ok(RateBasis::Legal),
        Some(("contract", r)) => Ok(RateBasis::B2bContract(rate(r)?)),
        Some(("consumer-contract", r)) => Ok(RateBasis::ConsumerContract(rate(r)?)),
        _ => Err(Error::invalid(
            Field::Rate,
            text,
            "valeurs possibles : b2b, b2c, contract:TAUX, consumer-contract:TAUX",
        )),
    }
}

fn movement(text: &str, kind: MovementKind) -> Result<Movement, Error> {
    let field = Field::Amount;
    let (date, amount) = text
        .split_once(':')
        .ok_or_else(|| Error::invalid(field, text, "forme attendue : DATE:MONTANT, par exemple 2025-10-31:4000"))?;
    let date = recouvre::dates::parse_date_field(Field::Date, date)?;
    let amount = recouvre::money::parse_amount_field(field, amount)?;
    Ok(Movement { date, amount, kind })
}

/// The table from the ledger when one exists (it holds the user's imports), else the shipped file:
/// the calculator never creates a ledger.
async fn table_for_calculator(db: Option<PathBuf>) -> anyhow::Result<RateTable> {
    let path = db.or_else(recouvre::ledger::default_path);
    match path.filter(|p| p.exists()) {
        Some(path) => {
            let ledger = Ledger::open(&path).await?;
            let table = ledger.rate_table().await?;
            ledger.close().await;
            Ok(table)
        }
        None => Ok(RateTable::new(&rates::parse(rates::SHIPPED, "data/rates.csv")?)),
    }
}

/// One interest period in JSON (the calculator's and the statement's `segments`).
#[derive(Serialize)]
pub struct SegmentJson {
    from: String,
    to: String,
    days: i64,
    rate: String,
    rate_source: String,
    base: String,
    amount: String,
}

impl From<&recouvre::law::interest::Segment> for SegmentJson {
    fn from(s: &recouvre::law::interest::Segment) -> Self {
        SegmentJson {
            from: s.from.to_string(),
            to: s.to.to_string(),
            days: s.days,
            rate: to_plain(s.rate),
            rate_source: s.rate_source.clone(),
            base: to_plain(s.base),
            amount: to_plain(s.amount),
        }
    }
}

#[derive(Serialize)]
struct InterestJson {
    interest_total: String,
    interest_due: String,
    principal_due: String,
    indemnity: String,
    day_basis: &'static str,
    imputation: &'static str,
    warnings: Vec<String>,
    segments: Vec<SegmentJson>,
}

fn interest_json(c: &Computation) -> InterestJson {
    InterestJson {
        interest_total: to_plain(c.interest_total),
        interest_due: to_plain(c.interest_due),
        principal_due: to_plain(c.principal_due),
        indemnity: to_plain(c.indemnity_amount()),
        day_basis: c.options.day_basis.as_str(),
        imputation: c.options.imputation.as_str(),
        warnings: c.warnings.clone(),
        segments: c.segments.iter().map(SegmentJson::from).collect(),
    }
}

fn interest_text(c: &Computation) -> String {
    let mut table = Table::new(&[
        ("Du", Align::Left),
        ("Au", Align::Left),
        ("Jours", Align::Right),
        ("Taux %", Align::Right),
        ("Base €", Align::Right),
        ("Intérêts €", Align::Right),
    ]);
    for s in &c.segments {
        table.row(vec![
            recouvre::dates::format_date_fr(s.from),
            recouvre::dates::format_date_fr(s.to),
            s.days.to_string(),
            format_number_fr(s.rate),
            format_number_fr(s.base),
            format_number_fr(s.amount),
        ]);
    }
    let mut out = table.render();
    let line = |label: &str, amount| format!("{label:<34}{:>14}\n", recouvre::money::format_eur(amount));
    out += "\n";
    out += &line("Intérêts courus", c.interest_total);
    out += &line("Intérêts restant dus", c.interest_due);
    out += &line("Principal restant dû", c.principal_due);
    out += &line("Indemnité forfaitaire (D441-5)", c.indemnity_amount());
    out += &line("Total dû", c.interest_due + c.principal_due + c.indemnity_amount());
    out += &format!("\nBase : {} ; {}.\n", c.options.day_basis.label(), c.options.imputation.label());
    for w in &c.warnings {
        out += &format!("Attention : {w}.\n");
    }
    out
}

pub async fn interest(args: InterestArgs, db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    let date = |text: &str, field| recouvre::dates::parse_date_field(field, text);
    let principal = recouvre::money::parse_amount_field(Field::Amount, &args.principal)?;
    let mut movements = Vec::new();
    for p in &args.payments {
        movements.push(movement(p, MovementKind::Payment)?);
    }
    for c in &args.credit_notes {
        movements.push(movement(c, MovementKind::CreditNote)?);
    }
    let claim = Claim {
        principal,
        start: date(&args.start, Field::Date)?,
        end: date_or_today(args.end.as_deref(), Field::At)?,
        movements,
        basis: rate_basis(&args.basis)?,
        stopped_on: args.stopped_on.as_deref().map(|s| date(s, Field::Date)).transpose()?,
    };
    let options =
        Options { day_basis: DayBasis::parse(&args.day_basis)?, imputation: Imputation::parse(&args.imputation)? };
    let table = table_for_calculator(db).await?;
    let computation = compute(&claim, &table, options)?;
    output(json, &interest_json(&computation), || interest_text(&computation))
}

#[derive(Serialize)]
struct GapJson {
    half_year: String,
    missing: String,
}

pub async fn rates(ledger: &Ledger, command: RatesCommand, json: bool) -> anyhow::Result<()> {
    match command {
        RatesCommand::List => {
            let entries = ledger.rate_entries().await?;
            output(json, &entries, || {
                let mut table = Table::new(&[
                    ("Type", Align::Left),
                    ("Clé", Align::Left),
                    ("Valeur", Align::Right),
                    ("Origine", Align::Left),
                    ("Source", Align::Left),
                ]);
                for s in &entries {
                    table.row(vec![
                        s.entry.kind.as_str().to_owned(),
                        s.entry.key.to_string(),
                        s.entry.value.map(|v| v.normalize().to_string().replace('.', ",")).unwrap_or_default(),
                        (if s.origin == recouvre::ledger::RateOrigin::Imported { "importé" } else { "livré" })
                            .to_owned(),
                        s.entry.source.clone(),
                    ]);
                }
                table.render()
            })
        }
        RatesCommand::Import { file } => {
            let text = std::fs::read_to_string(&file).map_err(|source| Error::File { path: file.clone(), source })?;
            let entries = rates::parse(&text, &file.display().to_string())?;
            let summary = ledger.import_rates(&entries).await?;
            output(json, &summary, || {
                format!(
                    "Table des taux importée depuis {} : {} ajoutées, {} modifiées, {} inchangées.\n",
                    file.display(),
                    summary.added,
                    summary.changed,
                    summary.unchanged
                )
            })
        }
        RatesCommand::Check { until } => {
            let until = date_or_today(until.as_deref(), Field::At)?;
            let from = HalfYear { year: 2015, half: 1 };
            let gaps = ledger.rate_table().await?.gaps(from, HalfYear::of(until));
            let report: Vec<GapJson> =
                gaps.iter().map(|(h, what)| GapJson { half_year: h.to_string(), missing: what.clone() }).collect();
            output(json, &report, || {
                if gaps.is_empty() {
                    format!("La table des taux est complète de {} à {}.\n", from.label(), HalfYear::of(until).label())
                } else {
                    gaps.iter()
                        .map(|(h, what)| {
                            format!(
                                "{} ({h}) : manque {what}. Importez une table à jour : recouvre rates import FICHIER\n",
                                h.label()
                            )
                        })
                        .collect()
                }
            })
        }
    }
}
