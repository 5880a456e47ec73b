//! Composes a letter from the ledger's facts: which invoices it is about, the statement figures, the
//! template's wording filled in, the payment block with its QR code, the signatures, the legal
//! mentions. A pure function of its inputs.

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;

use super::model::{Align, Block, Column, Letter, Payment, Signature, Table};
use super::wording::{Piece, Wording};
use super::{DocumentKind, Lang, decompte, epc, locale};
use crate::dunning::records::PaymentPlan;
use crate::error::{Error, Field, Result};
use crate::law::statement::{InvoiceStatement, Statement};
use crate::parties::{CreditorProfile, Debtor};
use crate::receivables::payment::Payment as ReceivedPayment;

/// Deadline of a formal notice and of the reminders when nothing else is set, in days.
pub const DEFAULT_DEADLINE_DAYS: u32 = 8;

/// Everything a letter is made of.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// Which document.
    pub kind: DocumentKind,
    /// Language.
    pub lang: Lang,
    /// Date of the letter.
    pub date: NaiveDate,
    /// Deadline given to pay, in days from the letter's date.
    pub deadline_days: u32,
    /// Registered-letter number, when it is known before printing.
    pub registered_number: Option<&'a str>,
    /// The creditor.
    pub creditor: &'a CreditorProfile,
    /// The debtor.
    pub debtor: &'a Debtor,
    /// The debtor's statement at the letter's date.
    pub statement: &'a Statement,
    /// The plan (payment-plan agreement).
    pub plan: Option<&'a PaymentPlan>,
    /// The payment (receipt).
    pub payment: Option<&'a ReceivedPayment>,
    /// The wording to use (the user's template, or the shipped one).
    pub wording: &'a Wording,
    /// The creditor's logo, if any.
    pub logo: Option<&'a std::sync::Arc<super::logo::Logo>>,
}

/// The reference a debtor's transfers carry, so that a payment can be matched back to them.
pub fn debtor_reference(debtor_id: i64) -> String {
    format!("R{debtor_id:05}")
}

/// Builds the letter.
pub fn compose(facts: &Facts) -> Result<Letter> {
    let Facts { kind, lang, date, creditor, debtor, statement, .. } = *facts;
    if !kind.languages().contains(&lang) {
        return Err(Error::invalid(
            Field::Status,
            lang.as_str(),
            format!("le document « {} » n'existe qu'en français", kind.as_str()),
        ));
    }
    require_address(debtor)?;
    let invoices: Vec<&InvoiceStatement> = match kind {
        DocumentKind::RelancePreventive => statement.invoices.iter().filter(|i| i.due_date >= date).collect(),
        DocumentKind::Recu => Vec::new(),
        _ => statement.invoices.iter().filter(|i| i.due_date < date && i.principal_due > Decimal::ZERO).collect(),
    };
    if kind.asks_for_payment() && invoices.is_empty() {
        let why = if kind == DocumentKind::RelancePreventive {
            "aucune facture à échoir à cette date : un rappel d'échéance précède l'échéance"
        } else {
            "aucune facture échue et impayée à cette date : il n'y a rien à réclamer"
        };
        return Err(Error::invalid(Field::Debtor, &debtor.name, why));
    }
    if kind == DocumentKind::Echeancier && facts.plan.is_none() {
        return Err(Error::MissingValue {
            placeholder: "echeancier".into(),
            what: "l'échéancier".into(),
            fix: "Créez d'abord l'échéancier (recouvre plan create …).".into(),
        });
    }
    if kind == DocumentKind::Recu && facts.payment.is_none() {
        return Err(Error::MissingValue {
            placeholder: "paiement.montant".into(),
            what: "le paiement dont ce reçu accuse réception".into(),
            fix: "Enregistrez d'abord le paiement (recouvre payment add …).".into(),
        });
    }
    let claim = Claim::of(&invoices, statement, kind);
    let deadline = date.checked_add_days(Days::new(u64::from(facts.deadline_days))).unwrap_or(date);
    let reference = payment_reference(debtor.id, &invoices);
    let mut fill = |name: &str| value(facts, &claim, &invoices, deadline, &reference, name);
    let (subject, pieces) = facts.wording.render(debtor.kind, &mut fill)?;
    let mut blocks = Vec::new();
    for piece in pieces {
        blocks.push(match piece {
            Piece::Text(text) => Block::Paragraph { text },
            Piece::Block("factures") => Block::Table(invoice_table(lang, &invoices, &claim)),
            Piece::Block("decompte") => Block::Figures { lines: decompte::figures(facts, &claim) },
            Piece::Block("paiement") => Block::Payment(payment_block(facts, &claim, &reference)?),
            Piece::Block("echeancier") => Block::Table(plan_table(lang, facts.plan)),
            Piece::Block(other) => Block::Paragraph { text: format!("{{{other}}}") },
        });
    }
    let subject_prefix = if lang == Lang::Fr { "Objet : " } else { "Subject: " };
    Ok(Letter {
        lang: if lang == Lang::Fr { "fr-FR" } else { "en-GB" },
        title: format!("{} — {}", kind.label(lang), debtor.name),
        logo: facts.logo.cloned(),
        sender: sender(creditor),
        recipient: recipient(debtor, lang),
        place_date: locale::place_date(lang, &creditor.address.city, date),
        registered: registered_line(facts),
        references: references(facts),
        subject: format!("{subject_prefix}{subject}"),
        salutation: salutation(kind, lang).to_owned(),
        blocks,
        signatures: signatures(facts),
        legal_mentions: legal_mentions(creditor),
        page_label: if lang == Lang::Fr { "page {n}/{total}" } else { "page {n} of {total}" },
        claimed: kind.asks_for_payment().then_some(claim.asked),
    })
}

