//! The member record as one self-contained, print-ready HTML page.
//!
//! Policy: record text reaches the page **only** through [`escape`] (`& < > " '`), inside
//! element content — never in an attribute, a `<style>` block or a URL. Markup, class names
//! and the stylesheet are fixed strings in this file. The page has no script, no external
//! resource (fonts, images, links), no inline event handler, and a Content Security Policy
//! that forbids all of them should anything slip through. Print style: black on white, the
//! practice at the top, page numbers where the browser supports them, headings kept with what
//! follows, and each clause, signature block, note and table row kept whole on a page.

use time::macros::format_description;
use time::{Date, OffsetDateTime};

use super::{
    AttendanceEntry, IncidentEntry, MemberProfile, MemberRecord, MembershipEntry,
    ProgressNoteEntry, QuestionnaireEntry, SignedAgreement, SignedText,
};
use crate::practice::model::{
    AnsweredBy, Attendance, GroupKind, IncidentKind, MembershipStatus, SignatureMethod,
};

/// HTML-escapes text for element content or a quoted attribute: `& < > " '`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The whole record as a complete HTML document (UTF-8).
pub fn render_html(record: &MemberRecord) -> String {
    let mut page = Page::default();
    page.head(record);
    page.practice_heading(record);
    page.raw("<main>\n");
    page.introduction(record);
    page.profile(&record.member);
    page.memberships(&record.memberships);
    page.signatures(&record.signatures);
    page.attendance(&record.attendance);
    page.progress_notes(&record.progress_notes);
    page.incidents(&record.incidents);
    page.questionnaires(&record.questionnaires);
    page.raw("</main>\n");
    page.footer(record);
    page.raw("</body>\n</html>\n");
    page.out
}

/// The page being written. `raw` takes fixed markup only; record text goes through `text`.
#[derive(Default)]
struct Page {
    out: String,
}

impl Page {
    /// Appends fixed markup from this file (never record text).
    fn raw(&mut self, markup: &'static str) {
        self.out.push_str(markup);
    }

    /// Appends record text, escaped.
    fn text(&mut self, text: &str) {
        self.out.push_str(&escape(text));
    }

    /// `<tag class="…">text</tag>` with fixed tag and class; empty class means none.
    fn element(&mut self, tag: &'static str, class: &'static str, text: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        if !class.is_empty() {
            self.out.push_str(" class=\"");
            self.out.push_str(class);
            self.out.push('"');
        }
        self.out.push('>');
        self.text(text);
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push_str(">\n");
    }

    /// A section heading.
    fn h2(&mut self, title: &'static str) {
        self.element("h2", "", title);
    }

    /// A term and its value in a `<dl>`; an empty value shows as a dash.
    fn field(&mut self, term: &'static str, value: &str) {
        self.element("dt", "", term);
        self.element("dd", "text", or_dash(value));
    }

    fn head(&mut self, record: &MemberRecord) {
        self.raw(concat!(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ",
            "style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
            "<meta name=\"referrer\" content=\"no-referrer\">\n",
        ));
        let title = format!(
            "Record of {} — {}",
            record.member.legal_name, record.practice.practice_name
        );
        self.element("title", "", title.trim_end_matches([' ', '—']));
        self.raw("<style>\n");
        self.raw(STYLE);
        self.raw("</style>\n</head>\n<body>\n");
    }

    fn practice_heading(&mut self, record: &MemberRecord) {
        let p = &record.practice;
        self.raw("<header class=\"practice\">\n");
        self.element("p", "practice-name", &p.practice_name);
        let practitioner = [p.practitioner_name.as_str(), p.credentials.as_str()]
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        if !practitioner.is_empty() {
            self.element("p", "practitioner", &practitioner);
        }
        if !p.contact_line.trim().is_empty() {
            self.element("p", "contact", &p.contact_line);
        }
        self.raw("</header>\n");
    }

    fn introduction(&mut self, record: &MemberRecord) {
        let name = &record.member.legal_name;
        self.element("h1", "", &format!("Record of {name}"));
        let produced = format!("Produced on {}.", long_date(record.produced_on));
        self.element("p", "produced", &produced);
        self.element("p", "notice", record.notice);
    }

