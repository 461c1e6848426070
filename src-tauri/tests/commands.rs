//! The shell's commands through Tauri's mock runtime: the real handler, the real capability
//! and allow-list (from tauri.conf.json and capabilities/), no window on screen.
//!
//! Covers: every command is registered and granted to the `main` window and to nothing else;
//! the practitioner's day (create → group → members → session → notes → lock → unlock) with
//! the `{code, message}` errors at each refusal; recovery; rotation; export; auto-lock.

use std::path::Path;
use std::time::Duration;

use holdspace::KdfPolicy;
use holdspace_app::session::AppSession;
use holdspace_app::{CLIENT_MODE_COMMANDS, COMMAND_NAMES};
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{App, WebviewWindow, WebviewWindowBuilder};

const PASSPHRASE: &str = "lantern orbit cobalt meadow";

struct Harness {
    _app: App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
}

impl Harness {
    fn new(dir: &Path) -> Self {
        Self::with_label(dir, "main")
    }

    fn with_label(dir: &Path, label: &str) -> Self {
        let session = AppSession::new(dir.to_path_buf(), KdfPolicy::InsecureTest, None);
        let app = holdspace_app::builder(mock_builder(), session)
            .build(tauri::generate_context!(test = true))
            .expect("mock app builds");
        let window = WebviewWindowBuilder::new(&app, label, Default::default())
            .build()
            .expect("mock window builds");
        Self { _app: app, window }
    }

    fn call(&self, cmd: &str, body: Value) -> Result<Value, Value> {
        let request = InvokeRequest {
            cmd: cmd.into(),
            callback: CallbackFn(0),
            error: CallbackFn(1),
            url: "tauri://localhost".parse().expect("url"),
            body: InvokeBody::Json(body),
            headers: Default::default(),
            invoke_key: INVOKE_KEY.to_string(),
        };
        get_ipc_response(&self.window, request)
            .map(|body| body.deserialize::<Value>().expect("json response"))
    }

    fn ok(&self, cmd: &str, body: Value) -> Value {
        match self.call(cmd, body) {
            Ok(value) => value,
            Err(error) => panic!("{cmd} failed: {error}"),
        }
    }

    /// The error's code, asserting it has a practitioner's sentence.
    fn code(&self, cmd: &str, body: Value) -> String {
        let error = self.call(cmd, body).expect_err("the command should fail");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(
            message.len() > 15 && message.ends_with('.'),
            "{cmd}: {error}"
        );
        error["code"].as_str().expect("a code").to_owned()
    }

    fn create(&self) -> String {
        let code = self.ok(
            "create_vault",
            json!({"passphrase": PASSPHRASE, "confirmation": PASSPHRASE}),
        );
        let identity = code["backup_identity"].as_str().expect("backup identity");
        assert!(
            identity.starts_with("AGE-SECRET-KEY-1"),
            "an age identity for the sheet"
        );
        code["recovery_code"]
            .as_str()
            .expect("recovery code")
            .to_owned()
    }
}

fn group_form(name: &str) -> Value {
    json!({
        "name": name, "kind": "process", "focus": "", "co_facilitator": null,
        "schedule": {"weekday": "thursday", "start": "18:00", "length_minutes": 90, "frequency": "weekly"},
        "location": "Room 2", "start_date": "2026-01-08", "end_date": null, "capacity": 8,
        "enrollment": "open", "status": "running"
    })
}

fn member_form(name: &str) -> Value {
    json!({"legal_name": name, "preferred_name": "", "email": "", "phone": ""})
}

#[test]
fn every_command_is_registered_and_granted_to_the_main_window() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    for name in COMMAND_NAMES {
        if let Err(error) = app.call(name, json!({})) {
            let text = error.to_string();
            assert!(
                !text.contains("not allowed"),
                "{name} is not granted: {text}"
            );
            assert!(
                !text.contains("not found"),
                "{name} is not registered: {text}"
            );
        }
    }
}