/// The figures of the invoices the letter is about.
pub(super) struct Claim {
    pub(super) principal: Decimal,
    pub(super) interest: Decimal,
    pub(super) indemnities: Decimal,
    pub(super) costs: Decimal,
    pub(super) total: Decimal,
    /// What the payment block and its QR code ask for.
    asked: Decimal,
    paid: Vec<Decimal>,
}

impl Claim {
    fn of(invoices: &[&InvoiceStatement], statement: &Statement, kind: DocumentKind) -> Claim {
        let principal = invoices.iter().map(|i| i.principal_due).sum();
        // A reminder before the due date claims no penalty; the others claim what the law allows.
        let preventive = kind == DocumentKind::RelancePreventive;
        let interest = if preventive { Decimal::ZERO } else { invoices.iter().map(|i| i.interest_due).sum() };
        let indemnities = if preventive { Decimal::ZERO } else { invoices.iter().map(|i| i.indemnity).sum() };
        let costs = if preventive || !statement.costs_claimable { Decimal::ZERO } else { statement.costs_total };
        let paid = invoices.iter().map(|i| i.computation.movements.iter().map(|m| m.movement.amount).sum()).collect();
        let total = principal + interest + indemnities + costs;
        // The courteous reminders ask for the principal (what their wording asks); from the last
        // warning on, the letter asks for everything the law allows.
        let courteous = matches!(
            kind,
            DocumentKind::RelancePreventive | DocumentKind::RelanceAmiable | DocumentKind::RelanceFormelle
        );
        Claim { principal, interest, indemnities, costs, total, asked: if courteous { principal } else { total }, paid }
    }
}

