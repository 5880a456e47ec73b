//! `recouvre bench`: measures the ledger on generated data, in a temporary directory, and prints
//! the figures. A benchmark anyone can run, not a timed test: nothing fails if the machine is slow.
//!
//! `recouvre bench --letters` measures the PDF letter engine instead, on the demo ledger: one formal
//! notice (compose and render, its size), a batch of letters written one file each plus one file for
//! the printer, and the process's peak memory. `scripts/bench-letters` sets the same letter's HTML
//! against WeasyPrint.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, Days, NaiveDate, Utc};
use clap::Args;
use recouvre::Ledger;
use recouvre::documents::model::Letter;
use recouvre::documents::pdf::{self, layout};
use recouvre::documents::{DocumentKind, html};
use recouvre::ledger::LetterRequest;
use recouvre::parties::{DebtorDetails, DebtorKind, PostalAddress, Segment};
use recouvre::receivables::invoice::{CURRENCY, NewInvoice};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Args)]
pub struct BenchArgs {
    /// Invoices inserted in the insertion benchmark.
    #[arg(long, default_value_t = 100_000)]
    invoices: usize,
    /// Invoices in the ledger of the aging benchmark.
    #[arg(long, default_value_t = 1_000_000)]
    aging_invoices: usize,
    /// Debtors in the ledger of the aging benchmark.
    #[arg(long, default_value_t = 100_000)]
    aging_debtors: usize,
    /// Repetitions of each measure (the median is reported).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// Directory for the temporary ledgers (default: the system's temporary directory).
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Keep the generated ledgers (to inspect query plans) instead of deleting them.
    #[arg(long)]
    keep: bool,
    /// Measure the PDF letter engine instead (on the demo ledger): one formal notice, a batch, memory.
    #[arg(long)]
    letters: bool,
    /// Letters benchmark: renders of the one letter (the median is reported).
    #[arg(long, default_value_t = 200, requires = "letters")]
    letter_runs: usize,
    /// Letters benchmark: letters in the batch.
    #[arg(long, default_value_t = 1000, requires = "letters")]
    batch: usize,
    /// Letters benchmark: also write the measured letter as `letter.pdf` and `letter.html` (the print
    /// HTML, for the WeasyPrint comparison) in this directory.
    #[arg(long, value_name = "DIR", requires = "letters")]
    write_sample: Option<PathBuf>,
    /// Measure the importers instead: an invoices CSV, a FEC, Factur-X PDFs (generated).
    #[arg(long, conflicts_with = "letters")]
    imports: bool,
    /// Imports benchmark: lines of the invoices CSV.
    #[arg(long, default_value_t = 100_000, requires = "imports")]
    csv_lines: usize,
    /// Imports benchmark: lines of the FEC.
    #[arg(long, default_value_t = 1_000_000, requires = "imports")]
    fec_lines: usize,
    /// Imports benchmark: Factur-X PDFs.
    #[arg(long, default_value_t = 1000, requires = "imports")]
    facturx: usize,
}

#[derive(Serialize)]
struct Figures {
    insert_invoices: usize,
    insert_ledger_ms: f64,
    insert_reference_ms: f64,
    insert_ratio: f64,
    insert_db_bytes: u64,
    aging_invoices: usize,
    aging_debtors: usize,
    aging_fill_ms: f64,
    aging_ms: f64,
    aging_debtor_lines: usize,
    aging_db_bytes: u64,
    agenda_ms: f64,
    agenda_actions: usize,
    agenda_waiting: usize,
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1000.0 * 10.0).round() / 10.0
}

