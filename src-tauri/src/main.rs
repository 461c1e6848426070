//! The Holdspace desktop app's entry point: reads the options and runs the app.
//!
//! Without a console (a release build on Windows) errors go nowhere, so the app itself shows
//! every problem it can; only a bad command line is reported here.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let config = match holdspace_app::config::parse(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("holdspace: {message}");
            std::process::exit(2);
        }
    };
    if let Err(message) = holdspace_app::run(config) {
        eprintln!("holdspace: {message}");
        std::process::exit(1);
    }
}
