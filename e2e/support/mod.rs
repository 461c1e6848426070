//! The end-to-end harness: a private X display (Xvfb), `tauri-driver` in front of Debian's
//! WebKitWebDriver, and one WebDriver session on the real app binary per test.
//!
//! Policy: every test gets its own display, ports, vault folder and brand-new user profile
//! ([`FreshProfile`]: the app always runs as on its first day on a machine), and everything
//! it started is killed when it ends (even on panic). Waiting is by polling for what the practitioner
//! would see, never by fixed sleeps alone. Screenshots go to `target/e2e-shots/`.
//!
//! Also here: native GTK windows (the file chooser) driven with `xdotool` on the test's own
//! display; the app run with no WebDriver at all and driven by key presses
//! ([`KeyboardApp`]); and the app's process tree as `/proc` shows it (its pid, descendants,
//! limits, memory).

#![allow(dead_code)]

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;
use thirtyfour::prelude::*;

mod keyboard;
pub mod practice;
pub use keyboard::KeyboardApp;

/// How long to wait for something to appear.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// How long an app started with no WebDriver may take to show its first window: a first
/// start on a brand-new profile fills WebKit's and Mesa's caches, and a WebDriver session
/// is given as long (its HTTP timeout) to come up.
pub const LAUNCH_PATIENCE: Duration = Duration::from_secs(90);

/// A running app under WebDriver, with the processes behind it.
pub struct App {
    pub driver: WebDriver,
    pub vault: PathBuf,
    /// The X display everything runs on (":N"), for tools that drive native windows.
    pub display: String,
    /// tauri-driver's process id: the app is one of its descendants.
    driver_pid: u32,
    // Dropped last: kills Xvfb, tauri-driver, WebKitWebDriver and the app.
    _processes: Processes,
    // Removed after the processes that used it are gone.
    _profile: FreshProfile,
}

/// A brand-new user profile for one app: empty cache, data and config folders (the XDG
/// base directories), where WebKit, Mesa's shader cache, GTK and dconf keep what they
/// learn on a first run. Every test starts the app as on a machine it has never run on,
/// so a developer's warm caches can never hide a first-run problem.
pub struct FreshProfile(tempfile::TempDir);

impl FreshProfile {
    /// Makes the empty folders.
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("a folder for the app's profile");
        for folder in ["cache", "data", "config"] {
            std::fs::create_dir(root.path().join(folder)).expect("a profile folder");
        }
        Self(root)
    }

    /// The folder holding the profile's folders (a test may keep logs beside them).
    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// The environment that points the app (and WebKit's processes) at these folders.
    pub fn env(&self) -> [(&'static str, PathBuf); 3] {
        let at = |folder: &str| self.0.path().join(folder);
        [
            ("XDG_CACHE_HOME", at("cache")),
            ("XDG_DATA_HOME", at("data")),
            ("XDG_CONFIG_HOME", at("config")),
        ]
    }
}

impl Drop for App {
    fn drop(&mut self) {
        // A test that panicked (or forgot `quit`) never ended its session, and thirtyfour would
        // then end it from its own drop, blocking for its 120-second HTTP timeout (seen: a
        // 4-second test took 124). The processes behind the session are killed next anyway:
        // let it go instead, so a failure fails at once and a forgotten quit costs nothing.
        let _ = self.driver.clone().leak();
    }
}

/// Processes this test started, each leading its own process group; dropping kills every
/// group (tauri-driver's WebKitWebDriver and the app it launched included), even on panic.
#[derive(Default)]
struct Processes(Vec<Child>);

impl Processes {
    /// Starts `command` in its own process group; returns its process id.
    fn spawn(&mut self, command: &mut Command, what: &str) -> u32 {
        use std::os::unix::process::CommandExt;
        let child = command
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| panic!("{what} could not start ({e}); make test installs it"));
        let pid = child.id();
        self.0.push(child);
        pid
    }

    /// How the process `pid` (started here) ended, or `None` while it runs.
    fn exit_status(&mut self, pid: u32) -> Option<std::process::ExitStatus> {
        self.0
            .iter_mut()
            .find(|child| child.id() == pid)
            .and_then(|child| child.try_wait().ok().flatten())
    }
}