/// A placeholder's value; `invoices` are the ones the letter is about (chosen once, by `compose`).
fn value(
    facts: &Facts,
    claim: &Claim,
    invoices: &[&InvoiceStatement],
    deadline: NaiveDate,
    reference: &str,
    name: &str,
) -> Result<String> {
    let lang = facts.lang;
    let money = |amount: Decimal| locale::amount(lang, amount);
    let long = |date: NaiveDate| locale::long_date(lang, date);
    let creditor = facts.creditor;
    let missing = |what: &str, fix: &str| Error::MissingValue {
        placeholder: name.to_owned(),
        what: what.to_owned(),
        fix: fix.to_owned(),
    };
    let plan = || facts.plan.ok_or_else(|| missing("l'échéancier", "Créez d'abord l'échéancier."));
    let payment = || facts.payment.ok_or_else(|| missing("le paiement", "Choisissez le paiement."));
    Ok(match name {
        "creancier.nom" => creditor.legal_name.clone(),
        "creancier.ville" => non_empty(&creditor.address.city).ok_or_else(|| {
            missing("la ville de votre entreprise", "Complétez l'adresse du profil (recouvre profile set --city …).")
        })?,
        "creancier.signataire" => creditor.signatory_name.clone().ok_or_else(|| {
            missing("le nom du signataire", "Renseignez-le dans le profil (recouvre profile set --signatory-name …).")
        })?,
        "creancier.telephone" => creditor.phone.clone().ok_or_else(|| {
            missing(
                "le téléphone de votre entreprise",
                "Renseignez-le dans le profil (recouvre profile set --phone …).",
            )
        })?,
        "creancier.email" => creditor.email.clone().ok_or_else(|| {
            missing("l'e-mail de votre entreprise", "Renseignez-le dans le profil (recouvre profile set --email …).")
        })?,
        "debiteur.nom" => facts.debtor.name.clone(),
        "debiteur.reference" => debtor_reference(facts.debtor.id),
        "date_lettre" => long(facts.date),
        "total_du" => money(claim.total),
        "principal_du" => money(claim.principal),
        "penalites" => money(claim.interest),
        "indemnites" => money(claim.indemnities),
        "taux_penalites" => decompte::rate_words(facts),
        "nb_factures" => invoices.len().to_string(),
        "factures_liste" => invoices.iter().map(|i| i.number.as_str()).collect::<Vec<_>>().join(", "),
        "premiere_echeance" => invoices.iter().map(|i| i.due_date).min().map(long).unwrap_or_default(),
        "date_limite" => long(deadline),
        "delai_jours" => facts.deadline_days.to_string(),
        "reference_paiement" => reference.to_owned(),
        "plan.total" => money(plan()?.total),
        "plan.nb_echeances" => plan()?.instalments.len().to_string(),
        "plan.rythme" => plan()?.frequency.label().to_owned(),
        "plan.premiere_date" => plan()?.instalments.first().map(|i| long(i.due_on)).unwrap_or_default(),
        "plan.derniere_date" => plan()?.instalments.last().map(|i| long(i.due_on)).unwrap_or_default(),
        "paiement.montant" => money(payment()?.amount),
        "paiement.date" => long(payment()?.received_on),
        "paiement.moyen" => payment()?.method.label().to_owned(),
        "paiement.factures" => {
            let paid = payment()?;
            if paid.allocations.is_empty() {
                "non encore affecté à une facture".to_owned()
            } else {
                let parts: Vec<String> = paid
                    .allocations
                    .iter()
                    .map(|a| format!("facture {} : {}", a.invoice_number, money(a.amount)))
                    .collect();
                parts.join(", ")
            }
        }
        "reste_du" => money(facts.statement.principal_due),
        other => return Err(missing(&format!("l'espace réservé {{{other}}}"), "Corrigez le modèle.")),
    })
}