    fn profile(&mut self, m: &MemberProfile) {
        self.raw("<section class=\"profile\">\n");
        self.h2("Profile");
        self.raw("<dl>\n");
        self.field("Legal name", &m.legal_name);
        self.field("Preferred name", &m.preferred_name);
        self.field("Pronouns", &m.pronouns);
        let born = m.date_of_birth.map(long_date).unwrap_or_default();
        self.field("Date of birth", &born);
        self.field("Phone", &m.phone);
        self.field("Email", &m.email);
        self.field("Emergency contact", &m.emergency_contact);
        self.field("Individual therapist", &m.individual_therapist);
        self.field("Referred by", &m.referral_source);
        self.field("Screening and intake notes", &m.intake_notes);
        self.field("Goals", &m.goals);
        let archived = if m.archived { "Yes" } else { "No" };
        self.field("Archived", archived);
        self.raw("</dl>\n</section>\n");
    }

    fn memberships(&mut self, entries: &[MembershipEntry]) {
        self.raw("<section class=\"memberships\">\n");
        self.h2("Groups");
        if entries.is_empty() {
            self.element("p", "empty", "Not a member of any group.");
        } else {
            self.raw(concat!(
                "<table>\n<thead><tr><th scope=\"col\">Group</th><th scope=\"col\">Kind</th>",
                "<th scope=\"col\">Status</th><th scope=\"col\">Joined</th>",
                "<th scope=\"col\">Left</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n",
            ));
            for e in entries {
                self.membership_row(e);
            }
            self.raw("</tbody>\n</table>\n");
        }
        self.raw("</section>\n");
    }

    fn membership_row(&mut self, e: &MembershipEntry) {
        self.raw("<tr>");
        self.element("td", "", &e.group);
        self.element("td", "", e.group_kind.map_or("—", kind_label));
        self.element("td", "", status_label(e.status));
        self.element("td", "", &e.joined.map(short_date).unwrap_or_default());
        self.element("td", "", &e.left.map(short_date).unwrap_or_default());
        self.element("td", "text", &e.reason);
        self.raw("</tr>\n");
    }

    fn signatures(&mut self, entries: &[SignedAgreement]) {
        self.raw("<section class=\"signatures\">\n");
        self.h2("Signed agreements");
        if entries.is_empty() {
            self.element("p", "empty", "No agreement has been signed.");
        }
        for s in entries {
            self.signature(s);
        }
        self.raw("</section>\n");
    }

    fn signature(&mut self, s: &SignedAgreement) {
        self.raw("<article class=\"agreement\">\n");
        let title = s.text.as_ref().map_or("Agreement", |t| t.title.as_str());
        self.element("h3", "", title);
        let about = format!(
            "{} — version {}{}",
            s.group,
            s.version_number,
            s.effective_date
                .map(|d| format!(", in effect from {}", long_date(d)))
                .unwrap_or_default()
        );
        self.element("p", "meta", &about);
        match &s.text {
            Some(text) => self.signed_text(text),
            None => self.element(
                "p",
                "warning",
                "The text of this version could not be read from the vault.",
            ),
        }
        self.signed_by(s);
        self.raw("</article>\n");
    }

    fn signed_text(&mut self, text: &SignedText) {
        self.element("p", "text introduction", &text.introduction);
        self.raw("<ol class=\"clauses\">\n");
        for c in &text.clauses {
            self.raw("<li class=\"clause\">\n");
            self.element("h4", "", &c.heading);
            self.element("p", "text", &c.text);
            let answer = match (c.acknowledged, c.discuss) {
                (true, true) => "Understood — asked to talk about this clause.",
                (true, false) => "Understood.",
                (false, true) => "Not marked as understood — asked to talk about this clause.",
                (false, false) => "Not marked as understood.",
            };
            self.element("p", "answer", answer);
            if let Some(at) = c.talked_about {
                let talked = format!("Talked about together on {}.", moment(at));
                self.element("p", "answer", &talked);
            }
            self.raw("</li>\n");
        }
        self.raw("</ol>\n");
    }