/// The same invoices for every run: 1 000 debtors, amounts and dates spread over two years.
fn invoices(count: usize, debtor_ids: &[i64], until: NaiveDate) -> Vec<NewInvoice> {
    (0..count)
        .map(|n| {
            let issue = until.checked_sub_days(Days::new((n % 730) as u64)).unwrap_or(until);
            let excl = Decimal::new(10_000 + (n as i64 * 7919) % 500_000, 2);
            let vat = (excl / Decimal::from(5)).round_dp(2);
            NewInvoice {
                debtor_id: debtor_ids[n % debtor_ids.len()],
                number: format!("F-{n:08}"),
                issue_date: issue,
                due_date: issue.checked_add_days(Days::new(30)).unwrap_or(issue),
                amount_excl_vat: excl,
                vat,
                amount_incl_vat: excl + vat,
                currency: CURRENCY.to_owned(),
                description: "Prestation".to_owned(),
                attachment: None,
                delivered_on: None,
            }
        })
        .collect()
}

async fn fresh_ledger(dir: &std::path::Path, name: &str) -> anyhow::Result<(Ledger, Vec<i64>)> {
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let ledger = Ledger::open(&path).await?;
    let debtors: Vec<DebtorDetails> = (0..1000)
        .map(|n| DebtorDetails {
            kind: if n % 5 == 0 { DebtorKind::Consommateur } else { DebtorKind::Professionnel },
            name: format!("Client {n:04}"),
            siren: None,
            contact_name: None,
            address: PostalAddress { country: "FR".into(), ..PostalAddress::default() },
            email: None,
            phone: None,
            segment: Segment::Regulier,
            notes: String::new(),
            contract_penalty_rate: None,
        })
        .collect();
    let mut tx = ledger.begin().await?;
    let ids = tx.add_debtors(&debtors).await?;
    tx.commit().await?;
    Ok((ledger, ids))
}

