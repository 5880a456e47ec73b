//! End to end: the real desktop app, driven through `tauri-driver` (WebDriver) in a real window.
//!
//! Needs `tauri-driver`, Debian's `WebKitWebDriver` and a display (run under `xvfb-run`); the test
//! scripts do all that (`scripts/test`). Ignored by a plain `cargo test` for that reason.
//!
//! The journey: a first run on an empty ledger offers the demo data; one click loads it; the day's
//! agenda then shows first the action the core ranks first, and "Fait" records it in the ledger
//! file; the debtor list shows the debtor the core says owes the most; a click on that debtor shows
//! their statement of account with the total the core computes; last, an invoicing tool's CSV goes
//! through the import wizard (recognised, dry run, imported) into the ledger file.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;

const DRIVER_PORT: u16 = 4444;

fn app_binary() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_BIN_EXE_recouvre-desktop"));
    assert!(path.exists(), "build the app first: {}", path.display());
    path
}

/// `tauri-driver`, stopped with SIGTERM and awaited on drop: killing it outright would orphan its
/// WebKitWebDriver child, which keeps the test's output pipe open and hangs CI.
struct Driver(Child);

impl Driver {
    fn start(ledger: &std::path::Path) -> Driver {
        let child = Command::new("tauri-driver")
            .args(["--port", &DRIVER_PORT.to_string()])
            .env("RECOUVRE_DB", ledger)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("tauri-driver on PATH (cargo install tauri-driver --version ^2 --locked)");
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect(("127.0.0.1", DRIVER_PORT)).is_err() {
            assert!(Instant::now() < deadline, "tauri-driver did not listen on port {DRIVER_PORT}");
            std::thread::sleep(Duration::from_millis(100));
        }
        Driver(child)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let pid = self.0.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Rates for the half-years after the shipped table, so that today's statement can be computed.
/// Test figures only: they are imported into the test's ledgers, never shipped.
const TEST_RATES: &str = include_str!("../../tests/fixtures/test-rates.csv");

async fn ledger_with_test_rates(path: &std::path::Path) -> recouvre::Ledger {
    let ledger = recouvre::Ledger::open(path).await.unwrap();
    let entries = recouvre::law::rates::parse(TEST_RATES, "test").unwrap();
    ledger.import_rates(&entries).await.unwrap();
    ledger
}

/// The name the debtor list must show first and the total of their statement: the demo is a pure
/// function of the date, so the core itself says who owes the most today, and what.
async fn expected_first_debtor(today: chrono::NaiveDate) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with_test_rates(&dir.path().join("expected.db")).await;
    recouvre::demo::fill(&ledger, today).await.unwrap();
    let balances = ledger.debtor_balances(today, None).await.unwrap();
    let first = &balances[0].debtor;
    let statement = ledger.statement(first.id, today, recouvre::law::statement::Scope::Unpaid).await.unwrap();
    ledger.close().await;
    (first.name.clone(), recouvre::money::format_eur(statement.total_due))
}

#[tokio::test]
#[ignore = "needs tauri-driver, WebKitWebDriver and a display: run by scripts/test under xvfb-run"]
async fn first_run_offers_demo_data_then_the_agenda_and_the_debtors() {
    let dir = tempfile::tempdir().unwrap();
    let ledger_path = dir.path().join("ledger.db");
    // A ledger with no debtor yet (only rates), so the app still offers the demo.
    ledger_with_test_rates(&ledger_path).await.close().await;
    let driver = Driver::start(&ledger_path);

    let mut capabilities = serde_json::Map::new();
    capabilities
        .insert("tauri:options".into(), serde_json::json!({ "application": app_binary().display().to_string() }));
    capabilities.insert("browserName".into(), serde_json::json!("wry"));
    // tauri-driver listens before its WebKitWebDriver child does: the first session requests can
    // be cut off while it starts, so retry for a while before calling it a failure.
    let mut attempts = 0;
    let client = loop {
        attempts += 1;
        match ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities.clone())
            .connect(&format!("http://127.0.0.1:{DRIVER_PORT}"))
            .await
        {
            Ok(client) => break client,
            Err(error) if attempts < 20 => {
                eprintln!("WebDriver session not ready yet ({error}), retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(error) => panic!("WebDriver session with the app: {error}"),
        }
    };

    let result = async {
        let demo =
            client.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css("[data-testid=load-demo]")).await?;
        demo.click().await?;
        // The app opens on the day's agenda: the most urgent action comes first.
        let first_action = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=agenda-action]"))
            .await?;
        let action_id = first_action.attr("data-action-id").await?.unwrap_or_default();
        let action_debtor = first_action.find(Locator::Css("[data-testid=action-debtor]")).await?.text().await?;
        let agenda_shot = client.screenshot().await?;
        // Mark it done: the decision goes through the real command into the ledger.
        first_action.find(Locator::Css("[data-testid=action-done]")).await?.click().await?;
        let recorded = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=agenda-recorded]"))
            .await?
            .text()
            .await?;

