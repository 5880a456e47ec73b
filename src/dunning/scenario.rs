//! Reminder scenarios: ordered steps, each at an offset from the due date, through one or more
//! channels, with a document template and a tone that only ever rises.

use serde::Serialize;

use crate::error::{Error, Field, Result};
use crate::parties::Segment;

/// How a step reaches the debtor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail.
    Email,
    /// Ordinary letter.
    Letter,
    /// Registered letter with acknowledgement of receipt (LRAR).
    RegisteredLetter,
    /// Phone call.
    Phone,
    /// Text message.
    Sms,
    /// A decision for the creditor (which escalation), no contact.
    Decision,
}

impl Channel {
    /// All channels.
    pub const ALL: [Channel; 6] =
        [Channel::Email, Channel::Letter, Channel::RegisteredLetter, Channel::Phone, Channel::Sms, Channel::Decision];

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Letter => "letter",
            Channel::RegisteredLetter => "registered_letter",
            Channel::Phone => "phone",
            Channel::Sms => "sms",
            Channel::Decision => "decision",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "e-mail",
            Channel::Letter => "courrier",
            Channel::RegisteredLetter => "lettre recommandée avec AR",
            Channel::Phone => "appel",
            Channel::Sms => "SMS",
            Channel::Decision => "décision",
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim().replace('-', "_")).ok_or_else(|| {
            Error::invalid(
                Field::Status,
                text,
                "canaux possibles : email, letter, registered_letter, phone, sms, decision",
            )
        })
    }

    /// Whether the step contacts the debtor (counts for the harassment guard).
    pub fn is_contact(self) -> bool {
        !matches!(self, Channel::Decision)
    }
}

/// How firm a step is. Steps of a scenario never go down in tone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    /// Courteous reminder.
    Courteous,
    /// Firm reminder.
    Firm,
    /// Formal notice (mise en demeure).
    FormalNotice,
    /// Litigation: the amicable phase is over.
    Litigation,
}

impl Tone {
    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Courteous => "courteous",
            Tone::Firm => "firm",
            Tone::FormalNotice => "formal_notice",
            Tone::Litigation => "litigation",
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        [Tone::Courteous, Tone::Firm, Tone::FormalNotice, Tone::Litigation]
            .into_iter()
            .find(|t| t.as_str() == text.trim().replace('-', "_"))
            .ok_or_else(|| {
                Error::invalid(Field::Status, text, "tons possibles : courteous, firm, formal_notice, litigation")
            })
    }
}

/// The document a step produces (rendered by the documents module).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Template {
    /// Before the due date: a courteous heads-up.
    PreventiveReminder,
    /// Just after: a friendly reminder.
    FriendlyReminder,
    /// A formal reminder.
    FormalReminder,
    /// Last warning before the formal notice.
    LastWarning,
    /// The formal notice (mise en demeure).
    FormalNotice,
    /// A phone script with the figures.
    PhoneScript,
    /// The escalation choice: mediation, injonction de payer, small-claims procedure, collection
    /// agency or write-off.
    Escalation,
}

impl Template {
    /// All templates.
    pub const ALL: [Template; 7] = [
        Template::PreventiveReminder,
        Template::FriendlyReminder,
        Template::FormalReminder,
        Template::LastWarning,
        Template::FormalNotice,
        Template::PhoneScript,
        Template::Escalation,
    ];

