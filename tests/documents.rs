//! Documents through the real CLI, checked with real tools: `qpdf --check`, `pdffonts`,
//! `pdftotext` (text and word boxes), `qpdf --json` (signature fields), and Python's `email`
//! package for the `.eml` files. Needs poppler-utils, qpdf and python3 (installed by scripts/setup).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use common::cli::Cli;
use serde_json::Value;

/// Rates for the half-years after the shipped table (test figures, never shipped).
const TEST_RATES: &str = include_str!("fixtures/test-rates.csv");

const AT: &str = "2026-11-24";

/// What these tests add to the shared CLI helper: the demo ledger with test rates, and letters.
trait Documents {
    fn demo() -> Self;
    fn letter(&self, debtor: &str, kind: &str, extra: &[&str]) -> PathBuf;
}

impl Documents for Cli {
    fn demo() -> Self {
        let cli = Cli::new();
        cli.ok(&["demo", "--until", AT]);
        std::fs::write(cli.path("rates.csv"), TEST_RATES).unwrap();
        cli.ok(&["rates", "import", cli.path("rates.csv").to_str().unwrap()]);
        cli
    }

    /// Writes a letter and returns its path.
    fn letter(&self, debtor: &str, kind: &str, extra: &[&str]) -> PathBuf {
        let out = self.path(&format!("{debtor}-{kind}-{}.pdf", extra.join("_").replace(['/', ' '], "")));
        let mut args = vec!["letter", debtor, "--kind", kind, "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.ok(&args);
        out
    }
}

fn tool(program: &str, args: &[&str]) -> String {
    let out = Process::new(program).args(args).output().unwrap_or_else(|e| panic!("{program} not found: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The text of a PDF with every kind of space made a plain space (French amounts use no-break
/// spaces; the tests do not depend on which).
fn text(pdf: &Path) -> String {
    let raw = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]).replace(['\u{202f}', '\u{a0}'], " ");
    // Lines are wrapped where the layout wraps them: phrases are looked for across line ends.
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pages(pdf: &Path) -> usize {
    tool("qpdf", &["--show-npages", pdf.to_str().unwrap()]).trim().parse().unwrap()
}

/// Checks what every PDF we produce must be: valid, fonts embedded as subsets with a Unicode map,
/// metadata set, a signature field per signing party.
fn check_pdf(pdf: &Path, signature_fields: &[&str]) {
    let path = pdf.to_str().unwrap();
    let check = tool("qpdf", &["--check", path]);
    assert!(check.contains("No syntax or stream encoding errors"), "{check}");
    let fonts = tool("pdffonts", &[path]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        assert!(row.contains("CID TrueType") && row.contains("yes yes yes"), "embedded, subset, unicode: {row}");
    }
    let info = tool("pdfinfo", &[path]);
    for key in ["Title:", "Author:", "Subject:", "CreationDate:", "Page size:       595.276 x 841.89 pts (A4)"] {
        assert!(info.contains(key), "{key} in {info}");
    }
    let json: Value = serde_json::from_str(&tool("qpdf", &["--json", "--json-key=acroform", path])).unwrap();
    let fields: Vec<(String, String)> = json["acroform"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["fieldtype"].as_str().unwrap_or("").to_owned(), f["fullname"].as_str().unwrap_or("").to_owned()))
        .collect();
    let expected: Vec<(String, String)> =
        signature_fields.iter().map(|n| ("/Sig".to_owned(), (*n).to_owned())).collect();
    assert_eq!(fields, expected, "signature fields of {path}");
}

#[test]
fn every_document_of_the_demo_passes_the_real_tools() {
    let cli = Cli::demo();
    // A business debtor with several overdue invoices (Nantes Plomberie, 20) and a consumer (35).
    let statement = cli.json(&["statement", "20", "--at", AT]);
    let numbers: Vec<String> = statement["invoices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["due_date"].as_str().unwrap() < AT)
        .map(|i| i["number"].as_str().unwrap().to_owned())
        .collect();
    assert!(numbers.len() >= 3);
    for kind in ["relance-amiable", "relance-formelle", "dernier-rappel", "mise-en-demeure"] {
        for lang in ["fr", "en"] {
            let pdf = cli.letter("20", kind, &["--at", AT, "--lang", lang]);
            check_pdf(&pdf, &["signature_creancier"]);
            let text = text(&pdf);
            assert!(text.contains("Nantes Plomberie Services SASU"), "{kind} {lang}");
            for number in &numbers {
                assert!(text.contains(number), "{kind} {lang}: {number}");
            }
            assert!(text.contains("FR76 3000 6000 0112 3456 7890 189"), "{kind} {lang}: IBAN");
            assert!(text.contains("RCS Lyon 732 829 320") && text.contains("FR44732829320"), "legal mentions");
            if lang == "fr" {
                assert!(text.contains("Lyon, le 24 novembre 2026"), "{text}");
            }
        }
    }
    let notice = text(&cli.letter("20", "mise-en-demeure", &["--at", AT, "--lrar", "1A 123 456 7890 1"]));
    let total = statement["total_due"].as_str().unwrap();
    let (euros, cents) = total.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, c) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    let french_total = format!("{grouped},{cents} €");
    for expected in [
        "Lettre recommandée avec accusé de réception",
        "n° 1A 123 456 7890 1",
        "nous vous mettons en demeure",
        "article 1344 du Code civil",
        "injonction de payer",
        "L441-10",
        "Indemnités forfaitaires pour frais de recouvrement",
        "au plus tard le 2 décembre 2026",
        french_total.as_str(),
    ] {
        assert!(notice.contains(expected), "formal notice lacks {expected:?}:\n{notice}");
    }

    // The consumer's letters never claim the 40 € indemnity.
    for kind in ["relance-amiable", "relance-formelle", "dernier-rappel", "mise-en-demeure", "reconnaissance-de-dette"]
    {
        let pdf = cli.letter("35", kind, &["--at", AT]);
        let text = text(&pdf).to_lowercase();
        assert!(text.contains("manon bonnet"));
        for forbidden in ["40 €", "40,00 €", "indemnité forfaitaire", "l441-10"] {
            assert!(!text.contains(forbidden), "consumer {kind} mentions {forbidden:?}:\n{text}");
        }
    }

    // Signed-ready agreements: one field per party.
    let pdf = cli.letter("20", "reconnaissance-de-dette", &["--at", AT]);
    check_pdf(&pdf, &["signature_debiteur", "signature_creancier"]);
    assert!(text(&pdf).contains("Bon pour reconnaissance de dette"));
    cli.ok(&["plan", "create", "--debtor", "20", "--count", "3", "--first", "2027-01-05"]);
    let pdf = cli.letter("20", "echeancier", &[]);
    check_pdf(&pdf, &["signature_creancier", "signature_debiteur"]);
    let plan = text(&pdf);
    assert!(
        plan.contains("Protocole d'accord") && plan.contains("5 janvier 2027") && plan.contains("déchéance du terme")
    );

    // Preventive reminder (Maël Guérin's invoice falls due on 27/11) and a receipt.
    let pdf = cli.letter("40", "relance-preventive", &["--at", AT]);
    check_pdf(&pdf, &["signature_creancier"]);
    assert!(text(&pdf).contains("27 novembre 2026"));
    let pdf = cli.letter("20", "recu", &["--at", AT]);
    assert!(text(&pdf).contains("Reçu de paiement"));

    // Every document is kept in the ledger, by hash, byte for byte.
    let documents = cli.json(&["document", "list", "20"]);
    let list = documents.as_array().unwrap();
    assert!(list.len() >= 12, "{}", list.len());
    let first = &list[0];
    let exported = cli.path("exported.pdf");
    cli.ok(&["document", "export", &first["id"].to_string(), "--out", exported.to_str().unwrap()]);
    let bytes = std::fs::read(&exported).unwrap();
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(&bytes)), first["sha256"].as_str().unwrap());
}

