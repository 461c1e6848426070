//! Invented people for the demo practice: members' names across cultures and scripts, preferred
//! names and pronouns, plausible emails and phone numbers, emergency contacts, therapists, and
//! the fictional practitioner and practice.
//!
//! Policy: every name is assembled from banks of common given and family names, so no real
//! person is described; emails use reserved `example` domains and phones the numbers set aside
//! for fiction (555-01xx, 07700 900xxx, 0491 570 xxx). Each bank entry carries an ASCII
//! spelling (empty when the name already is one) from which email addresses are folded.

use std::collections::BTreeMap;

use super::rng::Rng;
use crate::practice::model::PracticeProfile;

/// A name as written, and its ASCII spelling ("" when it is already ASCII).
type Spelled = (&'static str, &'static str);
/// Given name, its ASCII spelling, gender hint (`f`, `m`, `n`), short form and its ASCII.
type Given = (&'static str, &'static str, char, &'static str, &'static str);

/// A naming tradition: the names, and how a full name is written.
struct Culture {
    weight: u32,
    given: &'static [Given],
    family: &'static [Spelled],
    /// Family name first, without a space (Chinese).
    family_first: bool,
    /// Written in Latin script (only these mix into double-barrelled names).
    latin: bool,
}

const ENGLISH: Culture = Culture {
    weight: 18,
    latin: true,
    family_first: false,
    given: &[
        ("Katherine", "", 'f', "Kate", ""),
        ("William", "", 'm', "Will", ""),
        ("Margaret", "", 'f', "Maggie", ""),
        ("Robert", "", 'm', "Rob", ""),
        ("Siobhán", "Siobhan", 'f', "", ""),
        ("Niamh", "", 'f', "", ""),
        ("Ciarán", "Ciaran", 'm', "", ""),
        ("Eilidh", "", 'f', "", ""),
        ("Jordan", "", 'n', "", ""),
        ("Riley", "", 'n', "", ""),
        ("Zoë", "Zoe", 'f', "", ""),
        ("Daniel", "", 'm', "Dan", ""),
        ("Elizabeth", "", 'f', "Beth", ""),
        ("Thomas", "", 'm', "Tom", ""),
        ("Morgan", "", 'n', "", ""),
        ("Grace", "", 'f', "", ""),
    ],
    family: &[
        ("O'Brien", ""),
        ("O'Connor", ""),
        ("MacDonald", ""),
        ("Murphy", ""),
        ("Campbell", ""),
        ("Thompson", ""),
        ("Walsh", ""),
        ("Fitzgerald", ""),
        ("Hughes", ""),
        ("Ó Súilleabháin", "O Suilleabhain"),
        ("Bennett", ""),
        ("Clarke", ""),
    ],
};

const HISPANIC: Culture = Culture {
    weight: 14,
    latin: true,
    family_first: false,
    given: &[
        ("José", "Jose", 'm', "Pepe", ""),
        ("María José", "Maria Jose", 'f', "Majo", ""),
        ("Lucía", "Lucia", 'f', "", ""),
        ("Alejandro", "", 'm', "Alex", ""),
        ("Inés", "Ines", 'f', "", ""),
        ("Joaquín", "Joaquin", 'm', "", ""),
        ("Camila", "", 'f', "Cami", ""),
        ("Sebastián", "Sebastian", 'm', "Seba", ""),
        ("Guadalupe", "", 'f', "Lupe", ""),
        ("João", "Joao", 'm', "", ""),
        ("Conceição", "Conceicao", 'f', "", ""),
        ("Ana", "", 'f', "", ""),
        ("Ximena", "", 'f', "", ""),
        ("Andrés", "Andres", 'm', "", ""),
    ],
    family: &[
        ("García", "Garcia"),
        ("Núñez", "Nunez"),
        ("Rodríguez", "Rodriguez"),
        ("Pérez", "Perez"),
        ("López", "Lopez"),
        ("Fernández", "Fernandez"),
        ("Castillo", ""),
        ("de la Cruz", ""),
        ("Gonçalves", "Goncalves"),
        ("Araújo", "Araujo"),
        ("Peña", "Pena"),
        ("Ibáñez", "Ibanez"),
    ],
};