pub async fn run(args: BenchArgs, json: bool) -> anyhow::Result<()> {
    let base = args.dir.clone().unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("recouvre-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    if args.letters {
        let result = measure_letters(&args, &dir, json).await;
        if args.keep {
            eprintln!("Registre et lettres conservés dans {}", dir.display());
        } else {
            let _ = std::fs::remove_dir_all(&dir);
        }
        return print_letters(&result?, json);
    }
    if args.imports {
        let result = measure_imports(&args, &dir).await;
        if !args.keep {
            let _ = std::fs::remove_dir_all(&dir);
        }
        let figures = result?;
        if json {
            println!("{}", serde_json::to_string_pretty(&figures)?);
        } else {
            crate::bench_imports::print(&figures);
        }
        return Ok(());
    }
    let result = measure(&args.invoices, args.aging_invoices, args.aging_debtors, args.runs.max(1), &dir, json).await;
    if args.keep {
        eprintln!("Registres conservés dans {}", dir.display());
    } else {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let figures = result?;
    if json {
        println!("{}", serde_json::to_string_pretty(&figures)?);
    } else {
        println!("\nInsertion de {} factures (une transaction, validation comprise)", figures.insert_invoices);
        println!("  registre Recouvre (validé)     {:>8.1} ms   (objectif < 1 500 ms)", figures.insert_ledger_ms);
        println!("  SQLite brut (API C, référence) {:>8.1} ms", figures.insert_reference_ms);
        println!("  rapport                        {:>8.2} ×   (objectif ≤ 2 ×)", figures.insert_ratio);
        println!("  taille du fichier              {:>8.1} Mo", figures.insert_db_bytes as f64 / 1e6);
        println!("\nBalance âgée sur {} factures / {} débiteurs", figures.aging_invoices, figures.aging_debtors);
        println!("  génération des données         {:>8.1} ms", figures.aging_fill_ms);
        println!("  balance âgée (médiane)         {:>8.1} ms   (objectif < 200 ms)", figures.aging_ms);
        println!("  lignes débiteurs               {:>8}", figures.aging_debtor_lines);
        println!("  taille du fichier              {:>8.1} Mo", figures.aging_db_bytes as f64 / 1e6);
        println!("\nAgenda du jour sur le même registre");
        println!("  agenda (médiane)               {:>8.1} ms   (objectif < 300 ms)", figures.agenda_ms);
        println!("  actions proposées / en attente {:>8} / {}", figures.agenda_actions, figures.agenda_waiting);
    }
    Ok(())
}

async fn measure_imports(args: &BenchArgs, dir: &Path) -> anyhow::Result<Vec<crate::bench_imports::ImportFigure>> {
    use crate::bench_imports::{facturx_files, fec, invoices_csv, measure};
    use recouvre::import::Format;
    eprintln!("Génération des fichiers…");
    let csv = vec![("factures.csv".to_owned(), invoices_csv(args.csv_lines))];
    let fec = vec![("123456789FEC20261231.txt".to_owned(), fec(args.fec_lines))];
    let pdfs = facturx_files(args.facturx)?;
    let mut figures = Vec::new();
    eprintln!("CSV…");
    figures.push(measure("CSV de factures", &dir.join("csv.db"), Format::Csv, &csv, 1500.0).await?);
    eprintln!("FEC…");
    figures.push(measure("FEC", &dir.join("fec.db"), Format::Fec, &fec, 5000.0).await?);
    eprintln!("Factur-X…");
    figures.push(measure("PDF Factur-X", &dir.join("facturx.db"), Format::EInvoice, &pdfs, 10_000.0).await?);
    Ok(figures)
}

async fn measure(
    insert_count: &usize,
    aging_invoices: usize,
    aging_debtors: usize,
    runs: usize,
    dir: &std::path::Path,
    json: bool,
) -> anyhow::Result<Figures> {
    let until = NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date");
    let progress = |text: &str| {
        if !json {
            eprintln!("… {text}");
        }
    };
    let (mut ledger_runs, mut reference_runs) = (Vec::new(), Vec::new());
    let mut insert_db_bytes = 0;
    for run in 1..=runs {
        progress(&format!("insertion, essai {run}/{runs}"));
        let (ledger, ids) = fresh_ledger(dir, "insert.db").await?;
        let rows = invoices(*insert_count, &ids, until);
        let started = Instant::now();
        ledger.add_invoices(&rows).await?;
        ledger_runs.push(started.elapsed());
        insert_db_bytes = ledger.file_size().await?;
        ledger.close().await;

        let (reference, _) = fresh_ledger(dir, "reference.db").await?;
        let started = Instant::now();
        reference.reference_insert_invoices(&rows).await?;
        reference_runs.push(started.elapsed());
        reference.close().await;
    }
    let (insert_ledger, insert_reference) = (median(ledger_runs), median(reference_runs));

    progress(&format!("génération de {aging_invoices} factures pour {aging_debtors} débiteurs"));
    let path = dir.join("aging.db");
    let aging_ledger = Ledger::open(&path).await?;
    let started = Instant::now();
    aging_ledger.fill_for_benchmark(aging_debtors, aging_invoices, until).await?;
    let aging_fill = started.elapsed();
    let aging_db_bytes = aging_ledger.file_size().await?;
    let mut aging_runs = Vec::new();
    let mut lines = 0;
    // One run first to warm the page cache, as on a laptop where the app is already open.
    aging_ledger.aging(until).await?;
    for run in 1..=runs {
        progress(&format!("balance âgée, essai {run}/{runs}"));
        let started = Instant::now();
        let report = aging_ledger.aging(until).await?;
        aging_runs.push(started.elapsed());
        lines = report.debtors.len();
    }
    let morning = until.and_hms_opt(10, 0, 0).expect("valid time");
    aging_ledger.agenda(morning).await?;
    let (mut agenda_runs, mut agenda_actions, mut agenda_waiting) = (Vec::new(), 0, 0);
    for run in 1..=runs {
        progress(&format!("agenda, essai {run}/{runs}"));
        let started = Instant::now();
        let agenda = aging_ledger.agenda(morning).await?;
        agenda_runs.push(started.elapsed());
        (agenda_actions, agenda_waiting) = (agenda.actions.len(), agenda.waiting.len());
    }
    aging_ledger.close().await;
    Ok(Figures {
        insert_invoices: *insert_count,
        insert_ledger_ms: ms(insert_ledger),
        insert_reference_ms: ms(insert_reference),
        insert_ratio: (insert_ledger.as_secs_f64() / insert_reference.as_secs_f64().max(1e-9) * 100.0).round() / 100.0,
        insert_db_bytes,
        aging_invoices,
        aging_debtors,
        aging_fill_ms: ms(aging_fill),
        aging_ms: ms(median(aging_runs)),
        aging_debtor_lines: lines,
        aging_db_bytes,
        agenda_ms: ms(median(agenda_runs)),
        agenda_actions,
        agenda_waiting,
    })
}

/// Legal rates the shipped table lacks for the demo's dates (test figures, as in the tests): without
/// them the late-payment figures of a formal notice dated late 2026 cannot be computed.
const TEST_RATES: &str = "kind,key,value,source
ecb_mro,2026-07-01,2.15,test figure
ecb_known_until,2027-12-31,,test figure
legal_ac,2026-S2,2.62,test figure
legal_pp,2026-S2,6.67,test figure
ecb_mro,2027-01-01,2.15,test figure
legal_ac,2027-S1,2.62,test figure
legal_pp,2027-S1,6.67,test figure
";

/// The targets of the letter engine (WeasyPrint takes about 60 ms on the same letter here).
const TARGET_LETTER_MS: f64 = 6.0;
const TARGET_LETTER_BYTES: usize = 30_000;
const TARGET_BATCH_MS: f64 = 10_000.0;
const TARGET_PEAK_BYTES: u64 = 200_000_000;

/// The documents of the batch, in turn for each debtor who owes something.
const BATCH_KINDS: [DocumentKind; 4] = [
    DocumentKind::MiseEnDemeure,
    DocumentKind::DernierRappel,
    DocumentKind::RelanceFormelle,
    DocumentKind::RelanceAmiable,
];

#[derive(Serialize)]
struct LetterFigures {
    /// Date of the demo ledger and of every letter.
    date: NaiveDate,
    sample: Sample,
    runs: usize,
    /// The very first render of the process (the fonts' tables are read then).
    first_render_ms: f64,
    compose_ms: f64,
    render_ms: f64,
    compose_render_ms: f64,
    batch: BatchFigures,
    /// VmHWM of /proc/self/status at the end: the most resident memory the process ever used.
    peak_memory_bytes: Option<u64>,
    targets: Targets,
}

#[derive(Serialize)]
struct Sample {
    debtor_id: i64,
    debtor_name: String,
    kind: DocumentKind,
    pages: usize,
    pdf_bytes: usize,
    html_bytes: usize,
    pdf_file: Option<PathBuf>,
    html_file: Option<PathBuf>,
}

#[derive(Serialize)]
struct BatchFigures {
    letters: usize,
    /// Different (debtor, document) pairs the batch cycles over.
    distinct_letters: usize,
    /// Threads writing one file per letter (one more writes the combined file meanwhile).
    threads: usize,
    pages: usize,
    compose_ms: f64,
    /// One file per letter and the combined file, written to disk (both at once).
    render_write_ms: f64,
    /// From the start of rendering to the last single file written.
    files_done_ms: f64,
    /// From the start of rendering to the combined file written.
    combined_done_ms: f64,
    total_ms: f64,
    /// The same on one thread (files kept in memory): a machine with one core.
    one_thread_ms: f64,
    files_bytes: u64,
    combined_bytes: usize,
}

#[derive(Serialize)]
struct Targets {
    letter_ms: f64,
    letter_bytes: usize,
    batch_ms: f64,
    peak_memory_bytes: u64,
}

/// Milliseconds to the microsecond, for the figures of one letter.
fn fine_ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// The most resident memory the process used (VmHWM), where the system tells it (Linux).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.trim_start_matches("VmHWM:").trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kilobytes * 1024)
}