        // A payment plan whose first instalment was missed, written into the file while the app
        // runs; back on the agenda, the window offers the choice and grants a delay.
        client.find(Locator::Css("[data-testid=tab-debtors]")).await?.click().await?;
        let debtor_id: i64 = action_id.split('-').next().and_then(|d| d.parse().ok()).unwrap_or_default();
        let plan_id = missed_plan(&ledger_path, debtor_id).await;
        client.find(Locator::Css("[data-testid=tab-agenda]")).await?.click().await?;
        let plan_card = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css(&format!("[data-action-id='{debtor_id}-plan-{plan_id}']")))
            .await?;
        plan_card.find(Locator::Css("[data-testid=plan-delay]")).await?.click().await?;
        set_date(&client, "[data-testid=delay-until]", delay_to()).await?;
        client.find(Locator::Css("[data-testid=delay-submit]")).await?.click().await?;
        let delay_recorded = wait_for_text(&client, "[data-testid=agenda-recorded]", "Délai accordé").await?;
        // The day's letters for the printer: one click, a progress bar, one PDF.
        client.find(Locator::Css("[data-testid=print-day]")).await?.click().await?;
        let printed = wait_for_text(&client, "[data-testid=print-result]", "imprimer").await?;
        let printed_path = match client.find(Locator::Css("[data-testid=print-path]")).await {
            Ok(element) => Some(element.text().await?),
            Err(_) => None,
        };

        client.find(Locator::Css("[data-testid=tab-debtors]")).await?.click().await?;
        let first = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=debtor-name]"))
            .await?;
        let shown = first.text().await?;
        let rows = client.find_all(Locator::Css("[data-testid=debtor-row]")).await?;
        let screenshot = client.screenshot().await?;

        // The debtor reminded a moment ago: their history shows the contact and the plan.
        for name in client.find_all(Locator::Css("[data-testid=debtor-name]")).await? {
            if name.text().await? == action_debtor {
                name.click().await?;
                break;
            }
        }
        let contacts = wait_for_text(&client, "[data-testid=history-interactions]", "sortant").await?;
        let plan_lines = client.find(Locator::Css("[data-testid=history-plan]")).await?.text().await?;
        // The debtor calls and promises to pay: recorded from their page.
        client.find(Locator::Css("[data-testid=record-promise]")).await?.click().await?;
        client.find(Locator::Css("[data-testid=promise-amount]")).await?.send_keys("250,00").await?;
        set_date(&client, "[data-testid=promise-date]", promise_day()).await?;
        client.find(Locator::Css("[data-testid=record-submit]")).await?.click().await?;
        let promise_recorded = wait_for_text(&client, "[data-testid=history-recorded]", "Promesse").await?;
        // …and asks to pay the rest in three monthly instalments.
        client.find(Locator::Css("[data-testid=record-plan]")).await?.click().await?;
        set_date(&client, "form.entry input[type=date]", promise_day()).await?;
        client.find(Locator::Css("[data-testid=record-submit]")).await?.click().await?;
        let plan_recorded = wait_for_text(&client, "[data-testid=history-recorded]", "Échéancier").await?;
        let history_shot = client.screenshot().await?;
        // A formal notice written from the debtor's page.
        client
            .execute(
                "const s = document.querySelector('[data-testid=letter-kind]'); s.value = 'mise-en-demeure'; \
                 s.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![],
            )
            .await?;
        client.find(Locator::Css("[data-testid=letter-write]")).await?.click().await?;
        let letter_written = wait_for_text(&client, "[data-testid=letter-written]", "Mise en demeure").await?;
        let letter_path = client.find(Locator::Css("[data-testid=letter-path]")).await?.text().await?;
        let document_rows = client.find_all(Locator::Css("[data-testid=document-row]")).await?.len();
        // …and the same as an e-mail for the user's mail client.
        client.find(Locator::Css("[data-testid=email-write]")).await?.click().await?;
        wait_for_text(&client, "[data-testid=letter-written]", "E-mail pour").await?;
        let email_path = client.find(Locator::Css("[data-testid=letter-path]")).await?.text().await?;
        client.find(Locator::Css("button.back")).await?.click().await?;

        // Open the first debtor's statement.
        let first = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=debtor-name]"))
            .await?;
        first.click().await?;
        let total = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=statement-total]"))
            .await?
            .text()
            .await?;
        let title = client.find(Locator::Css("[data-testid=statement-title]")).await?.text().await?;
        let statement_shot = client.screenshot().await?;

        // An invoicing tool's CSV export, chosen in the import wizard: columns recognised, a dry
        // run, then the import into the ledger.
        client.find(Locator::Css("[data-testid=tab-import]")).await?.click().await?;
        let input = client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=import-files]"))
            .await?;
        input.send_keys(&import_fixture()).await?;
        let import_format = wait_for_text(&client, "[data-testid=import-format]", "CSV").await?;
        client.find(Locator::Css("[data-testid=import-dry-run]")).await?.click().await?;
        let import_dry_run = wait_for_text(&client, "[data-testid=import-summary]", "Simulation").await?;
        client.find(Locator::Css("[data-testid=import-save-preset]")).await?.send_keys(PRESET).await?;
        client.find(Locator::Css("[data-testid=import-run]")).await?.click().await?;
        let import_done = wait_for_text(&client, "[data-testid=import-summary]", "Import terminé").await?;
        // The columns were saved under a name: the next file offers that preset, and it can be
        // deleted from the window (asked for twice).
        client.find(Locator::Css("[data-testid=import-files]")).await?.send_keys(&import_fixture()).await?;
        let presets = wait_for_text(&client, "[data-testid=import-preset]", PRESET).await?;
        client.find(Locator::Css("[data-testid=import-preset]")).await?.select_by_value(PRESET).await?;
        client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("[data-testid=import-preset-delete]"))
            .await?
            .click()
            .await?;
        client.find(Locator::Css("[data-testid=import-preset-delete-confirm]")).await?.click().await?;
        let mut preset_deleted = false;
        for _ in 0..60 {
            if client.find(Locator::Css("[data-testid=import-preset]")).await.is_err() {
                preset_deleted = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        Ok::<_, fantoccini::error::CmdError>(Seen {
            import_format,
            import_dry_run,
            import_done,
            presets,
            preset_deleted,
            printed,
            printed_path,
            letter_written,
            letter_path,
            document_rows,
            email_path,
            plan_recorded,
            promise_recorded,
            contacts,
            plan_lines,
            history_shot,
            plan_id,
            delay_recorded,
            action_id,
            action_debtor,
            recorded,
            agenda_shot,
            shown,
            rows: rows.len(),
            screenshot,
            total,
            title,
            statement_shot,
        })
    }
    .await;
    // Close the session before judging, so the app and the driver always stop cleanly.
    let _ = client.close().await;
    drop(driver);

    let seen = result.expect("drive the app");
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    std::fs::write(shots.join("e2e-agenda.png"), &seen.agenda_shot).unwrap();
    std::fs::write(shots.join("e2e-history.png"), &seen.history_shot).unwrap();
    std::fs::write(shots.join("e2e-debtors.png"), &seen.screenshot).unwrap();
    std::fs::write(shots.join("e2e-statement.png"), &seen.statement_shot).unwrap();
    assert!(seen.screenshot.starts_with(b"\x89PNG"), "the screenshot is a PNG");
    assert_eq!(seen.rows, 40, "the demo's 40 debtors are listed");
    let today = chrono::Local::now().date_naive();
    let (name, expected_total) = expected_first_debtor(today).await;
    assert_eq!(seen.shown, name);
    assert!(seen.title.contains(&name), "{}", seen.title);
    // WebDriver's element text turns no-break spaces into plain ones (WebDriver spec, "Get Element Text").
    assert_eq!(
        seen.total,
        expected_total.replace('\u{a0}', " "),
        "the statement's total, computed by the core, reaches the window"
    );

    // The agenda's first action is the core's, computed on the same demo at the same moment.
    let now = chrono::Local::now().naive_local();
    let expected = expected_first_action(now).await;
    assert_eq!(
        (seen.action_id.as_str(), seen.action_debtor.as_str()),
        (expected.id.as_str(), expected.debtor_name.as_str())
    );
    assert!(seen.recorded.contains(&expected.debtor_name), "{}", seen.recorded);

    // The clicks went through the real commands into the real ledger file: the action done left
    // the agenda, and a contact was logged for the debtor.
    let ledger = recouvre::Ledger::open(&ledger_path).await.unwrap();
    // The demo's 300 invoices, and the 4 of the CSV imported through the wizard.
    assert!(seen.import_format.contains("encodage UTF-8"), "{}", seen.import_format);
    assert!(seen.import_dry_run.contains("4 factures à créer"), "{}", seen.import_dry_run);
    assert!(seen.import_done.contains("4 factures créées"), "{}", seen.import_done);
    assert_eq!(ledger.counts().await.unwrap().invoices, 304);
    assert!(seen.presets.contains(PRESET) && seen.preset_deleted, "{}", seen.presets);
    assert!(ledger.import_presets().await.unwrap().is_empty(), "the preset deleted in the window is gone");
    assert_eq!(ledger.invoice("FA-2026-002").await.unwrap().amount_incl_vat, rust_decimal::Decimal::from(3000));
    let agenda = ledger.agenda(now).await.unwrap();
    assert!(agenda.actions.iter().all(|a| a.id != seen.action_id), "{} is done, no longer to do", seen.action_id);
    // The delay chosen in the window moved the missed instalment in the file.
    assert!(seen.delay_recorded.contains("reportée au"), "{}", seen.delay_recorded);
    assert_eq!(ledger.plan(seen.plan_id).await.unwrap().instalments[0].due_on, delay_to());
    // The debtor's history, read from the window, shows the contact logged and the delayed plan.
    let summary = ledger.interactions(expected.debtor_id).await.unwrap().last().map(|i| i.summary.clone());
    if let Some(summary) = summary {
        assert!(seen.contacts.contains(&summary), "{}", seen.contacts);
    }
    let delayed = recouvre::dates::format_date_fr(delay_to());
    assert!(seen.plan_lines.contains(&delayed), "{}", seen.plan_lines);
    // The promise typed in the window is in the file, pending until its day.
    assert!(
        seen.promise_recorded.contains(&recouvre::dates::format_date_fr(promise_day())),
        "{}",
        seen.promise_recorded
    );
    let promises = ledger.promises_at(expected.debtor_id, now.date()).await.unwrap();
    assert_eq!(promises.len(), 1);
    assert_eq!((promises[0].0.amount, promises[0].0.due_on), (rust_decimal::Decimal::from(250), promise_day()));
    // The plan made in the window spreads what the debtor owes today, in 3 instalments.
    let plans = ledger.plans_of(expected.debtor_id).await.unwrap();
    let made = plans.iter().find(|p| p.id != seen.plan_id).expect("the plan made in the window");
    assert!(seen.plan_recorded.contains(&format!("n° {}", made.id)), "{}", seen.plan_recorded);
    assert_eq!(made.instalments.len(), 3);
    assert_eq!(made.instalments[0].due_on, promise_day());
    assert_eq!(made.total, ledger.amount_to_spread(expected.debtor_id, now.date(), false).await.unwrap());
    // The day's letters: as many PDFs beside the ledger as the window said, plus the one to print,
    // each kept in the ledger too.
    let day_folder = ledger_path.parent().unwrap().join("Courriers").join(now.date().to_string());
    let count: usize = seen.printed.split_whitespace().find_map(|w| w.parse().ok()).unwrap_or(0);
    match &seen.printed_path {
        Some(path) => {
            let combined = PathBuf::from(path);
            assert!(combined.starts_with(&day_folder), "{path}");
            assert!(std::fs::read(&combined).unwrap().starts_with(b"%PDF-"), "{path}");
            let expected = if count == 0 { 1 } else { count };
            assert!(pdf_pages(&combined) >= expected, "{expected} letters in {path}");
        }
        None => assert!(seen.printed.contains("Aucune lettre"), "{}", seen.printed),
    }
    // The formal notice written from the debtor's page: a real PDF naming the debtor, stored.
    assert!(seen.letter_written.contains(&expected.debtor_name), "{}", seen.letter_written);
    let letter = PathBuf::from(&seen.letter_path);
    assert!(letter.starts_with(&day_folder), "{}", seen.letter_path);
    let text = std::process::Command::new("pdftotext").arg(&letter).arg("-").output().expect("pdftotext");
    let text = String::from_utf8_lossy(&text.stdout).replace('\n', " ");
    assert!(text.contains("nous vous mettons en demeure"), "{text}");
    let documents = ledger.documents_of(expected.debtor_id).await.unwrap();
    assert!(
        documents.iter().any(|d| d.kind == recouvre::documents::DocumentKind::MiseEnDemeure && d.dated == now.date())
    );
    assert_eq!(seen.document_rows + 1, documents.len(), "the window listed every document kept, then the e-mail's");
    let email = std::fs::read_to_string(&seen.email_path).expect("the .eml file");
    assert!(email.contains("multipart/mixed") && email.contains("application/pdf"), "{}", seen.email_path);
    if expected.channels.iter().any(|c| c.is_contact()) {
        let log = ledger.interactions(expected.debtor_id).await.unwrap();
        assert!(log.iter().any(|i| i.occurred_at.date() == now.date()), "the contact is in the debtor's log");
    }
}