#[test]
fn a_one_page_reminder_is_small_and_its_address_sits_in_the_envelope_window() {
    let cli = Cli::demo();
    let pdf = cli.letter("11", "relance-amiable", &["--at", AT]);
    assert_eq!(pages(&pdf), 1);
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(size <= 30 * 1024, "one-page letter of {size} bytes, fonts embedded and subset");
    // A formal notice about one invoice fits on one page too, signature included.
    let notice = cli.letter("34", "mise-en-demeure", &["--at", AT, "--lrar", "1A 123 456 7890 1"]);
    assert_eq!(pages(&notice), 1);
    assert!(std::fs::metadata(&notice).unwrap().len() <= 30 * 1024);
    // Word boxes in points; the window box is 110–188 mm across, 52–84 mm down.
    let html = tool("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mm = |pt: f64| pt * 25.4 / 72.0;
    let mut address_words = 0;
    for line in html.lines().filter(|l| l.contains("<word")) {
        let attr = |name: &str| -> f64 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[start..].split('"').next().unwrap().parse().unwrap()
        };
        let word = line.split('>').nth(1).unwrap_or("").split('<').next().unwrap_or("");
        if ["Pharmacie", "Bellecour", "Camille", "République", "42000", "SAINT-ÉTIENNE"].contains(&word) {
            address_words += 1;
            let (x0, y0, x1, y1) = (mm(attr("xMin")), mm(attr("yMin")), mm(attr("xMax")), mm(attr("yMax")));
            assert!(
                x0 >= 110.0 && x1 <= 188.0 && y0 >= 52.0 && y1 <= 84.0,
                "{word} at {x0:.1},{y0:.1}–{x1:.1},{y1:.1} mm"
            );
        }
    }
    assert_eq!(address_words, 6, "{html}");
}