async fn measure_letters(args: &BenchArgs, dir: &Path, json: bool) -> anyhow::Result<LetterFigures> {
    let date = NaiveDate::from_ymd_opt(2026, 11, 24).expect("valid date");
    let created: DateTime<Utc> = date.and_hms_opt(10, 0, 0).expect("valid time").and_utc();
    let progress = |text: &str| {
        if !json {
            eprintln!("… {text}");
        }
    };
    progress(&format!("registre de démonstration au {date}"));
    let ledger = Ledger::open(dir.join("letters.db")).await?;
    let result = measure_letters_in(&ledger, args, dir, date, created, &progress).await;
    ledger.close().await;
    result
}

async fn measure_letters_in(
    ledger: &Ledger,
    args: &BenchArgs,
    dir: &Path,
    date: NaiveDate,
    created: DateTime<Utc>,
    progress: &impl Fn(&str),
) -> anyhow::Result<LetterFigures> {
    recouvre::demo::fill(ledger, date).await?;
    ledger.import_rates(&recouvre::law::rates::parse(TEST_RATES, "taux de test")?).await?;

    // Every letter the demo can produce at that date: the debtors who owe something, and for each the
    // documents their situation allows (nothing overdue: no reminder).
    let aging = ledger.aging(date).await?;
    let mut pairs = Vec::new();
    let mut notices = Vec::new();
    let mut first_render = None;
    for debtor in &aging.debtors {
        for kind in BATCH_KINDS {
            let letter = match ledger.compose_letter(&LetterRequest::new(debtor.debtor_id, kind, date)).await {
                Ok((letter, _, _)) => letter,
                Err(error) if error.is_user_error() => continue,
                Err(error) => return Err(error.into()),
            };
            pairs.push((debtor.debtor_id, kind));
            if kind == DocumentKind::MiseEnDemeure {
                let started = Instant::now();
                let bytes = pdf::render(&letter, created)?;
                first_render.get_or_insert(started.elapsed());
                notices.push((layout::lay_out(&letter).len(), bytes.len(), debtor, letter));
            }
        }
    }
    // The shortest formal notice: one page if the demo has one.
    notices.sort_by_key(|(pages, size, debtor, _)| (*pages, *size, debtor.debtor_id));
    let Some((pages, _, debtor, letter)) = notices.into_iter().next() else {
        anyhow::bail!("le registre de démonstration n'a aucune mise en demeure à produire au {date}");
    };
    let request = LetterRequest::new(debtor.debtor_id, DocumentKind::MiseEnDemeure, date);
    let page_html = html::render(&letter, true);
    let sample_pdf = pdf::render(&letter, created)?;
    let (mut pdf_file, mut html_file) = (None, None);
    if let Some(out) = &args.write_sample {
        std::fs::create_dir_all(out)?;
        let (pdf_path, html_path) = (out.join("letter.pdf"), out.join("letter.html"));
        std::fs::write(&pdf_path, &sample_pdf)?;
        std::fs::write(&html_path, &page_html)?;
        (pdf_file, html_file) = (Some(pdf_path), Some(html_path));
    }
    let sample = Sample {
        debtor_id: debtor.debtor_id,
        debtor_name: debtor.debtor_name.clone(),
        kind: DocumentKind::MiseEnDemeure,
        pages,
        pdf_bytes: sample_pdf.len(),
        html_bytes: page_html.len(),
        pdf_file,
        html_file,
    };

    let runs = args.letter_runs.max(1);
    progress(&format!("mise en demeure n° {} ({pages} p.), {runs} essais", debtor.debtor_id));
    // A few rounds first, as in an app already open.
    for _ in 0..5 {
        let (letter, _, _) = ledger.compose_letter(&request).await?;
        pdf::render(&letter, created)?;
    }
    let (mut compose_runs, mut render_runs, mut both_runs) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let started = Instant::now();
        let (letter, _, _) = ledger.compose_letter(&request).await?;
        let composed = started.elapsed();
        let rendered = Instant::now();
        let bytes = pdf::render(&letter, created)?;
        render_runs.push(rendered.elapsed());
        both_runs.push(started.elapsed());
        compose_runs.push(composed);
        anyhow::ensure!(bytes.len() == sample.pdf_bytes, "le même courrier a donné deux tailles de PDF");
    }

    progress(&format!("lot de {} lettres", args.batch));
    let batch = batch(ledger, &pairs, args.batch, date, created, &dir.join("batch")).await?;
    Ok(LetterFigures {
        date,
        sample,
        runs,
        first_render_ms: fine_ms(first_render.unwrap_or_default()),
        compose_ms: fine_ms(median(compose_runs)),
        render_ms: fine_ms(median(render_runs)),
        compose_render_ms: fine_ms(median(both_runs)),
        batch,
        peak_memory_bytes: peak_memory(),
        targets: Targets {
            letter_ms: TARGET_LETTER_MS,
            letter_bytes: TARGET_LETTER_BYTES,
            batch_ms: TARGET_BATCH_MS,
            peak_memory_bytes: TARGET_PEAK_BYTES,
        },
    })
}