#[test]
fn the_capability_grants_exactly_the_command_list() {
    let capability: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/capabilities/main.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let granted: Vec<String> = capability["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = COMMAND_NAMES
        .iter()
        .map(|n| format!("allow-{}", n.replace('_', "-")))
        .collect();
    assert_eq!(granted, expected);
    assert_eq!(capability["windows"], json!(["main"]));
}

#[test]
fn another_window_and_unknown_commands_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = Harness::with_label(dir.path(), "other");
    let error = other.call("app_status", json!({})).unwrap_err();
    assert!(error.to_string().contains("not allowed"), "{error}");
    let main = Harness::new(dir.path());
    assert!(main.call("format_disk", json!({})).is_err());
}

#[test]
fn a_practitioners_day_survives_lock_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    assert_eq!(
        app.ok("app_status", json!({}))["vault_exists"],
        json!(false)
    );
    assert_eq!(app.code("list_groups", json!({})), "locked");
    assert_eq!(
        app.code(
            "create_vault",
            json!({"passphrase": "password1", "confirmation": "password1"})
        ),
        "too_weak"
    );
    assert_eq!(
        app.code(
            "create_vault",
            json!({"passphrase": PASSPHRASE, "confirmation": "other words"})
        ),
        "confirmation_mismatch"
    );
    let code = app.create();
    assert_eq!(code.len(), 39, "32 symbols in 8 groups: {code}");
    let recorded = app.ok("audit_log", json!({"filter": {}}));
    assert!(
        recorded["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["subject_kind"] == json!("backup_settings")),
        "a new vault stores its backup key: {recorded}"
    );
    assert_eq!(
        app.ok("app_status", json!({}))["practice_name"],
        Value::Null
    );
    let mut profile = app.ok("settings", json!({}))["profile"].clone();
    profile["practice_name"] = json!("Riverside Groups");
    app.ok("save_profile", json!({"profile": profile}));
    assert_eq!(
        app.ok("app_status", json!({}))["practice_name"],
        "Riverside Groups",
        "the sidebar's name comes with the status"
    );

    let group = app.ok(
        "save_group",
        json!({"group": group_form("Thursday process group")}),
    );
    let group_id = group["id"].clone();
    let ada = app.ok(
        "save_member",
        json!({"member": member_form("<img src=x onerror=alert(1)>")}),
    );
    let bo = app.ok(
        "save_member",
        json!({"member": member_form("</script><script>alert(1)</script>")}),
    );
    for member in [&ada, &bo] {
        app.ok("add_to_group", json!({"group": group_id, "member": member["id"], "status": "active", "joined": "2026-01-08"}));
    }
    let mut draft = app.ok(
        "session_draft",
        json!({"group": group_id, "date": "2026-02-05"}),
    );
    assert_eq!(draft["members"].as_array().unwrap().len(), 2);
    draft["session"]["attendance"] =
        json!({ada["id"].as_str().unwrap(): "present", bo["id"].as_str().unwrap(): "late"});
    draft["session"]["group_note"] = json!("Talked about trust.");
    let page = app.ok("save_session", json!({"record": draft["session"]}));
    let session_id = page["session"]["id"].clone();
    app.ok("save_note", json!({"note": {"session": session_id, "member": ada["id"], "kind": "progress", "text": "Spoke first today."}}));
    app.ok("save_note", json!({"note": {"session": session_id, "member": ada["id"], "kind": "psychotherapy", "text": "Process note."}}));

    app.ok("lock", json!({}));
    assert_eq!(app.code("group_page", json!({"id": group_id})), "locked");
    assert_eq!(
        app.code("unlock", json!({"passphrase": "wrong words entirely"})),
        "wrong_passphrase"
    );
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));

    let page = app.ok("group_page", json!({"id": group_id}));
    let names: Vec<&str> = page["roster"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["display_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"<img src=x onerror=alert(1)>"), "{names:?}");
    assert!(
        names.contains(&"</script><script>alert(1)</script>"),
        "{names:?}"
    );
    assert_eq!(page["sessions"][0]["attended"], json!(2));
    let session = app.ok("session_page", json!({"id": session_id}));
    assert_eq!(session["notes"].as_array().unwrap().len(), 2);
    assert_eq!(
        session["session"]["group_note"],
        json!("Talked about trust.")
    );
    let found = app.ok("search", json!({"query": "trust"}));
    assert_eq!(found["sessions"]["total"], json!(1));
    let home = app.ok("home", json!({}));
    assert_eq!(home["groups"].as_array().unwrap().len(), 1);
    let audit = app.ok("audit_log", json!({"filter": {"action": "unlock"}}));
    assert_eq!(
        audit["total"],
        json!(2),
        "create and unlock each record an unlock"
    );
}

#[test]
fn an_invalid_field_is_named_and_nothing_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    app.create();
    let error = app
        .call(
            "save_member",
            json!({"member": {"legal_name": "Ada", "email": "not an email"}}),
        )
        .unwrap_err();
    assert_eq!(error["code"], json!("invalid"));
    assert_eq!(error["field"], json!("email"));
    let error = app
        .call(
            "save_member",
            json!({"member": {"legal_name": "", "email": ""}}),
        )
        .unwrap_err();
    assert_eq!(error["field"], json!("legal_name"));
    let error = app
        .call(
            "save_member",
            json!({"member": {"legal_name": "Ada", "date_of_birth": "2999-01-01"}}),
        )
        .unwrap_err();
    assert_eq!(error["field"], json!("date_of_birth"));
    assert_eq!(app.ok("list_members", json!({})), json!([]));
}

