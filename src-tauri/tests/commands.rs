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
        Self::with_session(session, label)
    }

    fn with_session(session: AppSession, label: &str) -> Self {
        let app = holdspace_app::builder(mock_builder(), session)
            .build(tauri::generate_context!(test = true))
            .expect("mock app builds");
        let window = WebviewWindowBuilder::new(&app, label, Default::default())
            .build()
            .expect("mock window builds");
        Self { _app: app, window }
    }

    /// The session the commands act on.
    fn session(&self) -> tauri::State<'_, AppSession> {
        use tauri::Manager;
        self.window.state::<AppSession>()
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
        app.ok("add_to_group", json!({"group": group_id, "members": [member["id"]], "status": "active", "joined": "2026-01-08"}));
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
fn one_passphrase_rule_weighs_the_practice_own_names_everywhere() {
    use holdspace::strength::{check_new, own_words};
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let weak = |pass: &str| json!({"passphrase": pass, "confirmation": pass});
    let refused = app
        .call("create_vault", weak("sunflower garden"))
        .unwrap_err();
    assert_eq!(refused["code"], "too_weak");
    assert_eq!(refused["field"], "passphrase");
    let core = check_new("sunflower garden", &own_words("", "")).unwrap_err();
    assert_eq!(
        refused["message"],
        core.message(),
        "the CLI prints this very line"
    );
    let code = app.create();

    let mut profile = app.ok("settings", json!({}))["profile"].clone();
    profile["practitioner_name"] = json!("Ezra Quist");
    profile["practice_name"] = json!("Brightwater Orchard Counselling");
    app.ok("save_profile", json!({"profile": profile}));
    let theirs = "ezra quist brightwater orchard";
    assert!(
        check_new(theirs, &own_words("", "")).is_ok(),
        "strong to a stranger"
    );
    let meter = app.ok("passphrase_strength", json!({"passphrase": theirs}));
    assert_eq!(
        meter["acceptable"], false,
        "the meter knows the practice's names"
    );

    let change = json!({"current": PASSPHRASE, "passphrase": theirs, "confirmation": theirs});
    assert_eq!(app.code("change_passphrase", change), "too_weak");
    let copy = json!({"folder": dir.path().to_str().unwrap(), "passphrase": theirs, "confirmation": theirs});
    assert_eq!(app.code("save_protected_copy", copy), "too_weak");
    app.ok("lock", json!({}));
    let recover = json!({"code": code, "passphrase": theirs, "confirmation": theirs});
    assert_eq!(app.code("recover", recover), "too_weak");
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
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
    #[cfg(unix)]
    assert_eq!(
        holdspace::fsutil::mode_of(Path::new(exported["path"].as_str().unwrap())).unwrap(),
        0o600,
        "a plaintext export is readable by its owner only"
    );

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
    app.ok("add_to_group", json!({"group": group["id"], "members": [member["id"]], "status": "active", "joined": "2026-01-08"}));
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
    let heading = page["agreement"][0]["version"]["text"]["clauses"][2]["heading"].clone();
    assert_eq!(page["roster"][0]["discuss_headings"], json!([heading]));
    // The practitioner is told what the visit came to, by the rule's heading, until they
    // dismiss it.
    let ended = app.ok("app_status", json!({}))["client_visit_ended"].clone();
    assert_eq!(ended["display_name"], json!("Ada Lovelace"));
    assert_eq!(ended["signed_version"], json!(1));
    assert_eq!(ended["discuss_headings"], json!([heading]));
    app.ok("dismiss_client_exit_notice", json!({}));
    assert_eq!(
        app.ok("app_status", json!({}))["client_visit_ended"],
        Value::Null
    );
    let member_page = app.ok("member_page", json!({"id": member}));
    assert_eq!(member_page["discuss"].as_array().unwrap().len(), 1);
    assert_eq!(member_page["discuss"][0]["talked_about"], Value::Null);

    // Home lists the rule until the practitioner marks it as talked about, once.
    let waiting = app.ok("home", json!({}))["to_discuss"].clone();
    assert_eq!(waiting.as_array().unwrap().len(), 1);
    assert_eq!(waiting[0]["heading"], heading);
    assert_eq!(waiting[0]["display_name"], json!("Ada Lovelace"));
    let mark = json!({"signature": waiting[0]["signature"], "clause": 2});
    app.ok("mark_talked_about", mark.clone());
    assert_eq!(app.code("mark_talked_about", mark), "invalid");
    assert_eq!(app.ok("home", json!({}))["to_discuss"], json!([]));
    let member_page = app.ok("member_page", json!({"id": member}));
    assert!(member_page["discuss"][0]["talked_about"].is_string());
    let page = app.ok("group_page", json!({"id": group}));
    assert_eq!(page["roster"][0]["discuss_headings"], json!([]));
    assert_eq!(page["agreement"][0]["signers"][0]["discuss"], json!([]));
    assert_eq!(
        page["agreement"][0]["signers"][0]["talked_about"],
        json!([2])
    );

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

/// A clock that moves only when the test says so.
#[derive(Clone, Default)]
struct TestClock(std::sync::Arc<std::sync::atomic::AtomicU64>);

impl TestClock {
    fn advance(&self, seconds: u64) {
        self.0
            .fetch_add(seconds, std::sync::atomic::Ordering::SeqCst);
    }

    fn session_clock(&self) -> holdspace_app::session::Clock {
        let start = std::time::Instant::now();
        let offset = std::sync::Arc::clone(&self.0);
        std::sync::Arc::new(move || {
            start + Duration::from_secs(offset.load(std::sync::atomic::Ordering::SeqCst))
        })
    }
}

#[test]
fn wrong_exit_passphrases_earn_growing_waits_are_audited_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::default();
    let session = AppSession::new(dir.path().to_path_buf(), KdfPolicy::InsecureTest, None)
        .with_clock(clock.session_clock());
    let app = Harness::with_session(session, "main");
    let (group, member) = group_with_member(&app);
    app.ok(
        "start_client_mode",
        json!({"member": member, "group": group}),
    );
    let leave = |pass: &str| app.call("leave_client_mode", json!({"passphrase": pass}));
    let typed = "a guess the audit must never show";

    // Two typos cost nothing; the third wrong one starts a five-second wait.
    for _ in 0..3 {
        assert_eq!(leave(typed).unwrap_err()["code"], "wrong_passphrase");
    }
    let waiting = leave(PASSPHRASE).unwrap_err();
    assert_eq!(waiting["code"], "client_exit_waiting");
    assert_eq!(
        waiting["message"],
        "Please hand the computer back to your therapist."
    );
    assert_eq!(waiting["retry_after_seconds"], 5);
    clock.advance(3);
    assert_eq!(leave(PASSPHRASE).unwrap_err()["retry_after_seconds"], 2);
    clock.advance(2);
    // The wait is over: a wrong one is checked again and doubles the wait.
    assert_eq!(leave(typed).unwrap_err()["code"], "wrong_passphrase");
    assert_eq!(leave(typed).unwrap_err()["retry_after_seconds"], 10);
    clock.advance(10);
    assert_eq!(app.code("home", json!({})), "client_mode");
    app.ok("leave_client_mode", json!({"passphrase": PASSPHRASE}));

    // The practitioner hears of it when they get back in, until they dismiss it.
    let status = app.ok("app_status", json!({}));
    let notice = &status["client_visit_ended"]["wrong_tries"];
    assert_eq!(notice["wrong"], 4);
    assert_eq!(notice["refused_while_waiting"], 3);
    assert!(notice["last_wrong_at"].is_string());
    app.ok("dismiss_client_exit_notice", json!({}));
    assert_eq!(
        app.ok("app_status", json!({}))["client_visit_ended"],
        Value::Null
    );

    // Every wrong passphrase is in the audit trail, by count; the text typed is nowhere.
    let audit = app.ok("audit_log", json!({"filter": {}}));
    let events = audit["events"].as_array().unwrap();
    let failed = events
        .iter()
        .filter(|e| e["action"] == "client_mode_exit_failed")
        .count();
    assert_eq!(failed, 4);
    let left = events
        .iter()
        .find(|e| e["action"] == "client_mode_left")
        .unwrap();
    assert_eq!(
        left["detail"],
        "after 4 wrong passphrase(s) and 3 try(s) refused while waiting"
    );
    assert!(!audit.to_string().contains(typed));

    // A new visit starts with no waits.
    app.ok(
        "start_client_mode",
        json!({"member": member, "group": group}),
    );
    assert_eq!(leave(typed).unwrap_err()["code"], "wrong_passphrase");
    app.ok("leave_client_mode", json!({"passphrase": PASSPHRASE}));
}

