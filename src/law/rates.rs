//! The legal figures, as data: the ECB main refinancing rate history, the French legal interest
//! rate per half-year (two categories), the B2B margin and floor, the 40 € indemnity. Each fact
//! carries its source. Shipped as `data/rates.csv`, stored in the ledger, updatable by importing a
//! newer file of the same format.
//!
//! Invariant: a figure that is not in the table is *missing*, never guessed: asking for the rate of
//! a half-year the table does not cover is an error naming that half-year.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::error::{Error, Result};

/// The rate file shipped with the app.
pub const SHIPPED: &str = include_str!("../../data/rates.csv");

/// A half-year (semestre): legal rates are fixed per half-year, and the B2B default rate is the ECB
/// rate in force on its first day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct HalfYear {
    /// Calendar year.
    pub year: i32,
    /// 1 (January–June) or 2 (July–December).
    pub half: u8,
}

impl HalfYear {
    /// The half-year a day belongs to.
    pub fn of(date: NaiveDate) -> Self {
        HalfYear { year: date.year(), half: if date.month() <= 6 { 1 } else { 2 } }
    }

    /// First day (1 January or 1 July).
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, if self.half == 1 { 1 } else { 7 }, 1).unwrap_or(NaiveDate::MIN)
    }

    /// Last day (30 June or 31 December).
    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, if self.half == 1 { 6 } else { 12 }, if self.half == 1 { 30 } else { 31 })
            .unwrap_or(NaiveDate::MAX)
    }

    /// The following half-year.
    pub fn next(self) -> Self {
        if self.half == 1 { HalfYear { year: self.year, half: 2 } } else { HalfYear { year: self.year + 1, half: 1 } }
    }

    /// Reads `2026-S1`.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, half) = text.trim().split_once("-S")?;
        let year: i32 = year.parse().ok().filter(|y| (1900..=2999).contains(y))?;
        let half: u8 = half.parse().ok().filter(|h| *h == 1 || *h == 2)?;
        Some(HalfYear { year, half })
    }

    /// "1er semestre 2026".
    pub fn label(self) -> String {
        format!("{} semestre {}", if self.half == 1 { "1er" } else { "2nd" }, self.year)
    }
}

impl std::fmt::Display for HalfYear {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-S{}", self.year, self.half)
    }
}

/// What a line of the table states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RateKind {
    /// ECB main refinancing operations rate, in force from a day.
    EcbMro,
    /// The ECB history is complete up to this day.
    EcbKnownUntil,
    /// French legal interest rate, "all other cases", for a half-year.
    LegalAc,
    /// French legal interest rate, creditor a natural person not acting for professional needs.
    LegalPp,
    /// Points added to the ECB rate for the B2B default rate, from a day.
    B2bMargin,
    /// Minimum contractual B2B rate, as a multiple of the legal rate, from a day.
    B2bFloorFactor,
    /// Fixed indemnity for recovery costs per late invoice, in euros, from a day.
    RecoveryIndemnity,
}

impl RateKind {
    /// All kinds.
    pub const ALL: [RateKind; 7] = [
        RateKind::EcbMro,
        RateKind::EcbKnownUntil,
        RateKind::LegalAc,
        RateKind::LegalPp,
        RateKind::B2bMargin,
        RateKind::B2bFloorFactor,
        RateKind::RecoveryIndemnity,
    ];

    /// Stable key, as in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            RateKind::EcbMro => "ecb_mro",
            RateKind::EcbKnownUntil => "ecb_known_until",
            RateKind::LegalAc => "legal_ac",
            RateKind::LegalPp => "legal_pp",
            RateKind::B2bMargin => "b2b_margin",
            RateKind::B2bFloorFactor => "b2b_floor_factor",
            RateKind::RecoveryIndemnity => "recovery_indemnity",
        }
    }

    fn keyed_by_half_year(self) -> bool {
        matches!(self, RateKind::LegalAc | RateKind::LegalPp)
    }

    fn has_value(self) -> bool {
        !matches!(self, RateKind::EcbKnownUntil)
    }
}

/// The key of a line: a day or a half-year. Serialized as in the file (`2026-07-01`, `2026-S2`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RateKey {
    /// From this day.
    Day(NaiveDate),
    /// For this half-year.
    HalfYear(HalfYear),
}

impl Serialize for RateKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl std::fmt::Display for RateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RateKey::Day(d) => write!(f, "{d}"),
            RateKey::HalfYear(h) => write!(f, "{h}"),
        }
    }
}

/// One sourced fact of the table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateEntry {
    /// What it states.
    pub kind: RateKind,
    /// From when, or for which half-year.
    pub key: RateKey,
    /// Percent (rates), multiplier, points or euros; `None` for `ecb_known_until`.
    pub value: Option<Decimal>,
    /// Where it comes from.
    pub source: String,
}

