//! The demo practice's groups: themes of the four kinds, schedules, capacities, statuses, and
//! the dates each group met on.
//!
//! Policy: a group's session dates are decided here and nowhere else — on its weekday, weekly
//! or fortnightly with the odd holiday skipped, all within the history window and never after
//! today — and the practice's total number of sessions is shared out to hit the target:
//! long-running open groups take most of it, closed courses a curriculum's worth.

use std::collections::BTreeMap;

use time::{Date, Duration};

use super::names::THERAPISTS;
use super::{Gen, Targets};
use crate::practice::ids::GroupId;
use crate::practice::model::*;

/// What a group is about, and what its sessions cover.
pub(super) struct Theme {
    /// The kind of group.
    pub kind: GroupKind,
    /// The group's name, before the day and time are added.
    pub name: &'static str,
    /// The group's focus.
    pub focus: &'static str,
    /// Why someone is referred to it, as an intake note says it.
    pub concern: &'static str,
    /// Session topics: a curriculum in order (skills, psychoeducation) or themes to draw from.
    pub topics: &'static [&'static str],
}

const PROCESS_TOPICS: &[&str] = &[
    "Check-in; trust and belonging in the group",
    "Giving and receiving feedback",
    "Conflict in the room",
    "Shame and being seen",
    "Anger and how it is expressed",
    "Closeness and distance in relationships",
    "Saying no and setting limits",
    "Patterns from our families",
    "Envy and comparison",
    "Silence in the group",
    "Endings and goodbyes",
    "Welcoming a new member",
    "Loneliness",
    "Taking up space",
];

const SUPPORT_TOPICS: &[&str] = &[
    "Check-in and what the week held",
    "Anniversaries, holidays and hard dates",
    "Asking for help and accepting it",
    "Looking after yourself while caring for others",
    "What people say, and what helps",
    "Sleep, energy and routines",
    "Guilt and relief",
    "Practical problems: money, forms and appointments",
    "Telling family and friends",
    "Small moments of hope",
    "Changes in roles at home",
    "Looking back and looking ahead",
];

const DBT_TOPICS: &[&str] = &[
    "Orientation and the group agreement",
    "Mindfulness: wise mind",
    "Mindfulness: observe, describe, participate",
    "Distress tolerance: STOP and pros and cons",
    "Distress tolerance: TIPP skills",
    "Distress tolerance: radical acceptance",
    "Emotion regulation: naming emotions",
    "Emotion regulation: check the facts",
    "Emotion regulation: opposite action",
    "Emotion regulation: PLEASE skills",
    "Interpersonal effectiveness: DEAR MAN",
    "Interpersonal effectiveness: GIVE and FAST",
    "Review and planning for setbacks",
];

const CBT_ANXIETY_TOPICS: &[&str] = &[
    "Orientation: how anxiety works",
    "The worry cycle and safety behaviours",
    "Catching anxious thoughts",
    "Weighing the evidence",
    "Building an exposure ladder",
    "Exposure practice and review",
    "Tolerating uncertainty",
    "Breathing and grounding",
    "Problem solving versus worry",
    "Relapse prevention plan",
];

const MINDFULNESS_TOPICS: &[&str] = &[
    "Automatic pilot",
    "Living in our heads",
    "Gathering the scattered mind",
    "Recognising aversion",
    "Allowing and letting be",
    "Thoughts are not facts",
    "Taking care of myself",
    "Keeping the practice going",
];

const ANGER_TOPICS: &[&str] = &[
    "Orientation: anger is a signal",
    "Cues and the anger scale",
    "Time-outs that work",
    "Thinking traps that fuel anger",
    "Assertive, not aggressive",
    "Repair after a conflict",
    "Stress, sleep and irritability",
    "Plan for the hard moments",
];

const BOUNDARY_TOPICS: &[&str] = &[
    "What boundaries are",
    "Noticing resentment as a signal",
    "Saying no without over-explaining",
    "Making requests",
    "Handling pushback",
    "Boundaries at work",
    "Boundaries with family",
    "Review and practice",
];