#[test]
fn the_recovery_code_sets_a_new_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let code = app.create();
    app.ok("lock", json!({}));
    let new = "harbour quiet violet engine";
    assert_eq!(
        app.code(
            "recover",
            json!({"code": "AAAA-BBBB", "passphrase": new, "confirmation": new})
        ),
        "malformed_recovery_code"
    );
    app.ok(
        "recover",
        json!({"code": code.to_lowercase(), "passphrase": new, "confirmation": new}),
    );
    app.ok("lock", json!({}));
    assert_eq!(
        app.code("unlock", json!({"passphrase": PASSPHRASE})),
        "wrong_passphrase"
    );
    app.ok("unlock", json!({"passphrase": new}));
}

#[test]
fn rotation_export_and_passphrase_change_keep_the_records() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    app.create();
    app.ok("save_group", json!({"group": group_form("Skills group")}));
    let epoch = app.ok("settings", json!({}))["key_epoch"].as_u64().unwrap();
    assert_eq!(
        app.code("rotate_key", json!({"passphrase": "not the passphrase"})),
        "wrong_passphrase"
    );
    app.ok("rotate_key", json!({"passphrase": PASSPHRASE}));
    let progress = app.ok("rotation_progress", json!({}));
    assert_eq!(progress["running"], json!(false));
    assert_eq!(progress["done"], progress["total"]);
    assert_eq!(app.ok("settings", json!({}))["key_epoch"], json!(epoch + 1));

    let new = "violet engine harbour quiet";
    assert_eq!(
        app.code(
            "change_passphrase",
            json!({"current": "nope nope", "passphrase": new, "confirmation": new})
        ),
        "wrong_passphrase"
    );
    app.ok(
        "change_passphrase",
        json!({"current": PASSPHRASE, "passphrase": new, "confirmation": new}),
    );

    let out = tempfile::tempdir().unwrap();
    let exported = app.ok(
        "export_practice",
        json!({"folder": out.path().display().to_string()}),
    );
    let written = std::fs::read(exported["path"].as_str().unwrap()).unwrap();
    assert!(String::from_utf8_lossy(&written).contains("Skills group"));

    app.ok("lock", json!({}));
    app.ok("unlock", json!({"passphrase": new}));
    assert_eq!(
        app.ok("list_groups", json!({})).as_array().unwrap().len(),
        1
    );
}