#[test]
fn wrong_secrets_at_the_locked_app_earn_the_same_waits_and_are_reported_after_unlock() {
    let tmp = tempfile::tempdir().unwrap();
    let clock = TestClock::default();
    let session = AppSession::new(tmp.path().join("vault"), KdfPolicy::InsecureTest, None)
        .with_clock(clock.session_clock());
    let app = Harness::with_session(session, "main");
    let code = app.create();
    app.ok("lock", json!({}));
    let unlock = |pass: &str| app.call("unlock", json!({"passphrase": pass}));

    // Unlock, the recovery code and a restore's proof share one count: two free, then waits.
    assert_eq!(
        unlock("first wrong guess").unwrap_err()["code"],
        "wrong_passphrase"
    );
    let other = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567-89AB";
    let recover = json!({"code": other, "passphrase": "violet engine harbour quiet",
                         "confirmation": "violet engine harbour quiet"});
    let refused = app.call("recover", recover).unwrap_err();
    assert!(
        refused["code"] == "wrong_recovery_code" || refused["code"] == "malformed_recovery_code",
        "{refused}"
    );
    assert_eq!(
        unlock("second wrong guess").unwrap_err()["code"],
        "wrong_passphrase"
    );
    if refused["code"] == "malformed_recovery_code" {
        assert_eq!(
            unlock("third wrong guess").unwrap_err()["code"],
            "wrong_passphrase"
        );
    }
    let waiting = unlock(PASSPHRASE).unwrap_err();
    assert_eq!(
        waiting["code"], "too_many_tries",
        "even the right one waits"
    );
    assert_eq!(waiting["retry_after_seconds"], 5);
    clock.advance(5);
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));

    let status = app.ok("app_status", json!({}));
    assert_eq!(status["unlock_attempts"]["wrong"], 3);
    assert_eq!(status["unlock_attempts"]["refused_while_waiting"], 1);
    let audit = app.ok("audit_log", json!({"filter": {}}));
    let refused_event = audit["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "unlock_refused")
        .expect("the wrong tries are recorded at unlock");
    assert!(refused_event["detail"]
        .as_str()
        .unwrap()
        .starts_with("3 wrong"));
    assert!(!audit.to_string().contains("wrong guess"));
    app.ok("dismiss_unlock_notice", json!({}));
    assert_eq!(
        app.ok("app_status", json!({}))["unlock_attempts"],
        Value::Null
    );

    // The count starts again after an unlock.
    app.ok("lock", json!({}));
    assert_eq!(unlock("a typo").unwrap_err()["code"], "wrong_passphrase");
    app.ok(
        "recover",
        json!({"code": code, "passphrase": "violet engine harbour quiet",
                             "confirmation": "violet engine harbour quiet"}),
    );
}

#[test]
fn client_mode_and_lock_at_the_same_moment_never_leave_client_mode_on_a_locked_vault() {
    use holdspace_app::service::client;
    let tmp = tempfile::tempdir().unwrap();
    let session = std::sync::Arc::new(AppSession::new(
        tmp.path().join("vault"),
        KdfPolicy::InsecureTest,
        None,
    ));
    let passphrase = holdspace::Passphrase::new(PASSPHRASE).unwrap();
    session.create(&passphrase).unwrap();
    let (group, member) = session
        .with_practice(|p| {
            use holdspace_app::service::{groups, members};
            let g = groups::save_group(p, group_form("Race group"))?;
            let m = members::save_member(p, member_form("Ada Race"))?;
            let joined = time::macros::date!(2026 - 01 - 08);
            let active = holdspace::practice::MembershipStatus::Active;
            p.add_to_group(m.id, g.id, active, Some(joined))?;
            Ok((g.id, m.id))
        })
        .unwrap();
    for round in 0..60 {
        if !session.status().unlocked {
            session.unlock(&passphrase).unwrap();
        }
        let starter = std::sync::Arc::clone(&session);
        let start = std::thread::spawn(move || {
            starter.start_client_mode(|p| {
                client::start(p, member, group, &client::VisitPlan::agreement_only())
            })
        });
        let locker = std::sync::Arc::clone(&session);
        let lock = std::thread::spawn(move || locker.lock());
        let _ = start.join().unwrap();
        lock.join().unwrap().unwrap();
        assert!(
            !session.in_client_mode() || session.status().unlocked,
            "round {round}: client mode on a locked vault"
        );
        if session.in_client_mode() {
            session.leave_client_mode(&passphrase).unwrap();
        }
    }
}