const FRENCH: Culture = Culture {
    weight: 6,
    latin: true,
    family_first: false,
    given: &[
        ("Élodie", "Elodie", 'f', "", ""),
        ("Étienne", "Etienne", 'm', "", ""),
        ("Benoît", "Benoit", 'm', "", ""),
        ("Anaïs", "Anais", 'f', "", ""),
        ("Jean-Luc", "", 'm', "", ""),
        ("Anne-Marie", "", 'f', "", ""),
        ("Camille", "", 'n', "", ""),
        ("François", "Francois", 'm', "", ""),
        ("Hélène", "Helene", 'f', "", ""),
        ("Noé", "Noe", 'm', "", ""),
    ],
    family: &[
        ("Lefèvre", "Lefevre"),
        ("Dubois", ""),
        ("Girard", ""),
        ("Lemaître", "Lemaitre"),
        ("Bérubé", "Berube"),
        ("D'Amour", ""),
        ("Côté", "Cote"),
        ("Tremblay", ""),
    ],
};

const GERMANIC: Culture = Culture {
    weight: 6,
    latin: true,
    family_first: false,
    given: &[
        ("Jürgen", "Juergen", 'm', "", ""),
        ("Björn", "Bjoern", 'm', "", ""),
        ("Søren", "Soeren", 'm', "", ""),
        ("Åsa", "Asa", 'f', "", ""),
        ("Sigrún", "Sigrun", 'f', "", ""),
        ("Maren", "", 'f', "", ""),
        ("Lotte", "", 'f', "", ""),
        ("Joost", "", 'm', "", ""),
        ("Kai", "", 'n', "", ""),
        ("Friederike", "", 'f', "Frieda", ""),
    ],
    family: &[
        ("Müller", "Mueller"),
        ("Schröder", "Schroeder"),
        ("Jørgensen", "Joergensen"),
        ("Ødegård", "Odegard"),
        ("Lindqvist", ""),
        ("van der Berg", ""),
        ("de Vries", ""),
        ("Weiß", "Weiss"),
    ],
};

const SLAVIC: Culture = Culture {
    weight: 6,
    latin: true,
    family_first: false,
    given: &[
        ("Łukasz", "Lukasz", 'm', "", ""),
        ("Małgorzata", "Malgorzata", 'f', "Gosia", ""),
        ("Wojciech", "", 'm', "Wojtek", ""),
        ("Agnieszka", "", 'f', "Aga", ""),
        ("Jiří", "Jiri", 'm', "", ""),
        ("Tereza", "", 'f', "", ""),
        ("Dragan", "", 'm', "", ""),
        ("Milica", "", 'f', "", ""),
        ("Oksana", "", 'f', "", ""),
        ("Bohdan", "", 'm', "", ""),
    ],
    family: &[
        ("Kowalczyk", ""),
        ("Wójcik", "Wojcik"),
        ("Nowak", ""),
        ("Dvořák", "Dvorak"),
        ("Petrović", "Petrovic"),
        ("Jovanović", "Jovanovic"),
        ("Kovalenko", ""),
        ("Mazur", ""),
    ],
};

const TURKISH: Culture = Culture {
    weight: 3,
    latin: true,
    family_first: false,
    given: &[
        ("Çağla", "Cagla", 'f', "", ""),
        ("Şebnem", "Sebnem", 'f', "", ""),
        ("Emre", "", 'm', "", ""),
        ("Ömer", "Omer", 'm', "", ""),
        ("Deniz", "", 'n', "", ""),
        ("Ayşe", "Ayse", 'f', "", ""),
    ],
    family: &[
        ("Yılmaz", "Yilmaz"),
        ("Öztürk", "Ozturk"),
        ("Kaya", ""),
        ("Şahin", "Sahin"),
    ],
};

