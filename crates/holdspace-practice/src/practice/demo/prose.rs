//! The demo practice's words: progress notes, psychotherapy notes, group notes, intake notes,
//! goals and incident reports, assembled from phrase banks.
//!
//! Policy: every sentence is invented and generic — no real person, place or case. A note
//! names only the member it is about (`{n}`), never another member, as a real note should;
//! others are "another member". `{t}` is the session's topic. Progress notes run to about a
//! kilobyte, like the notes the vault is sized for (`docs/performance.md`); psychotherapy notes
//! are shorter and read as the therapist's private process notes.

use super::rng::Rng;
use crate::practice::model::{Attendance, GroupKind};

/// What a note needs to know about its session and member.
pub(super) struct NoteContext<'a> {
    /// What the note calls the member.
    pub name: &'a str,
    /// The group's kind.
    pub kind: GroupKind,
    /// The session's topic.
    pub topic: &'a str,
    /// How the member attended.
    pub attendance: Attendance,
    /// Session length in minutes.
    pub minutes: u16,
    /// True when the group meets by video.
    pub video: bool,
    /// "weekly" or "fortnightly".
    pub frequency: &'a str,
}

const PRESENTATION: &[&str] = &[
    "{n} appeared calm and well groomed; affect was bright and congruent with what was shared.",
    "{n} looked tired and said sleep had been poor this week; affect was somewhat flat but reactive.",
    "{n} presented as anxious at the start, with rapid speech that slowed as the session went on.",
    "{n} was settled and attentive, making good eye contact and following the discussion closely.",
    "{n} seemed quieter than usual and sat back from the circle for the first half of the session.",
    "{n} arrived in good spirits and said it had been a steadier week than the last few.",
    "{n} was tearful at check-in but composed within a few minutes, and chose to stay with the feeling.",
    "{n} appeared restless, shifting in the chair, and said work had been very pressured.",
    "{n} presented as guarded early on; warmth and humour returned as the group settled.",
    "{n} was alert and engaged, with mood described as \"okay, a bit up and down\".",
];

const PARTICIPATION_PROCESS: &[&str] = &[
    "{n} spoke early in the session and offered feedback to another member with warmth and specificity.",
    "{n} took a risk in sharing a reaction to something said in the room, then checked how it had landed.",
    "{n} was mostly quiet but nodded along and, when invited, named feeling on the edge of the group.",
    "{n} noticed a familiar pattern of rescuing others and was able to say so aloud.",
    "{n} disagreed openly with another member for the first time and stayed present through the tension.",
    "{n} described feeling both irritated and cared for by the group, and was curious about the mix.",
    "{n} returned to a theme from last session and said it had stayed on their mind all week.",
];

const PARTICIPATION_SUPPORT: &[&str] = &[
    "{n} listened closely and shared for the first time about how the past month had been.",
    "{n} offered practical suggestions to another member and said it felt good to be useful.",
    "{n} spoke about a hard week and accepted support from the group without deflecting it.",
    "{n} described a small moment of hope and said the group had helped make room for it.",
    "{n} shared a resource that had helped and encouraged others to try it.",
    "{n} said they often feel alone with this and that hearing others had been a relief.",
];

const PARTICIPATION_SKILLS: &[&str] = &[
    "{n} completed the diary card for most days and shared one example of using a skill at work.",
    "{n} had not practised this week and was open about what got in the way.",
    "{n} volunteered for the role-play and tried the skill twice, the second time more confidently.",
    "{n} asked good questions about when to use the skill and when another would fit better.",
    "{n} reported using the skill during a conflict at home, with a better outcome than usual.",
    "{n} found the exercise hard at first but stayed with it and described what changed.",
];

const PARTICIPATION_EDUCATION: &[&str] = &[
    "{n} asked thoughtful questions about the material and related it to recent experiences.",
    "{n} took notes and said the handout would be useful to share with family.",
    "{n} was quiet during the presentation but joined the small-group discussion readily.",
    "{n} challenged one idea respectfully and the discussion that followed helped the whole group.",
    "{n} recognised several of the patterns described and said it was a relief to have words for them.",
];

const LIFE_AREAS: &[&str] = &[
    "a recent conflict with a family member",
    "pressures at work and a difficult manager",
    "the approaching anniversary of a loss",
    "a change in living situation",
    "feeling left out by friends",
    "managing a long-term health condition",
    "the demands of parenting",
    "returning to study after a long break",
    "money worries",
    "a new relationship",
];

