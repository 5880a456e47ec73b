//! Structured e-invoices: Factur-X / ZUGFeRD PDFs (a PDF/A-3 carrying a CII XML file), bare UN/CEFACT
//! CII XML and UBL 2.1 Invoice / CreditNote XML, read into invoices and credit notes.
//!
//! The kind is told by the content, never by the file name: users rename files, and mail clients save
//! attachments as `document(3).pdf`. The syntax readers (`cii`, `ubl`) only collect the business terms
//! as text, each with the XML path it was found at; the checks and the arithmetic (signs, the VAT the
//! lighter profiles omit) live here once, so that the three forms of one invoice give the same record.
//!
//! Everything here is fed untrusted bytes and fuzzed: the XML is read into a flat, bounded list of
//! elements (depth and count capped), and nothing indexes, unwraps or overflows.

mod cii;
mod facturx;
mod ubl;
mod xml;

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use super::{Batch, ImportedCreditNote, ImportedDebtor, ImportedInvoice, ImportedIssuer, Origin, Rejection};
use crate::identifiers;
use crate::parties::{DebtorKind, PostalAddress};
use crate::receivables::invoice::{MAX_ATTACHMENT_BYTES, NewAttachment};
use xml::{Doc, Item, decode, truncate};

/// Largest file read: the original is kept as the invoice's evidence, and attachments stop there.
pub const MAX_BYTES: usize = MAX_ATTACHMENT_BYTES;

/// Values quoted back to the user in a refusal or kept as free text are cut here.
const MAX_TEXT: usize = 200;

/// EN 16931 document type codes (UNTDID 1001) that are credit notes; every other code is an invoice
/// of some kind (380 commercial, 384 corrected, 389 self-billed, 751 invoice information…).
const CREDIT_NOTE_CODES: [&str; 11] = ["81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"];

/// Reads one e-invoice file: a Factur-X / ZUGFeRD PDF, a CII XML or a UBL XML, told apart by content.
///
/// The batch holds one invoice or one credit note, or one refusal saying why (not an e-invoice, a
/// mandatory term missing, a malformed date or amount). An invoice keeps the file itself as its
/// attachment, under the file's base name.
pub fn read(file: &str, bytes: &[u8]) -> Batch {
    let mut batch = Batch::default();
    match read_document(file, bytes) {
        Ok(Record::Invoice(invoice)) => batch.invoices.push(*invoice),
        Ok(Record::CreditNote(credit_note)) => batch.credit_notes.push(*credit_note),
        Err(rejection) => batch.rejected.push(*rejection),
    }
    batch
}

enum Record {
    Invoice(Box<ImportedInvoice>),
    CreditNote(Box<ImportedCreditNote>),
}

type Refusal = Box<Rejection>;

/// The file being read and, for a PDF, the embedded file's name that prefixes every XML path.
struct Ctx<'a> {
    file: &'a str,
    prefix: String,
}

impl Ctx<'_> {
    fn origin(&self, path: &str) -> Origin {
        match (path, self.prefix.strip_suffix(':')) {
            ("", None) => Origin::file(self.file),
            ("", Some(attachment)) => Origin::xml(self.file, attachment),
            _ => Origin::xml(self.file, format!("{}{path}", self.prefix)),
        }
    }

    fn reject(&self, path: &str, field: &str, value: &str, reason: impl Into<String>) -> Refusal {
        Box::new(Rejection {
            origin: self.origin(path),
            field: field.to_owned(),
            value: truncate(value, MAX_TEXT),
            reason: reason.into(),
            raw: None,
        })
    }
}