const ANXIETY_ED_TOPICS: &[&str] = &[
    "What anxiety is and why we have it",
    "The body's stress response",
    "Thoughts, feelings and behaviour",
    "Avoidance and how it keeps fear going",
    "Sleep and anxiety",
    "Where to get more help",
];

const DEPRESSION_ED_TOPICS: &[&str] = &[
    "Understanding depression",
    "Activity and mood",
    "Unhelpful thinking styles",
    "Sleep, food and movement",
    "Medication questions to ask",
    "Noticing early warning signs",
    "Staying well: a personal plan",
];

const TRAUMA_ED_TOPICS: &[&str] = &[
    "What trauma does to the body and mind",
    "The window of tolerance",
    "Triggers and grounding",
    "Sleep and nightmares",
    "Trust and relationships after trauma",
    "Options for treatment",
];

const PAIN_ED_TOPICS: &[&str] = &[
    "How pain works",
    "Pacing and the boom-bust cycle",
    "Pain and mood",
    "Sleep and pain",
    "Talking with your care team",
    "Setting values-based goals",
];

const THEMES: &[Theme] = &[
    Theme {
        kind: GroupKind::Process,
        name: "Interpersonal Process Group",
        focus: "Understanding relationship patterns through feedback in the here and now.",
        concern: "recurring difficulties in close relationships and feeling misunderstood",
        topics: PROCESS_TOPICS,
    },
    Theme {
        kind: GroupKind::Process,
        name: "Young Adults Group",
        focus: "Identity, relationships and independence for members aged 18 to 25.",
        concern: "loneliness after moving away from home and low confidence with peers",
        topics: PROCESS_TOPICS,
    },
    Theme {
        kind: GroupKind::Process,
        name: "Midlife Transitions Group",
        focus: "Change, loss and meaning in the middle years.",
        concern: "low mood following separation and a change of career",
        topics: PROCESS_TOPICS,
    },
    Theme {
        kind: GroupKind::Process,
        name: "LGBTQ+ Process Group",
        focus: "A space for LGBTQ+ adults to explore relationships, identity and belonging.",
        concern: "isolation and minority stress; wants connection with peers",
        topics: PROCESS_TOPICS,
    },
    Theme {
        kind: GroupKind::Process,
        name: "Trauma Recovery Group (stage 2)",
        focus: "Reconnecting with others after trauma, for members already stable in treatment.",
        concern: "long-standing effects of childhood trauma; stable, with good coping skills",
        topics: PROCESS_TOPICS,
    },
    Theme {
        kind: GroupKind::Support,
        name: "Grief and Loss Support Group",
        focus: "Support after the death of someone close.",
        concern: "bereavement in the past year, with poor sleep and withdrawal from friends",
        topics: SUPPORT_TOPICS,
    },
    Theme {
        kind: GroupKind::Support,
        name: "Caregivers' Support Group",
        focus: "Support for people caring for a family member with illness or disability.",
        concern: "exhaustion and guilt while caring for a parent with dementia",
        topics: SUPPORT_TOPICS,
    },
    Theme {
        kind: GroupKind::Support,
        name: "Perinatal Support Group",
        focus: "Support for new and expecting parents facing low mood or anxiety.",
        concern: "anxiety and low mood since the birth of their first child",
        topics: SUPPORT_TOPICS,
    },
    Theme {
        kind: GroupKind::Support,
        name: "Living with Chronic Illness Group",
        focus: "Support for adults adjusting to a long-term health condition.",
        concern: "adjusting to a recent diagnosis of a long-term health condition",
        topics: SUPPORT_TOPICS,
    },
    Theme {
        kind: GroupKind::Support,
        name: "Recovery Support Group",
        focus: "Peer support for people in recovery from alcohol or drug use.",
        concern: "eight months sober; wants support to prevent relapse",
        topics: SUPPORT_TOPICS,
    },
    Theme {
        kind: GroupKind::Skills,
        name: "DBT Skills Group",
        focus: "Mindfulness, distress tolerance, emotion regulation and interpersonal skills.",
        concern: "intense emotions, impulsive coping and conflict in relationships",
        topics: DBT_TOPICS,
    },
    Theme {
        kind: GroupKind::Skills,
        name: "CBT Skills for Anxiety",
        focus: "Practical cognitive and behavioural skills for worry, panic and avoidance.",
        concern: "panic attacks and avoidance of public transport",
        topics: CBT_ANXIETY_TOPICS,
    },
    Theme {
        kind: GroupKind::Skills,
        name: "Mindfulness-Based Coping",
        focus: "An eight-week course in mindfulness for stress and low mood.",
        concern: "recurrent depression, currently in partial remission",
        topics: MINDFULNESS_TOPICS,
    },
    Theme {
        kind: GroupKind::Skills,
        name: "Anger Management Skills",
        focus: "Recognising anger early and responding without harm.",
        concern: "angry outbursts at home that the member wants to stop",
        topics: ANGER_TOPICS,
    },
    Theme {
        kind: GroupKind::Skills,
        name: "Assertiveness and Boundaries",
        focus: "Saying no, making requests and holding limits with care.",
        concern: "people-pleasing and resentment at work and in the family",
        topics: BOUNDARY_TOPICS,
    },
    Theme {
        kind: GroupKind::Psychoeducational,
        name: "Understanding Anxiety",
        focus: "A short course on how anxiety works and what helps.",
        concern: "generalised worry; wants to understand anxiety before further treatment",
        topics: ANXIETY_ED_TOPICS,
    },
    Theme {
        kind: GroupKind::Psychoeducational,
        name: "Living Well with Depression",
        focus: "Information and practical steps for managing depression.",
        concern: "moderate depression; on a waitlist for individual therapy",
        topics: DEPRESSION_ED_TOPICS,
    },
    Theme {
        kind: GroupKind::Psychoeducational,
        name: "Understanding Trauma",
        focus: "How trauma affects body and mind, and the options for recovery.",
        concern: "symptoms after a road traffic accident two years ago",
        topics: TRAUMA_ED_TOPICS,
    },
    Theme {
        kind: GroupKind::Psychoeducational,
        name: "Managing Chronic Pain",
        focus: "Understanding pain and pacing activity, with the pain clinic.",
        concern: "chronic back pain with low mood; referred by the pain clinic",
        topics: PAIN_ED_TOPICS,
    },
];

