//! What dunning records: interactions, promises, disputes, payment plans, case stages.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;
use serde::Serialize;

use super::plan::{Frequency, Instalment};
use crate::error::{Error, Field, Result};

/// How a contact happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactChannel {
    /// E-mail.
    Email,
    /// Letter.
    Letter,
    /// Registered letter.
    RegisteredLetter,
    /// Phone.
    Phone,
    /// Text message.
    Sms,
    /// Meeting in person.
    Meeting,
    /// Anything else.
    Other,
}

impl ContactChannel {
    /// All.
    pub const ALL: [ContactChannel; 7] = [
        ContactChannel::Email,
        ContactChannel::Letter,
        ContactChannel::RegisteredLetter,
        ContactChannel::Phone,
        ContactChannel::Sms,
        ContactChannel::Meeting,
        ContactChannel::Other,
    ];

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            ContactChannel::Email => "email",
            ContactChannel::Letter => "letter",
            ContactChannel::RegisteredLetter => "registered_letter",
            ContactChannel::Phone => "phone",
            ContactChannel::Sms => "sms",
            ContactChannel::Meeting => "meeting",
            ContactChannel::Other => "other",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            ContactChannel::Email => "e-mail",
            ContactChannel::Letter => "courrier",
            ContactChannel::RegisteredLetter => "lettre recommandée avec AR",
            ContactChannel::Phone => "téléphone",
            ContactChannel::Sms => "SMS",
            ContactChannel::Meeting => "rendez-vous",
            ContactChannel::Other => "autre",
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim().replace('-', "_")).ok_or_else(|| {
            Error::invalid(
                Field::Status,
                text,
                "canaux possibles : email, letter, registered_letter, phone, sms, meeting, other",
            )
        })
    }

    /// The contact channel of a scenario channel (a decision has none).
    pub fn of(channel: super::scenario::Channel) -> Option<Self> {
        use super::scenario::Channel;
        match channel {
            Channel::Email => Some(ContactChannel::Email),
            Channel::Letter => Some(ContactChannel::Letter),
            Channel::RegisteredLetter => Some(ContactChannel::RegisteredLetter),
            Channel::Phone => Some(ContactChannel::Phone),
            Channel::Sms => Some(ContactChannel::Sms),
            Channel::Decision => None,
        }
    }
}

/// A contact with a debtor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interaction {
    /// Ledger id.
    pub id: i64,
    /// Debtor.
    pub debtor_id: i64,
    /// When.
    pub occurred_at: NaiveDateTime,
    /// How.
    pub channel: ContactChannel,
    /// `true`: from us to the debtor.
    pub outbound: bool,
    /// What was said or sent.
    pub summary: String,
    /// What came of it.
    pub outcome: String,
    /// Files attached (name, SHA-256).
    pub files: Vec<(String, String)>,
    /// SHA-256 of the document this contact sent (the letter or the e-mail's PDF), if any.
    pub document_sha256: Option<String>,
}

/// Why an invoice is contested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeReason {
    /// Quality of the work.
    Quality,
    /// Quantity delivered.
    Quantity,
    /// Price.
    Price,
    /// Not delivered.
    NotDelivered,
    /// Says it was paid.
    AlreadyPaid,
    /// Other.
    Other,
}

impl DisputeReason {
    /// All.
    pub const ALL: [DisputeReason; 6] = [
        DisputeReason::Quality,
        DisputeReason::Quantity,
        DisputeReason::Price,
        DisputeReason::NotDelivered,
        DisputeReason::AlreadyPaid,
        DisputeReason::Other,
    ];

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeReason::Quality => "quality",
            DisputeReason::Quantity => "quantity",
            DisputeReason::Price => "price",
            DisputeReason::NotDelivered => "not_delivered",
            DisputeReason::AlreadyPaid => "already_paid",
            DisputeReason::Other => "other",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            DisputeReason::Quality => "qualité",
            DisputeReason::Quantity => "quantité",
            DisputeReason::Price => "prix",
            DisputeReason::NotDelivered => "non livré",
            DisputeReason::AlreadyPaid => "déjà payé",
            DisputeReason::Other => "autre",
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == text.trim().replace('-', "_")).ok_or_else(|| {
            Error::invalid(
                Field::Status,
                text,
                "motifs possibles : quality, quantity, price, not_delivered, already_paid, other",
            )
        })
    }
}

/// How a dispute ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// A credit note was issued (record it with `credit-note add`).
    CreditNote,
    /// The dispute was rejected: the invoice is due as it stands.
    Rejected,
    /// An agreement was reached.
    Agreement,
}

impl Resolution {
    /// Every resolution.
    pub const ALL: [Resolution; 3] = [Resolution::CreditNote, Resolution::Rejected, Resolution::Agreement];

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::CreditNote => "credit_note",
            Resolution::Rejected => "rejected",
            Resolution::Agreement => "agreement",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Resolution::CreditNote => "avoir émis",
            Resolution::Rejected => "contestation rejetée",
            Resolution::Agreement => "accord",
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        Resolution::ALL
            .into_iter()
            .find(|r| r.as_str() == text.trim().replace('-', "_"))
            .ok_or_else(|| Error::invalid(Field::Status, text, "issues possibles : credit_note, rejected, agreement"))
    }
}

