//! The app with no WebDriver: started straight under its own Xvfb, driven by key presses
//! and mouse clicks sent through the X server with `xdotool` (as a practitioner's keyboard
//! and mouse would), and read only by its window's title, which follows the page's.
//!
//! Policy: for what WebDriver would change. A WebDriver session keeps the page's web
//! process alive across a lock and carries every text it types or reads through the app's
//! process; a memory probe driven this way sees the app exactly as a practitioner leaves it.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{run_xdotool, start_xvfb, FreshProfile, Processes, PATIENCE};

/// A running app driven by key presses.
pub struct KeyboardApp {
    display: String,
    app_pid: u32,
    // Dropped last: kills the app and Xvfb.
    _processes: Processes,
    // Removed after the app that used it is gone.
    _profile: FreshProfile,
}

impl KeyboardApp {
    /// Starts the app on the vault at `vault` (with `args` after `--vault`) on a private
    /// display, with the insecure test key derivation.
    pub fn start(vault: &Path, args: &[&str]) -> Self {
        let mut processes = Processes::default();
        let profile = FreshProfile::new();
        let display = format!(":{}", start_xvfb(&mut processes));
        let app_pid = processes.spawn(
            Command::new(env!("CARGO_BIN_EXE_holdspace"))
                .arg("--vault")
                .arg(vault)
                .args(args)
                .env("DISPLAY", &display)
                .env("HOLDSPACE_INSECURE_TEST_KDF", "1")
                .envs(profile.env())
                .stdout(Stdio::null())
                .stderr(Stdio::null()),
            "the app",
        );
        Self {
            display,
            app_pid,
            _processes: processes,
            _profile: profile,
        }
    }

    /// The app's process id (the WebKit processes are its children).
    pub fn pid(&self) -> u32 {
        self.app_pid
    }

    /// Waits until the window's title is `title`, then gives it the keyboard.
    pub async fn wait_title(&self, title: &str) {
        let pattern = format!("^{}$", super::regex_escape(title));
        let started = Instant::now();
        loop {
            let found = run_xdotool(
                &self.display,
                &["search", "--onlyvisible", "--name", &pattern],
            );
            if let Some(window) = found
                .ok()
                .and_then(|ids| ids.lines().next().map(str::to_owned))
            {
                self.run(&["windowfocus", "--sync", &window]);
                return;
            }
            if started.elapsed() > PATIENCE {
                let now = run_xdotool(&self.display, &["search", "--onlyvisible", "--name", "."])
                    .and_then(|ids| {
                        let id = ids.lines().next().unwrap_or_default().to_owned();
                        run_xdotool(&self.display, &["getwindowname", &id])
                    });
                panic!("the window was never titled {title:?}; it is titled {now:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types `text` into the focused field, one key press per character.
    pub fn type_text(&self, text: &str) {
        self.run(&["type", "--delay", "15", "--", text]);
    }

    /// Presses a key combination ("Return", "ctrl+k", "ctrl+shift+l").
    pub fn press(&self, keys: &str) {
        self.run(&["key", "--clearmodifiers", keys]);
    }

    /// Clicks the left mouse button at `x` pixels from the left edge of the app's window and
    /// `above_bottom` pixels above its bottom edge, where the sidebar's Lock button sits
    /// whatever the window's height.
    pub fn click_above_bottom_left(&self, x: u32, above_bottom: u32) {
        let window = self.window();
        let geometry = run_xdotool(&self.display, &["getwindowgeometry", "--shell", &window])
            .unwrap_or_else(|why| panic!("reading the window's size: {why}"));
        let height: u32 = geometry
            .lines()
            .find_map(|line| line.strip_prefix("HEIGHT="))
            .and_then(|h| h.trim().parse().ok())
            .unwrap_or_else(|| panic!("no height in {geometry:?}"));
        let y = height.saturating_sub(above_bottom).to_string();
        self.run(&["mousemove", "--window", &window, &x.to_string(), &y]);
        self.run(&["click", "1"]);
    }

    /// The app's visible window (every page's title ends in "Holdspace").
    fn window(&self) -> String {
        run_xdotool(
            &self.display,
            &["search", "--onlyvisible", "--name", "Holdspace$"],
        )
        .ok()
        .and_then(|ids| ids.lines().next().map(str::to_owned))
        .unwrap_or_else(|| panic!("the app has no visible window"))
    }

    fn run(&self, args: &[&str]) {
        if let Err(why) = run_xdotool(&self.display, args) {
            panic!("driving the app by keyboard: {why}");
        }
    }
}
