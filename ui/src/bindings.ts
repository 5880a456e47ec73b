// Generated from src-tauri/src/dto.rs by `cargo test -p recouvre-desktop` (UPDATE_BINDINGS=1 to
// rewrite). Do not edit: a test fails when this file and the Rust types drift apart.

export type CommandError = { 
/**
 * Stable machine code (`invalid_input`, `unknown_debtor`, `ledger_not_empty`…).
 */
code: string, 
/**
 * One user-facing sentence, in French.
 */
message: string, };

export type LedgerOverview = { 
/**
 * Path of the ledger file.
 */
path: string, 
/**
 * The creditor's name, once the profile is filled in.
 */
creditor_name: string | null, 
/**
 * Number of debtors.
 */
debtors: number, 
/**
 * Number of invoices.
 */
invoices: number, 
/**
 * Nothing recorded yet: offer the demo data.
 */
is_empty: boolean, 
/**
 * Today, as the shell's clock says ("24/11/2026").
 */
today_display: string, };

export type DebtorKindDto = "professionnel" | "consommateur";

export type DebtorRow = { id: number, name: string, kind: DebtorKindDto, 
/**
 * "Professionnel" / "Particulier".
 */
kind_label: string, siren: string | null, city: string, 
/**
 * "1234.56".
 */
outstanding: string, 
/**
 * "1 234,56 €".
 */
outstanding_display: string, overdue: string, overdue_display: string, open_invoices: number, max_days_overdue: number, };

export type DemoResult = { debtors: number, invoices: number, payments: number, credit_notes: number, };

export type PeriodView = { 
/**
 * "01/04/2025".
 */
from: string, 
/**
 * "30/04/2025".
 */
to: string, days: number, 
/**
 * "13,15 %".
 */
rate: string, 
/**
 * Where the rate comes from (texts).
 */
rate_source: string, 
/**
 * "10 000,00 €".
 */
base: string, 
/**
 * "108,08 €".
 */
amount: string, };

export type StatementInvoiceView = { number: string, issue_date: string, due_date: string, amount: string, periods: Array<PeriodView>, principal_due: string, interest_due: string, indemnity: string, total_due: string, notes: Array<string>, };

export type StatementView = { debtor_name: string, 
/**
 * "24/11/2026".
 */
at: string, 
/**
 * The law applied, with its articles.
 */
legal_basis: string, 
/**
 * Day basis and imputation, in words.
 */
calculation: string, invoices: Array<StatementInvoiceView>, principal_due: string, interest_due: string, indemnities: string, costs: string, total_due: string, warnings: Array<string>, };

export type ActionView = { 
/**
 * Stable id, to send back with the user's decision (`12-3`).
 */
id: string, debtor_id: number, debtor_name: string, 
/**
 * "Mise en demeure", "Relance amiable"…
 */
title: string, 
/**
 * "e-mail + courrier".
 */
channels: string, invoices: Array<string>, 
/**
 * "1 234,56 €".
 */
amount: string, days_late: number, 
/**
 * Why, in words (which step, which invoices, what the guard allowed).
 */
reason: string, 
/**
 * 0–100.
 */
priority: number, 
/**
 * How the priority is made up, in words.
 */
priority_detail: string, 
/**
 * When set, "done" is not offered: what the user must decide instead.
 */
done_needs: string | null, 
/**
 * For a missed instalment: which one, to grant a delay or declare the whole balance due.
 */
missed_instalment: MissedInstalmentView | null, };

export type MissedInstalmentView = { plan_id: number, 
/**
 * 1 for the first instalment.
 */
instalment: number, 
/**
 * "05/01/2027".
 */
due_on: string, 
/**
 * "2026-01-05": the earliest day a delay may not reach back to.
 */
due_on_iso: string, 
/**
 * "471,42 €".
 */
missing: string, };

export type WaitingView = { action: ActionView, why: Array<string>, };

export type AgendaView = { 
/**
 * "24/11/2026 à 09:30".
 */
at: string, actions: Array<ActionView>, waiting: Array<WaitingView>, total_actions: number, total_waiting: number, };

export type Decision = { "type": "done", note: string, } | { "type": "skip", reason: string, } | { "type": "postpone", until: string, reason: string, };

export type PlanChoice = { "type": "delay", instalment: number, until: string, } | { "type": "default" };

export type HistoryLine = { 
/**
 * "24/11/2026" or "24/11/2026 10:30".
 */
when: string, 
/**
 * What happened, in words.
 */
what: string, 
/**
 * Where it stands or what came of it ("tenue", "accord", "promet de payer"…), may be empty.
 */
status: string, };

