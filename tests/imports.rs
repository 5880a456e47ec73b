//! Imports through the real CLI on a real ledger file: CSV from invoicing tools and banks, FEC,
//! Factur-X / CII / UBL e-invoices; broken files of each kind; idempotence; all or nothing unless
//! the user asks for the valid lines; and a round trip through the CSV export.

mod common;

use std::path::PathBuf;

use common::cli::Cli;
use serde_json::Value;

fn fixture(path: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path).display().to_string()
}

fn counts(report: &Value, kind: &str) -> (u64, u64, u64) {
    let c = &report[kind];
    (c["created"].as_u64().unwrap(), c["updated"].as_u64().unwrap(), c["unchanged"].as_u64().unwrap())
}

/// Number of invoices, payments, credit notes and debtors in the ledger, as `init` reports them.
fn ledger_counts(cli: &Cli) -> Value {
    cli.json(&["init"])["counts"].clone()
}

#[test]
fn csv_invoices_then_bank_statement_idempotent() {
    let cli = Cli::new();
    let invoices = fixture("imports/invoices.csv");
    let dry = cli.json(&["import", "csv", &invoices, "--dry-run"]);
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["committed"], false);
    assert_eq!(counts(&dry, "invoices"), (4, 0, 0));
    assert_eq!(ledger_counts(&cli)["invoices"], 0, "a dry run writes nothing");

    let first = cli.json(&["import", "csv", &invoices]);
    assert_eq!(counts(&first, "invoices"), (4, 0, 0));
    assert_eq!(counts(&first, "debtors"), (3, 0, 0), "Dupont appears twice, matched by SIREN");
    assert_eq!(first["encoding"], "UTF-8");
    let again = cli.json(&["import", "csv", &invoices]);
    assert_eq!(counts(&again, "invoices"), (0, 0, 4), "importing twice changes nothing");
    assert_eq!(counts(&again, "payments"), (0, 0, 0));
    assert_eq!(ledger_counts(&cli)["payments"], 1, "the 1 000 € already paid on FA-2026-002");

    let dupont = cli.json(&["debtor", "show", "1"]);
    assert_eq!((dupont["siren"].as_str(), dupont["city"].as_str()), (Some("380129866"), Some("Lyon")));
    let martin = cli.json(&["debtor", "show", "2"]);
    assert_eq!(martin["kind"], "consommateur");
    let invoice = cli.json(&["invoice", "show", "FA-2026-003"]);
    // No due date in the file: the profile's payment term (30 days by default).
    assert_eq!(invoice["due_date"], "2026-11-04");

    // The bank statement: a transfer naming the invoice, one carrying the debtor reference, a
    // debit skipped, and a transfer from nobody we know, refused.
    let bank = fixture("imports/bank.csv");
    let (out, err) = cli.refused_both(&["import", "csv", &bank]);
    assert!(out.contains("INCONNU SARL") && err.contains("Rien n'a été importé"), "{out}\n{err}");
    assert_eq!(ledger_counts(&cli)["payments"], 1, "all or nothing");
    let rejects = cli.path("rejets.csv");
    let report = cli.json(&["import", "csv", &bank, "--valid-only", "--rejected-out", rejects.to_str().unwrap()]);
    assert_eq!(counts(&report, "payments"), (2, 0, 0));
    assert_eq!(report["notices"].as_array().unwrap().len(), 1, "the URSSAF debit");
    let text = std::fs::read_to_string(&rejects).unwrap();
    assert!(text.starts_with("Date opération;Date valeur;Libellé;Débit;Crédit;Erreur\n"), "{text}");
    assert!(text.contains("06/11/2026;06/11/2026;VIR SEPA INCONNU SARL;;75,00;\""), "{text}");
    let paid = cli.json(&["invoice", "show", "FA-2026-001"]);
    assert_eq!(paid["outstanding"], "0.00", "{paid}");
    let again = cli.json(&["import", "csv", &bank, "--valid-only", "--rejected-out", rejects.to_str().unwrap()]);
    assert_eq!(counts(&again, "payments"), (0, 0, 2));
}

