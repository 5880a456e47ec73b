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