/// A figure the engine used, with its source: statements print both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sourced {
    /// The figure (percent for rates, euros for the indemnity).
    pub value: Decimal,
    /// How it was obtained, with the texts it rests on.
    pub source: String,
}

/// Parses a rate file (`data/rates.csv` format). Errors name the file, the line and the field.
pub fn parse(text: &str, file: &str) -> Result<Vec<RateEntry>> {
    // Comments and blank lines are dropped before the CSV reader sees the text; errors are reported
    // with the line numbers of the file as the user's editor shows them.
    let kept: Vec<(usize, &str)> =
        text.lines().enumerate().filter(|(_, l)| !l.trim_start().starts_with('#') && !l.trim().is_empty()).collect();
    let physical = |line: u64| {
        usize::try_from(line).ok().and_then(|l| kept.get(l.checked_sub(1)?)).map_or(line, |(n, _)| *n as u64 + 1)
    };
    let filtered = kept.iter().map(|(_, l)| *l).collect::<Vec<_>>().join("\n");
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(filtered.as_bytes());
    let bad = |line: u64, field: &str, value: &str, reason: &str| Error::RateFile {
        file: file.to_owned(),
        line: physical(line),
        field: field.to_owned(),
        value: value.to_owned(),
        reason: reason.to_owned(),
    };
    let headers = reader.headers().map_err(|e| bad(1, "en-tête", "", &e.to_string()))?.clone();
    if headers.iter().map(str::trim).collect::<Vec<_>>() != ["kind", "key", "value", "source"] {
        return Err(bad(
            1,
            "en-tête",
            &headers.iter().collect::<Vec<_>>().join(","),
            "colonnes attendues : kind,key,value,source",
        ));
    }
    let mut entries = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            bad(line, "ligne", "", &format!("ligne illisible ({e})"))
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or_default().trim();
        let kind = RateKind::ALL
            .into_iter()
            .find(|k| k.as_str() == field(0))
            .ok_or_else(|| bad(line, "kind", field(0), "type inconnu (ecb_mro, ecb_known_until, legal_ac, legal_pp, b2b_margin, b2b_floor_factor, recovery_indemnity)"))?;
        let key = if kind.keyed_by_half_year() {
            RateKey::HalfYear(
                HalfYear::parse(field(1))
                    .ok_or_else(|| bad(line, "key", field(1), "semestre attendu, par exemple 2026-S1"))?,
            )
        } else {
            RateKey::Day(
                crate::dates::parse_date(field(1))
                    .ok()
                    .filter(|_| field(1).contains('-'))
                    .ok_or_else(|| bad(line, "key", field(1), "date attendue au format AAAA-MM-JJ"))?,
            )
        };
        let value = if kind.has_value() {
            let text = field(2);
            let value: Decimal = text
                .parse()
                .map_err(|_| bad(line, "value", text, "nombre attendu, avec un point décimal (par exemple 2.15)"))?;
            if value < Decimal::ZERO {
                return Err(bad(line, "value", text, "une valeur négative n'a pas de sens ici"));
            }
            if matches!(kind, RateKind::EcbMro | RateKind::LegalAc | RateKind::LegalPp) && value > Decimal::ONE_HUNDRED
            {
                return Err(bad(line, "value", text, "un taux en pourcentage, au plus 100"));
            }
            Some(value)
        } else {
            None
        };
        if field(3).is_empty() {
            return Err(bad(line, "source", "", "chaque valeur doit citer sa source"));
        }
        if !seen.insert((kind, key)) {
            return Err(bad(line, "key", field(1), "cette ligne existe déjà plus haut dans le fichier"));
        }
        entries.push(RateEntry { kind, key, value, source: field(3).to_owned() });
    }
    if entries.is_empty() {
        return Err(bad(1, "fichier", "", "aucune ligne de taux"));
    }
    Ok(entries)
}

