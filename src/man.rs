//! The manual pages of `holdspace-cli`, generated from its clap definition so they can never
//! disagree with `--help`: one page for the tool (`holdspace-cli.1`) and one per command
//! (`holdspace-cli-backup.1`, …), the way git's pages are laid out. The package build writes
//! them with the hidden `generate-man DIR` command.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use clap::Command;

use crate::Failure;

/// Writes the tool's page and one page per command into `dir` (which must exist).
pub fn write_pages(command: Command, dir: &Path) -> Result<(), Failure> {
    let command = command.disable_help_subcommand(true);
    let mut pages = vec![command.clone()];
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = format!("{}-{}", command.get_name(), sub.get_name());
        pages.push(sub.clone().name(name).version(env!("CARGO_PKG_VERSION")));
    }
    for page in pages {
        let path = dir.join(format!("{}.1", page.get_name()));
        write_page(page, &path)
            .map_err(|e| Failure::Io(format!("writing {}", path.display()), e))?;
    }
    Ok(())
}

/// Renders one page as roff into `path`.
fn write_page(command: Command, path: &Path) -> std::io::Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    clap_mangen::Man::new(command)
        .section("1")
        .manual("Holdspace")
        .source(format!("Holdspace {}", env!("CARGO_PKG_VERSION")))
        .render(&mut out)?;
    out.flush()
}