const PERSIAN: Culture = Culture {
    weight: 3,
    latin: true,
    family_first: false,
    given: &[
        ("Dariush", "", 'm', "", ""),
        ("Shirin", "", 'f', "", ""),
        ("Roya", "", 'f', "", ""),
        ("Kaveh", "", 'm', "", ""),
        ("Parisa", "", 'f', "", ""),
        ("Arash", "", 'm', "", ""),
    ],
    family: &[
        ("Tehrani", ""),
        ("Rahimi", ""),
        ("Karimi", ""),
        ("Ahmadi", ""),
        ("Farahani", ""),
    ],
};

const WEST_AFRICAN: Culture = Culture {
    weight: 8,
    latin: true,
    family_first: false,
    given: &[
        ("Chiamaka", "", 'f', "Amaka", ""),
        ("Oluwaseun", "", 'n', "Seun", ""),
        ("Adebayo", "", 'm', "Bayo", ""),
        ("Ngozi", "", 'f', "", ""),
        ("Kwame", "", 'm', "", ""),
        ("Abena", "", 'f', "", ""),
        ("Folasade", "", 'f', "Sade", ""),
        ("Chukwuemeka", "", 'm', "Emeka", ""),
        ("Aminata", "", 'f', "", ""),
        ("Moussa", "", 'm', "", ""),
    ],
    family: &[
        ("Okonkwo", ""),
        ("Adeyemi", ""),
        ("Mensah", ""),
        ("Owusu", ""),
        ("Diallo", ""),
        ("N'Diaye", ""),
        ("Okafor", ""),
        ("Traoré", "Traore"),
    ],
};

const SOUTH_ASIAN: Culture = Culture {
    weight: 10,
    latin: true,
    family_first: false,
    given: &[
        ("Priya", "", 'f', "", ""),
        ("Arjun", "", 'm', "", ""),
        ("Ananya", "", 'f', "", ""),
        ("Rohan", "", 'm', "", ""),
        ("Lakshmi", "", 'f', "", ""),
        ("Harpreet", "", 'n', "", ""),
        ("Sanjay", "", 'm', "", ""),
        ("Fatima", "", 'f', "", ""),
        ("Imran", "", 'm', "", ""),
        ("Nusrat", "", 'f', "", ""),
        ("Venkatesh", "", 'm', "Venky", ""),
    ],
    family: &[
        ("Sharma", ""),
        ("Iyer", ""),
        ("Venkataraman", ""),
        ("D'Souza", ""),
        ("Chaudhry", ""),
        ("Rahman", ""),
        ("Patel", ""),
        ("Gill", ""),
        ("Banerjee", ""),
    ],
};

const EAST_ASIAN: Culture = Culture {
    weight: 8,
    latin: true,
    family_first: false,
    given: &[
        ("Haruto", "", 'm', "", ""),
        ("Yui", "", 'f', "", ""),
        ("Ji-woo", "", 'n', "", ""),
        ("Seo-yeon", "", 'f', "", ""),
        ("Min-jun", "", 'm', "", ""),
        ("Phương", "Phuong", 'f', "", ""),
        ("Thảo", "Thao", 'f', "", ""),
        ("Minh", "", 'n', "", ""),
        ("Wei", "", 'n', "", ""),
        ("Hiroshi", "", 'm', "", ""),
    ],
    family: &[
        ("Sato", ""),
        ("Takahashi", ""),
        ("Kim", ""),
        ("Park", ""),
        ("Nguyễn", "Nguyen"),
        ("Trần", "Tran"),
        ("Chen", ""),
        ("Nakamura", ""),
    ],
};