#[test]
fn the_status_never_waits_for_a_long_operation() {
    let tmp = tempfile::tempdir().unwrap();
    let session = std::sync::Arc::new(AppSession::new(
        tmp.path().join("vault"),
        KdfPolicy::InsecureTest,
        None,
    ));
    session
        .create(&holdspace::Passphrase::new(PASSPHRASE).unwrap())
        .unwrap();
    assert!(session.status().unlocked);
    let busy = std::sync::Arc::clone(&session);
    let (started, running) = std::sync::mpsc::channel();
    let (finish, may_finish) = std::sync::mpsc::channel::<()>();
    // The long operation holds the practice until it is told to finish, which happens only
    // after the status has come back: a status that waited for it would never return.
    let long = std::thread::spawn(move || {
        busy.with_practice(|_| {
            started.send(()).unwrap();
            let _ = may_finish.recv();
            Ok(())
        })
    });
    running.recv().unwrap();
    let asking = std::sync::Arc::clone(&session);
    let (answered, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = answered.send(asking.status());
    });
    let status = answer
        .recv_timeout(Duration::from_secs(60))
        .expect("the status came back while the operation still held the practice");
    assert!(!long.is_finished(), "the operation was still running");
    assert!(status.unlocked, "as last seen");
    finish.send(()).unwrap();
    long.join().unwrap().unwrap();
}

#[test]
fn a_visit_left_unsigned_is_told_with_its_rules_and_a_lock_forgets_the_notice() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let (group, member) = group_with_member(&app);
    app.ok(
        "start_client_mode",
        json!({"member": member, "group": group}),
    );
    let view = app.ok("client_view", json!({}));
    app.ok("client_mark", json!({"clause": 0, "discuss": true}));
    app.ok("client_mark", json!({"clause": 3, "discuss": true}));
    app.ok("leave_client_mode", json!({"passphrase": PASSPHRASE}));
    let ended = app.ok("app_status", json!({}))["client_visit_ended"].clone();
    assert_eq!(ended["signed_version"], Value::Null, "not signed");
    assert_eq!(
        ended["discuss_headings"],
        json!([view["clauses"][0]["heading"], view["clauses"][3]["heading"]])
    );
    app.ok("lock", json!({}));
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    assert_eq!(
        app.ok("app_status", json!({}))["client_visit_ended"],
        Value::Null,
        "a lock drops what the notice held"
    );
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
    #[cfg(unix)]
    assert_eq!(
        holdspace::fsutil::mode_of(&tmp.path().join(name)).unwrap(),
        0o600,
        "the protected copy is readable by its owner only"
    );
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

    // In place of the vault: only with confirmation and the current passphrase, even while
    // unlocked; the old vault is kept beside it.
    app.ok("inspect_backup", inspect("recovery_code", &code));
    assert_eq!(
        app.code(
            "restore_backup",
            restore("app_vault", None, false, new_pass)
        ),
        "replace_not_confirmed"
    );
    assert_eq!(
        app.code("restore_backup", restore("app_vault", None, true, new_pass)),
        "current_secret_needed"
    );
    let mut wrong = restore("app_vault", None, true, new_pass);
    wrong["current"] = json!("not the current passphrase");
    assert_eq!(app.code("restore_backup", wrong), "current_secret_wrong");
    app.ok(
        "save_group",
        json!({"group": group_form("Not in the backup")}),
    );
    let mut proven = restore("app_vault", None, true, new_pass);
    proven["current"] = json!(PASSPHRASE);
    let replaced = app.ok("restore_backup", proven);
    let kept = replaced["previous_vault_kept_at"].as_str().unwrap();
    assert!(Path::new(kept).starts_with(tmp.path()), "{kept}");
    assert_eq!(
        files_in(&folder).len(),
        2,
        "locking the old vault backed it up first"
    );
    let status = app.ok("app_status", json!({}));
    assert_eq!(status["unlocked"], false);
    // The page that asked is shown afresh; the fresh one gets the same sheet, again on a
    // reload, until the restored vault is unlocked.
    assert_eq!(status["restored_sheet_waiting"], true);
    for _ in 0..2 {
        let sheet = app.ok("restored_sheet", json!({}));
        assert_eq!(sheet["recovery_code"], replaced["recovery_code"]);
        assert_eq!(
            sheet["previous_vault_kept_at"],
            replaced["previous_vault_kept_at"]
        );
    }
    assert_eq!(
        app.code("unlock", json!({"passphrase": PASSPHRASE})),
        "wrong_passphrase"
    );
    app.ok("unlock", json!({"passphrase": new_pass}));
    assert_eq!(
        app.ok("app_status", json!({}))["restored_sheet_waiting"],
        false
    );
    assert!(
        app.ok("restored_sheet", json!({})).is_null(),
        "shown until unlocked"
    );
    let groups = app.ok("list_groups", json!({}));
    assert_eq!(groups.as_array().unwrap().len(), 1, "{groups}");
    let overview = app.ok("backup_overview", json!({}));
    assert_eq!(
        overview["folder"],
        folder.to_str().unwrap(),
        "the backup folder is kept"
    );
}

/// A backup of a practice with one group, protected by `passphrase`, written into `tmp` by
/// someone else's vault: what a person at the keyboard could bring.
fn foreign_backup(tmp: &Path, passphrase: &str) -> std::path::PathBuf {
    use holdspace::backup::{self, Protection};
    use holdspace::practice::Practice;
    let dir = tmp.join("their-vault");
    let theirs = holdspace::Passphrase::new("their own vault passphrase, long").unwrap();
    let created = holdspace::Vault::create(&dir, &theirs, KdfPolicy::InsecureTest).unwrap();
    let mut practice = Practice::unlock(created.vault).unwrap();
    practice
        .import(holdspace::practice::demo::demo_practice(
            0.01,
            3,
            practice.today(),
        ))
        .unwrap();
    let file = tmp.join("brought.age");
    let protection = holdspace::Passphrase::new(passphrase).unwrap();
    backup::write_backup(
        &mut practice,
        &file,
        Protection::Passphrase(&protection),
        KdfPolicy::InsecureTest,
    )
    .unwrap();
    practice.lock().unwrap();
    file
}