#[test]
fn a_second_app_on_the_same_vault_is_told_it_is_open() {
    let dir = tempfile::tempdir().unwrap();
    let first = Harness::new(dir.path());
    first.create();
    let second = Harness::new(dir.path());
    assert_eq!(
        second.ok("app_status", json!({}))["open_elsewhere"],
        json!(true)
    );
    assert_eq!(
        second.code("unlock", json!({"passphrase": PASSPHRASE})),
        "already_open"
    );
    first.ok("lock", json!({}));
    assert_eq!(
        second.ok("app_status", json!({}))["open_elsewhere"],
        json!(false)
    );
}

#[test]
fn idle_time_locks_the_vault_in_rust() {
    let dir = tempfile::tempdir().unwrap();
    let session = AppSession::new(
        dir.path().to_path_buf(),
        KdfPolicy::InsecureTest,
        Some(Duration::from_millis(300)),
    );
    session
        .create(&holdspace::Passphrase::new(PASSPHRASE).unwrap())
        .unwrap();
    assert!(!session.lock_if_idle(), "just used");
    std::thread::sleep(Duration::from_millis(400));
    assert!(session.lock_if_idle());
    assert!(!session.status().unlocked);
    assert!(!session.lock_if_idle(), "already locked");
}

/// A vault with one group and one active member; returns (group id, member id).
fn group_with_member(app: &Harness) -> (Value, Value) {
    app.create();
    let group = app.ok(
        "save_group",
        json!({"group": group_form("Monday support group")}),
    );
    let member = app.ok(
        "save_member",
        json!({"member": member_form("Ada Lovelace")}),
    );
    app.ok("add_to_group", json!({"group": group["id"], "member": member["id"], "status": "active", "joined": "2026-01-08"}));
    (group["id"].clone(), member["id"].clone())
}

#[test]
fn client_mode_answers_only_its_own_commands() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let (group, member) = group_with_member(&app);
    app.ok(
        "start_client_mode",
        json!({"member": member, "group": group}),
    );
    for name in COMMAND_NAMES
        .iter()
        .filter(|n| !CLIENT_MODE_COMMANDS.contains(n))
    {
        let error = app.call(name, json!({})).expect_err(name);
        assert_eq!(
            error["code"],
            json!("client_mode"),
            "{name} answered in client mode: {error}"
        );
    }
    let view = app.ok("client_view", json!({}));
    assert_eq!(view["signer_legal_name"], json!("Ada Lovelace"));
    assert_eq!(view["group_name"], json!("Monday support group"));
    let text = view.to_string();
    assert!(
        !text.contains(member.as_str().unwrap()),
        "no record ids reach the client view"
    );
}

