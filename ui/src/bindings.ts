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