#[test]
fn the_locked_screen_cannot_replace_the_vault_without_its_passphrase_or_recovery_code() {
    let tmp = tempfile::tempdir().unwrap();
    let app = harness_in(tmp.path());
    let code = app.create();
    app.ok(
        "save_group",
        json!({"group": group_form("The practitioner's group")}),
    );
    app.ok("lock", json!({}));

    // Nothing that exports, purges, re-keys or writes a backup answers while locked.
    let any_id = "0b8a3c3e-6a51-4a8e-9f67-2f1c3d4e5a6b";
    let destructive = [
        (
            "export_practice",
            json!({"folder": tmp.path().to_str().unwrap()}),
        ),
        ("purge_member", json!({"id": any_id})),
        ("delete_member", json!({"id": any_id})),
        ("rotate_key", json!({"passphrase": PASSPHRASE})),
        (
            "change_passphrase",
            json!({"current": PASSPHRASE, "passphrase": "violet engine harbour quiet", "confirmation": "violet engine harbour quiet"}),
        ),
        ("back_up_now", json!({})),
        (
            "save_protected_copy",
            json!({"folder": tmp.path().to_str().unwrap(), "passphrase": "violet engine harbour quiet", "confirmation": "violet engine harbour quiet"}),
        ),
        (
            "start_client_mode",
            json!({"member": any_id, "group": any_id}),
        ),
    ];
    for (command, body) in destructive {
        assert_eq!(app.code(command, body), "locked", "{command}");
    }

    // From the unlock screen, with a backup protected by the intruder's own passphrase.
    let theirs = "intruder chose this passphrase";
    let file = foreign_backup(tmp.path(), theirs);
    let inspect =
        json!({"path": file.to_str().unwrap(), "secret_kind": "passphrase", "secret": theirs});
    app.ok("inspect_backup", inspect.clone());
    let new_pass = "harbor quartz willow ember";
    let replace = |current: Option<&str>| {
        json!({"target": "app_vault", "folder": null, "replace_confirmed": true,
               "current": current, "passphrase": new_pass, "confirmation": new_pass})
    };
    for (current, refused) in [
        (None, "current_secret_needed"),
        (Some(""), "current_secret_needed"),
        (Some(theirs), "current_secret_wrong"),
        (
            Some("ABCD-EFGH-JKMN-PQRS-TVWX-YZ23-4567-89AB"),
            "current_secret_wrong",
        ),
    ] {
        assert_eq!(
            app.code("restore_backup", replace(current)),
            refused,
            "{current:?}"
        );
    }
    // Nothing moved: the practitioner's passphrase opens their own practice.
    let vault = tmp.path().join("vault");
    let beside: Vec<String> = files_in(tmp.path())
        .into_iter()
        .filter(|n| n.contains("before-restore") || n.contains("restoring"))
        .collect();
    assert!(beside.is_empty(), "{beside:?}");
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let groups = app.ok("list_groups", json!({}));
    assert_eq!(groups[0]["group"]["name"], "The practitioner's group");
    app.ok("lock", json!({}));

    // Into another folder needs no credential, and the app's vault stays as it is. (Locking
    // forgot the checked backup: it is opened again.)
    app.ok("inspect_backup", inspect.clone());
    let other = tmp.path().join("elsewhere");
    app.ok(
        "restore_backup",
        json!({"target": "other_folder", "folder": other.to_str().unwrap(), "replace_confirmed": false,
               "passphrase": new_pass, "confirmation": new_pass}),
    );
    assert!(holdspace::vault::vault_exists(&other));

    // The practitioner's own recovery code proves it is theirs, from the locked screen too.
    app.ok("inspect_backup", inspect);
    let replaced = app.ok("restore_backup", replace(Some(&code)));
    assert!(replaced["previous_vault_kept_at"].is_string());
    app.ok("unlock", json!({"passphrase": new_pass}));
    assert!(vault.join("vault.hdr").is_file());
}

#[test]
fn without_a_vault_or_with_an_unreadable_header_the_app_folder_needs_no_credential() {
    let tmp = tempfile::tempdir().unwrap();
    let file = foreign_backup(tmp.path(), "the backup's own passphrase");
    let inspect = json!({"path": file.to_str().unwrap(), "secret_kind": "passphrase",
                         "secret": "the backup's own passphrase"});
    let new_pass = "harbor quartz willow ember";
    let into_app = json!({"target": "app_vault", "folder": null, "replace_confirmed": false,
                          "passphrase": new_pass, "confirmation": new_pass});

    // A new computer: no vault yet where the app looks.
    let fresh = Harness::new(&tmp.path().join("new-computer"));
    fresh.ok("inspect_backup", inspect.clone());
    fresh.ok("restore_backup", into_app.clone());
    fresh.ok("unlock", json!({"passphrase": new_pass}));

    // A vault whose header is damaged beyond reading: nothing can open it, nothing can be
    // proven against it; it is set aside, kept, and replaced after confirmation.
    let damaged = tmp.path().join("damaged");
    let app = Harness::new(&damaged);
    app.create();
    app.ok("lock", json!({}));
    std::fs::write(damaged.join("vault.hdr"), b"not a header any more").unwrap();
    app.ok("inspect_backup", inspect);
    let mut confirmed = into_app;
    confirmed["replace_confirmed"] = json!(true);
    let replaced = app.ok("restore_backup", confirmed);
    assert!(replaced["previous_vault_kept_at"].is_string());
}