const ARABIC_LATIN: Culture = Culture {
    weight: 3,
    latin: true,
    family_first: false,
    given: &[
        ("Youssef", "", 'm', "", ""),
        ("Layla", "", 'f', "", ""),
        ("Rania", "", 'f', "", ""),
        ("Tariq", "", 'm', "", ""),
        ("Noor", "", 'n', "", ""),
    ],
    family: &[
        ("Al-Khatib", ""),
        ("El-Amin", ""),
        ("Haddad", ""),
        ("Abou Jaoudé", "Abou Jaoude"),
    ],
};

const ARABIC_SCRIPT: Culture = Culture {
    weight: 3,
    latin: false,
    family_first: false,
    given: &[
        ("ليلى", "Layla", 'f', "", ""),
        ("عمر", "Omar", 'm', "", ""),
        ("فاطمة", "Fatima", 'f', "", ""),
        ("يوسف", "Youssef", 'm', "", ""),
        ("نور", "Nour", 'n', "", ""),
        ("سلمى", "Salma", 'f', "", ""),
        ("كريم", "Karim", 'm', "", ""),
    ],
    family: &[
        ("حداد", "Haddad"),
        ("الخطيب", "Al-Khatib"),
        ("منصور", "Mansour"),
        ("صالح", "Saleh"),
        ("ناصر", "Nasser"),
    ],
};

const CHINESE_SCRIPT: Culture = Culture {
    weight: 3,
    latin: false,
    family_first: true,
    given: &[
        ("美玲", "Meiling", 'f', "", ""),
        ("小明", "Xiaoming", 'm', "", ""),
        ("嘉怡", "Jiayi", 'f', "", ""),
        ("子轩", "Zixuan", 'm', "", ""),
        ("雨桐", "Yutong", 'f', "", ""),
        ("志强", "Zhiqiang", 'm', "", ""),
        ("思远", "Siyuan", 'n', "", ""),
    ],
    family: &[
        ("王", "Wang"),
        ("李", "Li"),
        ("陈", "Chen"),
        ("张", "Zhang"),
        ("刘", "Liu"),
        ("黄", "Huang"),
    ],
};

const GREEK_SCRIPT: Culture = Culture {
    weight: 3,
    latin: false,
    family_first: false,
    given: &[
        ("Ελένη", "Eleni", 'f', "", ""),
        ("Γιώργος", "Giorgos", 'm', "", ""),
        ("Δημήτρης", "Dimitris", 'm', "", ""),
        ("Κατερίνα", "Katerina", 'f', "", ""),
        ("Νίκος", "Nikos", 'm', "", ""),
        ("Σοφία", "Sofia", 'f', "", ""),
    ],
    family: &[
        ("Γεωργίου", "Georgiou"),
        ("Νικολάου", "Nikolaou"),
        ("Ιωάννου", "Ioannou"),
        ("Χριστοδούλου", "Christodoulou"),
        ("Κωνσταντίνου", "Konstantinou"),
    ],
};

const CULTURES: &[&Culture] = &[
    &ENGLISH,
    &HISPANIC,
    &FRENCH,
    &GERMANIC,
    &SLAVIC,
    &TURKISH,
    &PERSIAN,
    &WEST_AFRICAN,
    &SOUTH_ASIAN,
    &EAST_ASIAN,
    &ARABIC_LATIN,
    &ARABIC_SCRIPT,
    &CHINESE_SCRIPT,
    &GREEK_SCRIPT,
];

/// Names some members choose for themselves, with a gender hint.
const CHOSEN: &[(&str, char)] = &[
    ("Alex", 'n'),
    ("Sam", 'n'),
    ("River", 'n'),
    ("Rowan", 'n'),
    ("Quinn", 'n'),
    ("Ash", 'n'),
    ("Mia", 'f'),
    ("Eli", 'm'),
    ("Kit", 'n'),
    ("Nadia", 'f'),
    ("Leo", 'm'),
];

