//! The real `recouvre` binary on a real ledger file: commands, JSON shapes, French number and date
//! input, error messages and exit codes, and that a refused command leaves the ledger unchanged.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

struct Cli {
    dir: TempDir,
}

impl Cli {
    fn new() -> Self {
        Cli { dir: tempfile::tempdir().unwrap() }
    }

    fn db(&self) -> String {
        self.dir.path().join("registre.db").display().to_string()
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("recouvre").unwrap();
        cmd.env_remove("RECOUVRE_DB").arg("--db").arg(self.db()).args(args);
        cmd
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd(args).assert().success().get_output().stdout.clone();
        String::from_utf8(out).unwrap()
    }

    fn json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.push("--json");
        serde_json::from_str(&self.ok(&all)).unwrap()
    }

    /// Runs a command that must be refused with exit code 2 and return its error message.
    fn refused(&self, args: &[&str]) -> String {
        let out = self.cmd(args).assert().code(2).get_output().stderr.clone();
        String::from_utf8(out).unwrap()
    }

    fn setup(&self) {
        self.ok(&["init"]);
        self.ok(&[
            "debtor",
            "add",
            "--kind",
            "professionnel",
            "--name",
            "Atelier Dupont",
            "--siren",
            "732 829 320",
            "--city",
            "Lyon",
            "--postcode",
            "69001",
        ]);
        self.ok(&["debtor", "add", "--kind", "consommateur", "--name", "Camille Durand"]);
        self.ok(&[
            "invoice",
            "add",
            "--debtor",
            "1",
            "--number",
            "F-001",
            "--issue-date",
            "01/09/2026",
            "--due-date",
            "2026-10-01",
            "--amount",
            "1 234,56",
            "--vat",
            "205,76",
        ]);
        self.ok(&[
            "invoice",
            "add",
            "--debtor",
            "1",
            "--number",
            "F-002",
            "--issue-date",
            "2026-10-01",
            "--due-date",
            "2026-10-31",
            "--amount",
            "600",
        ]);
        self.ok(&[
            "invoice",
            "add",
            "--debtor",
            "2",
            "--number",
            "F-003",
            "--issue-date",
            "2026-10-05",
            "--due-date",
            "2026-10-20",
            "--amount",
            "99.90",
        ]);
    }
}