#[test]
fn an_intact_backup_that_breaks_a_rule_can_be_restored_as_found_with_its_problems_listed() {
    use holdspace::backup::{self, Opener, Protection};
    let tmp = tempfile::tempdir().unwrap();
    let theirs = "the backup's own passphrase";
    let good = foreign_backup(tmp.path(), theirs);
    let pass = holdspace::Passphrase::new(theirs).unwrap();
    let plain =
        backup::seal::open(&std::fs::read(&good).unwrap(), Opener::Passphrase(&pass)).unwrap();
    let mut value: Value = serde_json::from_slice(&plain).unwrap();
    value["practice"]["signatures"][0]["discuss"] = json!([999]);
    let raw = serde_json::to_vec(&value["practice"]).unwrap();
    value["manifest"]["practice_sha256"] = backup::format::sha256_hex(&raw).into();
    let bytes = serde_json::to_vec(&value).unwrap();
    let sealed = backup::seal::seal(
        &bytes,
        Protection::Passphrase(&pass),
        KdfPolicy::InsecureTest,
    )
    .unwrap();
    let older = tmp.path().join("older.age");
    std::fs::write(&older, sealed).unwrap();

    let app = Harness::new(&tmp.path().join("new-computer"));
    let open = |as_found: bool| {
        json!({"path": older.to_str().unwrap(), "secret_kind": "passphrase", "secret": theirs,
               "as_found": as_found})
    };
    assert_eq!(
        app.code("inspect_backup", open(false)),
        "backup_inconsistent"
    );
    let opened = app.ok("inspect_backup", open(true));
    assert_eq!(opened["findings"][0]["field"], "signatures[0].discuss");
    let new_pass = "harbor quartz willow ember";
    app.ok(
        "restore_backup",
        json!({"target": "app_vault", "folder": null, "replace_confirmed": false,
               "passphrase": new_pass, "confirmation": new_pass}),
    );
    app.ok("unlock", json!({"passphrase": new_pass}));
    let audit = app.ok("audit_log", json!({"filter": {}}));
    assert!(audit.to_string().contains("1 problem(s) kept"), "{audit}");
    let folder = tmp.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    app.ok(
        "save_backup_settings",
        backup_settings(folder.to_str().unwrap()),
    );
    assert_eq!(
        app.code("back_up_now", json!({})),
        "backup_would_not_restore",
        "until the problem is put right, no backup that could not be restored is made"
    );
    assert!(files_in(&folder).is_empty());
}

#[test]
fn restore_messages_name_the_real_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let file = foreign_backup(tmp.path(), "the backup's own passphrase");
    let app = Harness::new(&tmp.path().join("vault"));
    let open = |path: &Path| {
        json!({"path": path.to_str().unwrap(), "secret_kind": "passphrase",
               "secret": "the backup's own passphrase"})
    };
    let folder = app.call("inspect_backup", open(tmp.path())).unwrap_err();
    assert_eq!(folder["code"], "not_a_file");
    assert_eq!(folder["field"], "path");
    let fake = tmp.path().join("not-really.age");
    std::fs::write(&fake, b"just some text").unwrap();
    let not_age = app.call("inspect_backup", open(&fake)).unwrap_err();
    assert_eq!(not_age["code"], "not_a_backup");
    assert!(!not_age["message"]
        .as_str()
        .unwrap()
        .contains("ends in .age"));

    app.ok("inspect_backup", open(&file));
    let pass = "harbor quartz willow ember";
    let into_file = json!({"target": "other_folder", "folder": fake.to_str().unwrap(),
                           "replace_confirmed": false, "passphrase": pass, "confirmation": pass});
    let refused = app.call("restore_backup", into_file).unwrap_err();
    assert_eq!(refused["code"], "target_is_a_file");
    assert_eq!(refused["field"], "folder");
    let elsewhere = json!({"target": "other_folder", "folder": tmp.path().join("restored").to_str().unwrap(),
                           "replace_confirmed": false, "passphrase": pass, "confirmation": pass});
    app.ok("restore_backup", elsewhere);
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

// ---- Tamper evidence ----

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn an_older_store_put_back_is_shown_until_acknowledged_and_both_are_audited() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let app = Harness::new(&dir);
    app.create();
    app.ok("lock", json!({}));
    let store = dir.join("store-00000001");
    let older = tmp.path().join("older-store");
    copy_dir(&store, &older);
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    app.ok("save_group", json!({"group": group_form("Skills group")}));
    app.ok("lock", json!({}));
    std::fs::remove_dir_all(&store).unwrap();
    copy_dir(&older, &store);

    // The vault still unlocks; the status carries the verdict, the audit screen too.
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let alert = app.ok("app_status", json!({}))["history_alert"].clone();
    assert_eq!(alert["verified"], false, "{alert}");
    let problems = alert["problems"].as_array().unwrap();
    assert!(
        problems[0]
            .as_str()
            .unwrap()
            .contains("the record store is older than the vault"),
        "{alert}"
    );
    let audit = app.ok("audit_log", json!({"filter": {}}));
    assert_eq!(audit["history"], alert);
    let recorded = app.ok(
        "audit_log",
        json!({"filter": {"action": "history_problem"}}),
    );
    assert_eq!(recorded["total"], 1);

    // Acknowledged: recorded, the banner goes, and the next unlock verifies.
    let verdict = app.ok("accept_history", json!({}));
    assert_eq!(verdict["verified"], true, "{verdict}");
    assert_eq!(
        app.ok("app_status", json!({}))["history_alert"],
        Value::Null
    );
    let accepted = app.ok(
        "audit_log",
        json!({"filter": {"action": "history_accepted"}}),
    );
    assert_eq!(accepted["total"], 1);
    relock(&app);
    assert_eq!(
        app.ok("app_status", json!({}))["history_alert"],
        Value::Null
    );
    assert_eq!(
        app.ok("audit_log", json!({"filter": {}}))["history"]["verified"],
        true
    );

    // Only the unlocked practitioner may accept.
    app.ok("lock", json!({}));
    assert_eq!(app.code("accept_history", json!({})), "locked");
}

#[test]
fn a_backup_this_practice_did_not_sign_is_restored_only_on_the_practitioners_word() {
    use holdspace::backup::{self, Protection};
    use holdspace::practice::Practice;
    let tmp = tempfile::tempdir().unwrap();
    // A practice whose public backup key someone knows: they encrypt a practice of their own
    // making to it, unsigned.
    let dir = tmp.path().join("their-vault");
    let theirs = holdspace::Passphrase::new("their own vault passphrase, long").unwrap();
    let created = holdspace::Vault::create(&dir, &theirs, KdfPolicy::InsecureTest).unwrap();
    let code = created.recovery_code.display_grouped().to_string();
    let mut practice = Practice::unlock(created.vault).unwrap();
    backup::store_backup_key(&mut practice, &created.recovery_code).unwrap();
    practice
        .import(holdspace::practice::demo::demo_practice(
            0.01,
            3,
            practice.today(),
        ))
        .unwrap();
    let recipient = backup::stored_recipient(&practice).unwrap();
    let signed = tmp.path().join("signed.age");
    backup::write_backup(
        &mut practice,
        &signed,
        Protection::BackupKey(&recipient),
        KdfPolicy::InsecureTest,
    )
    .unwrap();
    let file = practice.export().unwrap();
    let (plain, _) = backup::format::encode(&file, practice.now(), None).unwrap();
    let sealed = backup::seal::seal(
        &plain,
        Protection::BackupKey(&recipient),
        KdfPolicy::InsecureTest,
    )
    .unwrap();
    let forged = tmp.path().join("forged.age");
    std::fs::write(&forged, sealed).unwrap();
    practice.lock().unwrap();

    let app = Harness::new(&tmp.path().join("new-computer"));
    let inspect = |path: &Path| {
        app.ok(
            "inspect_backup",
            json!({"path": path.to_str().unwrap(), "secret_kind": "recovery_code", "secret": code}),
        )
    };
    let opened = inspect(&signed);
    assert_eq!(opened["authenticity"], "made_by_this_practice");
    assert_eq!(opened["needs_vouching"], false);
    let opened = inspect(&forged);
    assert_eq!(opened["authenticity"], "unsigned");
    assert_eq!(opened["needs_vouching"], true);
    let new_pass = "harbor quartz willow ember";
    let mut restore = json!({"target": "app_vault", "folder": null, "replace_confirmed": false,
                             "passphrase": new_pass, "confirmation": new_pass});
    assert_eq!(
        app.code("restore_backup", restore.clone()),
        "backup_not_signed"
    );
    assert!(!tmp.path().join("new-computer").join("vault.hdr").exists());
    // The checked backup is kept, so the practitioner need only say so.
    restore["allow_unsigned"] = json!(true);
    app.ok("restore_backup", restore);
    app.ok("unlock", json!({"passphrase": new_pass}));
}

