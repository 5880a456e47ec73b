//! `recouvre bench --imports`: the importers on generated files, each into a fresh ledger file:
//! a 100 000-line invoices CSV, a 1 000 000-line FEC, 1 000 Factur-X PDFs. Reading (decoding,
//! parsing, checking) and applying (matching, writing, committing) are timed apart and together.

use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use recouvre::Ledger;
use recouvre::import::{self, Batch, Format, ImportMode, ImportReport};
use serde::Serialize;

/// One importer measured.
#[derive(Serialize)]
pub struct ImportFigure {
    pub what: String,
    pub file_lines: usize,
    pub file_bytes: usize,
    pub read_ms: f64,
    pub apply_ms: f64,
    pub total_ms: f64,
    pub target_ms: f64,
    pub invoices_created: usize,
    pub payments_created: usize,
    pub credit_notes_created: usize,
    pub rejected: usize,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0
}

/// An invoicing tool's export: `;`, French amounts and dates, 5 000 clients, one line in ten partly paid.
pub fn invoices_csv(lines: usize) -> Vec<u8> {
    let mut out = String::with_capacity(lines * 110);
    out.push_str("N° Facture;Client;Date;Échéance;Montant HT;TVA;Montant TTC;Réglé;Description\n");
    for n in 0..lines {
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        let excl = 10_000 + (n as i64 * 7919) % 500_000;
        let vat = excl / 5;
        let paid = if n % 10 == 0 { (excl + vat) / 2 } else { 0 };
        let _ = writeln!(
            out,
            "B-{n:07};Client {:05} SARL;{day:02}/{month:02}/2026;{day:02}/{:02}/2027;{};{};{};{};Prestation {n}",
            n % 5000,
            month,
            french(excl),
            french(vat),
            french(excl + vat),
            if paid > 0 { french(paid) } else { String::new() },
        );
    }
    out.into_bytes()
}

fn french(cents: i64) -> String {
    let units = cents / 100;
    let grouped = if units >= 1000 { format!("{} {:03}", units / 1000, units % 1000) } else { units.to_string() };
    format!("{grouped},{:02}", cents % 100)
}

/// An accountant's year: 5 lines per invoice (customer debit, sales and VAT credits; for nine in
/// ten, the payment lettered against it), 5 000 customer accounts.
pub fn fec(lines: usize) -> Vec<u8> {
    let mut out = String::with_capacity(lines * 120);
    out.push_str(
        "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|PieceRef|PieceDate|\
         EcritureLib|Debit|Credit|EcritureLet|DateLet|ValidDate|Montantdevise|Idevise\n",
    );
    let mut written = 0;
    let mut n = 0;
    while written < lines {
        let month = 1 + (n / 28) % 12;
        let date = format!("2026{month:02}{:02}", 1 + n % 28);
        let customer = n % 5000;
        let excl = 10_000 + (n as i64 * 7919) % 500_000;
        let vat = excl / 5;
        let incl = excl + vat;
        let piece = format!("F{n:07}");
        let paid = n % 10 != 0;
        let letter = if paid { letters(n) } else { String::new() };
        let aux = format!("411C{customer:05}|Client {customer:05} SARL");
        let amount = |c: i64| format!("{},{:02}", c / 100, c % 100);
        let _ = writeln!(
            out,
            "VT|Ventes|V{n}|{date}|411000|Clients|{aux}|{piece}|{date}|Facture {piece}|{}|0,00|{letter}|||||",
            amount(incl)
        );
        let _ = writeln!(
            out,
            "VT|Ventes|V{n}|{date}|706000|Prestations de services|||{piece}|{date}|Facture {piece}|0,00|{}||||||",
            amount(excl)
        );
        let _ = writeln!(
            out,
            "VT|Ventes|V{n}|{date}|445710|TVA collectée|||{piece}|{date}|Facture {piece}|0,00|{}||||||",
            amount(vat)
        );
        written += 3;
        if paid {
            let _ = writeln!(
                out,
                "BQ|Banque|B{n}|{date}|411000|Clients|{aux}|{piece}|{date}|Règlement {piece}|0,00|{}|{letter}|{date}||||",
                amount(incl)
            );
            let _ = writeln!(
                out,
                "BQ|Banque|B{n}|{date}|512000|Banque|||{piece}|{date}|Règlement {piece}|{}|0,00||||||",
                amount(incl)
            );
            written += 2;
        }
        n += 1;
    }
    out.into_bytes()
}