/// Therapists: co-facilitators and members' individual therapists.
pub(super) const THERAPISTS: &[&str] = &[
    "Dr. Ngozi Adeyemi, Clinical Psychologist",
    "Tomás Ferreira, LCSW",
    "Hannah Lindqvist, Registered Psychotherapist",
    "Dr. Farid Haddad, Psychiatrist",
    "Mei-Ling Tsai, Counselling Psychologist",
    "Seán Ó Briain, Psychotherapist",
    "Dr. Ruth Abernethy-Kaur, Clinical Psychologist",
    "Joanna Wiśniewska, Family Therapist",
    "Kofi Asante, Mental Health Counsellor",
    "Dr. Inés Villalobos, Psychologist",
    "Priyanka Menon, Art Therapist",
    "Daniel Okafor, LMFT",
];

/// Whom a member names as emergency contact: the relation, its gender hint, and whether
/// they usually share the member's family name.
const RELATIONS: &[(&str, char, bool)] = &[
    ("partner", 'n', false),
    ("spouse", 'n', true),
    ("mother", 'f', true),
    ("father", 'm', true),
    ("sister", 'f', true),
    ("brother", 'm', true),
    ("daughter", 'f', true),
    ("son", 'm', true),
    ("aunt", 'f', false),
    ("friend", 'n', false),
    ("flatmate", 'n', false),
];

/// Where the practice is, which decides most members' phone numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Region {
    /// +1, 555-01xx numbers.
    NorthAmerica,
    /// +44 7700 900xxx numbers.
    Uk,
    /// +61 491 570 xxx numbers.
    Australia,
}

/// One invented person, ready to become a member.
#[derive(Clone, Debug)]
pub(super) struct Person {
    /// The legal name.
    pub legal: String,
    /// The name they go by, if different ("" when not).
    pub preferred: String,
    /// Pronouns, or "" when not stated.
    pub pronouns: String,
    /// What a note calls them: their first (or chosen, or short) name.
    pub call_name: String,
    /// A plausible, valid email address (empty for a few).
    pub email: String,
    /// A plausible phone number (empty for a few).
    pub phone: String,
    /// Someone to call, with relation and phone.
    pub emergency_contact: String,
}

/// Makes people with unique email addresses.
pub(super) struct People {
    region: Region,
    emails: BTreeMap<String, u32>,
}

/// One person's name parts before they are written out.
struct NameParts {
    given: Spelled,
    /// The family name as written, and its ASCII spelling (owned: it may be double-barrelled).
    family: (String, String),
    gender: char,
    short: Spelled,
    family_first: bool,
    latin: bool,
    /// The tradition the given name comes from.
    culture: &'static Culture,
}

impl People {
    /// A maker for a practice in `region`.
    pub(super) fn new(region: Region) -> Self {
        Self {
            region,
            emails: BTreeMap::new(),
        }
    }

    /// A new invented person.
    pub(super) fn person(&mut self, rng: &mut Rng) -> Person {
        let parts = name_parts(rng);
        let legal = full_name(parts.given.0, &parts.family.0, parts.family_first);
        let (preferred, call, email_given, gender) = preferred_name(rng, &parts);
        let pronouns = pronouns(rng, gender, !preferred.is_empty() && gender != parts.gender);
        let email = if rng.chance(0.04) {
            String::new()
        } else {
            self.email(rng, email_given, &parts.family.1)
        };
        let phone = if rng.chance(0.03) {
            String::new()
        } else {
            self.phone(rng)
        };
        let emergency_contact = self.emergency_contact(rng, &parts);
        Person {
            legal,
            preferred,
            pronouns,
            call_name: call,
            email,
            phone,
            emergency_contact,
        }
    }

    fn email(&mut self, rng: &mut Rng, given: &str, family: &str) -> String {
        let domain = rng.pick(&["example.org", "example.com", "example.net"]);
        let base = format!("{}.{}", fold(given), fold(family));
        let seen = self.emails.entry(format!("{base}@{domain}")).or_insert(0);
        *seen += 1;
        match *seen {
            1 => format!("{base}@{domain}"),
            n => format!("{base}{n}@{domain}"),
        }
    }