/// Relative frequency of each kind: process, psychoeducational, skills, support.
const KIND_WEIGHTS: [u32; 4] = [30, 20, 25, 25];
const KINDS: [GroupKind; 4] = [
    GroupKind::Process,
    GroupKind::Psychoeducational,
    GroupKind::Skills,
    GroupKind::Support,
];

/// One group and everything later steps need to know about it.
pub(super) struct Plan {
    /// The group record.
    pub group: Group,
    /// What it is about.
    pub theme: &'static Theme,
    /// The days it met, oldest first (empty for a forming group).
    pub dates: Vec<Date>,
}

impl Plan {
    /// True for a group whose membership stays fixed once it starts (a course).
    pub fn is_course(&self) -> bool {
        self.group.enrollment == Enrollment::Closed
    }

    /// True when sessions follow the theme's topics in order (skills and psychoeducation),
    /// rather than taking up whatever theme the group brings.
    pub fn follows_curriculum(&self) -> bool {
        matches!(
            self.group.kind,
            GroupKind::Skills | GroupKind::Psychoeducational
        )
    }
}

/// A group's shape before its dates are known.
struct Shape {
    theme: &'static Theme,
    status: GroupStatus,
    enrollment: Enrollment,
    schedule: Schedule,
    capacity: u16,
}

/// Plans every group of the practice.
pub(super) fn plan_groups(g: &mut Gen, targets: &Targets) -> Vec<Plan> {
    let shapes: Vec<Shape> = (0..targets.groups).map(|i| shape(g, i)).collect();
    let counts = share_sessions(g, &shapes, targets.sessions);
    let mut names = BTreeMap::new();
    shapes
        .into_iter()
        .zip(counts)
        .map(|(shape, count)| plan(g, shape, count, &mut names))
        .collect()
}