impl Drop for Processes {
    fn drop(&mut self) {
        for child in self.0.iter_mut().rev() {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl App {
    /// Starts the app on `vault` with extra command-line `args`.
    pub async fn start(vault: &Path, args: &[&str]) -> Self {
        Self::start_with_env(vault, args, &[]).await
    }

    /// Starts the app in the system's dark theme (GTK's dark variant, which WebKit reports
    /// as `prefers-color-scheme: dark`).
    pub async fn start_dark(vault: &Path) -> Self {
        Self::start_with_env(vault, &[], &[("GTK_THEME", "Adwaita:dark")]).await
    }

    /// Starts the app with extra environment variables.
    pub async fn start_with_env(vault: &Path, args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut env = env.to_vec();
        env.push(("HOLDSPACE_INSECURE_TEST_KDF", "1"));
        Self::start_program(
            Path::new(env!("CARGO_BIN_EXE_holdspace")),
            vault,
            args,
            &env,
        )
        .await
    }

    /// Starts an installed copy of the app (`binary`, as a package put it) on `vault`, as a
    /// practitioner would: with the real key derivation and nothing from this build.
    pub async fn start_installed(binary: &Path, vault: &Path) -> Self {
        Self::start_program(binary, vault, &[], &[]).await
    }

    /// Starts `binary` on `vault` with `args` and the extra environment `env`.
    async fn start_program(
        binary: &Path,
        vault: &Path,
        args: &[&str],
        env: &[(&str, &str)],
    ) -> Self {
        let mut processes = Processes::default();
        let profile = FreshProfile::new();
        let display = start_xvfb(&mut processes);
        let port = free_port();
        let native_port = free_port();
        let log = driver_log(port);
        let driver_pid = processes.spawn(
            Command::new(tauri_driver())
                .args([
                    "--port",
                    &port.to_string(),
                    "--native-port",
                    &native_port.to_string(),
                ])
                .env("DISPLAY", format!(":{display}"))
                .envs(profile.env())
                .envs(env.iter().copied())
                .stdout(log.try_clone().expect("log file"))
                .stderr(log),
            "tauri-driver",
        );
        // tauri-driver listens before the WebKitWebDriver behind it does: wait for both.
        wait_for_port(port);
        wait_for_port(native_port);
        let mut app_args = vec!["--vault".to_owned(), vault.display().to_string()];
        app_args.extend(args.iter().map(|a| a.to_string()));
        let mut caps = Capabilities::new();
        caps.set("browserName", "wry").unwrap();
        caps.set(
            "tauri:options",
            json!({"application": binary, "args": app_args}),
        )
        .unwrap();
        let driver = WebDriver::new(format!("http://127.0.0.1:{port}"), caps)
            .await
            .expect("a WebDriver session on the app");
        Self {
            driver,
            vault: vault.to_path_buf(),
            display: format!(":{display}"),
            driver_pid,
            _processes: processes,
            _profile: profile,
        }
    }

    /// Ends the session and stops everything.
    pub async fn quit(self) {
        let _ = self.driver.clone().quit().await;
    }

    /// Waits for an element matching `css` to be displayed, and returns it.
    pub async fn wait(&self, css: &str) -> WebElement {
        let started = Instant::now();
        loop {
            if let Ok(found) = self.driver.find_all(By::Css(css)).await {
                for element in found {
                    if element.is_displayed().await.unwrap_or(false) {
                        return element;
                    }
                }
            }
            if started.elapsed() >= PATIENCE {
                self.shot("failure").await;
                panic!(
                    "nothing matched {css:?} within {PATIENCE:?}; the page shows:\n{}",
                    self.body_text().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the page's text contains `text`.
    pub async fn wait_text(&self, text: &str) {
        let started = Instant::now();
        loop {
            if self.body_text().await.contains(text) {
                return;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "the page never showed {text:?}; it shows:\n{}",
                self.body_text().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The visible text of the whole page.
    pub async fn body_text(&self) -> String {
        match self.driver.find(By::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Types into the field named `name` (replacing what is there).
    pub async fn fill(&self, name: &str, text: &str) {
        self.fill_css(&format!("[name='{name}']"), text).await;
    }

    /// Types into the field matching `css` (replacing what is there). A page that is still
    /// drawing itself can replace the field between finding and clearing it (seen once on a
    /// fresh machine, as "element not interactable"): the field is then found again.
    pub async fn fill_css(&self, css: &str, text: &str) {
        let started = Instant::now();
        let field = loop {
            let field = self.wait(css).await;
            match field.clear().await {
                Ok(()) => break field,
                Err(_) if started.elapsed() < PATIENCE => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(error) => panic!("could not clear {css:?}: {error}"),
            }
        };
        field.send_keys(text).await.expect("type");
        self.wait_typed(&field, css, text).await;
    }

    /// Waits until a text field holds all of `text`. WebKitWebDriver's Send Keys can return
    /// before a busy page has taken every key (seen on a machine's first run, while WebKit
    /// fills its caches); the next command would then move the focus, and the rest of the
    /// keys would land in the next field. Fields that reformat what is typed (dates, times,
    /// numbers) are not compared.
    async fn wait_typed(&self, field: &WebElement, css: &str, text: &str) {
        let kind = field.attr("type").await.ok().flatten().unwrap_or_default();
        let typed_kind = field.attr("data-kind").await.ok().flatten();
        if typed_kind.is_some()
            || matches!(
                kind.as_str(),
                "date" | "time" | "datetime-local" | "number" | "month"
            )
        {
            return;
        }
        let started = Instant::now();
        loop {
            let value = field.prop("value").await.ok().flatten().unwrap_or_default();
            if value == text {
                return;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{css:?} never held what was typed into it ({} of {} characters)",
                value.chars().count(),
                text.chars().count()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Chooses `value` in the select named `name`.
    pub async fn choose(&self, name: &str, value: &str) {
        self.script(
            "const s = document.querySelector(`[name='${arguments[0]}']`); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true})); s.dispatchEvent(new Event('input', {bubbles: true}));",
            vec![json!(name), json!(value)],
        )
        .await;
    }

    /// Clicks the element matching `css` once it is displayed.
    pub async fn click(&self, css: &str) {
        let element = self.wait(css).await;
        if let Err(error) = element.click().await {
            self.shot("failure").await;
            panic!("could not click {css:?}: {error}");
        }
    }

    /// Clicks the button whose text is `label`.
    pub async fn click_button(&self, label: &str) {
        let xpath =
            format!("//button[normalize-space(.)='{label}' or normalize-space(text())='{label}']");
        let started = Instant::now();
        loop {
            if let Ok(found) = self.driver.find_all(By::XPath(&xpath)).await {
                for button in found {
                    if button.is_displayed().await.unwrap_or(false)
                        && button.is_enabled().await.unwrap_or(false)
                    {
                        button.click().await.expect("click");
                        return;
                    }
                }
            }
            assert!(started.elapsed() < PATIENCE, "no enabled button {label:?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Resizes the window so its page is `width` × `height` CSS pixels wide and tall, as a
    /// practitioner would on a smaller screen, and waits until the page has that size.
    pub async fn resize(&self, width: u32, height: u32) {
        let outer = self
            .script(
                "return [outerWidth - innerWidth, outerHeight - innerHeight]",
                vec![],
            )
            .await;
        let frame = |i: usize| outer[i].as_u64().unwrap_or(0) as u32;
        let (w, h) = (width + frame(0), height + frame(1));
        if self.driver.set_window_rect(0, 0, w, h).await.is_err() {
            for id in self
                .xdotool(&[
                    "search",
                    "--onlyvisible",
                    "--pid",
                    &self.app_pid().to_string(),
                ])
                .unwrap_or_default()
                .lines()
            {
                let _ = self.xdotool(&["windowsize", id, &w.to_string(), &h.to_string()]);
            }
        }
        let started = Instant::now();
        loop {
            let size = self
                .script("return [innerWidth, innerHeight]", vec![])
                .await;
            if size == json!([width, height]) {
                return;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "the page is {size}, not {width}x{height}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Goes to an in-app route ("/groups").
    pub async fn go(&self, route: &str) {
        self.script("location.hash = '#' + arguments[0];", vec![json!(route)])
            .await;
    }

    /// Runs a script and returns its JSON result.
    pub async fn script(&self, source: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        self.driver
            .execute(source, args)
            .await
            .expect("script runs")
            .json()
            .clone()
    }

    /// Saves a screenshot as `target/e2e-shots/NAME.png`.
    pub async fn shot(&self, name: &str) {
        let dir = shots_dir();
        std::fs::create_dir_all(&dir).expect("shots folder");
        tokio::time::sleep(Duration::from_millis(400)).await;
        self.driver
            .screenshot(&dir.join(format!("{name}.png")))
            .await
            .expect("screenshot");
    }

    /// Runs axe-core (installed by `make test` into `e2e/a11y/`) on the page and returns its
    /// violations as "rule: help (n elements: selectors)" lines; empty means none.
    pub async fn axe_violations(&self) -> Vec<String> {
        let source = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../e2e/a11y/node_modules/axe-core/axe.min.js"),
        )
        .expect("axe-core is installed (make test runs npm ci in e2e/a11y)");
        self.script(&format!("{source}\nreturn typeof axe;"), vec![])
            .await;
        let result = self
            .driver
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                   .then((r) => done(r.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`)))
                   .catch((e) => done([`axe failed: ${e}`]));",
                vec![],
            )
            .await
            .expect("axe runs");
        serde_json::from_value(result.json().clone()).unwrap_or_default()
    }

    /// Asserts axe-core finds no violation on the current screen, named `screen`.
    pub async fn assert_accessible(&self, screen: &str) {
        let violations = self.axe_violations().await;
        assert!(
            violations.is_empty(),
            "axe-core on {screen}:\n{}",
            violations.join("\n")
        );
    }

    /// Presses keys on whatever has focus (keyboard-only use).
    pub async fn press(&self, keys: &str) {
        let focused = self
            .driver
            .active_element()
            .await
            .expect("something has focus");
        focused.send_keys(keys).await.expect("keys");
    }

    /// The `data-testid` of the focused element, if any.
    pub async fn focused_testid(&self) -> String {
        let id = self
            .script("return document.activeElement && document.activeElement.getAttribute('data-testid')", vec![])
            .await;
        id.as_str().unwrap_or_default().to_owned()
    }

    /// True when a JavaScript alert is open (something executed `alert`).
    pub async fn alert_open(&self) -> bool {
        self.driver.get_alert_text().await.is_ok()
    }

    /// Makes `alert()` leave a mark in `sessionStorage`, for [`App::script_ran`]. Needed
    /// because the dialog plugin's start-up script routes `alert` to a native dialog command
    /// the window is not granted, so a record's script calling it would fail unseen. Call it
    /// again after every reload (the plugin's script runs again; the mark survives).
    pub async fn arm_script_probe(&self) {
        self.script(
            "window.alert = () => sessionStorage.setItem('holdspace-e2e-script-ran', '1'); return true",
            vec![],
        )
        .await;
    }

    /// True when a native alert is open or an armed `alert()` was called.
    pub async fn script_ran(&self) -> bool {
        let marked = self
            .script(
                "return sessionStorage.getItem('holdspace-e2e-script-ran') !== null",
                vec![],
            )
            .await;
        self.alert_open().await || marked == serde_json::json!(true)
    }
}

/// Native windows (GTK's file chooser) that WebDriver cannot reach, driven with `xdotool` on
/// the app's own X display. There is no window manager, so focus is given explicitly.
impl App {
    /// Runs `xdotool ARGS` on this app's display (killed after 10 seconds: `--sync` waits
    /// forever for what never happens); returns its output, or why it failed.
    pub fn xdotool(&self, args: &[&str]) -> Result<String, String> {
        run_xdotool(&self.display, args)
    }

    /// The visible top-level windows whose title is exactly `title`.
    pub fn native_windows(&self, title: &str) -> Vec<String> {
        let pattern = format!("^{}$", regex_escape(title));
        self.xdotool(&["search", "--onlyvisible", "--name", &pattern])
            .map(|ids| ids.lines().map(str::to_owned).collect())
            .unwrap_or_default()
    }

    /// Waits for a visible native window titled `title` and returns its id.
    pub async fn wait_native_window(&self, title: &str) -> String {
        let started = Instant::now();
        loop {
            if let Some(id) = self.native_windows(title).pop() {
                return id;
            }
            if started.elapsed() > PATIENCE {
                self.screen_shot("failure-no-native-window");
                panic!("no window titled {title:?} appeared within {PATIENCE:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until no visible native window is titled `title`.
    pub async fn wait_native_window_gone(&self, title: &str) -> bool {
        let started = Instant::now();
        while !self.native_windows(title).is_empty() {
            if started.elapsed() > Duration::from_secs(5) {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        true
    }

    /// Chooses `path` in GTK's native file chooser titled `title` (opened by the page): focuses
    /// it, opens its location entry (Ctrl+L), types the absolute path and presses Return.
    pub async fn choose_in_file_chooser(&self, title: &str, path: &Path) {
        let path = path.to_str().expect("a UTF-8 path");
        assert!(
            path.starts_with('/'),
            "the file chooser needs an absolute path"
        );
        let window = self.wait_native_window(title).await;
        let steps: [&[&str]; 4] = [
            &["windowfocus", "--sync", &window],
            &["key", "--clearmodifiers", "ctrl+l"],
            &["type", "--delay", "15", "--", path],
            &["key", "Return"],
        ];
        for step in steps {
            if let Err(why) = self.xdotool(step) {
                self.screen_shot("failure-file-chooser");
                panic!("driving the file chooser: {why}");
            }
            // GTK opens the location entry and completes asynchronously.
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        if !self.wait_native_window_gone(title).await {
            self.screen_shot("failure-file-chooser");
            panic!(
                "the file chooser {title:?} stayed open after typing {path:?} and Return \
                 (see failure-file-chooser.png)"
            );
        }
    }

    /// Saves the whole X screen (native dialogs included, which WebDriver's screenshot
    /// leaves out) as `target/e2e-shots/NAME.png`; best effort, for diagnosing failures.
    pub fn screen_shot(&self, name: &str) {
        let dir = shots_dir();
        let _ = std::fs::create_dir_all(&dir);
        let _ = Command::new("import")
            .args(["-window", "root"])
            .arg(dir.join(format!("{name}.png")))
            .env("DISPLAY", &self.display)
            .status();
    }
}

/// Starts a private Xvfb screen and waits until it accepts clients; returns its number.
fn start_xvfb(processes: &mut Processes) -> u32 {
    let display = free_display();
    processes.spawn(
        Command::new("Xvfb")
            .args([
                &format!(":{display}"),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
        "Xvfb",
    );
    wait_for_file(Path::new(&format!("/tmp/.X11-unix/X{display}")));
    wait_for_x_server(&format!(":{display}"));
    display
}

/// Waits until the X server on `display` answers a client: its socket can exist before it
/// serves, and a GTK app that connects too early gives up.
fn wait_for_x_server(display: &str) {
    let started = Instant::now();
    while let Err(why) = run_xdotool(display, &["getdisplaygeometry"]) {
        assert!(
            started.elapsed() < PATIENCE,
            "Xvfb on {display} never answered: {why}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs `xdotool ARGS` on `display` (killed after 10 seconds: `--sync` waits forever for
/// what never happens); returns its output, or why it failed.
fn run_xdotool(display: &str, args: &[&str]) -> Result<String, String> {
    let mut child = Command::new("xdotool")
        .args(args)
        .env("DISPLAY", display)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("xdotool could not start ({e}); make test installs it"))?;
    let started = Instant::now();
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("xdotool {args:?} did not finish within 10 seconds"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().map_err(|e| e.to_string())?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    } else {
        Err(format!(
            "xdotool {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    }
}

/// `text` with the characters that mean something in xdotool's (POSIX extended) regular
/// expressions escaped.
fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            let special = "\\^$.|?*+()[]{}".contains(c);
            special
                .then_some('\\')
                .into_iter()
                .chain(std::iter::once(c))
        })
        .collect()
}

/// The processes behind the window: the app and what it started, read from `/proc`.
impl App {
    /// The app's process id: the descendant of tauri-driver running the app's binary.
    pub fn app_pid(&self) -> u32 {
        let binary = std::fs::canonicalize(env!("CARGO_BIN_EXE_holdspace")).expect("app binary");
        let tree = descendants(self.driver_pid);
        let found: Vec<u32> = tree
            .iter()
            .copied()
            .filter(|pid| {
                std::fs::read_link(format!("/proc/{pid}/exe")).ok() == Some(binary.clone())
            })
            .collect();
        assert_eq!(
            found.len(),
            1,
            "expected one app process under tauri-driver ({}); its descendants are {:?}",
            self.driver_pid,
            tree.iter()
                .map(|&p| (p, process_name(p)))
                .collect::<Vec<_>>()
        );
        found[0]
    }
}

/// Every living descendant of `pid` (children, their children…), from each process's parent
/// in `/proc/PID/stat`.
pub fn descendants(pid: u32) -> Vec<u32> {
    let parents: Vec<(u32, u32)> = std::fs::read_dir("/proc")
        .expect("/proc")
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|p| Some((p, parent_pid(p)?)))
        .collect();
    let mut found = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for &(child, _) in parents.iter().filter(|(_, pp)| *pp == parent) {
            found.push(child);
            frontier.push(child);
        }
    }
    found
}

/// The parent of `pid`, if it is still alive.
fn parent_pid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // "PID (comm) STATE PPID …": comm may hold spaces and parentheses, so split at the last ')'.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}

/// The process's name: its executable's file name (or its `comm`, if that cannot be read).
pub fn process_name(pid: u32) -> String {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|exe| Some(exe.file_name()?.to_string_lossy().into_owned()))
        .or_else(|| std::fs::read_to_string(format!("/proc/{pid}/comm")).ok())
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// The soft and hard core-file limits of `pid`, as `/proc/PID/limits` states them; `None` if
/// the process has gone.
pub fn core_file_limits(pid: u32) -> Option<(String, String)> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).ok()?;
    let line = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap_or_else(|| panic!("no core-file line in /proc/{pid}/limits:\n{limits}"));
    let mut values = line["Max core file size".len()..].split_whitespace();
    Some((values.next()?.to_owned(), values.next()?.to_owned()))
}

/// A log file for tauri-driver and the app's output: `target/e2e-shots/logs/driver-PORT.log`.
fn driver_log(port: u16) -> std::fs::File {
    let dir = shots_dir().join("logs");
    std::fs::create_dir_all(&dir).expect("log folder");
    std::fs::File::create(dir.join(format!("driver-{port}.log"))).expect("log file")
}

/// Where screenshots go.
pub fn shots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("e2e-shots")
}

fn tauri_driver() -> PathBuf {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        let candidate = PathBuf::from(home).join("bin/tauri-driver");
        if candidate.exists() {
            return candidate;
        }
    }
    if let Some(home) = std::env::var_os("HOME") {
        let candidate = PathBuf::from(home).join(".cargo/bin/tauri-driver");
        if candidate.exists() {
            return candidate;
        }
    }
    PathBuf::from("tauri-driver")
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A display number no living X server holds. An Xvfb that was killed leaves its lock file and
/// socket behind; those of a server whose process has gone are removed and the number reused,
/// so repeated runs never use the range up.
fn free_display() -> u32 {
    (200..400)
        .find(|n| {
            let lock = PathBuf::from(format!("/tmp/.X{n}-lock"));
            let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
            let holder = std::fs::read_to_string(&lock)
                .ok()
                .and_then(|pid| pid.trim().parse::<u32>().ok());
            let alive = holder.is_some_and(|pid| Path::new(&format!("/proc/{pid}")).exists());
            if alive || lock.exists() && holder.is_none() {
                return false;
            }
            let _ = std::fs::remove_file(&lock);
            let _ = std::fs::remove_file(&socket);
            !lock.exists() && !socket.exists()
        })
        .expect("a free X display number")
}

fn wait_for_port(port: u16) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < PATIENCE,
            "tauri-driver did not listen on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_for_file(path: &Path) {
    let started = Instant::now();
    while !path.exists() {
        assert!(
            started.elapsed() < PATIENCE,
            "Xvfb did not start ({})",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// How often each needle occurs in the readable memory of process `pid`: every mapping
/// `/proc/PID/maps` lists as readable, read through `/proc/PID/mem` (pages that cannot be read
/// are skipped). Needles may straddle the reads. Needs the right to trace the process (root,
/// or the same user without Yama restrictions).
pub fn occurrences_in_memory(pid: u32, needles: &[Vec<u8>]) -> Vec<usize> {
    use std::io::{Read, Seek, SeekFrom};
    const CHUNK: usize = 1 << 20;
    let mut counts = vec![0; needles.len()];
    let Ok(maps) = std::fs::read_to_string(format!("/proc/{pid}/maps")) else {
        return counts;
    };
    let mut mem = std::fs::File::open(format!("/proc/{pid}/mem"))
        .unwrap_or_else(|e| panic!("open /proc/{pid}/mem: {e}"));
    let overlap = needles.iter().map(Vec::len).max().unwrap_or(1) - 1;
    let mut buffer = vec![0u8; CHUNK + overlap];
    for line in maps.lines() {
        let mut fields = line.split_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else {
            continue;
        };
        if !perms.starts_with('r') {
            continue;
        }
        let Some((start, end)) = range.split_once('-') else {
            continue;
        };
        let (Ok(start), Ok(end)) = (u64::from_str_radix(start, 16), u64::from_str_radix(end, 16))
        else {
            continue;
        };
        // Bytes carried over from the end of the last read, so a needle across reads counts.
        let mut carried = 0usize;
        let mut at = start;
        while at < end {
            let want = CHUNK.min((end - at) as usize);
            let read = mem
                .seek(SeekFrom::Start(at))
                .and_then(|_| mem.read(&mut buffer[carried..carried + want]));
            let got = match read {
                Ok(n) if n > 0 => n,
                _ => {
                    carried = 0;
                    at += want as u64;
                    continue;
                }
            };
            let window = &buffer[..carried + got];
            for (needle, count) in needles.iter().zip(counts.iter_mut()) {
                // Matches wholly inside the carried bytes were counted by the last read.
                *count += memchr::memmem::find_iter(window, needle)
                    .filter(|i| i + needle.len() > carried)
                    .count();
            }
            let filled = window.len();
            let keep = overlap.min(filled);
            buffer.copy_within(filled - keep..filled, 0);
            carried = keep;
            at += got as u64;
        }
    }
    counts
}

/// `text` as UTF-16LE bytes (how JavaScript engines and GTK's widgets may hold it).
pub fn utf16le(text: &str) -> Vec<u8> {
    text.encode_utf16().flat_map(u16::to_le_bytes).collect()
}