#[test]
fn a_new_recovery_code_needs_the_passphrase_and_retires_the_old_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    let app = Harness::new(&dir);
    let old = app.create();
    assert_eq!(
        app.code(
            "new_recovery_code",
            json!({"passphrase": "not my passphrase"})
        ),
        "wrong_passphrase"
    );
    let sheet = app.ok("new_recovery_code", json!({"passphrase": PASSPHRASE}));
    let new = sheet["recovery_code"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert!(sheet["backup_identity"]
        .as_str()
        .unwrap()
        .starts_with("AGE-SECRET-KEY-1"));
    let audit = app.ok(
        "audit_log",
        json!({"filter": {"action": "recovery_code_replaced"}}),
    );
    assert!(audit.to_string().contains("a new recovery code was made"));
    app.ok("lock", json!({}));
    assert_eq!(
        app.code("new_recovery_code", json!({"passphrase": PASSPHRASE})),
        "locked"
    );
    let new_pass = "violet engine harbour quiet";
    let recover = |code: &str| {
        app.call(
            "recover",
            json!({"code": code, "passphrase": new_pass, "confirmation": new_pass}),
        )
    };
    assert_eq!(recover(&old).unwrap_err()["code"], "wrong_recovery_code");
    recover(&new).unwrap();
}

#[test]
fn a_vault_without_a_signing_key_gets_one_from_its_recovery_code_in_the_app() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("vault");
    // Made by the core alone, as vaults were before backups: no backup key, nothing signed.
    let passphrase = holdspace::Passphrase::new(PASSPHRASE).unwrap();
    let created = holdspace::Vault::create(&dir, &passphrase, KdfPolicy::InsecureTest).unwrap();
    let code = created.recovery_code.display_grouped().to_string();
    created.vault.lock().unwrap();
    let app = Harness::new(&dir);
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let overview = app.ok("backup_overview", json!({}));
    assert_eq!(
        (&overview["has_backup_key"], &overview["signs_backups"]),
        (&json!(false), &json!(false))
    );
    let other = holdspace::RecoveryCode::generate().unwrap();
    assert_eq!(
        app.code(
            "store_backup_key",
            json!({"code": other.display_grouped().as_str()})
        ),
        "wrong_recovery_code"
    );
    assert_eq!(
        app.code("store_backup_key", json!({"code": "not a code"})),
        "malformed_recovery_code"
    );
    let overview = app.ok("store_backup_key", json!({"code": code}));
    assert_eq!(
        (&overview["has_backup_key"], &overview["signs_backups"]),
        (&json!(true), &json!(true))
    );
}

#[test]
fn unsaved_changes_held_by_a_page_come_back_as_a_draft_after_lock_and_unlock() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    assert_eq!(
        app.code(
            "hold_unsaved",
            json!({"place": "/members/new", "title": "New member", "fields": {"legal_name": "x"}})
        ),
        "locked"
    );
    app.create();
    let note = "Çağrı talked about her mother — 你好 🌿";
    app.ok(
        "hold_unsaved",
        json!({"place": "/sessions/s1", "title": "Session 4", "fields": {"group_note": note}}),
    );
    assert_eq!(
        app.code(
            "hold_unsaved",
            json!({"place": "no-slash", "title": "Session 4", "fields": {"a": "b"}})
        ),
        "invalid"
    );
    app.ok("lock", json!({}));
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let status = app.ok("app_status", json!({}));
    assert_eq!(status["drafts"][0]["place"], json!("/sessions/s1"));
    assert_eq!(status["drafts"][0]["title"], json!("Session 4"));
    assert!(
        !status.to_string().contains("mother"),
        "the status names the page, never what was typed"
    );
    let draft = app.ok("draft", json!({"place": "/sessions/s1"}));
    assert_eq!(draft["fields"]["group_note"], json!(note));
    assert_eq!(app.ok("draft", json!({"place": "/nowhere"})), Value::Null);
    app.ok(
        "settle_draft",
        json!({"place": "/sessions/s1", "saved": true}),
    );
    assert_eq!(app.ok("app_status", json!({}))["drafts"], json!([]));
    assert_eq!(
        app.code(
            "settle_draft",
            json!({"place": "/sessions/s1", "saved": false})
        ),
        "not_found"
    );
}

#[test]
fn closing_asks_the_page_once_while_it_holds_unsaved_changes_then_closes() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    app.create();
    let session = app.session();
    assert!(
        !session.should_ask_before_close(),
        "nothing unsaved: close at once"
    );
    app.ok(
        "hold_unsaved",
        json!({"place": "/members/new", "title": "New member", "fields": {"legal_name": "Ada"}}),
    );
    assert!(
        session.should_ask_before_close(),
        "unsaved: the page is asked"
    );
    assert!(
        !session.should_ask_before_close(),
        "closing again soon after closes, and the lock keeps the changes as a draft"
    );
    assert!(session.needs_lock_before_close());
}

