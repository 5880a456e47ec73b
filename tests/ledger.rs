//! The ledger on a real SQLite file: every entity, every rule, partial payments, aging at several
//! dates, and the file-level guarantees (WAL, foreign keys, newer schema refused, foreign files left
//! untouched, every write all-or-nothing).

mod common;

use chrono::TimeZone;
use common::*;
use recouvre::ledger::{InvoiceFilter, LedgerCounts};
use recouvre::parties::{DebtorForm, LatePenaltyClause, ProfileForm};
use recouvre::receivables::InvoiceStatus;
use recouvre::receivables::aging::AgingBucket;
use recouvre::receivables::credit_note::CreditNoteForm;
use recouvre::receivables::invoice::{InvoiceForm, NewAttachment};
use recouvre::receivables::payment::{AllocationRequest, PaymentForm};
use recouvre::{Error, Field, Ledger};
use rust_decimal::Decimal;

fn eur(text: &str) -> Decimal {
    recouvre::money::parse_amount(text).unwrap()
}

fn payment(debtor_id: i64, date: &str, amount: &str, invoices: &[&str]) -> PaymentForm {
    PaymentForm {
        debtor_id,
        date: date.into(),
        amount: amount.into(),
        invoices: invoices.iter().map(|s| (*s).to_owned()).collect(),
        ..PaymentForm::default()
    }
}

async fn line(ledger: &Ledger, number: &str, at: &str) -> recouvre::ledger::InvoiceLine {
    ledger
        .invoice_lines(&InvoiceFilter::default(), day(at))
        .await
        .unwrap()
        .into_iter()
        .find(|l| l.invoice.number == number)
        .unwrap_or_else(|| panic!("no line for {number} at {at}"))
}

#[tokio::test]
async fn storage_is_wal_with_foreign_keys_and_current_schema() {
    let t = ledger().await;
    let settings = t.ledger.storage_settings().await.unwrap();
    assert_eq!(settings.journal_mode, "wal");
    assert!(settings.foreign_keys);
    assert_eq!(settings.schema_version, *recouvre::ledger::SCHEMA_VERSION);
    assert!(t.ledger.counts().await.unwrap().is_empty());
}

#[tokio::test]
async fn profile_is_created_then_edited() {
    let t = ledger().await;
    assert_eq!(t.ledger.profile().await.unwrap(), None);
    let form = ProfileForm {
        legal_name: Some("Plomberie Karim SARL".into()),
        siren: Some("732 829 320".into()),
        iban: Some("FR76 3000 6000 0112 3456 7890 189".into()),
        bic: Some("AGRIFRPP".into()),
        late_penalty: Some("15".into()),
        payment_term_days: Some("45".into()),
        ..ProfileForm::default()
    };
    let created = t.ledger.update_profile(&form).await.unwrap();
    assert_eq!(created.late_penalty, LatePenaltyClause::Rate(Decimal::from(15)));
    let edited = t
        .ledger
        .update_profile(&ProfileForm { late_penalty: Some("legal".into()), ..ProfileForm::default() })
        .await
        .unwrap();
    assert_eq!(edited.late_penalty, LatePenaltyClause::LegalDefault);
    assert_eq!(edited.siren.as_deref(), Some("732829320"));
    assert_eq!(t.ledger.profile().await.unwrap(), Some(edited));
    // The profile's payment term fills a missing due date.
    let d = add_debtor(&t.ledger, "pro", "Client").await;
    let invoice = t
        .ledger
        .add_invoice(InvoiceForm { due_date: None, ..invoice_form(d, "F1", "2026-01-10", "x", "100") })
        .await
        .unwrap();
    assert_eq!(invoice.due_date, day("2026-02-24"));
}

