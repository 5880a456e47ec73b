//! `recouvre bench`: measures the ledger on generated data, in a temporary directory, and prints
//! the figures. A benchmark anyone can run, not a timed test: nothing fails if the machine is slow.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Days, NaiveDate};
use clap::Args;
use recouvre::Ledger;
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
    let base = args.dir.unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("recouvre-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
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
        println!("  registre Recouvre (sqlx)      {:>9.1} ms   (objectif < 1 500 ms)", figures.insert_ledger_ms);
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