#[test]
fn a_client_signs_and_only_the_passphrase_ends_client_mode() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let (group, member) = group_with_member(&app);
    assert_eq!(app.code("client_view", json!({})), "not_in_client_mode");
    app.ok(
        "start_client_mode",
        json!({"member": member, "group": group}),
    );
    let clauses = app.ok("client_view", json!({}))["clauses"]
        .as_array()
        .unwrap()
        .len();
    assert!(clauses > 5);
    app.ok("client_mark", json!({"clause": 2, "discuss": true}));
    assert_eq!(
        app.code("client_sign", json!({"typed_name": "Ada Lovelace"})),
        "invalid"
    );
    for clause in 0..clauses {
        app.ok(
            "client_acknowledge",
            json!({"clause": clause, "understood": true}),
        );
    }
    assert_eq!(
        app.code(
            "client_acknowledge",
            json!({"clause": clauses, "understood": true})
        ),
        "invalid"
    );
    app.ok("client_sign", json!({"typed_name": "Ada King"}));
    assert_eq!(
        app.code("client_sign", json!({"typed_name": "Ada King"})),
        "already_signed"
    );
    assert_eq!(
        app.code("client_mark", json!({"clause": 1, "discuss": true})),
        "already_signed"
    );

    assert_eq!(
        app.code(
            "leave_client_mode",
            json!({"passphrase": "not the passphrase"})
        ),
        "wrong_passphrase"
    );
    assert_eq!(
        app.code("home", json!({})),
        "client_mode",
        "a wrong passphrase stays in client mode"
    );
    app.ok("leave_client_mode", json!({"passphrase": PASSPHRASE}));

    let page = app.ok("group_page", json!({"id": group}));
    assert_eq!(
        page["roster"][0]["signature"],
        json!({"state": "signed", "version": 1})
    );
    let signer = &page["agreement"][0]["signers"][0];
    assert_eq!(signer["method"], json!("client_mode"));
    assert_eq!(signer["discuss"], json!([2]));
    let member_page = app.ok("member_page", json!({"id": member}));
    assert_eq!(member_page["discuss"].as_array().unwrap().len(), 1);

    let mut text = app.ok("agreement_page", json!({"group": group}))["current"]["text"].clone();
    text["title"] = json!("Our group agreement, revised");
    let published = app.ok("save_agreement", json!({"group": group, "text": text}));
    assert_eq!(published["saved"]["published_new_version"], json!(true));
    let page = app.ok("group_page", json!({"id": group}));
    assert_eq!(
        page["roster"][0]["signature"]["state"],
        json!("needs_resigning")
    );
    let audit = app.ok("audit_log", json!({"filter": {}}));
    let actions: Vec<&str> = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "client_mode_entered",
        "signature_captured",
        "client_mode_left",
    ] {
        assert!(
            actions.contains(&action),
            "{action} missing from {actions:?}"
        );
    }
}

#[test]
fn locking_ends_client_mode() {
    let dir = tempfile::tempdir().unwrap();
    let session = AppSession::new(
        dir.path().to_path_buf(),
        KdfPolicy::InsecureTest,
        Some(Duration::from_millis(200)),
    );
    let app = Harness::new(dir.path());
    drop(app);
    session
        .create(&holdspace::Passphrase::new(PASSPHRASE).unwrap())
        .unwrap();
    assert!(!session.in_client_mode());
    std::thread::sleep(Duration::from_millis(300));
    assert!(session.lock_if_idle());
    assert!(!session.in_client_mode());
}

// ---- Backups and restore ----

/// A harness whose vault is `vault` inside a fresh temporary folder, so a replaced vault is
/// kept inside that folder too.
fn harness_in(tmp: &Path) -> Harness {
    Harness::new(&tmp.join("vault"))
}

fn backup_settings(folder: &str) -> Value {
    json!({"settings": {"folder": folder, "on_lock": true, "keep_recent": 10, "keep_monthly": 12}})
}

fn files_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

fn relock(app: &Harness) {
    app.ok("lock", json!({}));
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
}