#[test]
fn a_forty_invoice_formal_notice_runs_over_pages_with_its_header_repeated() {
    let cli = Cli::new();
    cli.ok(&[
        "profile",
        "set",
        "--legal-name",
        "Atelier Test",
        "--legal-form",
        "SARL",
        "--siren",
        "732829320",
        "--rcs-city",
        "Lyon",
        "--address",
        "1 rue de la Paix",
        "--postcode",
        "69001",
        "--city",
        "Lyon",
        "--iban",
        "FR7630006000011234567890189",
        "--signatory-name",
        "Anne Test",
    ]);
    let debtor = cli.json(&[
        "debtor",
        "add",
        "--kind",
        "pro",
        "--name",
        "Grossiste Quarante SAS",
        "--address",
        "40 quai du Rhône",
        "--postcode",
        "69002",
        "--city",
        "Lyon",
    ]);
    let id = debtor["id"].to_string();
    for n in 1..=40 {
        let number = format!("F-2026-{n:03}");
        let issue = format!("2026-{:02}-{:02}", 1 + (n - 1) / 8, 1 + (n - 1) % 8 * 3);
        cli.ok(&[
            "invoice",
            "add",
            "--debtor",
            &id,
            "--number",
            &number,
            "--issue-date",
            &issue,
            "--amount",
            "1234.56",
        ]);
    }
    let pdf = cli.letter(&id, "mise-en-demeure", &["--at", "2026-06-30"]);
    check_pdf(&pdf, &["signature_creancier"]);
    // Measured: the table fills the end of page 1 and runs on page 2, where the statement, the
    // payment box and the signature follow.
    assert_eq!(pages(&pdf), 2);
    let text = text(&pdf);
    assert!(text.contains("page 1/2") && text.contains("page 2/2"));
    assert_eq!(text.matches("Montant TTC").count(), 2, "the table header is repeated on the page it continues on");
    assert!(text.contains("49 382,40 €"), "40 × 1 234,56 €");
    for n in 1..=40 {
        assert!(text.contains(&format!("F-2026-{n:03}")));
    }
}

#[test]
fn the_eml_opens_in_a_real_mail_parser_with_the_pdf_intact() {
    let cli = Cli::demo();
    let eml = cli.path("relance.eml");
    cli.ok(&["email", "11", "--kind", "relance-amiable", "--at", AT, "--out", eml.to_str().unwrap()]);
    let script = r#"
import email, sys, hashlib
from email import policy
msg = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)
assert msg.get_content_type() == 'multipart/mixed', msg.get_content_type()
print('subject', msg['subject'])
print('to', msg['to'])
text = msg.get_body(preferencelist=('plain',)).get_content()
html = msg.get_body(preferencelist=('html',)).get_content()
assert 'F-2026-0141' in text and 'Pharmacie Bellecour' in html and '<table' in html
pdfs = [p for p in msg.iter_attachments() if p.get_content_type() == 'application/pdf']
assert len(pdfs) == 1
data = pdfs[0].get_content()
open(sys.argv[2], 'wb').write(data)
print('pdf', pdfs[0].get_filename(), hashlib.sha256(data).hexdigest())
"#;
    let attached = cli.path("attached.pdf");
    let out = tool("python3", &["-c", script, eml.to_str().unwrap(), attached.to_str().unwrap()]);
    assert!(out.contains("subject Relance — facture(s) impayée(s)"), "{out}");
    assert!(out.contains("camille.durand") || out.contains("Pharmacie Bellecour"), "{out}");
    check_pdf(&attached, &["signature_creancier"]);
    let stored = cli.json(&["document", "list", "11"]);
    let sha = stored[0]["sha256"].as_str().unwrap();
    assert!(out.contains(sha), "the attachment is the stored document: {out}");
}