fn read_document(file: &str, bytes: &[u8]) -> Result<Record, Refusal> {
    let whole = Ctx { file, prefix: String::new() };
    if bytes.is_empty() {
        return Err(whole.reject(
            "",
            "taille du fichier",
            "0 octet",
            "le fichier est vide : ce n'est pas une facture électronique",
        ));
    }
    if bytes.len() > MAX_BYTES {
        let size = format!("{} octets", bytes.len());
        return Err(whole.reject(
            "",
            "taille du fichier",
            &size,
            "fichier trop gros : 20 Mio au plus pour une facture",
        ));
    }
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = bytes.get(start..).unwrap_or_default();
    let looks_xml =
        head.starts_with(b"<") || head.starts_with(b"\xEF\xBB\xBF") || encoding_rs::Encoding::for_bom(head).is_some();
    if !looks_xml && bytes.get(..1024).unwrap_or(bytes).windows(5).any(|w| w == b"%PDF-") {
        let embedded =
            facturx::extract(bytes).map_err(|reason| whole.reject("", "fichier joint factur-x.xml", "", reason))?;
        let ctx = Ctx { file, prefix: format!("{}:", embedded.name) };
        return read_xml(&ctx, &embedded.xml, bytes);
    }
    if !looks_xml {
        return Err(whole.reject(
            "",
            "format",
            "",
            "ni un PDF Factur-X, ni un XML CII ou UBL : ce fichier n'est pas une facture électronique",
        ));
    }
    read_xml(&whole, bytes, bytes)
}

/// Reads the XML of an e-invoice; `original` is the file as given, kept as the invoice's evidence.
fn read_xml(ctx: &Ctx, xml: &[u8], original: &[u8]) -> Result<Record, Refusal> {
    let text = decode(xml).map_err(|reason| ctx.reject("", "document XML", "", reason))?;
    let doc = Doc::parse(&text).map_err(|reason| ctx.reject("", "document XML", "", reason))?;
    let root = doc.local(0);
    let draft = match root {
        "CrossIndustryInvoice" => cii::draft(&doc),
        "Invoice" | "CreditNote"
            if doc.root_namespace() == format!("urn:oasis:names:specification:ubl:schema:xsd:{root}-2") =>
        {
            ubl::draft(&doc)
        }
        "CrossIndustryDocument" => {
            return Err(ctx.reject(
                &doc.path(0),
                "élément racine",
                root,
                "format ZUGFeRD 1.0, non pris en charge : demandez au fournisseur une facture Factur-X (ZUGFeRD 2)",
            ));
        }
        _ => {
            return Err(ctx.reject(&doc.path(0), "élément racine", root, "ni une facture CII (CrossIndustryInvoice) ni une facture UBL (Invoice, CreditNote) : ce XML n'est pas une facture électronique"));
        }
    };
    let mut record = finish(ctx, draft)?;
    if let Record::Invoice(invoice) = &mut record {
        let file_name = ctx.file.rsplit(['/', '\\']).next().unwrap_or(ctx.file).to_owned();
        invoice.attachment = Some(NewAttachment { file_name, bytes: original.to_vec() });
    }
    Ok(record)
}

/// The buyer (BG-7) as found.
#[derive(Debug, Default)]
struct Buyer {
    name: Item,
    /// BT-47 and its scheme (`0002` SIREN, `0009` SIRET).
    legal_id: Option<(String, Option<String>)>,
    /// BT-48 and any other tax registration.
    tax_ids: Vec<String>,
    lines: Vec<String>,
    postcode: Option<String>,
    city: Option<String>,
    country: Option<String>,
    /// Candidates, best first; the first that looks like an address wins.
    emails: Vec<String>,
    phone: Option<String>,
}

/// The seller (BG-4) as found: what tells who issued the document.
#[derive(Debug, Default)]
struct Seller {
    /// Path of the party element, empty when the document has none.
    path: String,
    /// BT-27.
    name: Option<String>,
    /// BT-30 and its scheme.
    legal_id: Option<(String, Option<String>)>,
    /// BT-31, BT-32.
    tax_ids: Vec<String>,
}