fn non_empty(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

fn require_address(debtor: &Debtor) -> Result<()> {
    if debtor.address.lines.is_empty() || debtor.address.city.trim().is_empty() {
        return Err(Error::MissingValue {
            placeholder: "debiteur.adresse".into(),
            what: format!("l'adresse postale de {}", debtor.name),
            fix: format!("Complétez-la (recouvre debtor edit {} --address … --postcode … --city …).", debtor.id),
        });
    }
    Ok(())
}

fn payment_reference(debtor_id: i64, invoices: &[&InvoiceStatement]) -> String {
    let mut reference = debtor_reference(debtor_id);
    for invoice in invoices {
        if reference.len() + invoice.number.len() + 1 > 140 {
            break;
        }
        reference.push(' ');
        reference.push_str(&invoice.number);
    }
    reference
}

fn invoice_table(lang: Lang, invoices: &[&InvoiceStatement], claim: &Claim) -> Table {
    let titles: [&str; 6] = match lang {
        Lang::Fr => ["Facture", "Date", "Échéance", "Montant TTC", "Déjà réglé", "Principal dû"],
        Lang::En => ["Invoice", "Date", "Due date", "Amount incl. VAT", "Paid", "Principal due"],
    };
    let weights = [26, 15, 15, 16, 14, 16];
    let aligns = [Align::Left, Align::Left, Align::Left, Align::Right, Align::Right, Align::Right];
    let columns = titles
        .iter()
        .zip(weights)
        .zip(aligns)
        .map(|((title, weight), align)| Column { title: (*title).to_owned(), align, weight })
        .collect();
    let money = |amount: Decimal| locale::amount(lang, amount);
    let rows = invoices
        .iter()
        .zip(&claim.paid)
        .map(|(invoice, paid)| {
            vec![
                invoice.number.clone(),
                locale::short_date(lang, invoice.issue_date),
                locale::short_date(lang, invoice.due_date),
                money(invoice.amount),
                money(*paid),
                money(invoice.principal_due),
            ]
        })
        .collect();
    let amount: Decimal = invoices.iter().map(|i| i.amount).sum();
    let paid: Decimal = claim.paid.iter().sum();
    let total = vec![
        format!("Total ({})", invoices.len()),
        String::new(),
        String::new(),
        money(amount),
        money(paid),
        money(claim.principal),
    ];
    Table { columns, rows, total: Some(total) }
}

fn payment_block(facts: &Facts, claim: &Claim, reference: &str) -> Result<Payment> {
    let lang = facts.lang;
    let fr = lang == Lang::Fr;
    let creditor = facts.creditor;
    let iban = creditor.iban.as_deref().ok_or_else(|| Error::MissingValue {
        placeholder: "paiement".into(),
        what: "l'IBAN de votre entreprise, pour dire au débiteur comment payer".into(),
        fix: "Renseignez-le dans le profil (recouvre profile set --iban … --bic …).".into(),
    })?;
    // What a plan agreement asks now is its first instalment; everything else asks the total.
    let amount = facts.plan.filter(|_| facts.kind == DocumentKind::Echeancier).and_then(|p| p.instalments.first());
    let (label, amount) = match (amount, fr) {
        (Some(first), true) => ("Première échéance", first.amount),
        (Some(first), false) => ("First instalment", first.amount),
        (None, true) => ("Montant à régler", claim.asked),
        (None, false) => ("Amount to pay", claim.asked),
    };
    let grouped: Vec<String> =
        iban.chars().filter(|c| !c.is_whitespace()).collect::<Vec<_>>().chunks(4).map(|c| c.iter().collect()).collect();
    let mut lines = vec![
        format!("{label} : {}", locale::amount(lang, amount)),
        format!("{} : {}", if fr { "Bénéficiaire" } else { "Beneficiary" }, creditor.legal_name),
        match &creditor.bic {
            Some(bic) => format!("IBAN : {} · BIC : {bic}", grouped.join(" ")),
            None => format!("IBAN : {}", grouped.join(" ")),
        },
    ];
    lines.push(format!("{} : {reference}", if fr { "Référence à indiquer" } else { "Reference to quote" }));
    if !fr {
        for line in &mut lines {
            *line = line.replacen(" : ", ": ", 1);
        }
    }
    let qr_payload = epc::payload(&epc::Transfer {
        beneficiary: &creditor.legal_name,
        iban,
        bic: creditor.bic.as_deref(),
        amount,
        reference,
    })
    .ok();
    Ok(Payment {
        heading: if fr { "Règlement par virement".into() } else { "Payment by bank transfer".into() },
        lines,
        qr_payload,
        qr_caption: if fr {
            "Scannez avec votre application bancaire".into()
        } else {
            "Scan with your banking app".into()
        },
    })
}

fn plan_table(lang: Lang, plan: Option<&PaymentPlan>) -> Table {
    let fr = lang == Lang::Fr;
    let columns = vec![
        Column {
            title: if fr { "Échéance n°".into() } else { "Instalment".into() }, align: Align::Left, weight: 20
        },
        Column { title: if fr { "À payer le".into() } else { "Due on".into() }, align: Align::Left, weight: 40 },
        Column { title: if fr { "Montant".into() } else { "Amount".into() }, align: Align::Right, weight: 40 },
    ];
    let instalments = plan.map(|p| p.instalments.as_slice()).unwrap_or_default();
    let rows = instalments
        .iter()
        .enumerate()
        .map(|(n, i)| vec![(n + 1).to_string(), locale::long_date(lang, i.due_on), locale::amount(lang, i.amount)])
        .collect();
    let total = plan.map(|p| vec!["Total".to_owned(), String::new(), locale::amount(lang, p.total)]);
    Table { columns, rows, total }
}

fn sender(creditor: &CreditorProfile) -> Vec<String> {
    let mut lines = vec![match &creditor.legal_form {
        Some(form) if !creditor.legal_name.contains(form.as_str()) => format!("{} {form}", creditor.legal_name),
        _ => creditor.legal_name.clone(),
    }];
    lines.extend(creditor.address.lines.iter().cloned());
    let city = format!("{} {}", creditor.address.postcode, creditor.address.city).trim().to_owned();
    if !city.is_empty() {
        lines.push(city);
    }
    let contact: Vec<&str> = [creditor.phone.as_deref(), creditor.email.as_deref()].into_iter().flatten().collect();
    if !contact.is_empty() {
        lines.push(contact.join(" · "));
    }
    lines
}

fn recipient(debtor: &Debtor, lang: Lang) -> Vec<String> {
    let mut lines = vec![debtor.name.clone()];
    if let Some(contact) = debtor.contact_name.as_deref().filter(|c| !c.trim().is_empty()) {
        lines.push(if lang == Lang::Fr {
            format!("À l'attention de {contact}")
        } else {
            format!("For the attention of {contact}")
        });
    }
    lines.extend(debtor.address.lines.iter().cloned());
    // La Poste wants the city in capitals on the last line; abroad, the country below it.
    lines.push(format!("{} {}", debtor.address.postcode, debtor.address.city.to_uppercase()).trim().to_owned());
    if debtor.address.country != "FR" {
        lines.push(country_name(&debtor.address.country).to_owned());
    }
    lines
}

fn country_name(code: &str) -> &str {
    match code {
        "BE" => "BELGIQUE",
        "CH" => "SUISSE",
        "LU" => "LUXEMBOURG",
        "DE" => "ALLEMAGNE",
        "ES" => "ESPAGNE",
        "IT" => "ITALIE",
        "GB" => "ROYAUME-UNI",
        "IE" => "IRLANDE",
        "NL" => "PAYS-BAS",
        "PT" => "PORTUGAL",
        "US" => "ÉTATS-UNIS",
        "MC" => "MONACO",
        other => other,
    }
}

fn registered_line(facts: &Facts) -> Option<String> {
    // The number never breaks across lines: it is copied from the La Poste label.
    let number = facts.registered_number.map(str::trim).filter(|n| !n.is_empty()).map(|n| n.replace(' ', "\u{a0}"));
    match (facts.kind, number.as_deref(), facts.lang) {
        (_, Some(number), Lang::Fr) => Some(format!("Lettre recommandée avec accusé de réception n°\u{a0}{number}")),
        (_, Some(number), Lang::En) => {
            Some(format!("Registered letter with acknowledgement of receipt No.\u{a0}{number}"))
        }
        (DocumentKind::MiseEnDemeure, None, Lang::Fr) => Some("Lettre recommandée avec accusé de réception".into()),
        (DocumentKind::MiseEnDemeure, None, Lang::En) => {
            Some("Registered letter with acknowledgement of receipt".into())
        }
        _ => None,
    }
}

fn references(facts: &Facts) -> Vec<String> {
    let client = debtor_reference(facts.debtor.id);
    match facts.lang {
        Lang::Fr => vec![format!("Nos références : client {client}")],
        Lang::En => vec![format!("Our reference: customer {client}")],
    }
}

fn salutation(kind: DocumentKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (DocumentKind::Echeancier | DocumentKind::ReconnaissanceDeDette, _) => "",
        (_, Lang::Fr) => "Madame, Monsieur,",
        (_, Lang::En) => "Dear Sir or Madam,",
    }
}