    fn signed_by(&mut self, s: &SignedAgreement) {
        self.raw("<dl class=\"signed-by\">\n");
        self.field("Signed as", &s.typed_name);
        self.field("Signed on", &moment(s.signed_at));
        self.field("How", method_label(s.method));
        self.field("Content hash (SHA-256)", &s.content_hash);
        let check = if s.text_matches_hash {
            "The text above matches this hash."
        } else {
            "The text above could not be matched to this hash."
        };
        self.field("Check", check);
        if let Some(w) = &s.withdrawal {
            self.field("Withdrawn on", &moment(w.at));
            self.field("Reason for withdrawal", &w.reason);
        }
        self.raw("</dl>\n");
    }

    fn attendance(&mut self, entries: &[AttendanceEntry]) {
        self.raw("<section class=\"attendance\">\n");
        self.h2("Attendance");
        if entries.is_empty() {
            self.element("p", "empty", "No attendance recorded.");
        } else {
            self.raw(concat!(
                "<table>\n<thead><tr><th scope=\"col\">Date</th><th scope=\"col\">Group</th>",
                "<th scope=\"col\">Session</th><th scope=\"col\">Topic</th>",
                "<th scope=\"col\">Attendance</th></tr></thead>\n<tbody>\n",
            ));
            for e in entries {
                self.raw("<tr>");
                self.element("td", "nowrap", &short_date(e.date));
                self.element("td", "", &e.group);
                self.element("td", "", &e.session_number.to_string());
                self.element("td", "text", &e.topic);
                self.element("td", "", attendance_label(e.status));
                self.raw("</tr>\n");
            }
            self.raw("</tbody>\n</table>\n");
        }
        self.raw("</section>\n");
    }

    fn progress_notes(&mut self, entries: &[ProgressNoteEntry]) {
        self.raw("<section class=\"notes\">\n");
        self.h2("Progress notes");
        if entries.is_empty() {
            self.element("p", "empty", "No progress notes.");
        }
        for n in entries {
            self.raw("<article class=\"note\">\n");
            let date = n.session_date.map(long_date).unwrap_or_default();
            let session = n
                .session_number
                .map(|s| format!(", session {s}"))
                .unwrap_or_default();
            let heading = format!("{date} — {}{session}", n.group);
            self.element("h3", "", heading.trim_start_matches([' ', '—']));
            self.element("p", "text", &n.text);
            self.raw("</article>\n");
        }
        self.raw("</section>\n");
    }

    fn incidents(&mut self, entries: &[IncidentEntry]) {
        self.raw("<section class=\"incidents\">\n");
        self.h2("Incidents");
        if entries.is_empty() {
            self.element("p", "empty", "No incidents involve this member.");
        }
        for i in entries {
            self.incident(i);
        }
        self.raw("</section>\n");
    }

    fn incident(&mut self, i: &IncidentEntry) {
        self.raw("<article class=\"incident\">\n");
        let heading = format!("{} — {}", long_date(i.date), incident_label(i.kind));
        self.element("h3", "", &heading);
        self.raw("<dl>\n");
        let session = i.session_number.map(|s| format!(", session {s}"));
        self.field(
            "Group",
            &format!("{}{}", i.group, session.unwrap_or_default()),
        );
        self.field("Others involved", &i.others_involved.join(", "));
        self.field("What happened", &i.what_happened);
        self.field("Action taken", &i.action_taken);
        let resolved = i
            .resolved_on
            .map_or_else(|| "Not yet".to_owned(), long_date);
        self.field("Resolved", &resolved);
        self.raw("</dl>\n</article>\n");
    }

    fn questionnaires(&mut self, entries: &[QuestionnaireEntry]) {
        self.raw("<section class=\"questionnaires\">\n");
        self.h2("Questionnaires");
        if entries.is_empty() {
            self.element("p", "empty", "No questionnaires answered.");
        }
        for q in entries {
            self.questionnaire(q);
        }
        self.raw("</section>\n");
    }