    /// A phone number: mostly the practice's region, some from abroad.
    pub(super) fn phone(&self, rng: &mut Rng) -> String {
        let region = if rng.chance(0.9) {
            self.region
        } else {
            *rng.pick(&[Region::NorthAmerica, Region::Uk, Region::Australia])
        };
        phone_in(rng, region)
    }

    /// A relative from the member's own naming tradition, or a friend from any (in the same
    /// script), with a given name that fits the relation.
    fn emergency_contact(&self, rng: &mut Rng, parts: &NameParts) -> String {
        let &(relation, gender, shares_family) = rng.pick(RELATIONS);
        let culture = if shares_family || !parts.culture.latin {
            parts.culture
        } else {
            latin_culture(rng)
        };
        let fitting: Vec<&Given> = culture
            .given
            .iter()
            .filter(|g| g.0 != parts.given.0 && (gender == 'n' || g.2 == gender || g.2 == 'n'))
            .collect();
        let given = rng.choose(&fitting).map_or(parts.given.0, |g| g.0);
        let family = if shares_family {
            parts.family.0.as_str()
        } else {
            rng.pick(culture.family).0
        };
        let name = full_name(given, family, culture.family_first);
        format!("{name} ({relation}), {}", self.phone(rng))
    }
}

fn name_parts(rng: &mut Rng) -> NameParts {
    let weights: Vec<u32> = CULTURES.iter().map(|c| c.weight).collect();
    let culture = CULTURES[rng.weighted(&weights)];
    let &(given, given_ascii, gender, short, short_ascii) = rng.pick(culture.given);
    let mut family = *rng.pick(culture.family);
    if culture.latin && rng.chance(0.15) {
        let other = latin_culture(rng);
        family = *rng.pick(other.family);
    }
    let family = if culture.latin && rng.chance(0.08) {
        double_barrelled(rng, family)
    } else {
        (family.0.to_owned(), ascii(family).to_owned())
    };
    NameParts {
        given: (given, given_ascii),
        family,
        gender,
        short: (short, short_ascii),
        family_first: culture.family_first,
        latin: culture.latin,
        culture,
    }
}

/// A hyphenated family name from two banks ("García-Nakamura"), with its ASCII spelling.
fn double_barrelled(rng: &mut Rng, first: Spelled) -> (String, String) {
    let other = latin_culture(rng);
    let second = *rng.pick(other.family);
    let text = format!("{}-{}", first.0, second.0);
    let ascii_form = format!("{}-{}", ascii(first), ascii(second));
    (text, ascii_form)
}

fn latin_culture(rng: &mut Rng) -> &'static Culture {
    let latin: Vec<&'static Culture> = CULTURES.iter().copied().filter(|c| c.latin).collect();
    latin[rng.below(latin.len())]
}

/// The preferred name, the call name, the given name used in the email, and the gender hint
/// that goes with the name they use.
fn preferred_name(rng: &mut Rng, p: &NameParts) -> (String, String, &'static str, char) {
    let family_roman = if p.latin { &p.family.0 } else { &p.family.1 };
    if rng.chance(0.03) {
        let &(chosen, gender) = rng.pick(CHOSEN);
        let full = full_name(chosen, family_roman, false);
        return (full, chosen.to_owned(), chosen, gender);
    }
    if !p.short.0.is_empty() && rng.chance(0.35) {
        let full = full_name(p.short.0, &p.family.0, p.family_first);
        return (full, p.short.0.to_owned(), ascii(p.short), p.gender);
    }
    if !p.latin && rng.chance(0.4) {
        let roman = ascii(p.given);
        let full = full_name(roman, family_roman, false);
        return (full, roman.to_owned(), roman, p.gender);
    }
    (
        String::new(),
        p.given.0.to_owned(),
        ascii(p.given),
        p.gender,
    )
}