export type PlanView = { id: number, 
/**
 * Not signed yet, and still running: the signature may be recorded.
 */
signable: boolean, 
/**
 * "Échéancier n° 3 du 05/01/2027 : 1 200,00 € en 3 échéances, signé le …".
 */
title: string, instalments: Array<HistoryLine>, };

export type DisputeView = { id: number, open: boolean, line: HistoryLine, };

export type Choice = { key: string, label: string, };

export type EntryChoices = { channels: Array<Choice>, dispute_reasons: Array<Choice>, resolutions: Array<Choice>, 
/**
 * The stages the case may move to from where it is.
 */
next_stages: Array<Choice>, 
/**
 * Open invoices a dispute may be opened on.
 */
disputable: Array<string>, 
/**
 * Instalment frequencies of a payment plan.
 */
frequencies: Array<Choice>, };

export type DebtorHistoryView = { 
/**
 * "phase amiable", "mise en demeure"…
 */
stage: string, timeline: Array<HistoryLine>, 
/**
 * Newest first.
 */
interactions: Array<HistoryLine>, promises: Array<HistoryLine>, disputes: Array<DisputeView>, plans: Array<PlanView>, 
/**
 * What the forms offer.
 */
choices: EntryChoices, };

export type Entry = { "type": "contact", channel: string, inbound: boolean, summary: string, outcome: string, } | { "type": "promise", amount: string, due_on: string, note: string, } | { "type": "dispute_open", invoice: string, reason: string, note: string, } | { "type": "dispute_resolve", dispute_id: number, resolution: string, note: string, } | { "type": "stage", stage: string, note: string, } | { "type": "plan", amount: string, with_penalties: boolean, count: string, frequency: string, first: string, note: string, } | { "type": "plan_signed", plan_id: number, };

export type ActRecorded = { message: string, };

export type DocumentChoice = { kind: string, label: string, 
/**
 * `fr`, and `en` for the reminders and the formal notice.
 */
languages: Array<Choice>, };

export type DocumentRow = { id: number, 
/**
 * "Mise en demeure (EN)".
 */
label: string, 
/**
 * "24/11/2026".
 */
dated: string, 
/**
 * "1 234,56 €" when it claims an amount.
 */
total: string | null, 
/**
 * "19,5 Ko".
 */
size: string, 
/**
 * Whether it is linked to a contact (sent).
 */
sent: boolean, };

export type DebtorDocumentsView = { choices: Array<DocumentChoice>, 
/**
 * Newest first.
 */
documents: Array<DocumentRow>, 
/**
 * Where the PDFs are written.
 */
folder: string, };

export type FileWritten = { message: string, path: string, };

export type PrintProgress = { done: number, total: number, };

export type PrintDayResult = { message: string, letters: number, 
/**
 * The one PDF to send to the printer, when there are letters.
 */
combined: string | null, folder: string, 
/**
 * "Nom : raison" of each letter that could not be written.
 */
unprinted: Array<string>, };

export type ImportFile = { name: string, bytes: Array<number>, };

export type ColumnChoice = { 
/**
 * `numero`, `client`… (the CLI's `--map` keys).
 */
key: string, label: string, 
/**
 * The file's header, or null when no column holds it.
 */
header: string | null, required: boolean, };

export type ImportInspection = { 
/**
 * `csv`, `fec` or `e_invoice`.
 */
format: string, format_label: string, 
/**
 * For a CSV: `invoices` or `payments`.
 */
kind: string | null, 
/**
 * "UTF-8", "windows-1252".
 */
encoding: string | null, headers: Array<string>, 
/**
 * The first lines, as split.
 */
sample: Array<Array<string>>, columns: Array<ColumnChoice>, 
/**
 * Saved mappings, by name.
 */
presets: Array<string>, 
/**
 * Why the file cannot be read, when it cannot.
 */
problem: string | null, };

export type ImportLine = { 
/**
 * "factures.csv, ligne 12".
 */
origin: string, what: string, 
/**
 * "créé", "mis à jour", "inchangé".
 */
outcome: string, detail: string, };

export type ImportResultView = { dry_run: boolean, committed: boolean, 
/**
 * "Simulation : rien n'a été écrit. 12 factures créées…".
 */
summary: string, 
/**
 * The first 500 records.
 */
lines: Array<ImportLine>, more_lines: number, 
/**
 * Each refusal with its file, line or XML path, field and value.
 */
rejected: Array<string>, notices: Array<string>, 
/**
 * Where the refused lines were written (with "import the valid lines").
 */
rejected_file: string | null, };

export type ImportRequest = { files: Array<ImportFile>, 
/**
 * For a CSV: `invoices` or `payments`, and the columns.
 */
kind: string | null, columns: Array<ColumnChoice> | null, dry_run: boolean, valid_only: boolean, 
/**
 * Save the CSV mapping under this name.
 */
save_preset: string | null, };
