//! The resident's form: reading what was sent, checking it field by field in the resident's
//! language, and the address it names.

use std::collections::BTreeSet;

use buurtbel_core::domain::{Channel, ConsentPurpose, Interest, Outcome, Role};
use buurtbel_core::state::State;
use buurtbel_core::validate::{HOUSE_NUMBER_MAX, NAME_MAX, PLEDGE_MAX, is_postcode};

use super::text::Text;

/// The fields as sent, in order (a checkbox group sends its name once per ticked box).
#[derive(Clone, Debug, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// Reads an `application/x-www-form-urlencoded` body.
    pub fn parse(body: &[u8]) -> Fields {
        Fields(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// The first value of `name`, trimmed ("" when absent).
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.trim())
    }

    /// Whether a box `name` with `value` was ticked.
    pub fn has(&self, name: &str, value: &str) -> bool {
        self.0.iter().any(|(k, v)| k == name && v == value)
    }

    /// Sets `name` to `value` (for a form filled in from a stored answer).
    pub fn push(&mut self, name: &str, value: impl Into<String>) {
        self.0.push((name.to_owned(), value.into()));
    }
}

/// What the resident chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// "Ik doe mee".
    Joins,
    /// "Misschien".
    Maybe,
    /// "Liever niet meer aanbellen".
    NoVisits,
}

impl Choice {
    /// The form's value for it.
    pub fn value(self) -> &'static str {
        match self {
            Choice::Joins => "doet-mee",
            Choice::Maybe => "misschien",
            Choice::NoVisits => "niet-aanbellen",
        }
    }

    /// The door's outcome for it.
    pub fn outcome(self, team: bool) -> Outcome {
        match self {
            Choice::Joins => Outcome::Joins,
            Choice::Maybe if team => Outcome::WantsToJoinTeam,
            Choice::Maybe => Outcome::Interested,
            Choice::NoVisits => Outcome::DoNotVisit,
        }
    }

    /// The project's interest for it.
    pub fn interest(self) -> Option<Interest> {
        match self {
            Choice::Joins => Some(Interest::Joins),
            Choice::Maybe => Some(Interest::Maybe),
            Choice::NoVisits => None,
        }
    }
}

/// Role values of the form.
pub const ROLES: [(Role, &str); 3] = [
    (Role::Expert, "expert"),
    (Role::Connector, "verbinder"),
    (Role::Driver, "ondernemer"),
];

/// Consent purposes of the form.
pub const PURPOSES: [(ConsentPurpose, &str); 3] = [
    (ConsentPurpose::ProjectUpdates, "nieuws"),
    (ConsentPurpose::MeetingInvitations, "bijeenkomsten"),
    (ConsentPurpose::TeamRecruitment, "buurtteam"),
];

/// Channels of the form.
pub const CHANNELS: [(Channel, &str); 4] = [
    (Channel::Email, "email"),
    (Channel::Phone, "bellen"),
    (Channel::Message, "bericht"),
    (Channel::Letterbox, "brievenbus"),
];

/// A Dutch address as the resident typed it, normalized.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Home {
    /// "1234 AB".
    pub postcode: String,
    /// House number.
    pub number: u32,
    /// House letter ("a").
    pub letter: String,
    /// Addition ("2").
    pub addition: String,
}

impl Home {
    /// The key two ways of writing one address share: postcode without space, number, and
    /// letter and addition together in lower case without separators.
    fn key(postcode: &str, number: u32, letter: &str, addition: &str) -> (String, u32, String) {
        let compact = |s: &str| -> String {
            s.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect()
        };
        (
            compact(postcode),
            number,
            format!("{}{}", compact(letter), compact(addition)),
        )
    }

    /// The address on the walk list (live), or a proposal still waiting, with this key.
    pub fn find(&self, state: &State) -> Option<buurtbel_core::ids::AddressId> {
        let key = Home::key(&self.postcode, self.number, &self.letter, &self.addition);
        state
            .addresses
            .iter()
            .filter(|(_, a)| a.life.is_live())
            .find(|(_, a)| {
                Home::key(
                    &a.postcode.value,
                    a.number.value,
                    &a.letter.value,
                    &a.addition.value,
                ) == key
            })
            .map(|(id, _)| *id)
            .or_else(|| {
                buurtbel_core::views::proposals(state)
                    .into_iter()
                    .find(|(_, p)| Home::key(&p.postcode, p.number, &p.letter, &p.addition) == key)
                    .map(|(id, _)| id)
            })
    }
}