#[test]
fn a_full_session_with_json_outputs() {
    let cli = Cli::new();
    cli.setup();
    cli.ok(&[
        "payment",
        "add",
        "--debtor",
        "1",
        "--date",
        "2026-10-10",
        "--amount",
        "500",
        "--method",
        "cheque",
        "--invoice",
        "F-001:500",
    ]);
    cli.ok(&[
        "credit-note",
        "add",
        "--invoice",
        "F-002",
        "--number",
        "AV-001",
        "--date",
        "2026-10-15",
        "--amount",
        "100",
    ]);

    let invoices = cli.json(&["invoice", "list", "--at", "2026-11-24"]);
    let invoices = invoices.as_array().unwrap();
    assert_eq!(invoices.len(), 3);
    let first = &invoices[0];
    for key in [
        "number",
        "debtor_id",
        "debtor_name",
        "issue_date",
        "due_date",
        "total_incl_vat",
        "outstanding",
        "status",
        "currency",
    ] {
        assert!(first.get(key).is_some(), "invoice key {key} missing: {first}");
    }
    assert_eq!(first["number"], "F-001");
    assert_eq!(first["issue_date"], "2026-09-01");
    assert_eq!(first["total_incl_vat"], "1234.56");
    assert_eq!(first["total_excl_vat"], "1028.80");
    assert_eq!(first["outstanding"], "734.56");
    assert_eq!(first["status"], "partiellement_payee");
    assert_eq!(first["days_overdue"], 54);
    assert_eq!(first["currency"], "EUR");
    let f2 = invoices.iter().find(|i| i["number"] == "F-002").unwrap();
    assert_eq!((f2["outstanding"].as_str(), f2["status"].as_str()), (Some("500.00"), Some("echue")));

    let debtors = cli.json(&["debtor", "list", "--at", "2026-11-24"]);
    let atelier = &debtors.as_array().unwrap()[0];
    for key in ["id", "name", "kind", "siren", "outstanding"] {
        assert!(atelier.get(key).is_some(), "debtor key {key} missing");
    }
    assert_eq!(atelier["name"], "Atelier Dupont");
    assert_eq!(atelier["kind"], "professionnel");
    assert_eq!(atelier["siren"], "732829320");
    assert_eq!(atelier["outstanding"], "1234.56");

    let aging = cli.json(&["aging", "--at", "2026-11-24"]);
    let total = aging.as_array().unwrap().last().unwrap();
    assert_eq!(total["debtor_id"], Value::Null);
    assert_eq!(total["total"], "1334.46");
    // F-001 (54 days late) and F-003 (35 days) in 31–60, F-002 (24 days) in 1–30.
    assert_eq!(total["days_31_60"], "834.46");
    assert_eq!(total["days_1_30"], "500.00");

    // DSO by countback at 24/11: 1 334,46 owed; nothing invoiced in (24/10, 24/11] (31 days);
    // 599,90 net in (24/09, 24/10] (30 days); the 734,56 left out of 1 234,56 invoiced in
    // (24/08, 24/09]: 31 × 734,56 / 1 234,56 = 18,44 days. 31 + 30 + 18,44 = 79,4.
    assert_eq!(cli.json(&["dso", "--at", "2026-11-24"])["dso_days"], "79.4");

    // Human output: French amounts.
    let table = cli.ok(&["debtor", "list", "--at", "2026-11-24"]);
    assert!(table.contains("1\u{202f}234,56"), "{table}");
    let card = cli.ok(&["invoice", "show", "F-001", "--at", "2026-11-24"]);
    assert!(card.contains("chèque") && card.contains("734,56\u{a0}€"), "{card}");
}

#[test]
fn payment_without_target_pays_oldest_first_and_remainder_is_a_credit() {
    let cli = Cli::new();
    cli.setup();
    let p = cli.json(&["payment", "add", "--debtor", "1", "--date", "2026-11-01", "--amount", "2000"]);
    let allocations = p["allocations"].as_array().unwrap();
    assert_eq!(allocations[0]["invoice_number"], "F-001");
    assert_eq!(allocations[0]["amount"], "1234.56");
    assert_eq!(allocations[1]["invoice_number"], "F-002");
    assert_eq!(allocations[1]["amount"], "600.00");
    assert_eq!(p["unallocated"], "165.44");
    let debtor = cli.json(&["debtor", "show", "1", "--at", "2026-11-24"]);
    assert_eq!((debtor["outstanding"].as_str(), debtor["credit"].as_str()), (Some("0.00"), Some("165.44")));
}