/// What a syntax reader found, as text, before any check.
#[derive(Debug, Default)]
struct Draft {
    /// Path of the root element.
    root: String,
    /// UBL `CreditNote` root: a credit note whatever its type code.
    credit_root: bool,
    /// The specification identifier (BT-24).
    profile: Option<String>,
    type_code: Item,
    number: Item,
    issue_date: Item,
    due_date: Item,
    payment_terms: Option<String>,
    currency: Item,
    amount_excl_vat: Item,
    vat: Item,
    amount_incl_vat: Item,
    prepaid: Item,
    rounding: Item,
    due_payable: Item,
    /// BT-25.
    invoice_reference: Option<String>,
    /// Notes (BG-1) without a subject code: free text from the issuer, not regulatory mentions.
    notes: Vec<String>,
    first_line: Option<String>,
    line_count: usize,
    buyer: Buyer,
    seller: Seller,
}

fn finish(ctx: &Ctx, draft: Draft) -> Result<Record, Refusal> {
    let Some(number) = draft.number.text.clone() else {
        return Err(ctx.reject(
            &draft.number.path,
            "numéro de facture (BT-1)",
            "",
            "le numéro de la facture est absent",
        ));
    };
    let issue_date = date(ctx, &draft.issue_date, "date d'émission (BT-2)")?.ok_or_else(|| {
        ctx.reject(&draft.issue_date.path, "date d'émission (BT-2)", "", "la date d'émission est absente")
    })?;
    let credit = match draft.type_code.text.as_deref() {
        None => draft.credit_root,
        Some(code) if !code.is_empty() && code.len() <= 3 && code.bytes().all(|b| b.is_ascii_digit()) => {
            draft.credit_root || CREDIT_NOTE_CODES.contains(&code)
        }
        Some(code) => {
            let reason = "code de type de document inconnu : 380 (facture) ou 381 (avoir) attendu";
            return Err(ctx.reject(&draft.type_code.path, "type de document (BT-3)", code, reason));
        }
    };
    let currency = draft.currency.text.clone().unwrap_or_default();
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        let reason = "code de devise ISO 4217 attendu (trois lettres majuscules, EUR par exemple)";
        return Err(ctx.reject(&draft.currency.path, "devise (BT-5)", &currency, reason));
    }
    let incl = amount(ctx, &draft.amount_incl_vat, "montant TTC (BT-112)")?.ok_or_else(|| {
        ctx.reject(&draft.amount_incl_vat.path, "montant TTC (BT-112)", "", "le montant TTC de la facture est absent")
    })?;
    let excl = amount(ctx, &draft.amount_excl_vat, "montant HT (BT-109)")?;
    // MINIMUM and BASIC WL may leave out the VAT total: it is what separates the two totals.
    let vat = match (amount(ctx, &draft.vat, "total de TVA (BT-110)")?, excl) {
        (Some(vat), _) => vat,
        (None, Some(excl)) => incl - excl,
        (None, None) => {
            let reason = "ni montant HT (BT-109) ni total de TVA (BT-110) : impossible de connaître la TVA";
            return Err(ctx.reject(&draft.amount_excl_vat.path, "montant HT (BT-109)", "", reason));
        }
    };
    // A rounding amount (BT-114) or VAT in another currency can leave HT + TVA off the TTC: the TTC is
    // what is owed, and the ledger wants the three to agree.
    let excl = excl.filter(|&excl| excl + vat == incl).unwrap_or(incl - vat);
    // A type-380 document with negative totals cancels an invoice: it is a credit note.
    let sign = if incl < Decimal::ZERO { Decimal::NEGATIVE_ONE } else { Decimal::ONE };
    let (incl, excl, vat) = (incl * sign, excl * sign, vat * sign);
    if vat < Decimal::ZERO {
        let reason = "le total de TVA est de signe contraire au montant TTC";
        return Err(ctx.reject(&draft.vat.path, "total de TVA (BT-110)", &vat.to_string(), reason));
    }
    let debtor = debtor(ctx, &draft.buyer)?;
    let issuer = issuer(ctx, &draft.seller);
    let origin = ctx.origin(&draft.root);
    let kind = draft.profile.as_deref().and_then(profile_label);
    let fallback = |what: &str| kind.map_or_else(|| what.to_owned(), |kind| format!("{what} ({kind})"));
    if credit || sign < Decimal::ZERO {
        let reason = draft.notes.first().cloned().unwrap_or_else(|| fallback("Avoir électronique"));
        return Ok(Record::CreditNote(Box::new(ImportedCreditNote {
            origin,
            debtor,
            issuer,
            number,
            invoice_number: draft.invoice_reference,
            issue_date,
            amount_incl_vat: incl,
            vat,
            currency,
            reason: truncate(&reason, MAX_TEXT),
        })));
    }
    let paid = match amount(ctx, &draft.prepaid, "acompte versé (BT-113)")? {
        Some(paid) => paid,
        // MINIMUM has no prepaid amount but says what is left to pay (BT-115 = BT-112 − BT-113 + BT-114).
        None => match amount(ctx, &draft.due_payable, "montant à payer (BT-115)")? {
            Some(due) => {
                let rounding = amount(ctx, &draft.rounding, "arrondi (BT-114)")?.unwrap_or_default();
                (incl + rounding - due).max(Decimal::ZERO)
            }
            None => Decimal::ZERO,
        },
    };
    if paid < Decimal::ZERO || paid > incl {
        let path = if draft.prepaid.text.is_some() { &draft.prepaid.path } else { &draft.due_payable.path };
        let reason = "l'acompte versé doit être compris entre zéro et le montant TTC";
        return Err(ctx.reject(path, "acompte versé (BT-113)", &paid.to_string(), reason));
    }
    let due_date = date(ctx, &draft.due_date, "échéance (BT-9)")?;
    let description = match &draft.first_line {
        Some(line) if draft.line_count > 2 => format!("{line} et {} autres lignes", draft.line_count - 1),
        Some(line) if draft.line_count == 2 => format!("{line} et 1 autre ligne"),
        Some(line) => line.clone(),
        None => draft.notes.first().cloned().unwrap_or_else(|| fallback("Facture électronique")),
    };
    Ok(Record::Invoice(Box::new(ImportedInvoice {
        origin,
        debtor,
        issuer,
        number,
        issue_date,
        due_date,
        payment_terms: draft.payment_terms.map(|terms| truncate(&terms, MAX_TEXT)),
        amount_excl_vat: excl,
        vat,
        amount_incl_vat: incl,
        paid,
        paid_on: None,
        currency,
        description: truncate(&description, MAX_TEXT),
        attachment: None,
    })))
}