const INTERVENTIONS_PROCESS: &[&str] = &[
    "The facilitator invited {n} to notice the reaction in the room and to check an assumption directly with the member concerned.",
    "Facilitators linked {n}'s account to a pattern named earlier in the group and asked others how they experienced it.",
    "The facilitator slowed the exchange down, named the feeling underneath it, and supported {n} to stay with it.",
    "Facilitators used here-and-now questions to help {n} say what was happening between members rather than outside.",
];

const INTERVENTIONS_SUPPORT: &[&str] = &[
    "The facilitator normalised the experience, encouraged peer support and reflected the shared themes.",
    "Facilitators validated {n}'s feelings, checked coping, and drew out what others had found helpful.",
    "The facilitator kept time so that each member had space, and gently invited {n} to say more.",
];

const INTERVENTIONS_SKILLS: &[&str] = &[
    "Reviewed homework, taught and modelled the skill, and coached {n} through a brief role-play.",
    "Used chain analysis on an example {n} offered and identified two points where a skill could be used.",
    "Led a short mindfulness practice, then reviewed the skill with worked examples from the group.",
];

const INTERVENTIONS_EDUCATION: &[&str] = &[
    "Presented the material with handouts, checked understanding, and linked the content to personal goals.",
    "Used a short quiz and small-group discussion to consolidate learning, then answered questions.",
    "Invited members to apply the model to a recent example; {n} worked through one aloud.",
];

const RESPONSES: &[&str] = &[
    "{n} said the feedback was hard to hear but useful, and agreed to try speaking up sooner next time.",
    "{n} reported feeling calmer by the end of the session and more hopeful about the week ahead.",
    "{n} said the session was tiring but worthwhile, and was looking forward to the next one.",
    "{n} remained somewhat unsettled at the close and was offered a brief check-in afterwards, which helped.",
    "{n} reflected that it felt different to be listened to without being fixed.",
    "{n} was able to name one thing to take away and said it felt manageable.",
];

const PROGRESS: &[&str] = &[
    "Steady progress on the goal of speaking up when upset rather than withdrawing.",
    "Some progress toward the goal of using skills before emotions peak; practice is still uneven.",
    "Goals reviewed; {n} rates progress as slow but real, and the therapist agrees.",
    "Progress on reducing isolation: {n} has contacted a friend twice this month.",
    "Little change this week; motivation remains good and attendance is regular.",
    "Clear gains in self-compassion compared with the first sessions.",
];

const RISK_USUAL: &str =
    "No new risk indicators reported or observed; {n} denied thoughts of self-harm or of harming others.";
const RISK_OTHER: &[&str] = &[
    "{n} reported passive thoughts of not wanting to wake up earlier in the week; no plan or intent. Protective factors were reviewed and the safety plan is current.",
    "{n} reported drinking more in recent weeks. We discussed coming to group sober as agreed, and the therapist will follow up individually.",
    "{n} described a recent urge to self-harm that passed without acting on it, using skills from the group. Safety plan reviewed.",
];

const HOMEWORK: &[&str] = &[
    "notice moments of wanting to withdraw and write one down",
    "practise the skill once a day and record it on the diary card",
    "try one small act of self-care and report back",
    "reach out to one person in their support network",
    "read the handout and mark anything that does not fit",
    "bring the conflict at home back to the group next time",
];

/// A progress note of about a kilobyte, in the sections a group progress note usually has.
pub(super) fn progress_note(rng: &mut Rng, c: &NoteContext<'_>) -> String {
    let mut out = String::with_capacity(1300);
    section(&mut out, "Attendance", &attendance_line(rng, c));
    section(&mut out, "Presentation", rng.phrase(PRESENTATION));
    let bank = participation_bank(c.kind);
    let first = rng.below(bank.len());
    let second = (first + 1 + rng.below(bank.len() - 1)) % bank.len();
    let participation = format!("{} {}", bank[first], bank[second]);
    section(&mut out, "Participation", &participation);
    let content = format!(
        "The session focused on {}. {{n}} related the theme to {}.",
        lower_first(c.topic),
        rng.phrase(LIFE_AREAS)
    );
    section(&mut out, "Content", &content);
    section(
        &mut out,
        "Interventions",
        rng.phrase(intervention_bank(c.kind)),
    );
    section(&mut out, "Response", rng.phrase(RESPONSES));
    section(&mut out, "Progress", rng.phrase(PROGRESS));
    let risk = if rng.chance(0.93) {
        RISK_USUAL
    } else {
        rng.phrase(RISK_OTHER)
    };
    section(&mut out, "Risk", risk);
    let plan = format!(
        "Continue {} group. {{n}} will {} before the next session.",
        c.frequency,
        rng.phrase(HOMEWORK)
    );
    section(&mut out, "Plan", &plan);
    out.truncate(out.trim_end().len());
    out.replace("{n}", c.name)
}