    /// Stable key.
    pub fn as_str(self) -> &'static str {
        match self {
            Template::PreventiveReminder => "preventive_reminder",
            Template::FriendlyReminder => "friendly_reminder",
            Template::FormalReminder => "formal_reminder",
            Template::LastWarning => "last_warning",
            Template::FormalNotice => "formal_notice",
            Template::PhoneScript => "phone_script",
            Template::Escalation => "escalation",
        }
    }

    /// French label.
    pub fn label(self) -> &'static str {
        match self {
            Template::PreventiveReminder => "rappel avant échéance",
            Template::FriendlyReminder => "relance amiable",
            Template::FormalReminder => "relance formelle",
            Template::LastWarning => "dernier rappel avant mise en demeure",
            Template::FormalNotice => "mise en demeure",
            Template::PhoneScript => "appel de relance",
            Template::Escalation => {
                "choix de la suite : médiation, injonction de payer, procédure simplifiée, société de recouvrement ou abandon"
            }
        }
    }

    /// Reads a key.
    pub fn parse(text: &str) -> Result<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == text.trim().replace('-', "_")).ok_or_else(|| {
            Error::invalid(Field::Status, text, "modèles possibles : preventive_reminder, friendly_reminder, formal_reminder, last_warning, formal_notice, phone_script, escalation")
        })
    }
}

/// One step of a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Days from the due date (negative: before it).
    pub offset_days: i32,
    /// Channels used together (e.g. e-mail and letter).
    pub channels: Vec<Channel>,
    /// Document.
    pub template: Template,
    /// Tone.
    pub tone: Tone,
    /// Days given to pay, for a formal notice.
    pub deadline_days: Option<u32>,
}

/// A scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scenario {
    /// Stable key (`standard`, `strict`, `souple`, or the user's).
    pub key: String,
    /// Name shown.
    pub name: String,
    /// Steps, by offset.
    pub steps: Vec<Step>,
}

/// Earliest and latest offsets a step may have.
pub const OFFSET_RANGE: (i32, i32) = (-30, 365);

impl Scenario {
    /// Checks a scenario: a key, at least one step, offsets strictly increasing within bounds,
    /// channels given, tone never going down, a formal notice with a deadline of 8 to 30 days.
    pub fn check(&self) -> Result<()> {
        let key_ok =
            !self.key.is_empty() && self.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !key_ok {
            return Err(Error::invalid(
                Field::Name,
                &self.key,
                "clé en minuscules, chiffres et tirets (par exemple « btp-souple »)",
            ));
        }
        if self.steps.is_empty() {
            return Err(Error::invalid(Field::Count, "0", "un scénario compte au moins une étape"));
        }
        for (index, step) in self.steps.iter().enumerate() {
            let n = index + 1;
            if !(OFFSET_RANGE.0..=OFFSET_RANGE.1).contains(&step.offset_days) {
                return Err(Error::invalid(
                    Field::Count,
                    step.offset_days.to_string(),
                    format!("étape {n} : décalage entre J{} et J+{}", OFFSET_RANGE.0, OFFSET_RANGE.1),
                ));
            }
            if step.channels.is_empty() {
                return Err(Error::invalid(Field::Status, "", format!("étape {n} : au moins un canal")));
            }
            if let Some(previous) = index.checked_sub(1).map(|i| &self.steps[i]) {
                if step.offset_days <= previous.offset_days {
                    return Err(Error::invalid(
                        Field::Count,
                        step.offset_days.to_string(),
                        format!("étape {n} : les étapes se suivent (après J{:+})", previous.offset_days),
                    ));
                }
                if step.tone < previous.tone {
                    return Err(Error::invalid(
                        Field::Status,
                        step.tone.as_str(),
                        format!("étape {n} : le ton ne redescend pas"),
                    ));
                }
            }
            match (step.template, step.deadline_days) {
                (Template::FormalNotice, Some(days)) if (8..=30).contains(&days) => {}
                (Template::FormalNotice, other) => {
                    return Err(Error::invalid(
                        Field::Count,
                        other.map(|d| d.to_string()).unwrap_or_default(),
                        format!("étape {n} : une mise en demeure laisse de 8 à 30 jours pour payer"),
                    ));
                }
                (_, Some(_)) => {
                    return Err(Error::invalid(
                        Field::Count,
                        "",
                        format!("étape {n} : seul une mise en demeure a un délai"),
                    ));
                }
                (_, None) => {}
            }
            if step.offset_days < 0 && step.tone != Tone::Courteous {
                return Err(Error::invalid(
                    Field::Status,
                    step.tone.as_str(),
                    format!("étape {n} : avant l'échéance, le ton reste courtois"),
                ));
            }
        }
        Ok(())
    }
}