/// The profile named by BT-24, for a description when the invoice has nothing better.
fn profile_label(id: &str) -> Option<&'static str> {
    let id = id.to_ascii_lowercase();
    let labels = [
        ("factur-x.eu:1p0:minimum", "Factur-X MINIMUM"),
        ("factur-x.eu:1p0:basicwl", "Factur-X BASIC WL"),
        ("factur-x.eu:1p0:basic", "Factur-X BASIC"),
        ("factur-x.eu:1p0:extended", "Factur-X EXTENDED"),
        ("xrechnung", "XRechnung"),
        ("en16931", "EN 16931"),
    ];
    labels.iter().find(|(key, _)| id.contains(key)).map(|&(_, label)| label)
}

fn debtor(ctx: &Ctx, buyer: &Buyer) -> Result<ImportedDebtor, Refusal> {
    let Some(name) = buyer.name.text.clone() else {
        return Err(ctx.reject(
            &buyer.name.path,
            "nom du client (BT-44)",
            "",
            "le nom du client (acheteur) est absent",
        ));
    };
    let siren = siren(buyer.legal_id.as_ref(), &buyer.tax_ids);
    let lines: Vec<String> =
        buyer.lines.iter().filter(|l| !l.is_empty()).take(4).map(|l| truncate_plain(l, 38)).collect();
    let postcode = buyer.postcode.as_deref().map(|p| truncate_plain(p, 10)).unwrap_or_default();
    let city = buyer.city.as_deref().map(|c| truncate_plain(c, 38)).unwrap_or_default();
    let country = buyer.country.as_deref().and_then(|c| identifiers::country_code(c).ok()).unwrap_or_default();
    let address = (!lines.is_empty() || !postcode.is_empty() || !city.is_empty()).then_some(PostalAddress {
        lines,
        postcode,
        city,
        country,
    });
    Ok(ImportedDebtor {
        name: truncate(&name, MAX_TEXT),
        siren,
        kind: Some(DebtorKind::Professionnel),
        address,
        email: buyer.emails.iter().find_map(|e| identifiers::email(e).ok()),
        phone: buyer.phone.as_deref().map(|p| truncate_plain(p, 30)),
        account: None,
    })
}