#[test]
fn refused_commands_exit_2_name_the_field_and_change_nothing() {
    let cli = Cli::new();
    cli.setup();
    let before = cli.ok(&["invoice", "list", "--json", "--at", "2027-01-01"]);
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["invoice", "add", "--debtor", "1", "--number", "X", "--issue-date", "2026-01-01", "--amount", "-5"],
            &["montant (amount)", "-5"],
        ),
        (
            &["invoice", "add", "--debtor", "1", "--number", "X", "--issue-date", "2026-01-01", "--amount", "0"],
            &["montant (amount)", "supérieur à zéro"],
        ),
        (
            &[
                "invoice",
                "add",
                "--debtor",
                "1",
                "--number",
                "X",
                "--issue-date",
                "2026-02-01",
                "--due-date",
                "2026-01-01",
                "--amount",
                "5",
            ],
            &["due_date", "2026-01-01"],
        ),
        (
            &["invoice", "add", "--debtor", "9", "--number", "X", "--issue-date", "2026-01-01", "--amount", "5"],
            &["Débiteur inconnu", "9"],
        ),
        (
            &["invoice", "add", "--debtor", "1", "--number", "F-001", "--issue-date", "2026-01-01", "--amount", "5"],
            &["F-001", "existe déjà"],
        ),
        (
            &["invoice", "add", "--debtor", "1", "--number", "X", "--issue-date", "31/02/2026", "--amount", "5"],
            &["issue_date", "31/02/2026", "n'existe pas"],
        ),
        (
            &["invoice", "add", "--debtor", "1", "--number", "X", "--issue-date", "2026-01-01", "--amount", "12,34,5"],
            &["amount", "12,34,5"],
        ),
        (
            &[
                "invoice",
                "add",
                "--debtor",
                "1",
                "--number",
                "X",
                "--issue-date",
                "2026-01-01",
                "--amount",
                "5",
                "--currency",
                "USD",
            ],
            &["currency", "USD", "EUR"],
        ),
        (
            &["payment", "add", "--debtor", "1", "--date", "2026-11-01", "--amount", "700", "--invoice", "F-002:700"],
            &["Affectation refusée", "F-002"],
        ),
        (
            &["payment", "add", "--debtor", "1", "--date", "2026-11-01", "--amount", "10", "--invoice", "F-003"],
            &["allocation", "F-003"],
        ),
        (
            &["payment", "add", "--debtor", "1", "--date", "2026-11-01", "--amount", "10", "--method", "bitcoin"],
            &["method", "bitcoin"],
        ),
        (
            &["debtor", "add", "--kind", "pro", "--name", "X", "--siren", "123456789"],
            &["SIREN (siren)", "123456789", "Luhn"],
        ),
        (&["debtor", "add", "--kind", "fournisseur", "--name", "X"], &["kind", "fournisseur"]),
        (
            &["profile", "set", "--legal-name", "Moi", "--iban", "FR7630006000011234567890188"],
            &["IBAN (iban)", "modulo 97"],
        ),
        (
            &[
                "credit-note",
                "add",
                "--invoice",
                "F-003",
                "--number",
                "AV-9",
                "--date",
                "2026-10-10",
                "--amount",
                "200",
            ],
            &["ne doit plus que 99.90"],
        ),
        (&["aging", "--at", "demain"], &["at", "demain"]),
    ];
    for (args, needles) in cases {
        let message = cli.refused(args);
        for needle in *needles {
            assert!(message.contains(needle), "{args:?}: {needle:?} not in {message:?}");
        }
        assert!(message.contains("Rien n'a été modifié"), "{args:?}: {message}");
        assert!(!message.contains("panicked"), "{message}");
    }
    assert_eq!(cli.ok(&["invoice", "list", "--json", "--at", "2027-01-01"]), before);
    cli.cmd(&["profile", "show"]).assert().code(2).stderr(predicate::str::contains("profil"));
}

#[test]
fn usage_errors_exit_2_and_the_db_comes_from_the_environment() {
    let cli = Cli::new();
    cli.cmd(&["invoice", "add", "--debtor", "1"]).assert().code(2).stderr(predicate::str::contains("--number"));
    cli.cmd(&["nonsense"]).assert().code(2);
    Command::cargo_bin("recouvre")
        .unwrap()
        .env("RECOUVRE_DB", cli.db())
        .args(["init", "--json"])
        .assert()
        .success()
        .stdout(predicate::str::contains("registre.db"));
    assert!(cli.dir.path().join("registre.db").exists());
}

#[test]
fn a_file_that_is_not_a_ledger_is_refused() {
    let cli = Cli::new();
    std::fs::write(cli.db(), "pas une base".repeat(200)).unwrap();
    cli.cmd(&["debtor", "list"]).assert().code(1).stderr(predicate::str::contains("n'est pas un registre Recouvre"));
}