#[test]
fn templates_are_checked_when_saved_and_used_when_printing() {
    let cli = Cli::demo();
    let shown = cli.ok(&["template", "show", "relance-amiable"]);
    assert!(shown.starts_with("Objet : Relance"));
    let file = cli.path("relance.txt");
    std::fs::write(&file, shown.replace("Sauf erreur", "Bonjour {debiteur.nomm}. Sauf erreur")).unwrap();
    let message = cli.refused(&["template", "edit", "relance-amiable", "--file", file.to_str().unwrap()]);
    assert!(message.contains("ligne 3") && message.contains("{debiteur.nom}"), "{message}");
    std::fs::write(&file, shown.replace("Sauf erreur", "[particulier] Un rappel de 40 € d'indemnité.\n\nSauf erreur"))
        .unwrap();
    let message = cli.refused(&["template", "edit", "relance-amiable", "--file", file.to_str().unwrap()]);
    assert!(message.contains("ligne 3") && message.contains("[pro]"), "{message}");
    std::fs::write(&file, shown.replace("Sauf erreur", "Cher client {debiteur.nom}, sauf erreur")).unwrap();
    cli.ok(&["template", "edit", "relance-amiable", "--file", file.to_str().unwrap()]);
    let pdf = cli.letter("11", "relance-amiable", &["--at", AT]);
    assert!(text(&pdf).contains("Cher client Pharmacie Bellecour SARL, sauf erreur"));
    let listed = cli.json(&["template", "list"]);
    assert!(listed.as_array().unwrap().iter().any(|t| t["kind"] == "relance-amiable" && t["custom"] == true));
    cli.ok(&["template", "reset", "relance-amiable"]);
    assert!(text(&cli.letter("11", "relance-amiable", &["--at", AT, "--deadline-days", "10"])).contains("Sauf erreur"));
}

#[test]
fn bad_requests_are_refused_and_store_nothing() {
    let cli = Cli::demo();
    let out = cli.path("x.pdf");
    let out = out.to_str().unwrap();
    let message = cli.refused(&["letter", "999", "--kind", "mise-en-demeure", "--out", out]);
    assert!(message.contains("Débiteur inconnu"), "{message}");
    let message = cli.refused(&["letter", "20", "--kind", "sommation", "--out", out]);
    assert!(message.contains("mise-en-demeure"), "{message}");
    let message = cli.refused(&["letter", "20", "--kind", "echeancier", "--lang", "en", "--out", out]);
    assert!(message.contains("qu'en français"), "{message}");
    let message = cli.refused(&["letter", "20", "--kind", "mise-en-demeure", "--at", "31/02/2026", "--out", out]);
    assert!(message.contains("31/02/2026"), "{message}");
    // Nothing owed yet on that day: nothing to claim.
    let message = cli.refused(&["letter", "15", "--kind", "mise-en-demeure", "--at", AT, "--out", out]);
    assert!(message.contains("rien à réclamer"), "{message}");
    // A creditor without IBAN cannot say how to pay: refused, not printed with a gap.
    let fresh = Cli::new();
    fresh.ok(&["profile", "set", "--legal-name", "Sans Banque", "--city", "Lyon"]);
    let debtor = fresh.json(&[
        "debtor",
        "add",
        "--kind",
        "pro",
        "--name",
        "Client",
        "--address",
        "1 rue A",
        "--postcode",
        "69001",
        "--city",
        "Lyon",
    ]);
    let id = debtor["id"].to_string();
    fresh.ok(&["invoice", "add", "--debtor", &id, "--number", "F1", "--issue-date", "2026-01-05", "--amount", "100"]);
    let message = fresh.refused(&["letter", &id, "--kind", "relance-amiable", "--at", "2026-03-01", "--out", out]);
    assert!(message.contains("IBAN"), "{message}");
    assert!(!Path::new(out).exists());
    for cli in [&cli, &fresh] {
        for id in ["20", &id] {
            if let Ok(list) = serde_json::from_str::<Value>(
                &String::from_utf8(cli.cmd(&["--json", "document", "list", id]).output().unwrap().stdout)
                    .unwrap_or_default(),
            ) {
                assert_eq!(list.as_array().map(Vec::len), Some(0), "nothing stored");
            }
        }
    }
}

