// The one door to the Rust side: every command the UI calls is typed here, with the types generated
// from the Rust IPC types (bindings.ts). Components never call `invoke` themselves.
import { Channel, invoke } from "@tauri-apps/api/core";
import type {
  ActRecorded,
  AgendaView,
  CommandError,
  DebtorDocumentsView,
  DebtorHistoryView,
  DebtorRow,
  Decision,
  DemoResult,
  Entry,
  FileWritten,
  ImportFile,
  ImportInspection,
  ImportRequest,
  ImportResultView,
  LedgerOverview,
  PlanChoice,
  PrintDayResult,
  PrintProgress,
  StatementView,
} from "./bindings";

// Components import every IPC type from here, never from the generated file directly.
export type * from "./bindings";

/** A command failed: `code` is stable (switch on it), `message` is ready to show. */
export class BackendError extends Error {
  readonly code: string;

  constructor(error: CommandError) {
    super(error.message);
    this.code = error.code;
  }
}

function isCommandError(value: unknown): value is CommandError {
  return typeof value === "object" && value !== null && "code" in value && "message" in value;
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    if (isCommandError(error)) throw new BackendError(error);
    throw new BackendError({ code: "ipc", message: String(error) });
  }
}

export const backend = {
  ledgerOverview: (): Promise<LedgerOverview> => call("ledger_overview"),
  listDebtors: (): Promise<DebtorRow[]> => call("list_debtors"),
  loadDemo: (): Promise<DemoResult> => call("load_demo"),
  debtorStatement: (debtorId: number): Promise<StatementView> => call("debtor_statement", { debtorId }),
  todayAgenda: (): Promise<AgendaView> => call("today_agenda"),
  actOnAction: (actionId: string, decision: Decision): Promise<ActRecorded> =>
    call("act_on_action", { actionId, decision }),
  debtorHistory: (debtorId: number): Promise<DebtorHistoryView> => call("debtor_history", { debtorId }),
  recordEntry: (debtorId: number, entry: Entry): Promise<ActRecorded> => call("record_entry", { debtorId, entry }),
  decidePlan: (planId: number, choice: PlanChoice): Promise<ActRecorded> => call("decide_plan", { planId, choice }),
  debtorDocuments: (debtorId: number): Promise<DebtorDocumentsView> => call("debtor_documents", { debtorId }),
  writeLetter: (debtorId: number, kind: string, lang: string): Promise<FileWritten> =>
    call("write_letter", { debtorId, kind, lang }),
  writeEmail: (debtorId: number, kind: string, lang: string): Promise<FileWritten> =>
    call("write_email", { debtorId, kind, lang }),
  openDocument: (documentId: number): Promise<FileWritten> => call("open_document", { documentId }),
  openFile: (path: string): Promise<void> => call("open_file", { path }),
  /** Writes the day's letters; `onProgress` hears each one as it is done. */
  printDay: (onProgress: (progress: PrintProgress) => void): Promise<PrintDayResult> => {
    const channel = new Channel<PrintProgress>();
    channel.onmessage = onProgress;
    return call("print_day", { onProgress: channel });
  },
  /** Recognises a chosen file's format and, for a CSV, its columns (`kind` and `preset` force them). */
  importInspect: (file: ImportFile, kind: string | null, preset: string | null): Promise<ImportInspection> =>
    call("import_inspect", { file, kind, preset }),
  importRun: (request: ImportRequest): Promise<ImportResultView> => call("import_run", { request }),
  importDeletePreset: (name: string): Promise<void> => call("import_delete_preset", { name }),
};