fn issuer(ctx: &Ctx, seller: &Seller) -> Option<ImportedIssuer> {
    let siren = siren(seller.legal_id.as_ref(), &seller.tax_ids);
    let name = seller.name.as_deref().map(|name| truncate(name, MAX_TEXT));
    (name.is_some() || siren.is_some()).then(|| ImportedIssuer { name, siren, origin: ctx.origin(&seller.path) })
}

/// A party's SIREN: its legal id when that is a SIREN or a SIRET (schemes `0002`, `0009`, or none
/// said), else its French VAT number.
fn siren(legal_id: Option<&(String, Option<String>)>, tax_ids: &[String]) -> Option<String> {
    let from_legal_id = legal_id.and_then(|(id, scheme)| {
        if !matches!(scheme.as_deref(), None | Some("0002" | "0009")) {
            return None;
        }
        identifiers::siren(id)
            .ok()
            .or_else(|| identifiers::siret(id).ok().and_then(|siret| siret.get(..9).map(str::to_owned)))
    });
    from_legal_id.or_else(|| tax_ids.iter().find_map(|id| siren_from_vat(id)))
}

/// `FR19787878784` → `787878784`: a French VAT number is the key and the SIREN.
fn siren_from_vat(id: &str) -> Option<String> {
    let id: String = id.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
    if id.len() != 13 || !id.starts_with("FR") {
        return None;
    }
    identifiers::siren(id.get(4..)?).ok()
}

/// Cut without an ellipsis: a postal line must stay within its 38 characters.
fn truncate_plain(text: &str, max: usize) -> String {
    text.chars().take(max).collect::<String>().trim_end().to_owned()
}

/// `YYYYMMDD` (CII format 102) or `YYYY-MM-DD` (UBL, possibly with a time zone).
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let digits: String = match text.len() {
        8 => text.to_owned(),
        10.. if text.get(4..5) == Some("-") && text.get(7..8) == Some("-") => {
            let zone = text.get(10..).unwrap_or_default();
            if !(zone.is_empty() || zone == "Z" || zone.starts_with(['+', '-'])) {
                return Err("date attendue au format AAAAMMJJ ou AAAA-MM-JJ".into());
            }
            text.get(..10).unwrap_or_default().replace('-', "")
        }
        _ => return Err("date attendue au format AAAAMMJJ ou AAAA-MM-JJ".into()),
    };
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err("date attendue au format AAAAMMJJ ou AAAA-MM-JJ".into());
    }
    let part = |range: std::ops::Range<usize>| digits.get(range).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    let year = i32::try_from(part(0..4)).unwrap_or(0);
    NaiveDate::from_ymd_opt(year, part(4..6), part(6..8))
        .ok_or_else(|| "cette date n'existe pas dans le calendrier".into())
}

fn date(ctx: &Ctx, item: &Item, field: &str) -> Result<Option<NaiveDate>, Refusal> {
    let Some(text) = item.text.as_deref() else { return Ok(None) };
    parse_date(text).map(Some).map_err(|reason| ctx.reject(&item.path, field, text, reason))
}

