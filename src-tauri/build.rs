// Declares the app's own commands so that each must be granted in `capabilities/` (least privilege:
// the window gets exactly the commands it uses, nothing else).
fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(&[
        "ledger_overview",
        "list_debtors",
        "load_demo",
        "debtor_statement",
        "today_agenda",
        "act_on_action",
        "decide_plan",
        "debtor_history",
        "record_entry",
        "debtor_documents",
        "write_letter",
        "write_email",
        "open_document",
        "open_file",
        "print_day",
        "import_inspect",
        "import_run",
        "import_delete_preset",
    ])))
    .expect("tauri build script");
}