    fn questionnaire(&mut self, q: &QuestionnaireEntry) {
        self.raw("<article class=\"questionnaire\">\n");
        self.element(
            "h3",
            "",
            &format!("{} — {}", long_date(q.taken_on), q.title),
        );
        self.raw("<dl>\n");
        self.field("Group", q.group.as_deref().unwrap_or("—"));
        let how = match q.answered_by {
            AnsweredBy::Client => "On this computer",
            AnsweredBy::Paper => "On paper",
        };
        self.field("Answered", how);
        let total = match (q.total, &q.band) {
            (Some(total), Some(band)) if q.prorated => {
                format!("{total} ({band}; some questions unanswered, so estimated from the rest)")
            }
            (Some(total), Some(band)) => format!("{total} ({band})"),
            (Some(total), None) => total.to_string(),
            (None, _) => "No total: too many questions were left unanswered".to_owned(),
        };
        self.field("Score", &total);
        self.raw("</dl>\n<table>\n<thead><tr><th scope=\"col\">Question</th><th scope=\"col\">Answer</th></tr></thead>\n<tbody>\n");
        for a in &q.answers {
            self.raw("<tr>");
            self.element("td", "text", &a.question);
            self.element("td", "", a.answer.as_deref().unwrap_or("Not answered"));
            self.raw("</tr>\n");
        }
        self.raw("</tbody>\n</table>\n");
        self.element("p", "meta", &q.citation);
        self.raw("</article>\n");
    }

    fn footer(&mut self, record: &MemberRecord) {
        let line = format!(
            "Produced on {} by {} for {}. This record is confidential.",
            long_date(record.produced_on),
            or_dash(&record.practice.practice_name),
            record.member.legal_name
        );
        self.raw("<footer>\n");
        self.element("p", "", &line);
        self.raw("</footer>\n");
    }
}

fn or_dash(value: &str) -> &str {
    if value.trim().is_empty() {
        "—"
    } else {
        value
    }
}

/// "26 November 2026".
fn long_date(date: Date) -> String {
    date.format(format_description!(
        "[day padding:none] [month repr:long] [year]"
    ))
    .unwrap_or_else(|_| date.to_string())
}

/// "2026-11-26" (tables).
fn short_date(date: Date) -> String {
    date.to_string()
}

/// "26 November 2026, 10:00 UTC" or "…, 10:00 UTC+01:00".
fn moment(at: OffsetDateTime) -> String {
    let time = at
        .format(format_description!("[hour]:[minute]"))
        .unwrap_or_default();
    let offset = at.offset();
    let zone = if offset.is_utc() {
        "UTC".to_owned()
    } else {
        let (h, m, _) = offset.as_hms();
        format!("UTC{h:+03}:{:02}", m.unsigned_abs())
    };
    format!("{}, {time} {zone}", long_date(at.date()))
}

fn kind_label(kind: GroupKind) -> &'static str {
    match kind {
        GroupKind::Process => "Process group",
        GroupKind::Psychoeducational => "Psychoeducational group",
        GroupKind::Skills => "Skills group",
        GroupKind::Support => "Support group",
    }
}

fn status_label(status: MembershipStatus) -> &'static str {
    match status {
        MembershipStatus::Waitlisted => "Waitlisted",
        MembershipStatus::Screened => "Screened",
        MembershipStatus::Active => "Active",
        MembershipStatus::Completed => "Completed",
        MembershipStatus::Withdrawn => "Withdrawn",
    }
}

fn method_label(method: SignatureMethod) -> &'static str {
    match method {
        SignatureMethod::ClientMode => "Signed on the practice's computer",
        SignatureMethod::PaperCopy => "Signed on paper (copy on file)",
    }
}

fn attendance_label(status: Attendance) -> &'static str {
    match status {
        Attendance::Present => "Present",
        Attendance::Late => "Late",
        Attendance::Excused => "Excused",
        Attendance::Absent => "Absent",
    }
}