/// Composes `count` letters cycling over `pairs`, then writes each to its own file and all of them to
/// one file for the printer, on every core: the files split between threads, the combined file on one
/// more.
async fn batch(
    ledger: &Ledger,
    pairs: &[(i64, DocumentKind)],
    count: usize,
    date: NaiveDate,
    created: DateTime<Utc>,
    out: &Path,
) -> anyhow::Result<BatchFigures> {
    anyhow::ensure!(!pairs.is_empty() && count > 0, "aucune lettre à produire");
    std::fs::create_dir_all(out)?;
    let started = Instant::now();
    let mut letters: Vec<Letter> = Vec::with_capacity(count);
    for index in 0..count {
        let (debtor, kind) = pairs[index % pairs.len()];
        letters.push(ledger.compose_letter(&LetterRequest::new(debtor, kind, date)).await?.0);
    }
    let composed = started.elapsed();
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let chunk = count.div_ceil(threads);
    let rendering = Instant::now();
    let ((files_bytes, files_time), (combined_bytes, combined_time)) = std::thread::scope(|scope| {
        let letters = &letters;
        let combined = scope.spawn(move || -> anyhow::Result<(usize, Duration)> {
            let bytes = pdf::render_many(letters, created)?;
            std::fs::write(out.join("courriers-du-jour.pdf"), &bytes)?;
            Ok((bytes.len(), rendering.elapsed()))
        });
        let workers: Vec<_> = letters
            .chunks(chunk)
            .enumerate()
            .map(|(part, slice)| {
                scope.spawn(move || -> anyhow::Result<u64> {
                    let mut written = 0;
                    for (offset, letter) in slice.iter().enumerate() {
                        let bytes = pdf::render(letter, created)?;
                        std::fs::write(out.join(format!("{:05}.pdf", part * chunk + offset + 1)), &bytes)?;
                        written += bytes.len() as u64;
                    }
                    Ok(written)
                })
            })
            .collect();
        let mut files_bytes = 0;
        for worker in workers {
            files_bytes += worker.join().map_err(|_| anyhow::anyhow!("un fil de rendu a paniqué"))??;
        }
        let files_time = rendering.elapsed();
        let combined = combined.join().map_err(|_| anyhow::anyhow!("le rendu du fichier unique a paniqué"))??;
        anyhow::Ok(((files_bytes, files_time), combined))
    })?;
    let total = started.elapsed();
    let pages = letters.iter().map(|l| layout::lay_out(l).len()).sum();
    drop(letters);

    // The same work on one thread (compose and render each letter, then the combined file; nothing
    // written to disk): what a one-core machine would take. `Ledger::print_day` renders on every core.
    let started = Instant::now();
    let mut letters: Vec<Letter> = Vec::with_capacity(count);
    let mut rendered = Vec::with_capacity(count);
    for index in 0..count {
        let (debtor, kind) = pairs[index % pairs.len()];
        let letter = ledger.compose_letter(&LetterRequest::new(debtor, kind, date)).await?.0;
        rendered.push(pdf::render(&letter, created)?);
        letters.push(letter);
    }
    let combined = pdf::render_many(&letters, created)?;
    let one_thread = started.elapsed();
    anyhow::ensure!(combined.len() == combined_bytes, "le fichier unique a changé de taille d'un rendu à l'autre");
    Ok(BatchFigures {
        letters: count,
        distinct_letters: pairs.len(),
        threads,
        pages,
        compose_ms: ms(composed),
        render_write_ms: ms(total - composed),
        files_done_ms: ms(files_time),
        combined_done_ms: ms(combined_time),
        total_ms: ms(total),
        one_thread_ms: ms(one_thread),
        files_bytes,
        combined_bytes,
    })
}