fn signatures(facts: &Facts) -> Vec<Signature> {
    let fr = facts.lang == Lang::Fr;
    let creditor = Signature {
        role: if fr { "Pour le créancier".into() } else { "For the creditor".into() },
        name: facts.creditor.signatory_name.clone().unwrap_or_else(|| facts.creditor.legal_name.clone()),
        title: match (&facts.creditor.signatory_title, &facts.creditor.signatory_name) {
            (Some(title), _) => Some(format!("{title}, {}", facts.creditor.legal_name)),
            (None, Some(_)) => Some(facts.creditor.legal_name.clone()),
            (None, None) => None,
        },
        mention: None,
        field: "signature_creancier".into(),
    };
    let debtor_signatory = facts.debtor.contact_name.clone().unwrap_or_else(|| facts.debtor.name.clone());
    let debtor = |mention: &str| Signature {
        role: "Le débiteur".into(),
        name: debtor_signatory.clone(),
        title: facts.debtor.contact_name.as_ref().map(|_| facts.debtor.name.clone()),
        mention: Some(mention.to_owned()),
        field: "signature_debiteur".into(),
    };
    match facts.kind {
        DocumentKind::Echeancier => vec![
            Signature { mention: Some("Date et signature, précédées de « Lu et approuvé »".into()), ..creditor },
            debtor("Date et signature, précédées de « Lu et approuvé »"),
        ],
        DocumentKind::ReconnaissanceDeDette => vec![
            debtor(
                "Date, signature et mention écrite de la main du débiteur : « Bon pour reconnaissance de dette de la somme de … euros », en lettres et en chiffres (C. civ. 1376)",
            ),
            Signature { role: "Le créancier".into(), ..creditor },
        ],
        _ => vec![creditor],
    }
}

fn legal_mentions(creditor: &CreditorProfile) -> String {
    let mut parts = vec![match &creditor.legal_form {
        Some(form) => format!("{} — {form}", creditor.legal_name),
        None => creditor.legal_name.clone(),
    }];
    let siren = creditor
        .siren
        .as_deref()
        .map(|s| format!("{} {} {}", &s[..3.min(s.len())], &s[3.min(s.len())..6.min(s.len())], &s[6.min(s.len())..]));
    match (&creditor.rcs_city, &siren) {
        (Some(city), Some(siren)) => parts.push(format!("RCS {city} {siren}")),
        (None, Some(siren)) => parts.push(format!("SIREN {siren}")),
        _ => {}
    }
    if let Some(siret) = &creditor.siret {
        parts.push(format!("SIRET {siret}"));
    }
    if let Some(vat) = &creditor.vat_number {
        parts.push(format!("TVA intracommunautaire {vat}"));
    }
    let address =
        [creditor.address.lines.join(", "), format!("{} {}", creditor.address.postcode, creditor.address.city)]
            .iter()
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
    if !address.is_empty() {
        parts.push(address);
    }
    parts.join(" · ")
}