fn incident_label(kind: IncidentKind) -> &'static str {
    match kind {
        IncidentKind::ConfidentialityBreach => "Confidentiality breach",
        IncidentKind::Harassment => "Harassment",
        IncidentKind::Discrimination => "Discrimination",
        IncidentKind::SafetyRisk => "Safety or risk",
        IncidentKind::Other => "Other concern",
    }
}

/// The stylesheet: calm on screen (light and dark), black on white in print.
const STYLE: &str = r#":root {
  color-scheme: light dark;
  --bg: #f5f4f0; --paper: #ffffff; --ink: #1d262b; --muted: #4d5a61;
  --accent: #2c6a6e; --line: #d8dbd5;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #15191b; --paper: #1d2326; --ink: #e5e8e7; --muted: #a8b2b6;
          --accent: #82babc; --line: #35403f; }
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body {
  margin: 0 auto; max-width: 52rem; padding: 32px 24px 48px;
  background: var(--paper); color: var(--ink);
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
}
header.practice { border-bottom: 2px solid var(--accent); padding-bottom: 12px; margin-bottom: 24px; }
header.practice p { margin: 0; }
.practice-name { font-size: 20px; font-weight: 600; }
.practitioner, .contact, .produced, .meta { color: var(--muted); }
h1 { font-size: 32px; line-height: 1.25; margin: 0 0 8px; }
h2 { font-size: 24px; margin: 40px 0 12px; color: var(--accent); }
h3 { font-size: 20px; margin: 24px 0 4px; }
h4 { font-size: 16px; margin: 0 0 4px; }
p { margin: 0 0 12px; orphans: 3; widows: 3; }
.notice { border-left: 4px solid var(--accent); padding: 8px 12px; background: var(--bg); }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.empty, .answer { color: var(--muted); }
.answer { font-size: 14px; margin-bottom: 0; }
.warning { font-weight: 600; }
dl { display: grid; grid-template-columns: minmax(10rem, max-content) 1fr; gap: 4px 16px; margin: 0 0 16px; }
dt { color: var(--muted); }
dd { margin: 0; }
table { width: 100%; border-collapse: collapse; margin: 0 0 16px; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { font-weight: 600; }
.nowrap { white-space: nowrap; }
ol.clauses { padding-left: 24px; }
.clause { margin: 0 0 16px; }
.signed-by { border-top: 1px solid var(--line); padding-top: 12px; }
.note, .incident { border-top: 1px solid var(--line); }
footer { margin-top: 48px; color: var(--muted); font-size: 14px; }
@page {
  margin: 18mm 16mm 20mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; }
}
@media print {
  :root { --bg: #ffffff; --paper: #ffffff; --ink: #000000; --muted: #000000;
          --accent: #000000; --line: #000000; color-scheme: light; }
  html, body { background: #ffffff; color: #000000; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  h1 { font-size: 18pt; } h2 { font-size: 14pt; } h3 { font-size: 12pt; } h4 { font-size: 11pt; }
  .notice { background: none; border-left-width: 2px; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .clause, .signed-by, .note, .incident, dl, tr, .notice {
    break-inside: avoid; page-break-inside: avoid;
  }
  .agreement { break-before: page; page-break-before: always; }
  .agreement .introduction { break-after: avoid; page-break-after: avoid; }
  .signed-by { break-before: avoid; page-break-before: avoid; }
  thead { display: table-header-group; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_the_five_characters_and_nothing_else() {
        let cases = [
            (
                "<a href='x' title=\"y\">&</a>",
                "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;",
            ),
            ("&amp;", "&amp;amp;"),
            ("Zoë — 🌱 أحمد", "Zoë — 🌱 أحمد"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(escape(input), expected, "input: {input:?}");
        }
    }

    #[test]
    fn moments_name_their_offset() {
        use time::macros::datetime;
        assert_eq!(
            moment(datetime!(2026-11-26 10:05 UTC)),
            "26 November 2026, 10:05 UTC"
        );
        assert_eq!(
            moment(datetime!(2026-11-26 10:05 -03:30)),
            "26 November 2026, 10:05 UTC-03:30"
        );
    }
}