fn section(out: &mut String, heading: &str, body: &str) {
    out.push_str(heading);
    out.push_str(": ");
    out.push_str(body);
    out.push('\n');
}

fn attendance_line(rng: &mut Rng, c: &NoteContext<'_>) -> String {
    let how = if c.video { " by video" } else { "" };
    match c.attendance {
        Attendance::Late => format!(
            "Arrived about {} minutes late{how} and joined after check-in; stayed to the end of the {}-minute session.",
            rng.between(5, 25),
            c.minutes
        ),
        _ => format!("Attended the full {}-minute session{how}.", c.minutes),
    }
}

fn participation_bank(kind: GroupKind) -> &'static [&'static str] {
    match kind {
        GroupKind::Process => PARTICIPATION_PROCESS,
        GroupKind::Support => PARTICIPATION_SUPPORT,
        GroupKind::Skills => PARTICIPATION_SKILLS,
        GroupKind::Psychoeducational => PARTICIPATION_EDUCATION,
    }
}

fn intervention_bank(kind: GroupKind) -> &'static [&'static str] {
    match kind {
        GroupKind::Process => INTERVENTIONS_PROCESS,
        GroupKind::Support => INTERVENTIONS_SUPPORT,
        GroupKind::Skills => INTERVENTIONS_SKILLS,
        GroupKind::Psychoeducational => INTERVENTIONS_EDUCATION,
    }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match (chars.next(), chars.clone().next()) {
        // Keep acronyms ("DBT", "CBT", "TIPP") as written.
        (Some(first), Some(second)) if !second.is_uppercase() => {
            first.to_lowercase().chain(chars).collect()
        }
        _ => text.to_owned(),
    }
}

const IMPRESSIONS: &[&str] = &[
    "{n} seemed to hold back whenever the group turned warm, as if closeness itself were a risk.",
    "Something in how {n} deferred to the co-facilitator felt familiar; possibly an old pattern with authority.",
    "{n}'s humour came just as the room got close to grief. Worth watching whether it protects {n} or the group.",
    "I noticed {n} tracking my reactions closely today, more than the other members'.",
    "{n} spoke fluently about feelings but the affect was missing; intellectualising may be a defence here.",
    "The group seemed to organise itself around {n}'s distress, and {n} seemed to expect that.",
];

const REACTIONS: &[&str] = &[
    "I felt protective and had to resist stepping in too early.",
    "I noticed irritation in myself when {n} dismissed the feedback, and held it.",
    "I felt unusually tired after {n} spoke; possibly picking up on something unspoken.",
    "I found myself wanting {n} to do well for my sake, which is worth noting.",
    "I felt moved, and a little helpless, listening to {n}.",
];

const HYPOTHESES: &[&str] = &[
    "Fear of being too much may be driving the withdrawal; the group may be a safe place to test that.",
    "The conflict with another member may be a re-enactment of a sibling relationship.",
    "Compliance may be standing in for real agreement; wait for the first honest disagreement.",
    "Shame seems close to the surface when {n} receives praise.",
];

const SUPERVISION: &[&str] = &[
    "Bring to supervision: my pull to rescue.",
    "Discuss pacing with the co-facilitator before next session.",
    "Nothing for supervision this week.",
    "Supervision: whether to name the pattern in the room or wait.",
];

/// A psychotherapy note: the therapist's private process notes, kept apart from the record.
pub(super) fn psychotherapy_note(rng: &mut Rng, name: &str) -> String {
    let mut out = String::with_capacity(700);
    section(&mut out, "Impressions", rng.phrase(IMPRESSIONS));
    section(&mut out, "My reactions", rng.phrase(REACTIONS));
    section(&mut out, "Working hypothesis", rng.phrase(HYPOTHESES));
    section(&mut out, "For supervision", rng.phrase(SUPERVISION));
    out.truncate(out.trim_end().len());
    out.replace("{n}", name)
}

const GROUP_OPENINGS: &[&str] = &[
    "The group began slowly, with a long silence after check-in.",
    "Energy was high from the start and several members arrived with something to say.",
    "The group opened by returning to a conflict left unfinished last time.",
    "Check-in was brief and the group moved quickly to the theme.",
    "A member's absence was named early and the group spoke about how it felt.",
];