#[test]
fn locking_backs_up_when_something_changed_and_a_failure_is_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    let app = harness_in(tmp.path());
    app.create();
    let overview = app.ok("backup_overview", json!({}));
    assert_eq!(overview["folder"], Value::Null);
    assert_eq!(overview["has_backup_key"], true);
    assert_eq!(
        app.code("save_backup_settings", backup_settings("relative/folder")),
        "invalid"
    );
    let overview = app.ok(
        "save_backup_settings",
        backup_settings(folder.to_str().unwrap()),
    );
    assert_eq!(overview["folder"], folder.to_str().unwrap());

    app.ok(
        "save_group",
        json!({"group": group_form("Thursday process group")}),
    );
    relock(&app);
    assert_eq!(files_in(&folder).len(), 1, "a backup on lock");
    relock(&app);
    assert_eq!(files_in(&folder).len(), 1, "nothing changed: no new backup");

    let made = app.ok("back_up_now", json!({}));
    assert_eq!(made["counts"]["groups"], 1);
    let overview = app.ok("backup_overview", json!({}));
    let listed = overview["backups"].as_array().unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["file_name"], made["file_name"], "newest first");
    assert_eq!(listed[0]["counts"]["groups"], 1);

    // The drive is gone: the lock still locks, and the failure is shown on the unlock screen.
    std::fs::remove_dir_all(&folder).unwrap();
    app.ok(
        "save_group",
        json!({"group": group_form("Monday skills group")}),
    );
    app.ok("lock", json!({}));
    let status = app.ok("app_status", json!({}));
    assert_eq!(status["unlocked"], false);
    assert_eq!(status["backup_alert"]["code"], "backup_folder_unavailable");
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let overview = app.ok("backup_overview", json!({}));
    assert_eq!(
        overview["last_failure"]["code"],
        "backup_folder_unavailable"
    );
    assert_eq!(
        overview["folder_problem"]["code"],
        "backup_folder_unavailable"
    );
    assert_eq!(
        app.code("back_up_now", json!({})),
        "backup_folder_unavailable"
    );

    // The vault remembers it: after a restart (the system may have ended the app), the
    // unlocked app still says so.
    app.ok("lock", json!({}));
    drop(app);
    let app = harness_in(tmp.path());
    assert_eq!(app.ok("app_status", json!({}))["backup_alert"], Value::Null);
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let status = app.ok("app_status", json!({}));
    assert_eq!(status["backup_alert"]["code"], "backup_folder_unavailable");
    let overview = app.ok("backup_overview", json!({}));
    assert_eq!(
        overview["last_failure"]["code"],
        "backup_folder_unavailable"
    );

    // It comes back: the next backup clears the alert, in the session and in the vault.
    std::fs::create_dir(&folder).unwrap();
    app.ok("back_up_now", json!({}));
    assert_eq!(app.ok("app_status", json!({}))["backup_alert"], Value::Null);
    relock(&app);
    assert_eq!(app.ok("app_status", json!({}))["backup_alert"], Value::Null);

    // A copy with its own passphrase goes where asked, and the keep rule leaves it alone.
    let copy = |pass: &str| json!({"folder": tmp.path().to_str().unwrap(), "passphrase": pass, "confirmation": pass});
    assert_eq!(app.code("save_protected_copy", copy("short")), "too_weak");
    let saved = app.ok("save_protected_copy", copy("harbor quartz willow ember"));
    let name = saved["file_name"].as_str().unwrap();
    assert!(name.starts_with("holdspace-copy-"), "{name}");
    assert!(tmp.path().join(name).is_file());
    assert_eq!(saved["counts"]["groups"], 2);
}