#[test]
fn the_days_letters_print_together_and_are_linked_when_sent() {
    let cli = Cli::new();
    cli.ok(&[
        "profile",
        "set",
        "--legal-name",
        "Atelier Test",
        "--address",
        "1 rue de la Paix",
        "--postcode",
        "69001",
        "--city",
        "Lyon",
        "--iban",
        "FR7630006000011234567890189",
        "--bic",
        "AGRIFRPP",
    ]);
    let mut ids = Vec::new();
    for name in ["Client Un SARL", "Client Deux SAS"] {
        let debtor = cli.json(&[
            "debtor",
            "add",
            "--kind",
            "pro",
            "--name",
            name,
            "--segment",
            "strategique",
            "--address",
            "2 rue B",
            "--postcode",
            "69002",
            "--city",
            "Lyon",
        ]);
        let id = debtor["id"].to_string();
        cli.ok(&[
            "invoice",
            "add",
            "--debtor",
            &id,
            "--number",
            &format!("F-{id}"),
            "--issue-date",
            "2026-01-02",
            "--due-date",
            "2026-02-01",
            "--amount",
            "500",
        ]);
        ids.push(id);
    }
    // Standard scenario: J+3 by e-mail, then J+15 by e-mail and letter.
    for id in &ids {
        cli.ok(&["act", &format!("{id}-1"), "--done", "--at", "2026-02-04"]);
    }
    let out = cli.path("jour");
    let report = cli.json(&["print-day", "--at", "2026-02-16", "--out", out.to_str().unwrap()]);
    assert_eq!(report["letters"], 2, "{report}");
    let combined = out.join("2026-02-16 courriers du jour.pdf");
    check_pdf(&combined, &["signature_creancier_1", "signature_creancier_2"]);
    assert_eq!(pages(&combined), 2);
    let text = text(&combined);
    assert!(text.contains("Client Un SARL") && text.contains("Client Deux SAS"));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 3, "one file for the printer, one per letter");
    // Marking the step done links the printed letter to the interactions it produced.
    cli.ok(&["act", &format!("{}-2", ids[0]), "--done", "--at", "2026-02-16"]);
    // Two documents: the e-mail of J+3 (produced when it was marked done) and the printed letter,
    // reused rather than produced twice.
    let documents = cli.json(&["document", "list", &ids[0]]);
    let kinds: Vec<&str> = documents.as_array().unwrap().iter().map(|d| d["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["relance-formelle", "relance-amiable"], "{documents}");
    let document = &documents[0];
    assert!(document["interaction_id"].is_i64(), "{document}");
    let history = cli.json(&["interaction", "list", "--debtor", &ids[0]]);
    let linked = history.as_array().unwrap().iter().filter(|i| i["document_sha256"] == document["sha256"]).count();
    assert_eq!(linked, 2, "the e-mail and the letter of that step: {history}");

    // The registered letter: number first, then the signed card.
    let scan = cli.path("ar.pdf");
    std::fs::copy(&combined, &scan).unwrap();
    cli.ok(&["lrar", "record", &ids[0], "--number", "1A 000 111 2223 3", "--sent", "2026-02-16"]);
    let message =
        cli.refused(&["lrar", "record", &ids[0], "--number", "1A 000 111 2223 3", "--received", "2026-02-10"]);
    assert!(message.contains("antérieure"), "{message}");
    cli.ok(&[
        "lrar",
        "record",
        &ids[0],
        "--number",
        "1A 000 111 2223 3",
        "--received",
        "2026-02-18",
        "--scan",
        scan.to_str().unwrap(),
    ]);
    let letters = cli.json(&["lrar", "list", &ids[0]]);
    assert_eq!(letters[0]["received_on"], "2026-02-18");
    assert!(letters[0]["ack_sha256"].is_string() && letters[0]["document_id"].is_i64(), "{letters}");
}

#[test]
fn the_logo_prints_top_left_with_its_transparency() {
    let cli = Cli::demo();
    let logo = cli.path("logo.png");
    {
        let file = std::fs::File::create(&logo).unwrap();
        let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), 300, 100);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        let pixels: Vec<u8> =
            (0..300 * 100).flat_map(|i| [20, 60, (i % 200) as u8, if i % 7 == 0 { 0 } else { 255 }]).collect();
        writer.write_image_data(&pixels).unwrap();
    }
    let not_png = cli.path("logo.jpg");
    std::fs::write(&not_png, b"\xff\xd8\xff\xe0JFIF").unwrap();
    let message = cli.refused(&["profile", "logo", not_png.to_str().unwrap()]);
    assert!(message.contains("logo.jpg") && message.contains("PNG"), "{message}");
    cli.ok(&["profile", "logo", logo.to_str().unwrap()]);
    let pdf = cli.letter("11", "relance-amiable", &["--at", AT]);
    check_pdf(&pdf, &["signature_creancier"]);
    let images = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let rows: Vec<&str> = images.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "the logo and its transparency mask:\n{images}");
    assert!(rows[0].contains("image") && rows[0].contains("300   100") && rows[1].contains("smask"), "{images}");
    cli.ok(&["profile", "logo", "--remove"]);
    let pdf = cli.letter("11", "relance-amiable", &["--at", AT, "--deadline-days", "9"]);
    assert_eq!(tool("pdfimages", &["-list", pdf.to_str().unwrap()]).lines().count(), 2, "no image without a logo");
}