/// Lettering codes as accounting programs write them: A, B, … Z, AA, AB…
fn letters(mut n: usize) -> String {
    let mut code = Vec::new();
    loop {
        code.push(b'A' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
        n -= 1;
    }
    code.reverse();
    String::from_utf8(code).unwrap_or_default()
}

/// Reads and applies `files` into a fresh ledger at `path`, timing both.
pub async fn measure(
    what: &str,
    path: &Path,
    format: Format,
    files: &[(String, Vec<u8>)],
    target_ms: f64,
) -> anyhow::Result<ImportFigure> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let ledger = Ledger::open(path).await?;
    let started = Instant::now();
    let mut batch = Batch::default();
    for (name, bytes) in files {
        batch.extend(import::read(format, name, bytes, None, None).0);
    }
    let read = started.elapsed();
    let applying = Instant::now();
    let report: ImportReport = ledger.import(batch, ImportMode::AllOrNothing, false).await?;
    let apply = applying.elapsed();
    ledger.close().await;
    let file_lines = files.iter().map(|(_, b)| b.iter().filter(|&&c| c == b'\n').count().saturating_sub(1)).sum();
    Ok(ImportFigure {
        what: what.to_owned(),
        file_lines: if format == Format::EInvoice { files.len() } else { file_lines },
        file_bytes: files.iter().map(|(_, b)| b.len()).sum(),
        read_ms: ms(read),
        apply_ms: ms(apply),
        total_ms: ms(read + apply),
        target_ms,
        invoices_created: report.invoices.created,
        payments_created: report.payments.created,
        credit_notes_created: report.credit_notes.created,
        rejected: report.rejected.len(),
    })
}

pub fn print(figures: &[ImportFigure]) {
    for f in figures {
        println!("\n{} ({} lignes ou fichiers, {:.1} Mo)", f.what, f.file_lines, f.file_bytes as f64 / 1e6);
        println!("  lecture (décodage, analyse, contrôles) {:>9.1} ms", f.read_ms);
        println!("  application (rapprochement, écriture)  {:>9.1} ms", f.apply_ms);
        println!(
            "  total                                  {:>9.1} ms   (objectif < {:.0} ms)",
            f.total_ms, f.target_ms
        );
        println!(
            "  créés : {} factures, {} paiements, {} avoirs ; refusés : {}",
            f.invoices_created, f.payments_created, f.credit_notes_created, f.rejected
        );
    }
}

/// The French Factur-X sample shipped with the tests, as the model of every generated PDF.
const FACTURX_SAMPLE: &str =
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/einvoices/factur-x/Facture_FR_EN16931.pdf");

/// `count` Factur-X PDFs: the sample (fonts, images and all, about 100 KB) with its embedded
/// invoice renumbered, so that each is a distinct invoice of a real-sized file.
pub fn facturx_files(count: usize) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    let sample = std::fs::read(FACTURX_SAMPLE).map_err(|e| {
        anyhow::anyhow!("modèle Factur-X introuvable ({FACTURX_SAMPLE}) : {e} ; lancez le banc depuis le dépôt")
    })?;
    let mut doc = lopdf::Document::load_mem(&sample)?;
    let (id, xml) = doc
        .objects
        .iter()
        .find_map(|(id, object)| {
            let stream = object.as_stream().ok()?;
            let content = stream.decompressed_content().ok()?;
            String::from_utf8(content).ok().filter(|x| x.contains("CrossIndustryInvoice")).map(|x| (*id, x))
        })
        .ok_or_else(|| anyhow::anyhow!("le modèle n'a pas de facture XML intégrée"))?;
    let mut files = Vec::with_capacity(count);
    for n in 0..count {
        let renumbered = xml.replace("FA-2017-0010", &format!("FX-{n:06}"));
        if let Some(lopdf::Object::Stream(stream)) = doc.objects.get_mut(&id) {
            stream.set_plain_content(renumbered.into_bytes());
            stream.compress()?;
        }
        let mut bytes = Vec::with_capacity(sample.len());
        doc.save_to(&mut bytes)?;
        files.push((format!("facture-{n:06}.pdf"), bytes));
    }
    Ok(files)
}
