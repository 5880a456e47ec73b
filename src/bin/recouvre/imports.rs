//! `recouvre import csv|fec|facturx` and `recouvre export csv`: bringing invoices, payments and
//! credit notes from other tools, and giving them back.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use recouvre::import::mapping::{CsvKind, Mapping};
use recouvre::import::{self, Batch, Format, ImportMode, ImportReport};
use recouvre::{Error, Ledger};
use serde::Serialize;

use crate::claims::read_attachment;
use crate::output;
use crate::table::{Align, Table};

#[derive(Subcommand)]
pub enum ImportCommand {
    /// CSV export of an invoicing tool (one invoice per line) or of a bank (one operation per line).
    /// Columns are recognised from their headers; `--map` or a saved `--preset` says the others.
    Csv(CsvArgs),
    /// FEC (fichier des écritures comptables): the open invoices of the customer accounts (411…).
    Fec(Common),
    /// E-invoices: Factur-X / ZUGFeRD PDFs, CII or UBL XML files (invoices and credit notes).
    Facturx(Common),
    /// The saved CSV column mappings.
    Presets,
    /// Delete a saved CSV column mapping.
    #[command(name = "delete-preset")]
    DeletePreset {
        /// Its name.
        name: String,
    },
}

#[derive(Args)]
pub struct Common {
    /// The files to import (all in one transaction).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Show what would be created, updated and refused; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import the valid lines even if others are refused; the refused ones go to a file to fix and
    /// import again (default: FILE.rejets.csv beside the first file).
    #[arg(long)]
    valid_only: bool,
    /// Where to write the refused lines with --valid-only.
    #[arg(long, value_name = "FILE")]
    rejected_out: Option<PathBuf>,
}

#[derive(Args)]
pub struct CsvArgs {
    #[command(flatten)]
    common: Common,
    /// A saved column mapping.
    #[arg(long, value_name = "NAME")]
    preset: Option<String>,
    /// Which header holds a column, e.g. --map numero="N° pièce" (keys: numero, client, siren, type,
    /// email, telephone, adresse, code_postal, ville, pays, date, echeance, ttc, ht, tva, paye, devise,
    /// description, facture_origine, montant, credit, debit, libelle, moyen).
    #[arg(long = "map", value_name = "KEY=HEADER")]
    map: Vec<String>,
    /// The file lists payments received (a bank statement), not invoices.
    #[arg(long, conflicts_with = "invoices")]
    payments: bool,
    /// The file lists invoices.
    #[arg(long)]
    invoices: bool,
    /// Save the mapping used under this name, for next time.
    #[arg(long, value_name = "NAME")]
    save_preset: Option<String>,
}

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Every invoice as a CSV file (`;`, UTF-8) that `recouvre import csv` reads back.
    Csv {
        /// The file to write.
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
    },
}

#[derive(Serialize)]
struct ImportJson<'a> {
    #[serde(flatten)]
    report: &'a ImportReport,
    summary: String,
    rejected_file: Option<PathBuf>,
    mapping: Option<&'a Mapping>,
    encoding: Option<&'a str>,
}

pub async fn import(ledger: &Ledger, command: ImportCommand, json: bool) -> anyhow::Result<()> {
    let (format, common, csv) = match command {
        ImportCommand::Csv(CsvArgs { common, preset, map, payments, invoices, save_preset }) => {
            (Format::Csv, common, Some((preset, map, payments, invoices, save_preset)))
        }
        ImportCommand::Fec(common) => (Format::Fec, common, None),
        ImportCommand::Facturx(common) => (Format::EInvoice, common, None),
        ImportCommand::Presets => return presets(ledger, json).await,
        ImportCommand::DeletePreset { name } => {
            ledger.delete_import_preset(&name).await?;
            println!("Préréglage « {name} » supprimé.");
            return Ok(());
        }
    };
    let mut batch = Batch::default();
    let mut mapping: Option<Mapping> = None;
    let mut encoding = None;
    for path in &common.files {
        let file = read_attachment(path)?;
        let name = file.file_name.clone();
        let layout_choice = match &csv {
            Some((preset, map, payments, invoices, _)) if mapping.is_none() => {
                let kind = if *payments { Some(CsvKind::Payments) } else { invoices.then_some(CsvKind::Invoices) };
                let chosen = csv_mapping(ledger, &name, &file.bytes, preset.as_deref(), map, kind).await?;
                Some(chosen)
            }
            _ => mapping.clone(),
        };
        let (read, layout) = import::read(format, &name, &file.bytes, layout_choice.as_ref(), None);
        if let Some(layout) = layout {
            encoding.get_or_insert(layout.encoding);
            mapping.get_or_insert(layout.mapping);
        }
        batch.extend(read);
    }
    let header = batch.header.clone();
    let delimiter = batch.delimiter.unwrap_or(';');
    let mode = if common.valid_only { ImportMode::ValidOnly } else { ImportMode::AllOrNothing };
    let report = ledger.import(batch, mode, common.dry_run).await?;
    if let (Some((_, _, _, _, Some(name))), Some(mapping), false) = (&csv, &mapping, common.dry_run) {
        ledger.save_import_preset(name, mapping).await?;
    }
    let rejected_file = match report.rejected_file(header.as_deref(), delimiter) {
        Some(text) if common.valid_only => {
            let path = common.rejected_out.clone().unwrap_or_else(|| rejected_path(&common.files[0]));
            std::fs::write(&path, text).map_err(|source| Error::File { path: path.clone(), source })?;
            Some(path)
        }
        _ => None,
    };
    let summary = report.summary();
    let shown = ImportJson {
        report: &report,
        summary: summary.clone(),
        rejected_file: rejected_file.clone(),
        mapping: mapping.as_ref(),
        encoding,
    };
    output(json, &shown, || human(&report, &summary, rejected_file.as_deref(), mapping.as_ref(), encoding))?;
    if !report.committed && !report.dry_run && !report.rejected.is_empty() {
        let first = report.rejected[0].to_string();
        return Err(Error::ImportRefused { count: report.rejected.len(), first }.into());
    }
    Ok(())
}