/// A dispute on an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dispute {
    /// Ledger id.
    pub id: i64,
    /// Invoice.
    pub invoice_number: String,
    /// Opened.
    pub opened_on: NaiveDate,
    /// Why.
    pub reason: DisputeReason,
    /// Details.
    pub note: String,
    /// Resolved, and how.
    pub resolved: Option<(NaiveDate, Resolution, String)>,
}

/// A promise to pay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromiseRecord {
    /// Ledger id.
    pub id: i64,
    /// Debtor.
    pub debtor_id: i64,
    /// Made on.
    pub made_on: NaiveDate,
    /// Promised for.
    pub due_on: NaiveDate,
    /// Amount.
    pub amount: Decimal,
    /// Note.
    pub note: String,
}

/// A payment plan (échéancier).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PaymentPlan {
    /// Ledger id.
    pub id: i64,
    /// Debtor.
    pub debtor_id: i64,
    /// Agreed on.
    pub created_on: NaiveDate,
    /// Amount it covers.
    pub total: Decimal,
    /// Whether penalties and indemnities are included in the total.
    pub includes_penalties: bool,
    /// Frequency.
    pub frequency: Frequency,
    /// Instalments.
    pub instalments: Vec<Instalment>,
    /// Signed by the debtor (an acknowledgement of debt, C. civ. 2240).
    pub signed_on: Option<NaiveDate>,
    /// The whole balance was declared due (déchéance du terme).
    pub defaulted_on: Option<NaiveDate>,
    /// Note.
    pub note: String,
}

/// The stages of a collection case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Amicable reminders.
    Amiable,
    /// Formal notice sent.
    FormalNotice,
    /// Mediation or conciliation.
    Mediation,
    /// Injonction de payer filed.
    InjunctionFiled,
    /// Order obtained.
    OrderObtained,
    /// Order served by a commissaire de justice.
    OrderServed,
    /// Enforcement.
    Enforcement,
    /// Closed: paid.
    ClosedPaid,
    /// Closed: settled by agreement.
    ClosedSettled,
    /// Closed: written off.
    ClosedWrittenOff,
    /// Closed: lost.
    ClosedLost,
}

impl Stage {
    /// All, in order.
    pub const ALL: [Stage; 11] = [
        Stage::Amiable,
        Stage::FormalNotice,
        Stage::Mediation,
        Stage::InjunctionFiled,
        Stage::OrderObtained,
        Stage::OrderServed,
        Stage::Enforcement,
        Stage::ClosedPaid,
        Stage::ClosedSettled,
        Stage::ClosedWrittenOff,
        Stage::ClosedLost,
    ];

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Amiable => "amiable",
            Stage::FormalNotice => "formal_notice",
            Stage::Mediation => "mediation",
            Stage::InjunctionFiled => "injunction_filed",
            Stage::OrderObtained => "order_obtained",
            Stage::OrderServed => "order_served",
            Stage::Enforcement => "enforcement",
            Stage::ClosedPaid => "closed_paid",
            Stage::ClosedSettled => "closed_settled",
            Stage::ClosedWrittenOff => "closed_written_off",
            Stage::ClosedLost => "closed_lost",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Amiable => "phase amiable",
            Stage::FormalNotice => "mise en demeure",
            Stage::Mediation => "médiation",
            Stage::InjunctionFiled => "injonction de payer déposée",
            Stage::OrderObtained => "ordonnance obtenue",
            Stage::OrderServed => "ordonnance signifiée",
            Stage::Enforcement => "exécution forcée",
            Stage::ClosedPaid => "clos : payé",
            Stage::ClosedSettled => "clos : transaction",
            Stage::ClosedWrittenOff => "clos : abandonné",
            Stage::ClosedLost => "clos : perdu",
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text.trim().replace('-', "_")).ok_or_else(|| {
            Error::invalid(
                Field::Status,
                text,
                "étapes possibles : amiable, formal_notice, mediation, injunction_filed, order_obtained, order_served, enforcement, closed_paid, closed_settled, closed_written_off, closed_lost",
            )
        })
    }

    /// Whether the case is over.
    pub fn is_closed(self) -> bool {
        self >= Stage::ClosedPaid
    }

    /// Whether the case may go from `self` to `to`: forward through the stages, to any closing
    /// stage, and from a closed case back to the amicable phase (reopened).
    pub fn may_move_to(self, to: Stage) -> bool {
        if self.is_closed() { to == Stage::Amiable } else { to > self }
    }
}

/// A move of the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// Stage reached.
    pub stage: Stage,
    /// Day.
    pub on: NaiveDate,
    /// Note.
    pub note: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_moves() {
        use Stage::*;
        assert!(Amiable.may_move_to(FormalNotice));
        assert!(FormalNotice.may_move_to(InjunctionFiled));
        assert!(OrderServed.may_move_to(ClosedPaid));
        assert!(!FormalNotice.may_move_to(Amiable));
        assert!(!OrderObtained.may_move_to(InjunctionFiled));
        assert!(ClosedPaid.may_move_to(Amiable));
        assert!(!ClosedPaid.may_move_to(Enforcement));
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()).unwrap(), s);
        }
    }
}