#[test]
fn csv_presets_and_legacy_encoding() {
    let cli = Cli::new();
    let old = fixture("imports/invoices-windows-1252.txt");
    let report = cli.json(&["import", "csv", &old, "--save-preset", "Ancien logiciel"]);
    assert_eq!(report["encoding"], "windows-1252");
    assert_eq!(counts(&report, "invoices"), (2, 0, 0));
    let debtors = cli.json(&["debtor", "list"]);
    let names: Vec<&str> = debtors.as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Société Générale d'Édition") && names.contains(&"Café Noël"), "{names:?}");
    let presets = cli.json(&["import", "presets"]);
    assert_eq!(presets[0]["name"], "Ancien logiciel");
    assert_eq!(presets[0]["mapping"]["columns"]["invoice_number"], "Numéro");

    // A file whose headers nothing recognises: mapped by hand, then by the preset saved.
    let odd = cli.path("odd.csv");
    std::fs::write(&odd, "Pièce;Tiers;Jour;Somme TTC\nX-1;Café Noël;01/10/2026;10,00\n").unwrap();
    let (_, err) = cli.refused_both(&["import", "csv", odd.to_str().unwrap()]);
    assert!(err.contains("date (d'émission, ou de l'opération) (date)"), "{err}");
    let maps = ["--map", "date=Jour", "--map", "ttc=Somme TTC", "--map", "numero=Pièce", "--map", "client=Tiers"];
    let mut args = vec!["import", "csv", odd.to_str().unwrap(), "--save-preset", "Bizarre"];
    args.extend_from_slice(&maps);
    assert_eq!(counts(&cli.json(&args), "invoices"), (1, 0, 0));
    let again = cli.json(&["import", "csv", odd.to_str().unwrap(), "--preset", "bizarre"]);
    assert_eq!(counts(&again, "invoices"), (0, 0, 1));
    assert!(cli.refused_both(&["import", "csv", odd.to_str().unwrap(), "--preset", "nope"]).1.contains("préréglage"));
}

#[test]
fn broken_csv_files_name_line_field_and_value_and_change_nothing() {
    let cli = Cli::new();
    cli.ok(&["import", "csv", &fixture("imports/invoices.csv")]);
    let before = ledger_counts(&cli);
    let cases = [
        ("truncated.csv", "ligne 3", "fichier tronqué"),
        ("missing-column.csv", "ligne 1", "client (client)"),
        ("bad-amount.csv", "ligne 3, champ « Montant TTC » (ttc) « 12,34,5 »", "montant illisible"),
        ("bad-date.csv", "ligne 2, champ « Date » (date) « 31/02/2026 »", "n'existe pas"),
        ("negative-amount.csv", "ligne 2, champ « Montant TTC » (ttc) « -100 »", "avoir"),
        ("wrong-encoding.csv", "ligne 1", "pas un fichier texte"),
    ];
    for (file, place, reason) in cases {
        let path = fixture(&format!("imports/broken/{file}"));
        let (_, err) = cli.refused_both(&["import", "csv", &path]);
        assert!(err.contains(&format!("« {file} », {place}")), "{file}: {err}");
        assert!(err.contains(reason), "{file}: {err}");
        assert_eq!(ledger_counts(&cli), before, "{file} changed the ledger");
    }
}

#[test]
fn fec_rebuilds_open_invoices() {
    let cli = Cli::new();
    let fec = fixture("imports/123456789FEC20261231.txt");
    let report = cli.json(&["import", "fec", &fec]);
    assert_eq!(counts(&report, "invoices"), (2, 0, 0), "F-101 is settled; F-102 and F-103 are open");
    assert_eq!(counts(&report, "credit_notes"), (1, 0, 0));
    assert_eq!(counts(&report, "payments"), (2, 0, 0), "the deposit on F-102 and Durand's unmatched transfer");
    let notices: Vec<&str> =
        report["notices"].as_array().unwrap().iter().map(|n| n["message"].as_str().unwrap()).collect();
    assert!(notices.iter().any(|n| n.contains("solde d'ouverture")), "{notices:?}");
    assert!(notices.iter().any(|n| n.contains("Durand Conseil")), "{notices:?}");
    let f102 = cli.json(&["invoice", "show", "F-102"]);
    assert_eq!((f102["vat"].as_str(), f102["outstanding"].as_str()), (Some("100.00"), Some("400.00")));
    let f103 = cli.json(&["invoice", "show", "F-103"]);
    assert_eq!((f103["credited"].as_str(), f103["outstanding"].as_str()), (Some("120.00"), Some("240.00")));
    let again = cli.json(&["import", "fec", &fec]);
    assert_eq!(
        (counts(&again, "invoices"), counts(&again, "credit_notes"), counts(&again, "payments")),
        ((0, 0, 2), (0, 0, 1), (0, 0, 2))
    );

    let (out, err) = cli.refused_both(&["import", "fec", &fixture("imports/broken/bad-lines-FEC.txt")]);
    assert!(out.contains("ligne 2, champ EcritureDate « 20260231 »"), "{out}");
    assert!(out.contains("ligne 3, champ Debit « 12,34,5 »"), "{out}");
    assert!(err.contains("Rien n'a été importé"), "{err}");
    let (_, err) = cli.refused_both(&["import", "fec", &fixture("imports/broken/not-a-fec.txt")]);
    assert!(err.contains("EcritureDate"), "{err}");
}