fn shape(g: &mut Gen, index: usize) -> Shape {
    let kind = KINDS[g.rng.weighted(&KIND_WEIGHTS)];
    let themes: Vec<&'static Theme> = THEMES.iter().filter(|t| t.kind == kind).collect();
    let theme = themes[g.rng.below(themes.len())];
    let status = match (index, g.rng.weighted(&[15, 40, 45])) {
        (0, _) | (_, 1) => GroupStatus::Running,
        (_, 0) => GroupStatus::Forming,
        _ => GroupStatus::Ended,
    };
    let open_share = match kind {
        GroupKind::Process => 0.6,
        GroupKind::Support => 0.85,
        GroupKind::Skills => 0.2,
        GroupKind::Psychoeducational => 0.1,
    };
    let enrollment = if g.rng.chance(open_share) {
        Enrollment::Open
    } else {
        Enrollment::Closed
    };
    Shape {
        theme,
        status,
        enrollment,
        schedule: schedule(g, kind),
        capacity: capacity(g, kind),
    }
}

fn schedule(g: &mut Gen, kind: GroupKind) -> Schedule {
    let fortnightly = match kind {
        GroupKind::Support => 0.4,
        GroupKind::Process => 0.15,
        GroupKind::Skills => 0.1,
        GroupKind::Psychoeducational => 0.0,
    };
    let weekday = *g.rng.pick(&[
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
    ]);
    let (hour, minute) = *g.rng.pick(&[
        (10, 0),
        (12, 30),
        (15, 0),
        (17, 30),
        (18, 0),
        (18, 30),
        (19, 0),
    ]);
    let length_minutes = match kind {
        GroupKind::Process => *g.rng.pick(&[90, 90, 105]),
        GroupKind::Support => *g.rng.pick(&[60, 90, 90]),
        GroupKind::Skills => *g.rng.pick(&[90, 120, 150]),
        GroupKind::Psychoeducational => *g.rng.pick(&[60, 75, 90]),
    };
    Schedule {
        weekday,
        start: ClockTime { hour, minute },
        length_minutes,
        frequency: if g.rng.chance(fortnightly) {
            Frequency::Fortnightly
        } else {
            Frequency::Weekly
        },
    }
}

fn capacity(g: &mut Gen, kind: GroupKind) -> u16 {
    let choices: &[u16] = match kind {
        GroupKind::Process => &[6, 8, 10, 10, 12, 12, 12],
        GroupKind::Support => &[10, 12, 12],
        GroupKind::Skills => &[8, 10, 12, 12],
        GroupKind::Psychoeducational => &[10, 12, 12],
    };
    *g.rng.pick(choices)
}

fn interval_days(schedule: &Schedule) -> i64 {
    match schedule.frequency {
        Frequency::Weekly => 7,
        Frequency::Fortnightly => 14,
    }
}

/// Sessions per group: in proportion to a weight (open groups run long, courses are short),
/// each at most what fits in the history window, the total as close to `total` as fits.
/// Courses keep to their curriculum unless the other groups cannot take up the rest.
fn share_sessions(g: &mut Gen, shapes: &[Shape], total: usize) -> Vec<usize> {
    let window = (g.today - g.window_start).whole_days().max(0);
    let fits: Vec<usize> = shapes.iter().map(|s| session_cap(s, window)).collect();
    let planned: Vec<usize> = shapes
        .iter()
        .zip(&fits)
        .map(|(s, fit)| curriculum_cap(s, *fit))
        .collect();
    let weights: Vec<f64> = shapes.iter().map(|s| session_weight(g, s)).collect();
    let sum: f64 = weights.iter().sum();
    let mut counts: Vec<usize> = weights
        .iter()
        .zip(&planned)
        .map(|(w, cap)| {
            let share = if sum > 0.0 { w / sum } else { 0.0 };
            ((total as f64 * share).round() as usize).min(*cap)
        })
        .collect();
    settle(&mut counts, &planned, total);
    settle(&mut counts, &fits, total);
    counts
}

