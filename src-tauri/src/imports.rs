//! The import wizard: the files chosen in the window arrive as bytes; the core recognises their
//! format and, for a CSV, its columns; the user corrects the mapping, runs a dry run, then imports.
//! Every rule is the core's (`recouvre::import`, `Ledger::import`), the same code as the CLI's.

use std::path::PathBuf;

use recouvre::import::mapping::{Column, CsvKind, Mapping};
use recouvre::import::{self, Batch, Format, ImportMode, ImportReport};
use recouvre::{Error, Field, Ledger};
use serde::{Deserialize, Serialize};
use tauri::State;
use ts_rs::TS;

use crate::dto::CommandError;

/// A file chosen in the window.
#[derive(Debug, Deserialize, TS)]
pub struct ImportFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// One of our columns and the header of the file that holds it.
#[derive(Debug, Serialize, Deserialize, TS)]
pub struct ColumnChoice {
    /// `numero`, `client`… (the CLI's `--map` keys).
    pub key: String,
    pub label: String,
    /// The file's header, or null when no column holds it.
    pub header: Option<String>,
    pub required: bool,
}

/// What the wizard shows after a file is chosen.
#[derive(Debug, Serialize, TS)]
pub struct ImportInspection {
    /// `csv`, `fec` or `e_invoice`.
    pub format: String,
    pub format_label: String,
    /// For a CSV: `invoices` or `payments`.
    pub kind: Option<String>,
    /// "UTF-8", "windows-1252".
    pub encoding: Option<String>,
    pub headers: Vec<String>,
    /// The first lines, as split.
    pub sample: Vec<Vec<String>>,
    pub columns: Vec<ColumnChoice>,
    /// Saved mappings, by name.
    pub presets: Vec<String>,
    /// Why the file cannot be read, when it cannot.
    pub problem: Option<String>,
}

/// A line of the result.
#[derive(Debug, Serialize, TS)]
pub struct ImportLine {
    /// "factures.csv, ligne 12".
    pub origin: String,
    pub what: String,
    /// "créé", "mis à jour", "inchangé".
    pub outcome: String,
    pub detail: String,
}

/// What an import did, or would do.
#[derive(Debug, Serialize, TS)]
pub struct ImportResultView {
    pub dry_run: bool,
    pub committed: bool,
    /// "Simulation : rien n'a été écrit. 12 factures créées…".
    pub summary: String,
    /// The first 500 records.
    pub lines: Vec<ImportLine>,
    #[ts(type = "number")]
    pub more_lines: u32,
    /// Each refusal with its file, line or XML path, field and value.
    pub rejected: Vec<String>,
    pub notices: Vec<String>,
    /// Where the refused lines were written (with "import the valid lines").
    pub rejected_file: Option<String>,
}

/// What the user chose in the wizard.
#[derive(Debug, Deserialize, TS)]
pub struct ImportRequest {
    pub files: Vec<ImportFile>,
    /// For a CSV: `invoices` or `payments`, and the columns.
    pub kind: Option<String>,
    pub columns: Option<Vec<ColumnChoice>>,
    pub dry_run: bool,
    pub valid_only: bool,
    /// Save the CSV mapping under this name.
    pub save_preset: Option<String>,
}

fn kind_key(kind: CsvKind) -> String {
    match kind {
        CsvKind::Invoices => "invoices".into(),
        CsvKind::Payments => "payments".into(),
    }
}

fn parse_kind(key: &str) -> Result<CsvKind, Error> {
    match key {
        "invoices" => Ok(CsvKind::Invoices),
        "payments" => Ok(CsvKind::Payments),
        other => Err(Error::invalid(Field::File, other, "invoices ou payments")),
    }
}

fn format_key(format: Format) -> &'static str {
    match format {
        Format::Csv => "csv",
        Format::Fec => "fec",
        Format::EInvoice => "e_invoice",
    }
}

fn columns_of(mapping: &Mapping) -> Vec<ColumnChoice> {
    let required: Vec<Column> = Column::required(mapping.kind).iter().flat_map(|g| g.iter().copied()).collect();
    Column::ALL
        .into_iter()
        .filter(|c| c.applies_to(mapping.kind))
        .map(|c| ColumnChoice {
            key: c.key().to_owned(),
            label: c.label().to_owned(),
            header: mapping.columns.get(&c).cloned(),
            required: required.contains(&c),
        })
        .collect()
}

fn mapping_of(kind: CsvKind, columns: &[ColumnChoice]) -> Result<Mapping, Error> {
    let mut mapping = Mapping { kind, columns: Default::default() };
    for choice in columns {
        if let Some(header) = &choice.header {
            mapping.set(&choice.key, header).map_err(|reason| Error::invalid(Field::File, &choice.key, reason))?;
        }
    }
    Ok(mapping)
}