#[test]
fn round_trip_through_the_csv_export() {
    let cli = Cli::new();
    cli.ok(&["import", "csv", &fixture("imports/invoices.csv")]);
    cli.ok(&["import", "fec", &fixture("imports/123456789FEC20261231.txt")]);
    let exported = cli.path("export.csv");
    cli.ok(&["export", "csv", "--out", exported.to_str().unwrap()]);

    let fresh = Cli::new();
    let report = fresh.json(&["import", "csv", exported.to_str().unwrap()]);
    assert_eq!(report["rejected"].as_array().unwrap().len(), 0, "{report}");
    let again = fresh.path("export.csv");
    fresh.ok(&["export", "csv", "--out", again.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&exported).unwrap(), std::fs::read_to_string(&again).unwrap());
    // The same amounts owed by the same debtors, by the same lateness (ids may differ).
    let aging = |cli: &Cli| {
        let mut rows: Vec<String> = cli
            .json(&["aging", "--at", "2026-11-24"])
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.as_object_mut().unwrap().remove("debtor_id");
                r.to_string()
            })
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(aging(&cli), aging(&fresh));
    assert!(!aging(&cli).is_empty());
}

/// The SHA-256 of the original document kept with an invoice.
fn attachment_hash(cli: &Cli, number: &str) -> Option<String> {
    cli.json(&["invoice", "show", number])["attachment_sha256"].as_str().map(str::to_owned)
}

fn sha256(path: &str) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(std::fs::read(path).unwrap()))
}

#[test]
fn einvoices_facturx_cii_ubl() {
    let cli = Cli::new();
    let files: Vec<String> = ["factur-x/Facture_FR_EN16931.pdf", "factur-x/Avoir_FR_type381_BASIC.pdf"]
        .iter()
        .map(|f| fixture(&format!("einvoices/{f}")))
        .collect();
    let mut args = vec!["import", "facturx"];
    args.extend(files.iter().map(String::as_str));
    let report = cli.json(&args);
    assert_eq!(report["rejected"].as_array().unwrap().len(), 0, "{report}");
    let invoice = cli.json(&["invoice", "show", "FA-2017-0010"]);
    assert_eq!(
        (invoice["total_incl_vat"].as_str(), invoice["due_date"].as_str()),
        (Some("671.15"), Some("2017-12-13"))
    );
    assert_eq!(invoice["paid"], "201.00", "the prepaid part (BT-113)");
    assert_eq!(attachment_hash(&cli, "FA-2017-0010"), Some(sha256(&files[0])), "the original PDF is kept");
    let again = cli.json(&args);
    assert_eq!(counts(&again, "invoices").0, 0, "{again}");

    // The same German invoice as a PDF, a CII and a UBL file: one invoice, imported once.
    let other = Cli::new();
    for file in ["factur-x/EN16931_Einfach.pdf", "cii/EN16931_Einfach.cii.xml", "ubl/EN16931_Einfach.ubl.xml"] {
        other.ok(&["import", "facturx", &fixture(&format!("einvoices/{file}"))]);
    }
    assert_eq!(ledger_counts(&other)["invoices"], 1);

    for (file, expected) in [
        ("broken/plain.pdf", "factur-x.xml"),
        ("broken/truncated.pdf", "truncated.pdf"),
        ("broken/unknown-currency.ubl.xml", "XYZ"),
    ] {
        let (out, err) = other.refused_both(&["import", "facturx", &fixture(&format!("einvoices/{file}"))]);
        assert!(format!("{out}{err}").contains(expected), "{file}: {out}\n{err}");
    }
    assert_eq!(ledger_counts(&other)["invoices"], 1);
}

/// Suppliers' Factur-X files land in the same folders as the user's own: one the profile's SIREN
/// did not issue is refused, naming its seller, and nothing is written.
#[test]
fn a_suppliers_einvoice_is_not_a_receivable() {
    let cli = Cli::new();
    let invoice = fixture("einvoices/factur-x/Facture_FR_EN16931.pdf");
    cli.ok(&["profile", "set", "--legal-name", "Atelier Martin", "--siren", "732829320"]);
    let (out, err) = cli.refused_both(&["import", "facturx", &invoice]);
    let said = format!("{out}{err}");
    for expected in ["Au bon moulin", "SIREN 999999998", "732829320", "ram:SellerTradeParty", "fournisseur"] {
        assert!(said.contains(expected), "{expected}: {said}");
    }
    let counts = ledger_counts(&cli);
    assert_eq!((counts["invoices"].as_u64(), counts["debtors"].as_u64()), (Some(0), Some(0)), "{counts}");

    // The same file in the ledger of the company that issued it.
    cli.ok(&["profile", "set", "--siren", "999999998"]);
    cli.ok(&["import", "facturx", &invoice]);
    assert_eq!(ledger_counts(&cli)["invoices"], 1);
}