#[tokio::test]
async fn debtor_is_recorded_edited_and_read_back() {
    let t = ledger().await;
    let form = DebtorForm {
        siren: Some("552 100 554".into()),
        contact_name: Some("Mme Roux".into()),
        address_lines: Some("3 rue Mercière | Bâtiment B".into()),
        postcode: Some("69002".into()),
        city: Some("Lyon".into()),
        email: Some("compta@roux.fr".into()),
        segment: Some("strategique".into()),
        ..debtor_form("professionnel", "Roux & Fils")
    };
    let created = t.ledger.add_debtor(&form).await.unwrap();
    assert_eq!(created.address.lines, vec!["3 rue Mercière", "Bâtiment B"]);
    assert_eq!(created.siren.as_deref(), Some("552100554"));
    let edited = t
        .ledger
        .edit_debtor(
            created.id,
            &DebtorForm { email: Some(String::new()), notes: Some("Paie à 60 j".into()), ..DebtorForm::default() },
        )
        .await
        .unwrap();
    assert_eq!(edited.email, None);
    assert_eq!(edited.notes, "Paie à 60 j");
    assert_eq!(edited.name, "Roux & Fils");
    assert_eq!(t.ledger.debtor(created.id).await.unwrap(), edited);
    assert!(matches!(t.ledger.debtor(999).await, Err(Error::UnknownDebtor(999))));
}

#[tokio::test]
async fn attachment_is_stored_once_by_content_hash() {
    let t = ledger().await;
    let d = add_debtor(&t.ledger, "pro", "Client").await;
    let pdf = b"%PDF-1.7 invoice".to_vec();
    for number in ["F1", "F2"] {
        let form = InvoiceForm {
            attachment: Some(NewAttachment { file_name: format!("{number}.pdf"), bytes: pdf.clone() }),
            ..invoice_form(d, number, "2026-01-10", "2026-02-10", "100")
        };
        t.ledger.add_invoice(form).await.unwrap();
    }
    let first = t.ledger.invoice("F1").await.unwrap().attachment.unwrap();
    let second = t.ledger.invoice("F2").await.unwrap().attachment.unwrap();
    assert_eq!(first.sha256, second.sha256);
    use sha2::Digest;
    assert_eq!(first.sha256, hex::encode(sha2::Sha256::digest(&pdf)));
    assert_eq!(second.file_name, "F2.pdf");
    assert_eq!(t.ledger.attachment(&first.sha256).await.unwrap(), Some(pdf));
}

#[tokio::test]
async fn partial_payments_credit_notes_and_statuses_over_time() {
    let t = ledger().await;
    let d = add_debtor(&t.ledger, "pro", "Client").await;
    add_invoice(&t.ledger, d, "F1", "2026-01-01", "2026-01-31", "1 200,00").await;
    add_invoice(&t.ledger, d, "F2", "2026-02-01", "2026-03-03", "600").await;
    // 500 to F1 on 15 Feb, then 1 000 oldest first on 20 Mar (700 to F1, 300 to F2).
    t.ledger.add_payment(&payment(d, "15/02/2026", "500", &["F1"]).parse().unwrap()).await.unwrap();
    let second = t.ledger.add_payment(&payment(d, "2026-03-20", "1000", &[]).parse().unwrap()).await.unwrap();
    assert_eq!(
        second.allocations.iter().map(|a| (a.invoice_number.as_str(), a.amount)).collect::<Vec<_>>(),
        vec![("F1", eur("700")), ("F2", eur("300"))]
    );
    // A credit note of 300 closes F2.
    let note = CreditNoteForm {
        number: "AV1".into(),
        invoice_number: "F2".into(),
        date: "2026-03-25".into(),
        amount: "300".into(),
        vat: Some("50".into()),
        reason: Some("remise".into()),
    };
    t.ledger.add_credit_note(&note.parse().unwrap()).await.unwrap();

    let cases = [
        ("F1", "2026-01-15", InvoiceStatus::AEchoir, "1200.00", 0),
        ("F1", "2026-02-10", InvoiceStatus::Echue, "1200.00", 10),
        ("F1", "2026-02-15", InvoiceStatus::PartiellementPayee, "700.00", 15),
        ("F1", "2026-03-20", InvoiceStatus::Payee, "0.00", 0),
        ("F2", "2026-03-03", InvoiceStatus::AEchoir, "600.00", 0),
        ("F2", "2026-03-04", InvoiceStatus::Echue, "600.00", 1),
        ("F2", "2026-03-21", InvoiceStatus::PartiellementPayee, "300.00", 18),
        ("F2", "2026-03-25", InvoiceStatus::Payee, "0.00", 0),
    ];
    for (number, at, status, outstanding, late) in cases {
        let l = line(&t.ledger, number, at).await;
        assert_eq!(
            (l.status, l.balance.outstanding(), l.days_overdue),
            (status, eur(outstanding), late),
            "{number} at {at}"
        );
    }
    // Lettrage dates: F1 by the second payment, F2 by the credit note.
    assert_eq!(t.ledger.invoice("F1").await.unwrap().settled_on, Some(day("2026-03-20")));
    assert_eq!(t.ledger.invoice("F2").await.unwrap().settled_on, Some(day("2026-03-25")));
    // Invoices issued after the date do not exist yet at that date.
    let early = t.ledger.invoice_lines(&InvoiceFilter::default(), day("2026-01-20")).await.unwrap();
    assert_eq!(early.len(), 1);
}