#[test]
fn what_a_client_acknowledged_survives_a_lock_and_the_next_visit_starts_there() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let (group, member) = group_with_member(&app);
    let visit = json!({"member": member, "group": group});
    app.ok("start_client_mode", visit.clone());
    app.ok(
        "client_acknowledge",
        json!({"clause": 0, "understood": true}),
    );
    app.ok("client_mark", json!({"clause": 1, "discuss": true}));
    // The idle lock, or the Lock shortcut pressed by the practitioner: the visit ends.
    app.session().lock().expect("locked");
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let status = app.ok("app_status", json!({}));
    let place = status["drafts"][0]["place"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(place.starts_with("/client/"), "{status}");
    assert_eq!(
        status["drafts"][0]["title"],
        json!("Ada Lovelace's reading in client mode")
    );
    app.ok("start_client_mode", visit);
    let view = app.ok("client_view", json!({}));
    assert_eq!(view["acknowledged"][0], json!(true));
    assert_eq!(view["acknowledged"][1], json!(false));
    assert_eq!(view["discuss"][1], json!(true));
    app.ok("leave_client_mode", json!({"passphrase": PASSPHRASE}));
    assert_eq!(
        app.ok("app_status", json!({}))["drafts"],
        json!([]),
        "taken up again, the draft is settled"
    );
}

#[test]
fn a_paper_phq9_with_item_9_flags_home_and_the_member_page_until_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let (group, member) = group_with_member(&app);
    let definitions = app.ok("measure_definitions", json!({}));
    let names: Vec<&str> = definitions
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["GAD-7", "PHQ-9"]);
    let today = app.ok("home", json!({}))["today"].clone();
    let mut form = json!({
        "member": member, "group": group, "measure": "phq-9", "taken_on": today,
        "items": [1, 1, 1, 1, null, 1, 1, 0, 1], "follow_up": 1
    });
    let saved = app.ok("record_paper_questionnaire", json!({"form": form}));
    assert_eq!(
        saved["score"]["total"],
        json!({"kind": "prorated", "total": 8, "answered": 8})
    );
    assert_eq!(saved["administration"]["answered_by"], json!("paper"));

    let alerts = app.ok("home", json!({}))["safety_alerts"].clone();
    assert_eq!(alerts.as_array().unwrap().len(), 1);
    assert_eq!(alerts[0]["display_name"], json!("Ada Lovelace"));
    assert_eq!(alerts[0]["answer"], json!("Several days"));
    let page = app.ok("member_page", json!({"id": member}));
    assert_eq!(page["safety_alerts"], alerts);
    let series = &page["measures"][0];
    assert_eq!(series["name"], json!("PHQ-9"));
    assert_eq!(series["highest"], json!(27));
    assert_eq!(series["points"][0]["total"], json!(8));
    assert_eq!(series["points"][0]["prorated"], json!(true));
    assert_eq!(series["points"][0]["unanswered"], json!([5]));

    // A question answered outside its options, or a day to come, is refused by field.
    form["items"][0] = json!(7);
    let refused = app
        .call("record_paper_questionnaire", json!({"form": form}))
        .unwrap_err();
    assert_eq!(refused["field"], json!("answers"));
    form["items"][0] = json!(1);
    form["taken_on"] = json!("2099-01-01");
    let refused = app
        .call("record_paper_questionnaire", json!({"form": form}))
        .unwrap_err();
    assert_eq!(refused["field"], json!("taken_on"));

    // The group's page: per day, the median and the count per band.
    let measures = app.ok("group_page", json!({"id": group}))["measures"].clone();
    assert_eq!(measures[0]["name"], json!("PHQ-9"));
    assert_eq!(measures[0]["occasions"][0]["median"], json!(8.0));
    assert_eq!(
        measures[0]["occasions"][0]["per_band"],
        json!([0, 1, 0, 0, 0])
    );
    // A plan on the group: the GAD-7 is due for a start, the PHQ-9 was answered today.
    let mut form = app.ok("group_page", json!({"id": group}))["summary"]["group"].clone();
    form["measures"] = json!({"measures": ["phq-9", "gad-7"], "cadence": {"kind": "every_sessions", "sessions": 4}});
    app.ok("save_group", json!({"group": form}));
    assert_eq!(
        app.ok("group_page", json!({"id": group}))["plan_names"],
        json!(["PHQ-9", "GAD-7"])
    );
    let due = app.ok("home", json!({}))["measures_due"].clone();
    assert_eq!(due.as_array().unwrap().len(), 1, "{due}");
    assert_eq!(due[0]["measure_name"], json!("GAD-7"));
    assert_eq!(due[0]["reason"], json!({"kind": "starting"}));
    // Before recording that they leave: the GAD-7 was never asked for this group.
    let roster = app.ok("group_page", json!({"id": group}))["roster"].clone();
    let place = roster[0]["membership"]["id"].clone();
    assert_eq!(
        app.ok("unanswered_before_leaving", json!({"membership": place})),
        json!([{"measure": "gad-7", "measure_name": "GAD-7", "last_answered": null}])
    );

    let administration = alerts[0]["administration"].clone();
    app.ok(
        "review_safety_flag",
        json!({"administration": administration}),
    );
    assert_eq!(
        app.code(
            "review_safety_flag",
            json!({"administration": administration})
        ),
        "invalid"
    );
    assert_eq!(app.ok("home", json!({}))["safety_alerts"], json!([]));
    let page = app.ok("member_page", json!({"id": member}));
    assert_eq!(
        page["measures"][0]["points"][0]["safety_reviewed"],
        json!(true)
    );

    app.ok(
        "delete_questionnaire",
        json!({"administration": administration}),
    );
    assert_eq!(
        app.ok("member_page", json!({"id": member}))["measures"],
        json!([])
    );
    let log = app.ok("audit_log", json!({"filter": {}}));
    let text = log.to_string();
    assert!(text.contains("PHQ-9 question 9 needs review"), "{text}");
    assert!(
        !text.contains("Several days"),
        "the audit names the question, never the answer"
    );
}