/// Writes entries back in the file format (for `rates list --csv` and round trips).
pub fn to_csv(entries: &[RateEntry]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["kind", "key", "value", "source"]);
    for e in entries {
        let value = e.value.map(|v| v.normalize().to_string()).unwrap_or_default();
        let _ = writer.write_record([e.kind.as_str(), &e.key.to_string(), &value, &e.source]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// The table, indexed for the engine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateTable {
    by_day: BTreeMap<(RateKind, NaiveDate), (Decimal, String)>,
    by_half_year: BTreeMap<(RateKind, HalfYear), (Decimal, String)>,
    ecb_known_until: Option<(NaiveDate, String)>,
}

/// Why a figure is missing: names what and for when, and what to do.
fn missing(what: &str, when: String) -> Error {
    Error::MissingRate { what: what.to_owned(), when }
}

impl RateTable {
    /// Builds the table from entries (later entries replace earlier ones with the same key).
    pub fn new(entries: &[RateEntry]) -> Self {
        let mut table = RateTable::default();
        for e in entries {
            match (e.key, e.value) {
                (RateKey::Day(day), _) if e.kind == RateKind::EcbKnownUntil => {
                    table.ecb_known_until = Some((day, e.source.clone()));
                }
                (RateKey::Day(day), Some(value)) => {
                    table.by_day.insert((e.kind, day), (value, e.source.clone()));
                }
                (RateKey::HalfYear(half), Some(value)) => {
                    table.by_half_year.insert((e.kind, half), (value, e.source.clone()));
                }
                _ => {}
            }
        }
        table
    }

    /// The latest value of a day-keyed kind in force on `day`.
    fn in_force(&self, kind: RateKind, day: NaiveDate) -> Option<(NaiveDate, &(Decimal, String))> {
        self.by_day.range((kind, NaiveDate::MIN)..=(kind, day)).next_back().map(|((_, from), v)| (*from, v))
    }

    /// The ECB main refinancing rate in force on `day`.
    pub fn ecb_rate_on(&self, day: NaiveDate) -> Result<Sourced> {
        let known = self.ecb_known_until.as_ref().map(|(d, _)| *d);
        let latest_change =
            self.by_day.range((RateKind::EcbMro, NaiveDate::MIN)..=(RateKind::EcbMro, NaiveDate::MAX)).next_back();
        let covered = known.into_iter().chain(latest_change.map(|((_, d), _)| *d)).max();
        if covered.is_none_or(|c| day > c) {
            return Err(missing("taux de la BCE (opérations principales de refinancement)", day.to_string()));
        }
        let (_, (value, source)) =
            self.in_force(RateKind::EcbMro, day).ok_or_else(|| missing("taux de la BCE", day.to_string()))?;
        Ok(Sourced { value: *value, source: source.clone() })
    }

    /// The French legal interest rate for a half-year; `professional_creditor` picks the "all
    /// other cases" category (our users), else the private-creditor one.
    pub fn legal_rate(&self, half: HalfYear, professional_creditor: bool) -> Result<Sourced> {
        let kind = if professional_creditor { RateKind::LegalAc } else { RateKind::LegalPp };
        let (value, source) =
            self.by_half_year.get(&(kind, half)).ok_or_else(|| missing("taux de l'intérêt légal", half.label()))?;
        Ok(Sourced { value: *value, source: source.clone() })
    }

    fn day_figure(&self, kind: RateKind, day: NaiveDate, what: &str) -> Result<(Decimal, String)> {
        self.in_force(kind, day).map(|(_, (v, s))| (*v, s.clone())).ok_or_else(|| missing(what, day.to_string()))
    }

    /// The B2B default rate of a half-year: the ECB rate in force on its first day + the margin
    /// (C. com. L441-10 II). A mid-half-year ECB change waits for the next half-year.
    pub fn b2b_default_rate(&self, half: HalfYear) -> Result<Sourced> {
        let first = half.first_day();
        let ecb = self.ecb_rate_on(first)?;
        let (margin, margin_source) =
            self.day_figure(RateKind::B2bMargin, first, "majoration du taux BCE (L441-10)")?;
        Ok(Sourced {
            value: ecb.value + margin,
            source: format!(
                "taux BCE au {first} ({} %) + {} points — {margin_source} ; {}",
                ecb.value,
                margin.normalize(),
                ecb.source
            ),
        })
    }

    /// The lowest contractual B2B rate allowed in a half-year: factor × legal rate (all other cases).
    pub fn b2b_floor_rate(&self, half: HalfYear) -> Result<Sourced> {
        let legal = self.legal_rate(half, true)?;
        let (factor, source) =
            self.day_figure(RateKind::B2bFloorFactor, half.first_day(), "plancher du taux contractuel (L441-10)")?;
        Ok(Sourced {
            value: legal.value * factor,
            source: format!(
                "{} × taux légal {} ({} %) — {source} ; {}",
                factor.normalize(),
                half.label(),
                legal.value,
                legal.source
            ),
        })
    }

    /// The fixed recovery indemnity in force on `day` (D441-5: 40 €).
    pub fn recovery_indemnity(&self, day: NaiveDate) -> Result<Sourced> {
        let (value, source) =
            self.day_figure(RateKind::RecoveryIndemnity, day, "indemnité forfaitaire de recouvrement")?;
        Ok(Sourced { value, source })
    }

    /// The half-years from `from` to `to` for which a figure the engine needs is missing, with
    /// what is missing.
    pub fn gaps(&self, from: HalfYear, to: HalfYear) -> Vec<(HalfYear, String)> {
        let mut out = Vec::new();
        let mut half = from;
        while half <= to {
            let mut what = Vec::new();
            if self.legal_rate(half, true).is_err() {
                what.push("taux légal (autres cas)");
            }
            if self.legal_rate(half, false).is_err() {
                what.push("taux légal (particuliers)");
            }
            if self.b2b_default_rate(half).is_err() {
                what.push("taux BCE au premier jour du semestre");
            }
            if !what.is_empty() {
                out.push((half, what.join(", ")));
            }
            half = half.next();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> RateTable {
        RateTable::new(&parse(SHIPPED, "rates.csv").unwrap())
    }

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// The B2B default rates of legal-fr.md's table, half-year by half-year, including the July 2022
    /// trap (a hike on 27 July changes nothing before 1 January).
    #[test]
    fn b2b_default_rates_match_the_published_table() {
        let table = shipped();
        let expected = [
            ("2015-S1", "10.05"),
            ("2015-S2", "10.05"),
            ("2016-S1", "10.05"),
            ("2016-S2", "10.00"),
            ("2019-S1", "10.00"),
            ("2022-S1", "10.00"),
            ("2022-S2", "10.00"),
            ("2023-S1", "12.50"),
            ("2023-S2", "14.00"),
            ("2024-S1", "14.50"),
            ("2024-S2", "14.25"),
            ("2025-S1", "13.15"),
            ("2025-S2", "12.15"),
            ("2026-S1", "12.15"),
        ];
        for (half, rate) in expected {
            let got = table.b2b_default_rate(HalfYear::parse(half).unwrap()).unwrap();
            assert_eq!(got.value, d(rate), "{half}");
            assert!(got.source.contains("L441-10"), "{}", got.source);
        }
    }

    #[test]
    fn legal_rates_floor_and_indemnity() {
        let table = shipped();
        let h = |s| HalfYear::parse(s).unwrap();
        assert_eq!(table.legal_rate(h("2019-S1"), true).unwrap().value, d("0.86"));
        assert_eq!(table.legal_rate(h("2024-S2"), false).unwrap().value, d("8.16"));
        assert_eq!(table.b2b_floor_rate(h("2024-S1")).unwrap().value, d("15.21"));
        assert_eq!(table.recovery_indemnity(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()).unwrap().value, d("40"));
    }

    #[test]
    fn missing_figures_are_errors_never_guesses() {
        let table = shipped();
        let s2 = HalfYear::parse("2026-S2").unwrap();
        assert!(matches!(table.legal_rate(s2, true), Err(Error::MissingRate { .. })));
        let error = table.b2b_default_rate(s2).unwrap_err();
        assert!(error.to_string().contains("2026-07-01"), "{error}");
        assert!(table.ecb_rate_on(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()).is_ok());
        assert!(table.ecb_rate_on(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()).is_err());
        assert_eq!(
            table.gaps(HalfYear::parse("2015-S1").unwrap(), s2).iter().map(|(h, _)| *h).collect::<Vec<_>>(),
            vec![s2]
        );
        assert!(table.legal_rate(HalfYear::parse("2014-S2").unwrap(), true).is_err());
    }

    #[test]
    fn bad_files_name_line_and_field() {
        let cases = [
            ("kind,key,value,source\nlegal_ac,2026-S2,-1,JO\n", 2, "value"),
            ("kind,key,value,source\nlegal_ac,2026-S3,1,JO\n", 2, "key"),
            ("kind,key,value,source\necb_mro,01/07/2026,1,BCE\n", 2, "key"),
            ("kind,key,value,source\n# comment\nlegal_xx,2026-S2,1,JO\n", 3, "kind"),
            ("kind,key,value,source\nlegal_ac,2026-S2,2,5,JO\n", 2, "ligne"),
            ("kind,key,value,source\nlegal_ac,2026-S2,2,\n", 2, "source"),
            ("kind,key,value,source\nlegal_ac,2026-S2,abc,JO\n", 2, "value"),
            ("kind,key,value,source\nlegal_ac,2026-S2,2,JO\nlegal_ac,2026-S2,3,JO\n", 3, "key"),
            ("kind;key;value;source\n", 1, "en-tête"),
            ("kind,key,value,source\n", 1, "fichier"),
        ];
        for (text, line, field) in cases {
            match parse(text, "maj.csv") {
                Err(Error::RateFile { file, line: l, field: f, .. }) => {
                    assert_eq!((file.as_str(), l, f.as_str()), ("maj.csv", line, field), "{text:?}");
                }
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn csv_round_trip() {
        let entries = parse(SHIPPED, "rates.csv").unwrap();
        assert_eq!(parse(&to_csv(&entries), "again.csv").unwrap(), entries);
    }
}