#[tokio::test]
async fn full_credit_note_cancels_and_unallocated_payment_is_a_credit() {
    let t = ledger().await;
    let d = add_debtor(&t.ledger, "consommateur", "Camille Durand").await;
    add_invoice(&t.ledger, d, "F1", "2026-01-01", "2026-01-15", "250").await;
    add_invoice(&t.ledger, d, "F2", "2026-02-01", "2026-02-15", "400").await;
    let cancel = CreditNoteForm {
        number: "AV1".into(),
        invoice_number: "F1".into(),
        date: "2026-01-05".into(),
        amount: "250".into(),
        ..CreditNoteForm::default()
    };
    t.ledger.add_credit_note(&cancel.parse().unwrap()).await.unwrap();
    assert_eq!(line(&t.ledger, "F1", "2026-03-01").await.status, InvoiceStatus::Annulee);

    let on_account = PaymentForm { unallocated: true, ..payment(d, "2026-01-20", "150", &[]) };
    let p = t.ledger.add_payment(&on_account.parse().unwrap()).await.unwrap();
    assert_eq!(p.unallocated(), eur("150"));
    let balance = &t.ledger.debtor_balances(day("2026-03-01"), Some(d)).await.unwrap()[0];
    assert_eq!((balance.outstanding, balance.credit), (eur("400"), eur("150")));
    // It cannot pay F2 before F2 exists; allocated on 5 February, F2 counts as paid from then.
    let early = t
        .ledger
        .allocate_payment(p.id, &AllocationRequest::Invoices(vec![("F2".into(), None)]), day("2026-01-25"))
        .await;
    assert!(early.unwrap_err().to_string().contains("précède la facture F2"));
    let allocated = t
        .ledger
        .allocate_payment(p.id, &AllocationRequest::Invoices(vec![("F2".into(), None)]), day("2026-02-05"))
        .await
        .unwrap();
    assert_eq!(allocated.allocations[0].allocated_on, day("2026-02-05"));
    assert_eq!(allocated.unallocated(), Decimal::ZERO);
    let balance = &t.ledger.debtor_balances(day("2026-03-01"), Some(d)).await.unwrap()[0];
    assert_eq!((balance.outstanding, balance.credit), (eur("250"), Decimal::ZERO));
    // Before the payment arrived, nothing was held.
    let before = &t.ledger.debtor_balances(day("2026-01-10"), Some(d)).await.unwrap()[0];
    assert_eq!((before.outstanding, before.credit), (Decimal::ZERO, Decimal::ZERO));
}