const GROUP_MIDDLES: &[&str] = &[
    "Members took turns and the quieter members were drawn in.",
    "There was a lively exchange of feedback, mostly respectful, with one moment of tension that the group worked through.",
    "The skill was practised in pairs and reviewed together.",
    "Questions about the material led to a wider discussion of stigma.",
    "Several members spoke of feeling less alone with what they carry.",
];

const GROUP_CLOSINGS: &[&str] = &[
    "The session ended on time with a brief check-out.",
    "Members named one thing to take away at check-out.",
    "The group ended a few minutes late; the facilitators will hold the boundary next time.",
    "Homework was set and the next session's topic previewed.",
];

/// A note about the group as a whole, with its attendance counts.
pub(super) fn group_note(rng: &mut Rng, topic: &str, counts: [usize; 4]) -> String {
    let [present, late, excused, absent] = counts;
    let roster = present + late + excused + absent;
    format!(
        "{} of {roster} members attended ({late} late, {excused} excused, {absent} absent). Topic: {topic}.\n{} {} {}",
        present + late,
        rng.phrase(GROUP_OPENINGS),
        rng.phrase(GROUP_MIDDLES),
        rng.phrase(GROUP_CLOSINGS),
    )
}

const HISTORY: &[&str] = &[
    "In individual therapy for about a year, with good engagement.",
    "No previous group experience; some nervousness about speaking in front of others.",
    "Attended a group at university and described it as helpful.",
    "Previous brief counselling through an employee assistance programme.",
    "Long history of mood difficulties, currently stable on medication prescribed by their doctor.",
];

const FIT: &[&str] = &[
    "Discussed the ground rules and the limits of confidentiality, which they understood and accepted.",
    "Talked through what group is like, including that other members are not bound by law to keep confidences.",
    "Able to reflect on how they come across to others; a good fit for group.",
    "Motivated and able to commit to the schedule.",
];

/// Intake notes from screening.
pub(super) fn intake_note(rng: &mut Rng, screened_on: &str, method: &str, concern: &str) -> String {
    format!(
        "Screened on {screened_on} ({method}). Presenting concern: {concern}.\n{}\n{}",
        rng.phrase(HISTORY),
        rng.phrase(FIT),
    )
}

const GOALS: &[&str] = &[
    "Speak up in the moment instead of withdrawing",
    "Notice early signs of overwhelm and use a skill",
    "Feel less alone with what happened",
    "Sleep better and keep a regular routine",
    "Set one clear boundary each week",
    "Understand my reactions to other people",
    "Reduce angry outbursts at home",
    "Build a small support network",
    "Learn to tolerate uncertainty without checking",
    "Be kinder to myself after mistakes",
];

/// Two or three goals, one per line.
pub(super) fn goals(rng: &mut Rng) -> String {
    let count = rng.between(2, 3) as usize;
    let mut chosen: Vec<&str> = Vec::with_capacity(count);
    while chosen.len() < count {
        let goal = rng.phrase(GOALS);
        if !chosen.contains(&goal) {
            chosen.push(goal);
        }
    }
    chosen
        .iter()
        .map(|g| format!("- {g}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What happened and what was done, for each kind of incident, in invented, generic terms.
pub(super) const INCIDENT_STORIES: &[(&str, &str)] = &[
    (
        "A member reported that another member had mentioned something said in group to a mutual acquaintance, without a name but with identifying details.",
        "Met both members separately; reviewed the confidentiality clause with the group without naming anyone. The member who shared apologised and re-signed the agreement.",
    ),
    (
        "A member made repeated comments about another member's appearance after being asked to stop.",
        "Facilitator intervened in the session and met the member afterwards; agreed a behaviour plan and reviewed the respect clause.",
    ),
    (
        "A member made a dismissive remark about another member's religion during a heated exchange.",
        "Named the remark in the room and invited repair; individual follow-up with both members. The group revisited the respect clause the next week.",
    ),
    (
        "A member disclosed thoughts of suicide with a possible plan during check-in.",
        "Therapist met the member after group for a risk assessment; safety plan updated and, with consent, the individual therapist was informed the same day.",
    ),
    (
        "During a video session a member's screen showed another person in the room who could hear the group.",
        "Paused the session; the member moved to a private room. Reminder about a private place on video sent to all members.",
    ),
];