#[test]
fn profile_round_trip_and_demo() {
    let cli = Cli::new();
    let profile = cli.json(&[
        "profile",
        "set",
        "--legal-name",
        "Studio Élodie",
        "--siren",
        "732829320",
        "--siret",
        "73282932000074",
        "--iban",
        "FR76 3000 6000 0112 3456 7890 189",
        "--bic",
        "AGRIFRPP",
        "--penalty-rate",
        "12,5",
        "--payment-term-days",
        "45",
    ]);
    assert_eq!(profile["iban"], "FR7630006000011234567890189");
    assert_eq!(profile["late_penalty_rate"], "12.50");
    let shown = cli.ok(&["profile", "show"]);
    assert!(shown.contains("FR76 3000 6000 0112 3456 7890 189") && shown.contains("12,50 %"), "{shown}");
    // The demo refuses a ledger that holds anything (here, a profile).
    cli.cmd(&["demo"]).assert().code(2).stderr(predicate::str::contains("registre vide"));

    let fresh = Cli::new();
    let summary = fresh.json(&["demo", "--until", "2026-11-24"]);
    assert_eq!((summary["debtors"].as_u64(), summary["invoices"].as_u64()), (Some(40), Some(300)));
    let debtors = fresh.json(&["debtor", "list", "--at", "2026-11-24"]);
    assert_eq!(debtors.as_array().unwrap().len(), 40);
}