/// Each refused input leaves the ledger exactly as it was.
#[tokio::test]
async fn bad_input_is_refused_and_changes_nothing() {
    let t = ledger().await;
    let l = &t.ledger;
    let d = add_debtor(l, "pro", "Client").await;
    let other = add_debtor(l, "pro", "Autre").await;
    add_invoice(l, d, "F1", "2026-01-01", "2026-01-31", "100").await;
    add_invoice(l, other, "G1", "2026-01-01", "2026-01-31", "100").await;
    let snapshot = |l: &Ledger| {
        let l = l.clone();
        async move {
            let lines = l.invoice_lines(&InvoiceFilter::default(), day("2027-01-01")).await.unwrap();
            (l.counts().await.unwrap(), lines.iter().map(|x| x.balance).collect::<Vec<_>>())
        }
    };
    let before = snapshot(l).await;

    let inv = |f: InvoiceForm| async move { l.add_invoice(f).await.map(|_| ()) };
    let pay = |f: PaymentForm| async move { l.add_payment(&f.parse()?).await.map(|_| ()) };
    let credit = |f: CreditNoteForm| async move { l.add_credit_note(&f.parse()?).await.map(|_| ()) };
    let base = invoice_form(d, "F2", "2026-02-01", "2026-03-01", "100");
    let note = CreditNoteForm {
        number: "AV1".into(),
        invoice_number: "F1".into(),
        date: "2026-02-01".into(),
        amount: "10".into(),
        ..CreditNoteForm::default()
    };
    let results: Vec<(&str, Result<(), Error>, &str)> = vec![
        ("negative amount", inv(InvoiceForm { amount_incl_vat: "-100".into(), ..base.clone() }).await, "invalid_input"),
        ("zero amount", inv(InvoiceForm { amount_incl_vat: "0".into(), ..base.clone() }).await, "invalid_input"),
        (
            "due before issue",
            inv(InvoiceForm { due_date: Some("2026-01-15".into()), ..base.clone() }).await,
            "invalid_input",
        ),
        ("unknown debtor", inv(InvoiceForm { debtor_id: 77, ..base.clone() }).await, "unknown_debtor"),
        (
            "duplicate number",
            inv(InvoiceForm { number: "F1".into(), ..base.clone() }).await,
            "duplicate_invoice_number",
        ),
        ("bad date", inv(InvoiceForm { issue_date: "31/02/2026".into(), ..base.clone() }).await, "invalid_input"),
        ("bad amount", inv(InvoiceForm { amount_incl_vat: "12,34,5".into(), ..base.clone() }).await, "invalid_input"),
        ("other currency", inv(InvoiceForm { currency: Some("USD".into()), ..base.clone() }).await, "invalid_input"),
        ("over-allocation of invoice", pay(payment(d, "2026-02-01", "150", &["F1:150"])).await, "over_allocation"),
        ("over-allocation of payment", pay(payment(d, "2026-02-01", "50", &["F1:80"])).await, "over_allocation"),
        ("other debtor's invoice", pay(payment(d, "2026-02-01", "50", &["G1"])).await, "invalid_input"),
        ("unknown invoice", pay(payment(d, "2026-02-01", "50", &["NOPE"])).await, "unknown_invoice"),
        ("unknown payer", pay(payment(99, "2026-02-01", "50", &[])).await, "unknown_debtor"),
        ("payment before the invoice", pay(payment(d, "2025-12-01", "50", &["F1"])).await, "invalid_input"),
        ("negative payment", pay(payment(d, "2026-02-01", "-5", &[])).await, "invalid_input"),
        (
            "credit note too large",
            credit(CreditNoteForm { amount: "150".into(), ..note.clone() }).await,
            "invalid_input",
        ),
        (
            "credit note before invoice",
            credit(CreditNoteForm { date: "2025-12-01".into(), ..note.clone() }).await,
            "invalid_input",
        ),
        (
            "credit note unknown invoice",
            credit(CreditNoteForm { invoice_number: "X".into(), ..note.clone() }).await,
            "unknown_invoice",
        ),
        (
            "invalid SIREN",
            l.add_debtor(&DebtorForm { siren: Some("123456789".into()), ..debtor_form("pro", "X") }).await.map(|_| ()),
            "invalid_input",
        ),
        (
            "invalid IBAN",
            l.update_profile(&ProfileForm {
                legal_name: Some("X".into()),
                iban: Some("FR7630006000011234567890188".into()),
                ..ProfileForm::default()
            })
            .await
            .map(|_| ()),
            "invalid_input",
        ),
        ("edit unknown debtor", l.edit_debtor(42, &DebtorForm::default()).await.map(|_| ()), "unknown_debtor"),
    ];
    for (case, result, code) in results {
        let error = result.expect_err(case);
        assert_eq!(error.code(), code, "{case}: {error}");
        assert!(error.is_user_error(), "{case}");
    }
    assert_eq!(snapshot(l).await, before);
    assert_eq!(l.profile().await.unwrap(), None);
}

#[tokio::test]
async fn errors_name_the_field_and_the_value() {
    let t = ledger().await;
    let d = add_debtor(&t.ledger, "pro", "Client").await;
    let error = t.ledger.add_invoice(invoice_form(d, "F1", "2026-03-01", "2026-02-01", "10")).await.unwrap_err();
    assert!(matches!(error, Error::Invalid { field: Field::DueDate, .. }));
    let message = error.to_string();
    assert!(message.contains("date d'échéance (due_date)") && message.contains("2026-02-01"), "{message}");
}

