//! The app as a package installed it: `scripts/package-test.sh` installs the package, then
//! runs this test with `HOLDSPACE_INSTALLED_APP` (the installed binary), `HOLDSPACE_INSTALLED_VAULT`
//! (a folder for the vault it makes) and `HOLDSPACE_INSTALLED_PASSPHRASE`; after removing the
//! package it opens that vault with this build's CLI. `make e2e` skips it: it needs the package
//! installed first.

use std::path::PathBuf;

use crate::support::App;

/// The value of a variable the package test sets.
fn given(name: &str) -> String {
    std::env::var(name)
        .unwrap_or_else(|_| panic!("{name} is not set: scripts/package-test.sh runs this test"))
}

#[tokio::test]
#[ignore = "package test: run by scripts/package-test.sh once the package is installed"]
async fn the_installed_app_makes_a_vault_and_opens_to_the_unlock_screen() {
    let binary = PathBuf::from(given("HOLDSPACE_INSTALLED_APP"));
    let vault = PathBuf::from(given("HOLDSPACE_INSTALLED_VAULT"));
    let passphrase = given("HOLDSPACE_INSTALLED_PASSPHRASE");

    let app = App::start_installed(&binary, &vault).await;
    crate::create_vault_with(&app, &passphrase).await;
    app.shot("installed-01-first-run").await;
    app.quit().await;

    let app = App::start_installed(&binary, &vault).await;
    app.wait_text("Unlock your records").await;
    app.shot("installed-02-unlock").await;
    app.fill("passphrase", &passphrase).await;
    app.click("[data-testid=unlock]").await;
    app.wait("[data-testid=lock]").await;
    app.wait_text("Getting started").await;
    app.quit().await;
}