/// What the resident gave, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// Their address (none when changing through the private link: it stays).
    pub home: Option<Home>,
    /// Joins, maybe, or no more visits.
    pub choice: Choice,
    /// A pledge in the project's unit.
    pub pledge: Option<u32>,
    /// Wants to join the team, in these roles (empty: any).
    pub team: Option<BTreeSet<Role>>,
    /// Contact details with the consent they come with.
    pub contact: Option<Contact>,
}

/// Contact details and what they may be used for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contact {
    pub name: String,
    pub phone: String,
    pub email: String,
    pub purposes: BTreeSet<ConsentPurpose>,
    pub channels: BTreeSet<Channel>,
}

/// A problem with one field: the field's name in the form and what to do.
pub type Problem = (&'static str, &'static str);

/// Reads the answer from `fields`; `with_home` when the address is part of the form.
pub fn read(fields: &Fields, t: &Text, with_home: bool) -> Result<Answer, Vec<Problem>> {
    let mut problems = Vec::new();
    let home = if with_home {
        read_home(fields, t, &mut problems)
    } else {
        None
    };
    let choice = match fields.get("keuze") {
        "doet-mee" => Some(Choice::Joins),
        "misschien" => Some(Choice::Maybe),
        "niet-aanbellen" => Some(Choice::NoVisits),
        _ => {
            problems.push(("keuze", t.need_choice));
            None
        }
    };
    let pledge = match fields.get("toezegging") {
        "" => None,
        text => match text.parse::<u32>() {
            Ok(0) => None,
            Ok(n) if n <= PLEDGE_MAX => Some(n),
            _ => {
                problems.push(("toezegging", t.bad_pledge));
                None
            }
        },
    };
    let team = fields.has("team", "ja").then(|| {
        ROLES
            .iter()
            .filter(|(_, v)| fields.has("rol", v))
            .map(|(r, _)| *r)
            .collect()
    });
    let contact = read_contact(fields, t, &mut problems);
    match choice {
        Some(choice) if problems.is_empty() => Ok(Answer {
            home,
            choice,
            // A pledge belongs to joining.
            pledge: pledge.filter(|_| choice == Choice::Joins),
            team: team.filter(|_| choice != Choice::NoVisits),
            contact,
        }),
        _ => Err(problems),
    }
}

fn read_home(fields: &Fields, t: &Text, problems: &mut Vec<Problem>) -> Option<Home> {
    let compact: String = fields
        .get("postcode")
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let postcode = if compact.len() == 6 && compact.is_char_boundary(4) {
        format!("{} {}", &compact[..4], &compact[4..])
    } else {
        compact
    };
    if !is_postcode(&postcode) {
        problems.push(("postcode", t.need_postcode));
    }
    let number = match fields.get("huisnummer").parse::<u32>() {
        Ok(n) if (1..=HOUSE_NUMBER_MAX).contains(&n) => Some(n),
        _ => {
            problems.push(("huisnummer", t.need_number));
            None
        }
    };
    let suffix: String = fields
        .get("toevoeging")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let (letter, addition) = match suffix.chars().next() {
        // One letter alone is a house letter; anything else an addition.
        Some(c) if suffix.len() == 1 && c.is_ascii_alphabetic() => {
            (suffix.to_ascii_lowercase(), String::new())
        }
        _ => (String::new(), suffix),
    };
    if addition.chars().count() > 4 || !addition.chars().all(|c| c.is_ascii_alphanumeric()) {
        problems.push(("toevoeging", t.bad_suffix));
    }
    let number = number?;
    problems.is_empty().then_some(Home {
        postcode,
        number,
        letter,
        addition,
    })
}