/// The bulk insert writes through SQLite's C API: every column must read back as sqlx wrote it
/// before, timestamps in sqlx's own text form (the same as a debtor's, written by sqlx).
#[tokio::test]
async fn bulk_inserted_invoices_read_back_whole() {
    let t = ledger().await;
    let d = add_debtor(&t.ledger, "pro", "Client").await;
    let mut plain = invoice_form(d, "P1", "2026-01-01", "2026-01-31", "120").parse(30).unwrap();
    plain.description = "Prestation « été »".into();
    let mut full = invoice_form(d, "P2", "2026-02-01", "2026-03-03", "1234.56").parse(30).unwrap();
    full.delivered_on = Some(day("2026-01-28"));
    full.attachment = Some(NewAttachment { file_name: "P2.pdf".into(), bytes: b"%PDF-1.7 test".to_vec() });
    assert_eq!(t.ledger.add_invoices(&[plain.clone(), full.clone()]).await.unwrap(), 2);
    for new in [&plain, &full] {
        let stored = t.ledger.invoice(&new.number).await.unwrap();
        assert_eq!(
            (stored.debtor_id, stored.issue_date, stored.due_date, stored.delivered_on),
            (new.debtor_id, new.issue_date, new.due_date, new.delivered_on)
        );
        assert_eq!(
            (stored.amount_excl_vat, stored.vat, stored.amount_incl_vat),
            (new.amount_excl_vat, new.vat, new.amount_incl_vat)
        );
        assert_eq!((stored.currency.as_str(), stored.description.as_str()), ("EUR", new.description.as_str()));
        assert_eq!(stored.created_at, chrono::Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap());
        assert_eq!(
            stored.attachment.as_ref().map(|a| a.file_name.as_str()),
            new.attachment.as_ref().map(|a| a.file_name.as_str())
        );
    }
    assert_eq!(t.ledger.invoice("P1").await.unwrap().attachment, None);
    let pool =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", t.dir.path().join("test.db").display())).await.unwrap();
    let (invoice, debtor): (String, String) = sqlx::query_as(
        "SELECT (SELECT created_at FROM invoices WHERE number = 'P2'), (SELECT created_at FROM debtors LIMIT 1)",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(invoice, debtor, "one text form for every timestamp");
}

#[tokio::test]
async fn a_failed_bulk_insert_names_the_invoice_and_keeps_nothing() {
    let t = ledger().await;
    let d = add_debtor(&t.ledger, "pro", "Client").await;
    let mut invoices: Vec<_> = (0..600)
        .map(|n| invoice_form(d, &format!("B{n:04}"), "2026-01-01", "2026-01-31", "10").parse(30).unwrap())
        .collect();
    invoices[450].debtor_id = 999;
    assert!(matches!(t.ledger.add_invoices(&invoices).await, Err(Error::UnknownDebtor(999))));
    invoices[450].debtor_id = d;
    invoices[599].number = "B0001".into();
    assert!(matches!(t.ledger.add_invoices(&invoices).await, Err(Error::DuplicateInvoiceNumber(n)) if n == "B0001"));
    assert_eq!(t.ledger.counts().await.unwrap().invoices, 0);
    invoices[599].number = "B0599".into();
    assert_eq!(t.ledger.add_invoices(&invoices).await.unwrap(), 600);
}

#[tokio::test]
async fn aging_buckets_at_several_dates() {
    let t = ledger().await;
    let a = add_debtor(&t.ledger, "pro", "Alpha").await;
    let b = add_debtor(&t.ledger, "consommateur", "Bravo").await;
    add_invoice(&t.ledger, a, "A1", "2026-01-01", "2026-01-31", "100").await;
    add_invoice(&t.ledger, a, "A2", "2026-03-01", "2026-03-31", "200").await;
    add_invoice(&t.ledger, b, "B1", "2025-06-01", "2025-06-15", "50").await;
    t.ledger.add_payment(&payment(b, "2026-02-01", "20", &["B1"]).parse().unwrap()).await.unwrap();

    // (date, bucket index → total) for the whole ledger.
    let cases: [(&str, [&str; 6]); 5] = [
        ("2025-06-15", ["50", "0", "0", "0", "0", "0"]),
        ("2025-07-15", ["0", "50", "0", "0", "0", "0"]),
        ("2026-01-31", ["100", "0", "0", "0", "0", "50"]),
        // A1 is 30 days late, B1 was partly paid on 1 February.
        ("2026-03-02", ["200", "100", "0", "0", "0", "30"]),
        // A1 211 days late, A2 152 days late.
        ("2026-08-30", ["0", "0", "0", "0", "200", "130"]),
    ];
    for (at, expected) in cases {
        let report = t.ledger.aging(day(at)).await.unwrap();
        let expected: Vec<Decimal> = expected.iter().map(|s| eur(s)).collect();
        assert_eq!(report.totals.0.to_vec(), expected, "at {at}");
        let per_debtor: Decimal = report.debtors.iter().map(|d| d.buckets.total()).sum();
        assert_eq!(per_debtor, report.totals.total(), "at {at}");
    }
    let report = t.ledger.aging(day("2026-03-02")).await.unwrap();
    assert_eq!(report.debtors[0].debtor_name, "Alpha");
    assert_eq!(report.debtors[0].buckets.0[AgingBucket::NotDue.index()], eur("200"));
    assert_eq!(report.invoice_counts, [1, 1, 0, 0, 0, 1]);
}

#[tokio::test]
async fn dso_by_countback() {
    let t = ledger().await;
    let d = add_debtor(&t.ledger, "pro", "Client").await;
    add_invoice(&t.ledger, d, "F1", "2026-05-10", "2026-06-09", "6000").await;
    add_invoice(&t.ledger, d, "F2", "2026-06-15", "2026-07-15", "3000").await;
    t.ledger.add_payment(&payment(d, "2026-06-20", "3000", &["F1:3000"]).parse().unwrap()).await.unwrap();
    // Owed 6 000 on 30 June: all of the last period's 3 000 (31 days) and half of May's 6 000 (15 days).
    assert_eq!(t.ledger.dso(day("2026-06-30")).await.unwrap(), Some(Decimal::from(46)));
    t.ledger.add_payment(&payment(d, "2026-07-01", "6000", &[]).parse().unwrap()).await.unwrap();
    assert_eq!(t.ledger.dso(day("2026-07-02")).await.unwrap(), None);
}

#[tokio::test]
async fn newer_schema_is_refused_without_touching_the_file() {
    let t = ledger().await;
    let path = t.ledger.path().to_path_buf();
    // Pretend a future Recouvre migrated the file.
    {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (99990101000000, 'future', 1, x'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    }
    t.ledger.clone().close().await;
    let error = Ledger::open(&path).await.unwrap_err();
    assert!(matches!(error, Error::NewerLedger { found: 99990101000000, .. }), "{error}");
    assert!(error.to_string().contains("version plus récente"));
}

#[tokio::test]
async fn foreign_files_are_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "ceci n'est pas une base de données, juste du texte assez long pour SQLite".repeat(20))
        .unwrap();
    let before = std::fs::read(&junk).unwrap();
    assert!(matches!(Ledger::open(&junk).await, Err(Error::NotALedger { .. })));
    assert_eq!(std::fs::read(&junk).unwrap(), before);

    let other = dir.path().join("other.sqlite");
    {
        use sqlx::Connection;
        let url = format!("sqlite://{}?mode=rwc", other.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE recipes (name TEXT)").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    }
    assert!(matches!(Ledger::open(&other).await, Err(Error::NotALedger { .. })));
}

#[tokio::test]
async fn demo_is_deterministic_and_only_for_empty_ledgers() {
    let first = ledger().await;
    let second = ledger().await;
    let until = day("2026-11-24");
    let summary = recouvre::demo::fill(&first.ledger, until).await.unwrap();
    assert_eq!(summary, recouvre::demo::fill(&second.ledger, until).await.unwrap());
    assert_eq!((summary.debtors, summary.invoices), (40, 300));
    assert!(summary.payments > 150 && summary.credit_notes > 5, "{summary:?}");
    let counts = first.ledger.counts().await.unwrap();
    assert_eq!(
        counts,
        LedgerCounts {
            debtors: 40,
            invoices: 300,
            payments: i64::try_from(summary.payments).unwrap(),
            credit_notes: i64::try_from(summary.credit_notes).unwrap()
        }
    );
    let a = first.ledger.aging(until).await.unwrap();
    let b = second.ledger.aging(until).await.unwrap();
    assert_eq!(a, b);
    let kinds = first.ledger.debtor_balances(until, None).await.unwrap();
    assert!(kinds.iter().any(|d| d.debtor.kind == recouvre::parties::DebtorKind::Consommateur));
    assert!(a.totals.overdue() > Decimal::ZERO);
    assert!(matches!(recouvre::demo::fill(&first.ledger, until).await, Err(Error::LedgerNotEmpty)));
}