/// Pages of a PDF, by qpdf.
fn pdf_pages(path: &std::path::Path) -> usize {
    let out = std::process::Command::new("qpdf").arg("--show-npages").arg(path).output().expect("qpdf");
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0)
}

/// What the test read from the window.
struct Seen {
    import_format: String,
    import_dry_run: String,
    import_done: String,
    presets: String,
    preset_deleted: bool,
    printed: String,
    printed_path: Option<String>,
    letter_written: String,
    letter_path: String,
    document_rows: usize,
    email_path: String,
    plan_recorded: String,
    promise_recorded: String,
    contacts: String,
    plan_lines: String,
    history_shot: Vec<u8>,
    plan_id: i64,
    delay_recorded: String,
    action_id: String,
    action_debtor: String,
    recorded: String,
    agenda_shot: Vec<u8>,
    shown: String,
    rows: usize,
    screenshot: Vec<u8>,
    total: String,
    title: String,
    statement_shot: Vec<u8>,
}

/// The name the import wizard saves the CSV's columns under, then deletes.
const PRESET: &str = "Export e2e";

/// The CSV the import wizard is given (an invoicing tool's export, shared with the CLI tests).
fn import_fixture() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/imports/invoices.csv");
    path.canonicalize().unwrap_or(path).display().to_string()
}