#[test]
fn bench_runs_on_small_generated_data() {
    let cli = Cli::new();
    let out = cli
        .cmd(&[
            "bench",
            "--invoices",
            "1500",
            "--aging-invoices",
            "3000",
            "--aging-debtors",
            "300",
            "--runs",
            "1",
            "--json",
        ])
        .arg("--dir")
        .arg(cli.dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let figures: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(figures["insert_invoices"], 1500);
    assert_eq!(figures["aging_invoices"], 3000);
    for key in ["insert_ledger_ms", "insert_reference_ms", "insert_ratio", "aging_ms", "aging_db_bytes"] {
        assert!(figures[key].as_f64().is_some_and(|v| v > 0.0), "{key}: {figures}");
    }
    assert!(figures["aging_debtor_lines"].as_u64().unwrap() > 100);
    // The temporary ledgers are removed.
    assert_eq!(std::fs::read_dir(cli.dir.path()).unwrap().count(), 0);
}

#[test]
fn interest_calculator_and_rate_table() {
    let cli = Cli::new();
    // The example: 45 days at 13.15 % on 10 000 €.
    let c = cli.json(&[
        "interest",
        "--principal",
        "10000",
        "--start",
        "2025-03-31",
        "--end",
        "2025-05-15",
        "--basis",
        "b2b",
    ]);
    assert_eq!((c["interest_total"].as_str(), c["interest_due"].as_str()), (Some("162.12"), Some("162.12")));
    assert_eq!((c["principal_due"].as_str(), c["indemnity"].as_str()), (Some("10000.00"), Some("40.00")));
    assert_eq!((c["day_basis"].as_str(), c["imputation"].as_str()), (Some("365"), Some("interest-first")));
    let segment = &c["segments"][0];
    assert_eq!(
        (segment["from"].as_str(), segment["to"].as_str(), segment["days"].as_i64()),
        (Some("2025-04-01"), Some("2025-05-15"), Some(45))
    );
    assert_eq!(
        (segment["rate"].as_str(), segment["base"].as_str(), segment["amount"].as_str()),
        (Some("13.15"), Some("10000.00"), Some("162.12"))
    );
    // The calculator does not create a ledger.
    assert!(!cli.dir.path().join("registre.db").exists());
    let consumer = cli.json(&[
        "interest",
        "--principal",
        "5000",
        "--start",
        "2025-09-15",
        "--end",
        "2025-10-15",
        "--basis",
        "b2c",
    ]);
    assert_eq!((consumer["interest_total"].as_str(), consumer["indemnity"].as_str()), (Some("11.34"), Some("0.00")));
    let floored = cli.json(&[
        "interest",
        "--principal",
        "1000",
        "--start",
        "2023-12-31",
        "--end",
        "2024-01-31",
        "--basis",
        "contract:10",
    ]);
    assert_eq!(floored["interest_total"], "12.92");
    assert!(floored["warnings"][0].as_str().unwrap().contains("15.21"), "{floored}");

    // 2026-S2 is not in the shipped table: the engine says so instead of reusing an older rate.
    let message = cli.refused(&["interest", "--principal", "1000", "--start", "2026-06-30", "--end", "2026-07-31"]);
    assert!(message.contains("Taux manquant") && message.contains("2026-07-01"), "{message}");
    let gaps = cli.json(&["rates", "check", "--until", "2026-11-24"]);
    assert_eq!(gaps[0]["half_year"], "2026-S2");

    // A malformed file is refused with its line and field, and changes nothing.
    let before = cli.ok(&["rates", "list", "--json"]);
    let bad = cli.dir.path().join("bad.csv");
    std::fs::write(&bad, "kind,key,value,source\n# legal rates\nlegal_ac,2026-S2,-2.5,JO\n").unwrap();
    let message = cli.refused(&["rates", "import", bad.to_str().unwrap()]);
    assert!(message.contains("bad.csv") && message.contains("ligne 3") && message.contains("value"), "{message}");
    assert_eq!(cli.ok(&["rates", "list", "--json"]), before);

    // A well-formed file (test figures, not real ones) fills the gap; the calculator then uses it.
    let update = cli.dir.path().join("update.csv");
    std::fs::write(
        &update,
        "kind,key,value,source\n\
         ecb_mro,2026-07-01,2.40,test figure\n\
         ecb_known_until,2026-11-30,,test figure\n\
         legal_ac,2026-S2,3.00,test figure\n\
         legal_pp,2026-S2,7.00,test figure\n",
    )
    .unwrap();
    let summary = cli.json(&["rates", "import", update.to_str().unwrap()]);
    assert_eq!((summary["added"].as_u64(), summary["changed"].as_u64()), (Some(4), Some(0)));
    let again = cli.json(&["rates", "import", update.to_str().unwrap()]);
    assert_eq!((again["added"].as_u64(), again["unchanged"].as_u64()), (Some(0), Some(4)));
    assert_eq!(cli.json(&["rates", "check", "--until", "2026-11-24"]).as_array().unwrap().len(), 0);
    // 1 000 × 12.15 % × 1/365 (30 June) + 1 000 × 12.40 % × 31/365 (July) = 0.3329 + 10.5315 = 10.86.
    let after = cli.json(&["interest", "--principal", "1000", "--start", "2026-06-29", "--end", "2026-07-31"]);
    assert_eq!(after["interest_total"], "10.86");
    let listed = cli.json(&["rates", "list"]);
    let imported =
        listed.as_array().unwrap().iter().find(|r| r["kind"] == "legal_ac" && r["key"] == "2026-S2").unwrap();
    assert_eq!((imported["origin"].as_str(), imported["value"].as_str()), (Some("imported"), Some("3.00")));
}

#[test]
fn statement_notice_procedure_cost_and_prescription_commands() {
    let cli = Cli::new();
    cli.ok(&["init"]);
    cli.ok(&["debtor", "add", "--kind", "professionnel", "--name", "Atelier Dupont"]);
    cli.ok(&[
        "invoice",
        "add",
        "--debtor",
        "1",
        "--number",
        "F1",
        "--issue-date",
        "2025-03-01",
        "--due-date",
        "2025-03-31",
        "--amount",
        "10000",
    ]);
    cli.ok(&["payment", "add", "--debtor", "1", "--date", "2025-04-30", "--amount", "4000", "--invoice", "F1"]);
    let receipt = cli.dir.path().join("recu.pdf");
    std::fs::write(&receipt, b"%PDF-1.4 receipt").unwrap();
    cli.ok(&[
        "cost",
        "add",
        "--debtor",
        "1",
        "--date",
        "2025-05-02",
        "--amount",
        "8,50",
        "--description",
        "LRAR",
        "--receipt",
        receipt.to_str().unwrap(),
    ]);
    let s = cli.json(&["statement", "1", "--at", "2025-05-31"]);
    for key in [
        "at",
        "debtor_id",
        "debtor_name",
        "kind",
        "legal_basis",
        "day_basis",
        "imputation",
        "invoices",
        "costs",
        "principal_due",
        "interest_due",
        "indemnities",
        "costs_total",
        "total_due",
        "warnings",
    ] {
        assert!(s.get(key).is_some(), "statement key {key} missing");
    }
    let f1 = &s["invoices"][0];
    assert_eq!(
        (f1["principal_due"].as_str(), f1["interest_due"].as_str(), f1["indemnity"].as_str()),
        (Some("6108.08"), Some("68.22"), Some("40.00"))
    );
    assert_eq!(
        (f1["payments_to_interest"].as_str(), f1["payments_to_principal"].as_str()),
        (Some("108.08"), Some("3891.92"))
    );
    assert_eq!(f1["interest_from"], "2025-04-01");
    assert_eq!(f1["segments"].as_array().unwrap().len(), 2);
    // 6 108.08 + 68.22 + 40 + 8.50
    assert_eq!(s["total_due"], "6224.80");
    let text = cli.ok(&["statement", "1", "--at", "2025-05-31"]);
    assert!(
        text.contains("6\u{202f}224,80\u{a0}€") && text.contains("1343-1") && text.contains("jours exacts / 365"),
        "{text}"
    );

    let p = cli.json(&[
        "procedure",
        "record",
        "--debtor",
        "1",
        "--kind",
        "liquidation",
        "--judgment",
        "2025-05-10",
        "--bodacc",
        "2025-05-20",
    ]);
    assert_eq!(p["declaration_deadline"], "2025-07-20");
    let after = cli.json(&["statement", "1", "--at", "2025-05-31"]);
    let warnings = after["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w.as_str().unwrap().contains("2025-07-20")), "{after}");
    cli.refused(&["procedure", "record", "--debtor", "1", "--kind", "faillite", "--judgment", "2025-05-10"]);

    cli.ok(&["notice", "add", "--debtor", "1", "--date", "2025-05-05", "--lrar", "1A 234"]);
    assert_eq!(cli.json(&["notice", "list", "--debtor", "1"])[0]["registered_number"], "1A 234");
    let limits = cli.json(&["prescription", "list", "--at", "2026-11-24"]);
    assert_eq!(limits[0]["invoice_number"], "F1");
    // The partial payment of 30 April 2025 restarted the 5 years.
    assert_eq!(limits[0]["expires_on"], "2030-04-30");
    cli.ok(&[
        "prescription",
        "event",
        "--debtor",
        "1",
        "--kind",
        "mediation",
        "--date",
        "2026-01-10",
        "--until",
        "2026-03-10",
    ]);
    let message =
        cli.refused(&["prescription", "event", "--debtor", "1", "--kind", "formal-notice", "--date", "2026-01-10"]);
    assert!(message.contains("n'interrompt pas"), "{message}");
}

#[test]
fn agenda_act_and_the_dunning_commands() {
    let cli = Cli::new();
    cli.ok(&["debtor", "add", "--kind", "professionnel", "--name", "Atelier Dupont", "--segment", "strategique"]);
    cli.ok(&[
        "invoice",
        "add",
        "--debtor",
        "1",
        "--number",
        "F1",
        "--issue-date",
        "2026-09-01",
        "--due-date",
        "2026-10-01",
        "--amount",
        "1200",
    ]);
    let agenda = cli.json(&["agenda", "--at", "2026-10-10"]);
    let first = &agenda[0];
    for key in ["id", "debtor_id", "step", "channel", "invoices", "reason", "priority"] {
        assert!(first.get(key).is_some(), "agenda key {key} missing: {first}");
    }
    assert_eq!(
        (first["id"].as_str(), first["step"].as_str(), first["channel"].as_str()),
        (Some("1-1"), Some("friendly_reminder"), Some("email"))
    );
    assert_eq!(first["invoices"][0], "F1");
    cli.ok(&["act", "1-1", "--done", "--at", "2026-10-10", "--note", "envoyé"]);
    // Contacted today: the next step waits for the guard.
    let message = cli.refused(&["act", "1-1", "--done", "--at", "2026-10-10"]);
    assert!(message.contains("pas à l'agenda"), "{message}");
    let interactions = cli.json(&["interaction", "list", "--debtor", "1"]);
    assert_eq!(interactions[0]["channel"], "email");
    cli.ok(&["promise", "add", "--debtor", "1", "--amount", "1200", "--date", "2026-10-20", "--made-on", "2026-10-11"]);
    let promises = cli.json(&["promise", "list", "--debtor", "1", "--at", "2026-10-16"]);
    assert_eq!(promises[0]["status"], "pending");
    let promises = cli.json(&["promise", "list", "--debtor", "1", "--at", "2026-10-21"]);
    assert_eq!(promises[0]["status"], "broken", "no payment came by the promised day");
    let waiting = cli.json(&["agenda", "--at", "2026-10-16"]);
    assert!(waiting[0]["waiting"][0].as_str().unwrap().contains("promesse"), "{waiting}");
    let dispute = cli.json(&["dispute", "open", "--invoice", "F1", "--reason", "price", "--date", "2026-10-12"]);
    cli.ok(&["dispute", "resolve", &dispute["id"].to_string(), "--resolution", "agreement", "--date", "2026-10-13"]);
    cli.refused(&["dispute", "open", "--invoice", "F1", "--reason", "colère"]);
    let plan =
        cli.json(&["plan", "create", "--debtor", "1", "--amount", "1200", "--count", "3", "--first", "2027-01-05"]);
    assert_eq!(plan["instalments"].as_array().unwrap().len(), 3);
    assert_eq!(plan["instalments"][2]["amount"], "400.00");
    cli.refused(&["plan", "create", "--debtor", "1", "--amount", "1200", "--first", "2027-01-05"]);
    let plan_id = plan["id"].to_string();
    let message = cli.refused(&["plan", "delay", &plan_id, "--instalment", "1", "--to", "2027-02-05"]);
    assert!(message.contains("l'échéance suivante tombe le 05/02/2027"), "{message}");
    let delayed = cli.json(&["plan", "delay", &plan_id, "--instalment", "1", "--to", "2027-01-20"]);
    assert_eq!(delayed["instalments"][0]["due_on"], "2027-01-20");
    cli.ok(&["plan", "default", &plan_id, "--date", "2027-02-10"]);
    let message = cli.refused(&["plan", "default", &plan_id, "--date", "2027-02-11"]);
    assert!(message.contains("déjà été prononcée"), "{message}");
    cli.ok(&["case", "move", "--debtor", "1", "--stage", "mediation", "--date", "2026-10-20"]);
    assert_eq!(cli.json(&["case", "show", "--debtor", "1"])["stage"], "mediation");
    cli.refused(&["case", "move", "--debtor", "1", "--stage", "amiable"]);
    let scenarios = cli.json(&["scenario", "list"]);
    assert_eq!(scenarios["scenarios"].as_array().unwrap().len(), 3);
    cli.ok(&[
        "scenario",
        "edit",
        "court",
        "--name",
        "Court",
        "--step",
        "2:email:friendly_reminder:courteous",
        "--step",
        "10:registered_letter:formal_notice:formal_notice:8",
    ]);
    let message = cli.refused(&[
        "scenario",
        "edit",
        "faux",
        "--step",
        "10:email:friendly_reminder:courteous",
        "--step",
        "5:email:formal_reminder:firm",
    ]);
    assert!(message.contains("se suivent"), "{message}");
    cli.ok(&["scenario", "assign", "--debtor", "1", "court"]);
    assert_eq!(cli.json(&["guard", "--min-days", "7"])["min_days_between_contacts"], 7);
    cli.refused(&["guard", "--max-per-week", "9"]);
}