/// An XML decimal (`-1234.5`), rounded to the cent; no thousands separators, no exponent.
fn parse_amount(text: &str) -> Result<Decimal, String> {
    let refused = || "montant attendu en chiffres avec un point décimal (1234.56)".to_owned();
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (units, cents) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if units.len() + cents.len() == 0 || !digits(units) || !digits(cents) || cents.len() > 10 {
        return Err(refused());
    }
    if units.trim_start_matches('0').len() > 15 {
        return Err("montant trop grand pour une facture".into());
    }
    let value = Decimal::from_str(text).map_err(|_| refused())?;
    let mut value = value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    value.rescale(2);
    Ok(if value.is_zero() { Decimal::new(0, 2) } else { value })
}

fn amount(ctx: &Ctx, item: &Item, field: &str) -> Result<Option<Decimal>, Refusal> {
    let Some(text) = item.text.as_deref() else { return Ok(None) };
    parse_amount(text).map(Some).map_err(|reason| ctx.reject(&item.path, field, text, reason))
}

#[cfg(test)]
pub(super) mod tests {
    use std::path::PathBuf;

    use super::*;

    /// The e-invoice fixtures, copied into the repository (see their README for their origin).
    pub(crate) fn fixture(name: &str) -> Vec<u8> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/einvoices").join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The one refusal of a batch that must hold nothing else.
    pub(crate) fn rejected(batch: &Batch) -> &Rejection {
        assert!(batch.is_empty(), "{batch:?}");
        assert_eq!(batch.rejected.len(), 1, "{batch:?}");
        &batch.rejected[0]
    }

    #[test]
    fn amounts_and_dates() {
        assert_eq!(parse_amount("671.15"), Ok(Decimal::new(67115, 2)));
        assert_eq!(parse_amount("473"), Ok(Decimal::new(47300, 2)));
        assert_eq!(parse_amount("-0.00"), Ok(Decimal::new(0, 2)));
        assert_eq!(parse_amount("1.005"), Ok(Decimal::new(101, 2)));
        assert_eq!(parse_amount("+12.3456"), Ok(Decimal::new(1235, 2)));
        for bad in ["", "-", ".", "12,34,5", "1_000", "1e3", "12.3.4", " 12", "99999999999999999.00", "١٢"] {
            assert!(parse_amount(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_date("20171113"), NaiveDate::from_ymd_opt(2017, 11, 13).ok_or(String::new()));
        assert_eq!(parse_date("2018-03-05"), NaiveDate::from_ymd_opt(2018, 3, 5).ok_or(String::new()));
        assert_eq!(parse_date("2018-03-05+01:00"), NaiveDate::from_ymd_opt(2018, 3, 5).ok_or(String::new()));
        for bad in ["20260231", "2026-02-31", "2026023", "13/11/2017", "2017-1-13", "201711é3", "2017é-11-13"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(siren_from_vat("FR 19 787878784"), Some("787878784".into()));
        assert_eq!(siren_from_vat("DE123456789"), None);
        assert_eq!(truncate("abcdef", 3), "abc…");
    }

    #[test]
    fn what_is_not_an_einvoice_is_refused_naming_the_file() {
        let cases: [(&str, &[u8], &str); 6] = [
            ("vide.xml", b"", "n'est pas une facture"),
            ("bruit.bin", b"\x00\xff\x13garbage\x80", "n'est pas une facture"),
            ("notes.xml", b"<?xml version=\"1.0\"?><notes><note>hello</note></notes>", "ni une facture CII"),
            ("moitie.xml", b"<rsm:CrossIndustryInvoice><rsm:ExchangedDocument>", "tronqué"),
            ("latin.xml", b"<a>\xe9</a>", "UTF-8"),
            ("ubl-faux.xml", b"<Invoice xmlns=\"urn:example\"><ID>1</ID></Invoice>", "ni une facture CII"),
        ];
        for (file, bytes, reason) in cases {
            let batch = read(file, bytes);
            let rejection = rejected(&batch);
            assert_eq!(rejection.origin.file, file);
            assert!(rejection.reason.contains(reason), "{file}: {rejection}");
        }
    }
}