/// Pronouns: stated by about two in three, always by someone who chose a new name.
fn pronouns(rng: &mut Rng, gender: char, chosen: bool) -> String {
    if !chosen && rng.chance(0.35) {
        return String::new();
    }
    let text = match gender {
        'f' if rng.chance(0.9) => "she/her",
        'f' => "she/they",
        'm' if rng.chance(0.9) => "he/him",
        'm' => "he/they",
        _ => *rng.pick(&[
            "they/them",
            "they/them",
            "they/them",
            "she/her",
            "he/him",
            "ze/hir",
        ]),
    };
    text.to_owned()
}

fn full_name(given: &str, family: &str, family_first: bool) -> String {
    if family_first {
        format!("{family}{given}")
    } else {
        format!("{given} {family}")
    }
}

fn ascii(name: Spelled) -> &'static str {
    if name.1.is_empty() {
        name.0
    } else {
        name.1
    }
}

/// Lower-case ASCII letters, digits and hyphens only: "O'Brien" → "obrien", "de la Cruz" →
/// "delacruz".
fn fold(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn phone_in(rng: &mut Rng, region: Region) -> String {
    match region {
        Region::NorthAmerica => {
            let area = rng.pick(&[212, 312, 415, 503, 604, 617, 647, 206, 713, 902]);
            format!("+1 ({area}) 555-01{:02}", rng.below(100))
        }
        Region::Uk => format!("+44 7700 900{:03}", rng.below(1000)),
        Region::Australia => format!("+61 491 570 {:03}", rng.below(1000)),
    }
}

/// The fictional practitioner and practice, and the region they work in.
pub(super) fn profile(rng: &mut Rng) -> (PracticeProfile, Region) {
    let region = *rng.pick(&[Region::NorthAmerica, Region::Uk, Region::Australia]);
    let (practitioner, credentials) = *rng.pick(&[
        (
            "Dr. Amara Okafor-Lindqvist",
            "PhD, Registered Psychotherapist, Certified Group Psychotherapist",
        ),
        (
            "Marisol Etxeberria",
            "LCSW, Certified Group Psychotherapist",
        ),
        (
            "Dr. Tobias Achterberg",
            "DClinPsy, Chartered Clinical Psychologist",
        ),
        (
            "Leilani Kealoha-Brandt",
            "MA, Registered Clinical Counsellor",
        ),
        ("Dr. Siddharth Rao", "PsyD, Licensed Psychologist"),
    ]);
    let practice = *rng.pick(&[
        "Harbourlight Group Therapy",
        "Willow Street Psychotherapy",
        "The Commons Counselling Collective",
        "Riverbend Group Practice",
        "Northgate Therapy Rooms",
    ]);
    let phone = phone_in(rng, region);
    let contact_line = format!(
        "Suite 4, 12 Example Street · {phone} · groups@{}.example.org",
        fold(&practice.replace(' ', "-")).trim_start_matches("the-")
    );
    let profile = PracticeProfile {
        practitioner_name: practitioner.to_owned(),
        credentials: credentials.to_owned(),
        practice_name: practice.to_owned(),
        contact_line,
        auto_lock_minutes: 10,
    };
    (profile, region)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_ascii_letters_digits_and_hyphens() {
        assert_eq!(fold("O'Brien"), "obrien");
        assert_eq!(fold("de la Cruz"), "delacruz");
        assert_eq!(fold("Al-Khatib"), "al-khatib");
    }

    #[test]
    fn every_bank_entry_has_an_ascii_spelling() {
        for culture in CULTURES {
            for g in culture.given {
                assert!(ascii((g.0, g.1)).is_ascii(), "{}", g.0);
                assert!(ascii((g.3, g.4)).is_ascii(), "{}", g.3);
            }
            for f in culture.family {
                assert!(ascii(*f).is_ascii(), "{}", f.0);
            }
        }
    }
}