/// Most sessions a group can have held: none while forming; an ended group leaves room for
/// its end to fall before today.
fn session_cap(shape: &Shape, window_days: i64) -> usize {
    let per = (window_days / interval_days(&shape.schedule)) as usize;
    match shape.status {
        GroupStatus::Forming => 0,
        GroupStatus::Running => per,
        GroupStatus::Ended => per * 4 / 5,
    }
}

/// A course runs its curriculum once (skills twice, as their modules repeat).
fn curriculum_cap(shape: &Shape, fits: usize) -> usize {
    let curriculum = shape.theme.topics.len();
    match (shape.enrollment, shape.theme.kind) {
        (Enrollment::Closed, GroupKind::Psychoeducational) => fits.min(curriculum),
        (Enrollment::Closed, GroupKind::Skills) => fits.min(2 * curriculum),
        _ => fits,
    }
}

fn session_weight(g: &mut Gen, shape: &Shape) -> f64 {
    if shape.status == GroupStatus::Forming {
        return 0.0;
    }
    let jitter = 0.6 + 0.8 * g.rng.unit();
    let weight = match (shape.theme.kind, shape.enrollment) {
        (GroupKind::Process | GroupKind::Support, Enrollment::Open) => 3.0,
        (GroupKind::Process | GroupKind::Support, Enrollment::Closed) => 2.0,
        (GroupKind::Skills, Enrollment::Open) => 1.2,
        (GroupKind::Skills, Enrollment::Closed) => 0.55,
        (GroupKind::Psychoeducational, Enrollment::Open) => 0.5,
        (GroupKind::Psychoeducational, Enrollment::Closed) => 0.3,
    };
    weight * jitter
}

/// Moves counts one at a time until they add up to `total` (or every group is full), keeping
/// at least one session in any group that has a share.
fn settle(counts: &mut [usize], caps: &[usize], total: usize) {
    let mut sum: usize = counts.iter().sum();
    let mut i = 0;
    let mut idle = 0;
    while sum != total && idle < counts.len() {
        let k = i % counts.len();
        let moved = if sum < total && counts[k] < caps[k] {
            counts[k] += 1;
            sum += 1;
            true
        } else if sum > total && counts[k] > 1 {
            counts[k] -= 1;
            sum -= 1;
            true
        } else {
            false
        };
        idle = if moved { 0 } else { idle + 1 };
        i += 1;
    }
}

fn plan(g: &mut Gen, shape: Shape, count: usize, names: &mut BTreeMap<String, usize>) -> Plan {
    let mut status = shape.status;
    let dates = if count == 0 {
        status = GroupStatus::Forming;
        Vec::new()
    } else {
        session_dates(g, &shape, status, count)
    };
    let (start_date, end_date) = group_dates(g, &shape, status, &dates);
    let group = Group {
        id: GroupId(g.id()),
        name: group_name(&shape, names),
        kind: shape.theme.kind,
        focus: shape.theme.focus.to_owned(),
        co_facilitator: g
            .rng
            .chance(0.35)
            .then(|| (*g.rng.pick(THERAPISTS)).to_owned()),
        location: location(g),
        start_date,
        end_date,
        capacity: Some(shape.capacity),
        enrollment: shape.enrollment,
        status,
        schedule: Some(shape.schedule),
        // Every demo group gives both questionnaires every fourth session attended, as the
        // invented answers (`outcomes`) follow.
        measures: Some(MeasurePlan {
            measures: vec!["phq-9".to_owned(), "gad-7".to_owned()],
            cadence: Cadence::EverySessions {
                sessions: super::outcomes::EVERY as u32,
            },
        }),
    };
    Plan {
        group,
        theme: shape.theme,
        dates,
    }
}

fn location(g: &mut Gen) -> String {
    let place = *g.rng.pick(&[
        "Room 1",
        "Room 2",
        "Garden Room",
        "Large group room",
        "video",
        "video",
    ]);
    place.to_owned()
}