#[tauri::command]
pub async fn import_inspect(
    ledger: State<'_, Ledger>,
    file: ImportFile,
    kind: Option<String>,
    preset: Option<String>,
) -> Result<ImportInspection, CommandError> {
    let format = Format::detect(&file.bytes);
    let presets: Vec<String> = ledger.import_presets().await?.into_iter().map(|(name, _)| name).collect();
    let mut inspection = ImportInspection {
        format: format_key(format).into(),
        format_label: format.label().into(),
        kind: None,
        encoding: None,
        headers: Vec::new(),
        sample: Vec::new(),
        columns: Vec::new(),
        presets,
        problem: None,
    };
    if format != Format::Csv {
        return Ok(inspection);
    }
    let mapping = match &preset {
        Some(name) => Some(ledger.import_preset(name).await?),
        None => None,
    };
    let kind = kind.as_deref().map(parse_kind).transpose()?;
    match import::csv::layout(&file.name, &file.bytes, mapping.as_ref(), kind) {
        Ok(layout) => {
            inspection.kind = Some(kind_key(layout.mapping.kind));
            inspection.encoding = Some(layout.encoding.to_owned());
            inspection.columns = columns_of(&layout.mapping);
            inspection.headers = layout.headers;
            inspection.sample = layout.sample;
        }
        Err(rejection) => inspection.problem = Some(rejection.to_string()),
    }
    Ok(inspection)
}

#[tauri::command]
pub async fn import_run(ledger: State<'_, Ledger>, request: ImportRequest) -> Result<ImportResultView, CommandError> {
    let mapping = match (&request.kind, &request.columns) {
        (Some(kind), Some(columns)) => Some(mapping_of(parse_kind(kind)?, columns)?),
        _ => None,
    };
    let mut batch = Batch::default();
    for file in &request.files {
        let format = Format::detect(&file.bytes);
        let csv_mapping = if format == Format::Csv { mapping.as_ref() } else { None };
        batch.extend(import::read(format, &file.name, &file.bytes, csv_mapping, None).0);
    }
    let (header, delimiter) = (batch.header.clone(), batch.delimiter.unwrap_or(';'));
    let mode = if request.valid_only { ImportMode::ValidOnly } else { ImportMode::AllOrNothing };
    let report = ledger.import(batch, mode, request.dry_run).await?;
    if let (Some(name), Some(mapping), false) = (&request.save_preset, &mapping, request.dry_run)
        && !name.trim().is_empty()
    {
        ledger.save_import_preset(name, mapping).await?;
    }
    let rejected_file = match report.rejected_file(header.as_deref(), delimiter) {
        Some(text) if request.valid_only && !request.dry_run => Some(write_rejected(&ledger, &text)?),
        _ => None,
    };
    Ok(view(&report, rejected_file))
}

/// Forgets a saved column mapping.
#[tauri::command]
pub async fn import_delete_preset(ledger: State<'_, Ledger>, name: String) -> Result<(), CommandError> {
    Ok(ledger.delete_import_preset(&name).await?)
}

/// `Imports/rejets-<instant>.csv` beside the ledger file.
fn write_rejected(ledger: &Ledger, text: &str) -> Result<String, Error> {
    let folder = ledger.path().parent().map(PathBuf::from).unwrap_or_default().join("Imports");
    std::fs::create_dir_all(&folder).map_err(|source| Error::File { path: folder.clone(), source })?;
    let path = folder.join(format!("rejets-{}.csv", chrono::Local::now().format("%Y-%m-%d-%H%M%S")));
    std::fs::write(&path, text).map_err(|source| Error::File { path: path.clone(), source })?;
    Ok(path.display().to_string())
}

/// Records shown in the window; the rest are counted.
const SHOWN: usize = 500;

fn view(report: &ImportReport, rejected_file: Option<String>) -> ImportResultView {
    let verdict = if report.dry_run {
        "Simulation : rien n'a été écrit."
    } else if report.committed {
        "Import terminé."
    } else {
        "Rien n'a été importé : corrigez les lignes refusées, ou importez seulement les lignes valides."
    };
    let origin = |o: &import::Origin| match (o.line, &o.path) {
        (Some(line), _) => format!("{}, ligne {line}", o.file),
        (None, Some(path)) => format!("{}, {path}", o.file),
        _ => o.file.clone(),
    };
    ImportResultView {
        dry_run: report.dry_run,
        committed: report.committed,
        summary: format!("{verdict} {}.", report.summary()),
        lines: report
            .records
            .iter()
            .take(SHOWN)
            .map(|r| ImportLine {
                origin: origin(&r.origin),
                what: r.what.clone(),
                outcome: r.outcome.label(report.committed).into(),
                detail: r.detail.clone(),
            })
            .collect(),
        more_lines: u32::try_from(report.records.len().saturating_sub(SHOWN)).unwrap_or(u32::MAX),
        rejected: report.rejected.iter().map(ToString::to_string).collect(),
        notices: report.notices.iter().map(|n| format!("{}, {}", n.origin, n.message)).collect(),
        rejected_file,
    }
}