#[test]
fn a_client_answers_a_phq9_and_the_practitioner_is_taken_to_its_safety_question() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let (group, member) = group_with_member(&app);
    // Nothing to do, or a questionnaire Holdspace does not know, is refused before it starts.
    for (plan, field) in [
        (json!({"agreement": false, "measures": []}), "plan"),
        (
            json!({"agreement": false, "measures": ["phq-10"]}),
            "measures[0]",
        ),
        (
            json!({"agreement": false, "measures": ["phq-9", "phq-9"]}),
            "measures[1]",
        ),
    ] {
        let refused = app
            .call(
                "start_client_mode",
                json!({"member": member, "group": group, "plan": plan}),
            )
            .unwrap_err();
        assert_eq!(refused["field"], json!(field), "{refused}");
    }
    assert!(!app.ok("app_status", json!({}))["client_mode"]
        .as_bool()
        .unwrap_or(false));
    app.ok(
        "start_client_mode",
        json!({"member": member, "group": group, "plan": {"agreement": false, "measures": ["phq-9", "gad-7"]}}),
    );
    let view = app.ok("client_view", json!({}));
    assert_eq!(view["has_agreement"], json!(false));
    assert_eq!(view["questionnaires"][0]["name"], json!("PHQ-9"));
    assert_eq!(
        view["questionnaires"][0]["items"].as_array().unwrap().len(),
        9
    );
    assert_eq!(
        app.code("client_sign", json!({"typed_name": "Ada Lovelace"})),
        "invalid"
    );

    for question in 0..9 {
        let answer = if question == 8 { 2 } else { 1 };
        app.ok(
            "client_answer",
            json!({"questionnaire": 0, "question": question, "answer": answer}),
        );
    }
    // An answer outside the options, or past the last question, is refused.
    assert_eq!(
        app.code(
            "client_answer",
            json!({"questionnaire": 0, "question": 0, "answer": 4})
        ),
        "invalid"
    );
    assert_eq!(
        app.code(
            "client_answer",
            json!({"questionnaire": 0, "question": 10, "answer": 0})
        ),
        "invalid"
    );
    app.ok(
        "client_answer",
        json!({"questionnaire": 0, "question": 9, "answer": 2}),
    );
    assert_eq!(
        app.ok("client_view", json!({}))["questionnaires"][0]["follow_up_asked"],
        json!(true)
    );
    app.ok("client_finish_questionnaire", json!({"questionnaire": 0}));
    assert_eq!(
        app.code(
            "client_answer",
            json!({"questionnaire": 0, "question": 0, "answer": 0})
        ),
        "invalid"
    );
    // The GAD-7 with every question skipped is saved as skipped: no total, no flag.
    app.ok("client_finish_questionnaire", json!({"questionnaire": 1}));

    // The client is shown no score, band or flag, and no other record.
    let view = app.ok("client_view", json!({}));
    assert_eq!(view["questionnaires"][0]["done"], json!(true));
    let text = view.to_string();
    for hidden in ["\"total\"", "\"band\"", "safety", "Moderate", "\"score\""] {
        assert!(!text.contains(hidden), "client mode shows {hidden}: {text}");
    }
    // The practitioner's commands stay closed.
    assert_eq!(app.code("home", json!({})), "client_mode");

    app.ok("leave_client_mode", json!({"passphrase": PASSPHRASE}));
    let ended = app.ok("app_status", json!({}))["client_visit_ended"].clone();
    assert_eq!(ended["questionnaires"], json!(["PHQ-9", "GAD-7"]));
    assert_eq!(ended["safety_review"], json!(true));
    let home = app.ok("home", json!({}));
    assert_eq!(
        home["safety_alerts"][0]["answer"],
        json!("More than half the days")
    );
    assert_eq!(home["safety_alerts"][0]["answered_by"], json!("client"));
    let page = app.ok("member_page", json!({"id": member}));
    let totals: Vec<Value> = page["measures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["points"][0]["total"].clone())
        .collect();
    assert_eq!(
        totals,
        [Value::Null, json!(10)],
        "GAD-7 skipped: no total; PHQ-9: 8 + 2"
    );
    let log = app.ok("audit_log", json!({"filter": {}})).to_string();
    assert!(
        log.contains("PHQ-9, GAD-7"),
        "the visit's start names what it held: {log}"
    );
}

#[test]
fn a_questionnaires_answers_survive_a_lock_and_the_next_visit_starts_there() {
    let dir = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let (group, member) = group_with_member(&app);
    let visit = json!({"member": member, "group": group, "plan": {"agreement": false, "measures": ["gad-7"]}});
    app.ok("start_client_mode", visit.clone());
    app.ok(
        "client_answer",
        json!({"questionnaire": 0, "question": 0, "answer": 2}),
    );
    app.ok(
        "client_answer",
        json!({"questionnaire": 0, "question": 3, "answer": 1}),
    );
    app.ok(
        "client_answer",
        json!({"questionnaire": 0, "question": 7, "answer": 1}),
    );
    app.session().lock().expect("locked");
    app.ok("unlock", json!({"passphrase": PASSPHRASE}));
    let status = app.ok("app_status", json!({}));
    assert_eq!(
        status["drafts"][0]["title"],
        json!("Ada Lovelace's GAD-7 answers in client mode")
    );
    app.ok("start_client_mode", visit);
    let q = app.ok("client_view", json!({}))["questionnaires"][0].clone();
    assert_eq!(q["answers"], json!([2, null, null, 1, null, null, null]));
    assert_eq!(q["follow_up_answer"], json!(1));
    app.ok("leave_client_mode", json!({"passphrase": PASSPHRASE}));
    assert_eq!(app.ok("app_status", json!({}))["drafts"], json!([]));
}

#[test]
fn a_members_own_record_is_saved_once_owner_only_and_printing_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let app = Harness::new(dir.path());
    let (_group, member) = group_with_member(&app);
    let preview = app.ok("member_record_preview", json!({"member": member}));
    assert_eq!(preview["format"], json!("holdspace-member-record"));
    let before = app.ok("audit_log", json!({"filter": {}})).to_string();
    assert!(
        !before.contains("member record"),
        "a preview is not an export"
    );

    let saved = app.ok(
        "save_member_record",
        json!({"member": member, "folder": out.path()}),
    );
    let path = std::path::PathBuf::from(saved["path"].as_str().unwrap());
    assert!(path.starts_with(out.path()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let printed = app.ok("member_record_printed", json!({"member": member}));
    assert_eq!(printed["member"]["legal_name"], json!("Ada Lovelace"));
    let log = app.ok("audit_log", json!({"filter": {}})).to_string();
    assert!(log.contains("member record, saved as JSON"), "{log}");
    assert!(log.contains("member record, printed"), "{log}");
    let page = app.ok("audit_log", json!({"filter": {}}));
    let details: Vec<&str> = page["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap_or_default())
        .collect();
    assert!(
        details.iter().all(|d| !d.contains("Ada")),
        "the trail's details name no one (the log screen shows the current name beside it)"
    );
    let stranger = "00000000-0000-4000-8000-000000000000";
    assert_eq!(
        app.code(
            "save_member_record",
            json!({"member": stranger, "folder": out.path()})
        ),
        "not_found"
    );
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 1);
}