/// "DBT Skills Group (Tuesday evening)", with a cohort number when the name repeats.
fn group_name(shape: &Shape, names: &mut BTreeMap<String, usize>) -> String {
    let hour = shape.schedule.start.hour;
    let part = match hour {
        0..=11 => "morning",
        12..=13 => "lunchtime",
        14..=16 => "afternoon",
        _ => "evening",
    };
    let day = format!("{:?}", shape.schedule.weekday);
    let base = format!("{} ({day} {part})", shape.theme.name);
    let seen = names.entry(base.clone()).or_insert(0);
    *seen += 1;
    match (*seen, shape.enrollment) {
        (1, _) => base,
        (n, Enrollment::Closed) => format!("{base} — cohort {n}"),
        (n, Enrollment::Open) => format!("{base} — group {n}"),
    }
}

/// `count` meeting days on the schedule: a running group's last one is its latest weekday on
/// or before today; an ended group's last one falls somewhere the whole run fits the window.
fn session_dates(g: &mut Gen, shape: &Shape, status: GroupStatus, count: usize) -> Vec<Date> {
    let step = interval_days(&shape.schedule);
    let weekday = shape.schedule.weekday;
    let last = if status == GroupStatus::Running {
        on_or_before(g.today, weekday)
    } else {
        let span = (count as i64 * step * 21) / 20;
        let latest = days_before(g.today, g.rng.between(7, 60));
        let earliest = days_after(g.window_start, span);
        let end = if earliest < latest {
            days_after(earliest, g.rng.between(0, (latest - earliest).whole_days()))
        } else {
            latest
        };
        on_or_before(end, weekday)
    };
    let mut dates = Vec::with_capacity(count);
    let mut day = last;
    while dates.len() < count && day >= g.window_start {
        dates.push(day);
        let skip = if g.rng.chance(0.03) { 2 } else { 1 };
        day = days_before(day, step * skip);
    }
    dates.reverse();
    dates
}

/// Start and end dates: a course that is still running has a planned end; a forming group
/// starts in the coming weeks.
fn group_dates(
    g: &mut Gen,
    shape: &Shape,
    status: GroupStatus,
    dates: &[Date],
) -> (Option<Date>, Option<Date>) {
    let step = interval_days(&shape.schedule);
    let closed = shape.enrollment == Enrollment::Closed;
    match (status, dates.first(), dates.last()) {
        (GroupStatus::Ended, Some(first), Some(last)) => (Some(*first), Some(*last)),
        (GroupStatus::Running, Some(first), Some(last)) => {
            let more = g.rng.between(1, 6) * step;
            (Some(*first), closed.then(|| days_after(*last, more)))
        }
        _ => {
            let start = on_or_after(
                days_after(g.today, g.rng.between(10, 45)),
                shape.schedule.weekday,
            );
            let length = shape.theme.topics.len() as i64;
            let end = closed.then(|| days_after(start, (length - 1).max(0) * step));
            (Some(start), end)
        }
    }
}

fn weekday_index(day: Weekday) -> i64 {
    match day {
        Weekday::Monday => 0,
        Weekday::Tuesday => 1,
        Weekday::Wednesday => 2,
        Weekday::Thursday => 3,
        Weekday::Friday => 4,
        Weekday::Saturday => 5,
        Weekday::Sunday => 6,
    }
}

/// The latest `weekday` on or before `date`.
fn on_or_before(date: Date, weekday: Weekday) -> Date {
    let today = i64::from(date.weekday().number_days_from_monday());
    days_before(date, (today - weekday_index(weekday)).rem_euclid(7))
}

/// The earliest `weekday` on or after `date`.
fn on_or_after(date: Date, weekday: Weekday) -> Date {
    let today = i64::from(date.weekday().number_days_from_monday());
    days_after(date, (weekday_index(weekday) - today).rem_euclid(7))
}

/// `date` minus `days`, held at the earliest date `time` can represent.
pub(super) fn days_before(date: Date, days: i64) -> Date {
    date.checked_sub(Duration::days(days)).unwrap_or(Date::MIN)
}

/// `date` plus `days`, held at the latest date `time` can represent.
pub(super) fn days_after(date: Date, days: i64) -> Date {
    date.checked_add(Duration::days(days)).unwrap_or(Date::MAX)
}
