//! Recouvre's desktop shell: opens the ledger, registers the commands, shows the web UI.

// No console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod documents;
mod dto;
mod history;
mod imports;

use std::path::PathBuf;

use recouvre::Ledger;

fn ledger_path() -> Option<PathBuf> {
    std::env::var_os("RECOUVRE_DB").map(PathBuf::from).or_else(recouvre::ledger::default_path)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    tauri::async_runtime::set(runtime.handle().clone());
    let Some(path) = ledger_path() else {
        eprintln!("Recouvre : aucun dossier de données utilisateur ; définissez RECOUVRE_DB=FICHIER.");
        std::process::exit(1);
    };
    let ledger = match runtime.block_on(Ledger::open(&path)) {
        Ok(ledger) => ledger,
        Err(error) => {
            eprintln!("Recouvre : {error}");
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .manage(ledger)
        .invoke_handler(tauri::generate_handler![
            commands::ledger_overview,
            commands::list_debtors,
            commands::load_demo,
            commands::debtor_statement,
            commands::today_agenda,
            commands::act_on_action,
            commands::decide_plan,
            commands::debtor_history,
            commands::record_entry,
            documents::debtor_documents,
            documents::write_letter,
            documents::write_email,
            documents::open_document,
            documents::open_file,
            documents::print_day,
            imports::import_inspect,
            imports::import_run,
            imports::import_delete_preset
        ])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Recouvre : la fenêtre n'a pas pu s'ouvrir ({error}).");
        std::process::exit(1);
    }
}