/// The mapping for a CSV file: the preset if named, else recognised from its headers; `--map`
/// overrides either.
async fn csv_mapping(
    ledger: &Ledger,
    name: &str,
    bytes: &[u8],
    preset: Option<&str>,
    overrides: &[String],
    kind: Option<CsvKind>,
) -> anyhow::Result<Mapping> {
    let mut mapping = match preset {
        Some(preset) => ledger.import_preset(preset).await?,
        None => match import::csv::layout(name, bytes, None, kind) {
            Ok(layout) => layout.mapping,
            Err(rejection) => return Err(Error::ImportRefused { count: 1, first: rejection.to_string() }.into()),
        },
    };
    for item in overrides {
        let (key, header) = item.split_once('=').ok_or_else(|| {
            Error::invalid(recouvre::Field::File, item, "attendu CLÉ=EN-TÊTE, par exemple numero=\"N° pièce\"")
        })?;
        mapping.set(key, header).map_err(|reason| Error::invalid(recouvre::Field::File, item, reason))?;
    }
    if let Some(kind) = kind {
        mapping.kind = kind;
    }
    Ok(mapping)
}

fn rejected_path(first: &Path) -> PathBuf {
    let stem = first.file_stem().map_or_else(|| "import".into(), |s| s.to_string_lossy().into_owned());
    first.with_file_name(format!("{stem}.rejets.csv"))
}

/// Lines shown in full before the summary says "and N more".
const SHOWN: usize = 40;

fn human(
    report: &ImportReport,
    summary: &str,
    rejected_file: Option<&Path>,
    mapping: Option<&Mapping>,
    encoding: Option<&str>,
) -> String {
    let mut out = String::new();
    if let (Some(mapping), Some(encoding)) = (mapping, encoding) {
        let columns: Vec<String> = mapping.columns.iter().map(|(c, h)| format!("{}={h}", c.key())).collect();
        out.push_str(&format!("Fichier de {} ({encoding}) : {}\n", mapping.kind.label(), columns.join(", ")));
    }
    if !report.records.is_empty() {
        let mut table = Table::new(&[
            ("Origine", Align::Left),
            ("Quoi", Align::Left),
            ("Résultat", Align::Left),
            ("Détail", Align::Left),
        ]);
        for record in report.records.iter().take(SHOWN) {
            let origin = record
                .origin
                .line
                .map_or_else(|| record.origin.file.clone(), |l| format!("{}:{l}", record.origin.file));
            table.row(vec![
                origin,
                record.what.clone(),
                record.outcome.label(report.committed).into(),
                record.detail.clone(),
            ]);
        }
        out.push_str(&table.render());
        if report.records.len() > SHOWN {
            out.push_str(&format!("… et {} autres (--json pour tout voir)\n", report.records.len() - SHOWN));
        }
    }
    for notice in report.notices.iter().take(SHOWN) {
        out.push_str(&format!("Remarque : {}, {}\n", notice.origin, notice.message));
    }
    for rejection in report.rejected.iter().take(SHOWN) {
        out.push_str(&format!("Refusé : {rejection}\n"));
    }
    if report.rejected.len() > SHOWN {
        out.push_str(&format!("… et {} autres refus\n", report.rejected.len() - SHOWN));
    }
    let verdict = if report.dry_run {
        "Simulation : rien n'a été écrit."
    } else if report.committed {
        "Importé."
    } else {
        "Rien n'a été importé."
    };
    out.push_str(&format!("{verdict} {summary}.\n"));
    if let Some(path) = rejected_file {
        out.push_str(&format!("Lignes refusées, à corriger puis réimporter : {}\n", path.display()));
    }
    out
}

async fn presets(ledger: &Ledger, json: bool) -> anyhow::Result<()> {
    let presets = ledger.import_presets().await?;
    #[derive(Serialize)]
    struct PresetJson<'a> {
        name: &'a str,
        mapping: &'a Mapping,
    }
    let shown: Vec<PresetJson> = presets.iter().map(|(name, mapping)| PresetJson { name, mapping }).collect();
    output(json, &shown, || {
        if presets.is_empty() {
            return "Aucun préréglage : ajoutez --save-preset NOM à un import CSV.\n".into();
        }
        let mut table = Table::new(&[("Nom", Align::Left), ("Fichier de", Align::Left), ("Colonnes", Align::Left)]);
        for (name, mapping) in &presets {
            let columns: Vec<String> = mapping.columns.iter().map(|(c, h)| format!("{}={h}", c.key())).collect();
            table.row(vec![name.clone(), mapping.kind.label().into(), columns.join(", ")]);
        }
        table.render()
    })
}

pub async fn export(ledger: &Ledger, command: ExportCommand, json: bool) -> anyhow::Result<()> {
    match command {
        ExportCommand::Csv { out } => {
            let text = ledger.export_invoices_csv().await?;
            std::fs::write(&out, &text).map_err(|source| Error::File { path: out.clone(), source })?;
            let lines = text.lines().count().saturating_sub(1);
            output(json, &serde_json::json!({ "path": out, "invoices": lines }), || {
                format!("{lines} factures exportées dans {}\n", out.display())
            })
        }
    }
}