/// Records, in the app's ledger file, a plan for `debtor_id` whose first instalment fell due ten
/// days ago unpaid; returns its id.
async fn missed_plan(path: &std::path::Path, debtor_id: i64) -> i64 {
    use recouvre::dunning::plan::{Frequency, Split};
    let today = chrono::Local::now().date_naive();
    let ledger = recouvre::Ledger::open(path).await.unwrap();
    let mut tx = ledger.begin().await.unwrap();
    let plan = tx
        .create_plan(
            debtor_id,
            today - chrono::Days::new(40),
            rust_decimal::Decimal::from(600),
            false,
            Split::Count(2),
            Frequency::Monthly,
            today - chrono::Days::new(10),
            "",
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    ledger.close().await;
    plan.id
}

/// The day the test grants the delay to: before the plan's second instalment (in about 20 days).
fn delay_to() -> chrono::NaiveDate {
    chrono::Local::now().date_naive() + chrono::Days::new(7)
}

/// The day the debtor promises to pay.
fn promise_day() -> chrono::NaiveDate {
    chrono::Local::now().date_naive() + chrono::Days::new(10)
}

/// Fills a date input (WebKit's date picker does not take keystrokes reliably): sets the value and
/// fires the input event the UI listens to.
async fn set_date(
    client: &fantoccini::Client,
    css: &str,
    day: chrono::NaiveDate,
) -> Result<(), fantoccini::error::CmdError> {
    // The form appears after the click that opens it: wait for its field first.
    client.wait().at_most(Duration::from_secs(30)).for_element(Locator::Css(css)).await?;
    client
        .execute(
            "const input = document.querySelector(arguments[0]);\
             input.value = arguments[1];\
             input.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(css), serde_json::json!(day.to_string())],
        )
        .await
        .map(|_| ())
}

/// Waits until the element shows a text containing `expected`, and returns that text.
async fn wait_for_text(
    client: &fantoccini::Client,
    css: &str,
    expected: &str,
) -> Result<String, fantoccini::error::CmdError> {
    for _ in 0..60 {
        if let Ok(element) = client.find(Locator::Css(css)).await {
            let text = element.text().await?;
            if text.contains(expected) {
                return Ok(text);
            }
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    client.find(Locator::Css(css)).await?.text().await
}

/// The agenda's first action on the demo ledger at `now`, as the core computes it.
async fn expected_first_action(now: chrono::NaiveDateTime) -> recouvre::dunning::agenda::Action {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_with_test_rates(&dir.path().join("expected-agenda.db")).await;
    recouvre::demo::fill(&ledger, now.date()).await.unwrap();
    let agenda = ledger.agenda(now).await.unwrap();
    agenda.actions.into_iter().next().expect("the demo has something to do today")
}