fn read_contact(fields: &Fields, t: &Text, problems: &mut Vec<Problem>) -> Option<Contact> {
    let (name, phone, email) = (
        fields.get("naam"),
        fields.get("telefoon"),
        fields.get("email"),
    );
    let purposes: BTreeSet<_> = PURPOSES
        .iter()
        .filter(|(_, v)| fields.has("doel", v))
        .map(|(p, _)| *p)
        .collect();
    let channels: BTreeSet<_> = CHANNELS
        .iter()
        .filter(|(_, v)| fields.has("kanaal", v))
        .map(|(c, _)| *c)
        .collect();
    let before = problems.len();
    if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        problems.push(("naam", t.bad_name));
    }
    if phone.chars().count() > 20
        || !phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-()".contains(c))
    {
        problems.push(("telefoon", t.bad_phone));
    }
    let email_ok = email.is_empty()
        || (email.len() <= 254
            && !email.contains(char::is_whitespace)
            && email
                .split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.')));
    if !email_ok {
        problems.push(("email", t.bad_email));
    }
    let details = !name.is_empty() || !phone.is_empty() || !email.is_empty();
    if !details && purposes.is_empty() && channels.is_empty() {
        return None;
    }
    if purposes.is_empty() || channels.is_empty() {
        problems.push((
            if purposes.is_empty() {
                "doel"
            } else {
                "kanaal"
            },
            if details {
                t.need_consent
            } else {
                t.need_purpose_channel
            },
        ));
    }
    if channels.contains(&Channel::Email) && email.is_empty() {
        problems.push(("email", t.need_email));
    }
    if (channels.contains(&Channel::Phone) || channels.contains(&Channel::Message))
        && phone.is_empty()
    {
        problems.push(("telefoon", t.need_phone));
    }
    (problems.len() == before).then(|| Contact {
        name: name.to_owned(),
        phone: phone.to_owned(),
        email: email.to_owned(),
        purposes,
        channels,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resident::text::NL;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        let mut f = Fields::default();
        for (k, v) in pairs {
            f.push(k, *v);
        }
        f
    }

    #[test]
    fn an_address_is_read_however_it_is_typed() {
        let answer = read(
            &fields(&[
                ("postcode", " 3581ba "),
                ("huisnummer", "12"),
                ("toevoeging", "A"),
                ("keuze", "doet-mee"),
                ("toezegging", "25"),
            ]),
            &NL,
            true,
        )
        .expect("valid");
        let home = answer.home.expect("home");
        assert_eq!(home.postcode, "3581 BA");
        assert_eq!((home.number, home.letter.as_str()), (12, "a"));
        assert_eq!(answer.pledge, Some(25));
        let answer = read(
            &fields(&[
                ("postcode", "3581 BA"),
                ("huisnummer", "12"),
                ("toevoeging", "-2"),
                ("keuze", "misschien"),
                ("toezegging", "25"),
            ]),
            &NL,
            true,
        )
        .expect("valid");
        assert_eq!(answer.home.expect("home").addition, "2");
        assert_eq!(answer.pledge, None, "a pledge belongs to joining");
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let problems = read(
            &fields(&[
                ("postcode", "0000 XX"),
                ("huisnummer", "twaalf"),
                ("toevoeging", "<b>"),
                ("toezegging", "-3"),
                ("naam", "Anna"),
                ("email", "anna"),
            ]),
            &NL,
            true,
        )
        .expect_err("invalid");
        let named: Vec<&str> = problems.iter().map(|(f, _)| *f).collect();
        for field in [
            "postcode",
            "huisnummer",
            "toevoeging",
            "keuze",
            "toezegging",
            "email",
            "doel",
        ] {
            assert!(named.contains(&field), "{field} in {named:?}");
        }
    }

    #[test]
    fn contact_details_come_only_with_a_purpose_and_a_way() {
        let base = [
            ("postcode", "3581 BA"),
            ("huisnummer", "12"),
            ("keuze", "doet-mee"),
        ];
        let mut with = base.to_vec();
        with.extend([
            ("naam", "Anna"),
            ("email", "anna@example.nl"),
            ("doel", "nieuws"),
            ("kanaal", "email"),
        ]);
        let contact = read(&fields(&with), &NL, true)
            .expect("valid")
            .contact
            .expect("contact");
        assert_eq!(contact.channels, [Channel::Email].into());
        assert_eq!(contact.purposes, [ConsentPurpose::ProjectUpdates].into());
        let mut by_phone = base.to_vec();
        by_phone.extend([("doel", "nieuws"), ("kanaal", "bellen")]);
        let problems = read(&fields(&by_phone), &NL, true).expect_err("no number");
        assert_eq!(problems, [("telefoon", NL.need_phone)]);
        assert_eq!(
            read(&fields(&base), &NL, true).expect("valid").contact,
            None
        );
    }
}