fn print_letters(figures: &LetterFigures, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(figures)?);
        return Ok(());
    }
    let sample = &figures.sample;
    println!(
        "\nMise en demeure au {} : débiteur {} ({}), {} page{}",
        recouvre::dates::format_date_fr(figures.date),
        sample.debtor_id,
        sample.debtor_name,
        sample.pages,
        if sample.pages > 1 { "s (aucune mise en demeure d'une page dans la démo)" } else { "" }
    );
    println!(
        "  composition + rendu (médiane)  {:>8.3} ms   (objectif ≤ {} ms : 10 × WeasyPrint)",
        figures.compose_render_ms, figures.targets.letter_ms
    );
    println!("  composition seule (médiane)    {:>8.3} ms", figures.compose_ms);
    println!("  rendu PDF seul (médiane)       {:>8.3} ms   ({} essais)", figures.render_ms, figures.runs);
    println!("  premier rendu (polices lues)   {:>8.3} ms", figures.first_render_ms);
    println!(
        "  taille du PDF                  {:>8} octets (objectif ≤ {} octets, polices incorporées en sous-ensemble)",
        sample.pdf_bytes, figures.targets.letter_bytes
    );
    let batch = &figures.batch;
    println!(
        "\nLot de {} lettres ({} courriers différents, {} pages) : {} fils pour les fichiers, 1 pour le fichier unique",
        batch.letters, batch.distinct_letters, batch.pages, batch.threads
    );
    println!("  composition                    {:>8.1} ms", batch.compose_ms);
    println!("  rendu et écriture              {:>8.1} ms   (les deux à la fois :)", batch.render_write_ms);
    println!("    un fichier par lettre, fini à {:>7.1} ms", batch.files_done_ms);
    println!("    fichier unique, fini à        {:>7.1} ms", batch.combined_done_ms);
    println!(
        "  total                          {:>8.1} ms   (objectif < {} ms)",
        batch.total_ms, figures.targets.batch_ms
    );
    println!(
        "  le même sur un seul fil        {:>8.1} ms   (comme les courriers du jour de l'app)",
        batch.one_thread_ms
    );
    println!(
        "  tailles                        {:>8.1} Mo (fichiers) / {:.1} Mo (fichier unique)",
        batch.files_bytes as f64 / 1e6,
        batch.combined_bytes as f64 / 1e6
    );
    match figures.peak_memory_bytes {
        Some(peak) => println!(
            "\nMémoire maximale (VmHWM)         {:>8.1} Mo   (objectif < {} Mo)",
            peak as f64 / 1e6,
            figures.targets.peak_memory_bytes / 1_000_000
        ),
        None => println!("\nMémoire maximale : inconnue (pas de /proc/self/status)"),
    }
    Ok(())
}
