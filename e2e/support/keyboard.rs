//! The app with no WebDriver: started straight under its own Xvfb, driven by key presses
//! and mouse clicks sent through the X server with `xdotool` (as a practitioner's keyboard
//! and mouse would), and read only by its window's title, which follows the page's.
//!
//! Policy: for what WebDriver would change. A WebDriver session keeps the page's web
//! process alive across a lock and carries every text it types or reads through the app's
//! process; a memory probe driven this way sees the app exactly as a practitioner leaves it.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{run_xdotool, start_xvfb, FreshProfile, Processes, LAUNCH_PATIENCE, PATIENCE};

/// A running app driven by key presses.
pub struct KeyboardApp {
    display: String,
    app_pid: u32,
    /// Where the app's own output goes, to say why it failed if it does.
    app_log: PathBuf,
    // Dropped last: kills the app and Xvfb.
    processes: RefCell<Processes>,
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
        let app_log = profile.path().join("app.log");
        let log = std::fs::File::create(&app_log).expect("a log file for the app");
        let app_pid = processes.spawn(
            Command::new(env!("CARGO_BIN_EXE_holdspace"))
                .arg("--vault")
                .arg(vault)
                .args(args)
                .env("DISPLAY", &display)
                .env("HOLDSPACE_INSECURE_TEST_KDF", "1")
                .envs(profile.env())
                .stdout(log.try_clone().expect("the app's log"))
                .stderr(log),
            "the app",
        );
        let app = Self {
            display,
            app_pid,
            app_log,
            processes: RefCell::new(processes),
            _profile: profile,
        };
        app.wait_launched();
        app
    }

    /// Waits, up to [`LAUNCH_PATIENCE`], until the app shows a window; fails at once, with
    /// its output, if it ends instead.
    fn wait_launched(&self) {
        let started = Instant::now();
        while self.visible_windows().is_empty() {
            self.assert_running();
            if started.elapsed() > LAUNCH_PATIENCE {
                self.fail(&format!(
                    "the app showed no window within {LAUNCH_PATIENCE:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Fails with the app's output if the app has ended.
    fn assert_running(&self) {
        let ended = self.processes.borrow_mut().exit_status(self.app_pid);
        if let Some(status) = ended {
            self.fail(&format!("the app ended ({status})"));
        }
    }

    /// Saves the screen as `keyboard-failure.png` and panics with `why` and the app's output.
    fn fail(&self, why: &str) -> ! {
        let shot = super::shots_dir().join("keyboard-failure.png");
        let _ = std::fs::create_dir_all(super::shots_dir());
        let _ = Command::new("import")
            .args(["-window", "root"])
            .arg(&shot)
            .env("DISPLAY", &self.display)
            .status();
        let output = std::fs::read_to_string(&self.app_log).unwrap_or_default();
        panic!(
            "{why}; the screen is in {}; the app printed:\n{output}",
            shot.display()
        );
    }

    /// The ids of the visible windows on the app's display.
    fn visible_windows(&self) -> Vec<String> {
        run_xdotool(&self.display, &["search", "--onlyvisible", "--name", "."])
            .map(|ids| ids.lines().map(str::to_owned).collect())
            .unwrap_or_default()
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
            self.assert_running();
            if started.elapsed() > PATIENCE {
                let now: Vec<_> = self
                    .visible_windows()
                    .iter()
                    .map(|id| run_xdotool(&self.display, &["getwindowname", id]))
                    .collect();
                self.fail(&format!(
                    "the window was never titled {title:?}; the visible windows are titled {now:?}"
                ));
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