fn step(offset_days: i32, channels: &[Channel], template: Template, tone: Tone) -> Step {
    Step { offset_days, channels: channels.to_vec(), template, tone, deadline_days: None }
}

fn formal_notice(offset_days: i32, deadline: u32) -> Step {
    Step {
        offset_days,
        channels: vec![Channel::RegisteredLetter],
        template: Template::FormalNotice,
        tone: Tone::FormalNotice,
        deadline_days: Some(deadline),
    }
}

/// The scenarios shipped with the app.
pub fn defaults() -> Vec<Scenario> {
    use Channel::*;
    use Template::*;
    use Tone::*;
    vec![
        Scenario {
            key: "standard".into(),
            name: "Standard".into(),
            steps: vec![
                step(-5, &[Email], PreventiveReminder, Courteous),
                step(3, &[Email], FriendlyReminder, Courteous),
                step(15, &[Email, Letter], FormalReminder, Firm),
                step(30, &[Phone, Letter], LastWarning, Firm),
                formal_notice(45, 8),
                step(60, &[Decision], Escalation, Litigation),
            ],
        },
        Scenario {
            key: "strict".into(),
            name: "Strict (nouveaux clients)".into(),
            steps: vec![
                step(-3, &[Email], PreventiveReminder, Courteous),
                step(1, &[Email], FriendlyReminder, Courteous),
                step(8, &[Email, Letter], FormalReminder, Firm),
                step(15, &[Phone, Letter], LastWarning, Firm),
                formal_notice(25, 8),
                step(40, &[Decision], Escalation, Litigation),
            ],
        },
        Scenario {
            key: "souple".into(),
            name: "Souple (clients réguliers)".into(),
            steps: vec![
                step(7, &[Email], FriendlyReminder, Courteous),
                step(20, &[Email], FormalReminder, Firm),
                step(35, &[Phone], PhoneScript, Firm),
                step(50, &[Letter], LastWarning, Firm),
                formal_notice(65, 15),
                step(90, &[Decision], Escalation, Litigation),
            ],
        },
    ]
}

/// The scenario a segment gets unless the debtor has their own.
pub fn default_for(segment: Segment) -> &'static str {
    match segment {
        Segment::Nouveau => "strict",
        Segment::Regulier => "souple",
        Segment::Strategique => "standard",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_scenarios_are_valid() {
        for s in defaults() {
            s.check().unwrap_or_else(|e| panic!("{}: {e}", s.key));
        }
        for segment in [Segment::Nouveau, Segment::Regulier, Segment::Strategique] {
            assert!(defaults().iter().any(|s| s.key == default_for(segment)));
        }
    }

    #[test]
    fn invalid_scenarios_are_refused() {
        let base = defaults().remove(0);
        let mut cases: Vec<(Scenario, &str)> = Vec::new();
        cases.push((Scenario { steps: vec![], ..base.clone() }, "au moins une étape"));
        cases.push((Scenario { key: "Mon Scénario".into(), ..base.clone() }, "clé"));
        let mut unordered = base.clone();
        unordered.steps.swap(1, 2);
        cases.push((unordered, "se suivent"));
        let mut softer = base.clone();
        softer.steps[3].tone = Tone::Courteous;
        cases.push((softer, "ne redescend pas"));
        let mut far = base.clone();
        far.steps[5].offset_days = 400;
        cases.push((far, "décalage"));
        let mut short = base.clone();
        short.steps[4].deadline_days = Some(3);
        cases.push((short, "8 à 30 jours"));
        let mut silent = base.clone();
        silent.steps[0].channels.clear();
        cases.push((silent, "canal"));
        let mut early = base.clone();
        early.steps[0].tone = Tone::Firm;
        early.steps[1].tone = Tone::Firm;
        cases.push((early, "courtois"));
        for (scenario, needle) in cases {
            let message = scenario.check().unwrap_err().to_string();
            assert!(message.contains(needle), "{needle}: {message}");
        }
    }
}