#[test]
fn a_checked_backup_restores_into_a_new_folder_or_in_place_of_the_vault() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    let app = harness_in(tmp.path());
    let code = app.create();
    app.ok(
        "save_backup_settings",
        backup_settings(folder.to_str().unwrap()),
    );
    app.ok(
        "save_group",
        json!({"group": group_form("Thursday process group")}),
    );
    let made = app.ok("back_up_now", json!({}));
    let file = folder.join(made["file_name"].as_str().unwrap());
    let file = file.to_str().unwrap();
    let new_pass = "willow ember quartz harbor";
    let restore = |target: &str, folder: Option<&Path>, confirmed: bool, pass: &str| {
        json!({"target": target, "folder": folder.map(|f| f.to_str().unwrap()),
               "replace_confirmed": confirmed, "passphrase": pass, "confirmation": pass})
    };
    let other = tmp.path().join("restored");
    assert_eq!(
        app.code(
            "restore_backup",
            restore("other_folder", Some(&other), false, new_pass)
        ),
        "no_backup_inspected"
    );
    let inspect =
        |kind: &str, secret: &str| json!({"path": file, "secret_kind": kind, "secret": secret});
    assert_eq!(
        app.code(
            "inspect_backup",
            inspect("passphrase", "any passphrase at all")
        ),
        "backup_needs_recovery_code"
    );
    let checked = app.ok("inspect_backup", inspect("recovery_code", &code));
    assert_eq!(checked["counts"]["groups"], 1);
    assert_eq!(checked["protection"], "backup_key");
    assert_eq!(app.ok("restore_progress", json!({}))["running"], false);

    // A weak passphrase or a folder that is not empty is refused, and the backup stays open.
    assert_eq!(
        app.code(
            "restore_backup",
            restore("other_folder", Some(&other), false, "weak")
        ),
        "too_weak"
    );
    assert_eq!(
        app.code(
            "restore_backup",
            restore("other_folder", Some(&folder), false, new_pass)
        ),
        "folder_not_empty"
    );
    let into_other = app.ok(
        "restore_backup",
        restore("other_folder", Some(&other), false, new_pass),
    );
    assert_ne!(
        into_other["recovery_code"],
        code.as_str(),
        "a new recovery code"
    );
    assert_eq!(into_other["previous_vault_kept_at"], Value::Null);
    assert!(holdspace::vault::vault_exists(&other));
    app.ok("home", json!({}));

    // In place of the vault: only with confirmation; the old vault is kept beside it.
    app.ok("inspect_backup", inspect("recovery_code", &code));
    assert_eq!(
        app.code(
            "restore_backup",
            restore("app_vault", None, false, new_pass)
        ),
        "replace_not_confirmed"
    );
    app.ok(
        "save_group",
        json!({"group": group_form("Not in the backup")}),
    );
    let replaced = app.ok("restore_backup", restore("app_vault", None, true, new_pass));
    let kept = replaced["previous_vault_kept_at"].as_str().unwrap();
    assert!(Path::new(kept).starts_with(tmp.path()), "{kept}");
    assert_eq!(
        files_in(&folder).len(),
        2,
        "locking the old vault backed it up first"
    );
    let status = app.ok("app_status", json!({}));
    assert_eq!(status["unlocked"], false);
    assert_eq!(
        app.code("unlock", json!({"passphrase": PASSPHRASE})),
        "wrong_passphrase"
    );
    app.ok("unlock", json!({"passphrase": new_pass}));
    let groups = app.ok("list_groups", json!({}));
    assert_eq!(groups.as_array().unwrap().len(), 1, "{groups}");
    let overview = app.ok("backup_overview", json!({}));
    assert_eq!(
        overview["folder"],
        folder.to_str().unwrap(),
        "the backup folder is kept"
    );
}

#[test]
fn a_lock_in_progress_reads_as_locked_and_an_unlock_waits_for_it() {
    let tmp = tempfile::tempdir().unwrap();
    let session = std::sync::Arc::new(AppSession::new(
        tmp.path().join("vault"),
        KdfPolicy::InsecureTest,
        None,
    ));
    let passphrase = holdspace::Passphrase::new(PASSPHRASE).unwrap();
    session.create(&passphrase).unwrap();
    let locking = session.take_for_lock().expect("it was unlocked");
    let status = session.status();
    assert!(
        !status.unlocked,
        "the page can show the unlock screen at once"
    );
    assert!(
        !status.open_elsewhere,
        "the lock's own backup is not another app"
    );

    let waiting = std::sync::Arc::clone(&session);
    let unlock = std::thread::spawn(move || {
        waiting.unlock(&holdspace::Passphrase::new(PASSPHRASE).unwrap())
    });
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !unlock.is_finished(),
        "an unlock waits for the lock to finish"
    );
    assert!(!session.finish_lock(locking).unwrap());
    unlock.join().unwrap().expect("then it unlocks");
    assert!(session.status().unlocked);
}
