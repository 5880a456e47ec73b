//! Documents: the papers our users post or attach — reminders, the formal notice (mise en demeure),
//! the payment-plan agreement (échéancier), the acknowledgement of debt (reconnaissance de dette),
//! the receipt — as A4 PDF letters ready to sign, and as e-mails.
//!
//! The pipeline is pure: the ledger gathers [`compose::Facts`]; [`compose::compose`] fills the
//! template's [`wording`] and builds a [`model::Letter`]; [`pdf::render`] lays it out on A4 and writes
//! the PDF, [`html`] and [`eml`] write the e-mail. Storing what was produced is the ledger's job.

pub mod compose;
mod decompte;
pub mod eml;
pub mod epc;
pub mod html;
pub mod locale;
pub mod logo;
pub mod model;
pub mod pdf;
pub mod wording;

use serde::Serialize;

use crate::dunning::scenario::Template;
use crate::error::{Error, Field, Result};

/// Which document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocumentKind {
    /// Reminder a few days before the due date.
    RelancePreventive,
    /// First, friendly reminder once overdue.
    RelanceAmiable,
    /// Second, formal reminder (recalls the late-payment clause).
    RelanceFormelle,
    /// Last warning before the formal notice.
    DernierRappel,
    /// Formal notice to pay (C. civ. 1344), usually by registered letter.
    MiseEnDemeure,
    /// Payment-plan agreement, signed by both parties.
    Echeancier,
    /// Acknowledgement of debt, signed by the debtor (interrupts prescription, C. civ. 2240).
    ReconnaissanceDeDette,
    /// Receipt of a payment.
    Recu,
}

impl DocumentKind {
    /// Every kind, in the order of a collection.
    pub const ALL: [DocumentKind; 8] = [
        DocumentKind::RelancePreventive,
        DocumentKind::RelanceAmiable,
        DocumentKind::RelanceFormelle,
        DocumentKind::DernierRappel,
        DocumentKind::MiseEnDemeure,
        DocumentKind::Echeancier,
        DocumentKind::ReconnaissanceDeDette,
        DocumentKind::Recu,
    ];

    /// Stable key, as typed in the CLI (`--kind mise-en-demeure`) and stored.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::RelancePreventive => "relance-preventive",
            DocumentKind::RelanceAmiable => "relance-amiable",
            DocumentKind::RelanceFormelle => "relance-formelle",
            DocumentKind::DernierRappel => "dernier-rappel",
            DocumentKind::MiseEnDemeure => "mise-en-demeure",
            DocumentKind::Echeancier => "echeancier",
            DocumentKind::ReconnaissanceDeDette => "reconnaissance-de-dette",
            DocumentKind::Recu => "recu",
        }
    }

    /// Name in the interface and in file names.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (DocumentKind::RelancePreventive, Lang::Fr) => "Rappel d'échéance",
            (DocumentKind::RelanceAmiable, Lang::Fr) => "Relance amiable",
            (DocumentKind::RelanceFormelle, Lang::Fr) => "Relance formelle",
            (DocumentKind::DernierRappel, Lang::Fr) => "Dernier rappel avant mise en demeure",
            (DocumentKind::MiseEnDemeure, Lang::Fr) => "Mise en demeure",
            (DocumentKind::Echeancier, Lang::Fr) => "Protocole d'échéancier",
            (DocumentKind::ReconnaissanceDeDette, Lang::Fr) => "Reconnaissance de dette",
            (DocumentKind::Recu, Lang::Fr) => "Reçu de paiement",
            (DocumentKind::RelancePreventive, Lang::En) => "Payment reminder",
            (DocumentKind::RelanceAmiable, Lang::En) => "Overdue reminder",
            (DocumentKind::RelanceFormelle, Lang::En) => "Second reminder",
            (DocumentKind::DernierRappel, Lang::En) => "Final reminder",
            (DocumentKind::MiseEnDemeure, Lang::En) => "Formal notice",
            (DocumentKind::Echeancier, Lang::En) => "Payment plan agreement",
            (DocumentKind::ReconnaissanceDeDette, Lang::En) => "Acknowledgement of debt",
            (DocumentKind::Recu, Lang::En) => "Payment receipt",
        }
    }

    /// Reads a key (also the dunning template names, `formal_notice`…).
    pub fn parse(text: &str) -> Result<Self> {
        let key = text.trim().to_lowercase().replace('_', "-");
        if let Some(kind) = Self::ALL.into_iter().find(|k| k.as_str() == key) {
            return Ok(kind);
        }
        Template::parse(text).ok().and_then(Self::for_template).ok_or_else(|| {
            let all: Vec<&str> = Self::ALL.iter().map(|k| k.as_str()).collect();
            Error::invalid(Field::Status, text, format!("documents possibles : {}", all.join(", ")))
        })
    }

    /// The letter a dunning step's template prints, if it prints one (a phone call does not).
    pub fn for_template(template: Template) -> Option<Self> {
        match template {
            Template::PreventiveReminder => Some(DocumentKind::RelancePreventive),
            Template::FriendlyReminder => Some(DocumentKind::RelanceAmiable),
            Template::FormalReminder => Some(DocumentKind::RelanceFormelle),
            Template::LastWarning => Some(DocumentKind::DernierRappel),
            Template::FormalNotice => Some(DocumentKind::MiseEnDemeure),
            Template::PhoneScript | Template::Escalation => None,
        }
    }

    /// Whether the document asks for payment (and so prints the payment block and QR code).
    pub fn asks_for_payment(self) -> bool {
        self != DocumentKind::Recu
    }

    /// The languages it exists in: the reminders and the formal notice also in English, for
    /// foreign debtors; the agreements are French documents under French law.
    pub fn languages(self) -> &'static [Lang] {
        match self {
            DocumentKind::Echeancier | DocumentKind::ReconnaissanceDeDette | DocumentKind::Recu => &[Lang::Fr],
            _ => &[Lang::Fr, Lang::En],
        }
    }
}

/// The language of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// French.
    Fr,
    /// English (for foreign debtors).
    En,
}

impl Lang {
    /// Stable key (`fr`, `en`).
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_lowercase().as_str() {
            "fr" | "français" | "francais" => Ok(Lang::Fr),
            "en" | "english" | "anglais" => Ok(Lang::En),
            _ => Err(Error::invalid(Field::Status, text, "langues possibles : fr, en")),
        }
    }

    /// The language a debtor is written to by default: French in France, English abroad.
    pub fn for_country(country: &str) -> Lang {
        if ["FR", "BE", "LU", "MC", "CH"].contains(&country) { Lang::Fr } else { Lang::En }
    }
}
