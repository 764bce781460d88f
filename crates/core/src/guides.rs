//! Starting guides per theme, in Dutch and English: what an ambassador says at the door and the
//! answers to the questions neighbours ask most. Marked as drafts for the team's content
//! experts to make their own; the figures are typical for the Netherlands and the team checks
//! them for its buurt.

use crate::domain::{GuideKind, Theme};
use crate::ids::{GuideItemId, ProjectId};
use crate::op::Payload;
use crate::templates::{Lang, Text};

/// One item of a starting guide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GuideTemplate {
    /// Opening, key point or question.
    pub kind: GuideKind,
    /// The text (for a question: the question).
    pub text: Text,
    /// The answer (questions only; empty otherwise).
    pub answer: Text,
}

const NONE: Text = Text::new("", "");

const fn opening(nl: &'static str, en: &'static str) -> GuideTemplate {
    GuideTemplate {
        kind: GuideKind::Opening,
        text: Text::new(nl, en),
        answer: NONE,
    }
}

const fn point(nl: &'static str, en: &'static str) -> GuideTemplate {
    GuideTemplate {
        kind: GuideKind::KeyPoint,
        text: Text::new(nl, en),
        answer: NONE,
    }
}

const fn question(
    q: (&'static str, &'static str),
    a: (&'static str, &'static str),
) -> GuideTemplate {
    GuideTemplate {
        kind: GuideKind::Question,
        text: Text::new(q.0, q.1),
        answer: Text::new(a.0, a.1),
    }
}

const AED: &[GuideTemplate] = &[
    opening(
        "Wij zijn buren uit het buurtteam. We willen samen een AED in de straat hangen, zodat bij een hartstilstand snel hulp is.",
        "We are neighbours from the buurt team. Together we want to hang an AED in the street, so help is quick when someone's heart stops.",
    ),
    point(
        "Bij een hartstilstand telt elke minuut: met reanimatie en een AED binnen zes minuten is de kans op overleven het grootst.",
        "In a cardiac arrest every minute counts: with CPR and an AED within six minutes the chance of survival is highest.",
    ),
    point(
        "Iedereen kan een AED gebruiken: het apparaat zegt hardop wat je moet doen en geeft alleen een schok als dat nodig is.",
        "Anyone can use an AED: the device says out loud what to do and only gives a shock when one is needed.",
    ),
    question(
        ("Wat is een AED?", "What is an AED?"),
        (
            "Een draagbaar apparaat dat met een stroomstoot het hart weer in het goede ritme kan brengen. Het analyseert zelf het hartritme.",
            "A portable device that can restore the heart's rhythm with an electric shock. It analyses the heart rhythm itself.",
        ),
    ),
    question(
        (
            "Wat kost het per huishouden?",
            "What does it cost per household?",
        ),
        (
            "Een AED met een verwarmde buitenkast kost ongeveer 1.500 euro. Met 60 huishoudens is dat 25 euro per huishouden, eenmalig. Een bijdrage is vrijwillig.",
            "An AED with a heated outdoor cabinet costs about EUR 1,500. With 60 households that is EUR 25 per household, once. A contribution is voluntary.",
        ),
    ),
    question(
        ("Wie onderhoudt hem?", "Who maintains it?"),
        (
            "Een beheerder uit de buurt kijkt hem elke maand na en vervangt batterij en elektroden op tijd; dat zit in de begroting.",
            "A neighbour acting as keeper checks it every month and replaces the battery and pads in time; that is in the budget.",
        ),
    ),
    question(
        ("Waar komt hij te hangen?", "Where will it hang?"),
        (
            "Aan een gevel midden in de buurt, dag en nacht bereikbaar. De plek spreken we samen af, met toestemming van de eigenaar van de gevel.",
            "On a wall in the middle of the buurt, reachable day and night. We agree on the spot together, with the consent of the wall's owner.",
        ),
    ),
    question(
        (
            "Hoe werkt het oproepsysteem?",
            "How does the alert system work?",
        ),
        (
            "De AED wordt aangemeld bij het landelijke netwerk van burgerhulpverleners. Bij een melding stuurt de meldkamer tegelijk met de ambulance een bericht naar getrainde buren in de buurt: de een gaat reanimeren, de ander haalt de AED met de code van de kast.",
            "The AED is registered in the national network of volunteer responders. On an emergency call the dispatch centre alerts trained neighbours nearby alongside the ambulance: one starts CPR, another fetches the AED with the cabinet's code.",
        ),
    ),
    question(
        ("Moet ik kunnen reanimeren?", "Do I need to know CPR?"),
        (
            "Nee. Wie wil, kan meedoen aan een reanimatiecursus die we in de buurt organiseren.",
            "No. Whoever wants to can join a CPR course we organise in the buurt.",
        ),
    ),
];

const SOLAR: &[GuideTemplate] = &[
    opening(
        "Wij zijn buren uit het buurtteam. We kopen samen zonnepanelen in: dat scheelt geld en gedoe.",
        "We are neighbours from the buurt team. We are buying solar panels together: that saves money and hassle.",
    ),
    point(
        "Samen inkopen geeft een lagere prijs en één betrouwbare installateur voor de hele straat.",
        "Buying together gives a lower price and one reliable installer for the whole street.",
    ),
    question(
        ("Is mijn dak geschikt?", "Is my roof suitable?"),
        (
            "Een dak op het zuiden, oosten of westen zonder veel schaduw is meestal geschikt. De installateur komt vrijblijvend kijken.",
            "A roof facing south, east or west without much shade is usually suitable. The installer comes to look, without obligation.",
        ),
    ),
    question(
        (
            "Wat kost het en wat levert het op?",
            "What does it cost and what does it save?",
        ),
        (
            "Dat hangt af van het aantal panelen. Het buurtteam vraagt één offerte voor iedereen en rekent de terugverdientijd voor je uit.",
            "That depends on the number of panels. The buurt team asks one quote for everyone and works out the payback time for you.",
        ),
    ),
    question(
        (
            "Ik huur mijn huis. Kan ik meedoen?",
            "I rent my home. Can I join?",
        ),
        (
            "Dan is toestemming van de verhuurder nodig; we helpen met een brief. Bij een VvE beslist de vergadering.",
            "Then the landlord's consent is needed; we help with a letter. In an owners' association the meeting decides.",
        ),
    ),
];

const INSULATION: &[GuideTemplate] = &[
    opening(
        "Wij zijn buren uit het buurtteam. We pakken samen isolatie aan, zodat huizen warmer en de rekeningen lager worden.",
        "We are neighbours from the buurt team. We are insulating together, so homes get warmer and bills lower.",
    ),
    point(
        "Een gratis energiescan laat zien waar je huis warmte verliest en wat het eerst loont.",
        "A free energy scan shows where your home loses heat and what pays off first.",
    ),
    question(
        ("Wat levert het op?", "What does it save?"),
        (
            "Spouwmuur-, vloer- en dakisolatie verdienen zich vaak in enkele jaren terug; het scheelt ook tocht en kou.",
            "Cavity wall, floor and roof insulation often pay for themselves within a few years; they also stop draughts and cold.",
        ),
    ),
    question(
        ("Is er subsidie?", "Is there a subsidy?"),
        (
            "Vaak wel, van het Rijk of de gemeente. Het buurtteam zoekt uit wat er nu geldt en helpt met de aanvraag.",
            "Often, from the national government or the municipality. The buurt team finds out what applies now and helps with the application.",
        ),
    ),
];

const GREENING: &[GuideTemplate] = &[
    opening(
        "Wij zijn buren uit het buurtteam. We maken de buurt samen groener: groene daken en minder tegels in de tuin.",
        "We are neighbours from the buurt team. We are making the buurt greener together: green roofs and fewer tiles in gardens.",
    ),
    point(
        "Groen houdt regenwater vast, koelt in de zomer en geeft vogels en insecten ruimte.",
        "Green holds rainwater, cools in summer and gives birds and insects room.",
    ),
    question(
        (
            "Kan mijn dak een groen dak dragen?",
            "Can my roof carry a green roof?",
        ),
        (
            "Een sedumdak weegt weinig, maar een deskundige kijkt eerst naar de draagkracht van je dak.",
            "A sedum roof weighs little, but an expert first checks what your roof can carry.",
        ),
    ),
    question(
        ("Wie doet het onderhoud?", "Who does the upkeep?"),
        (
            "Weinig: een paar keer per jaar water geven bij droogte en onkruid weghalen. We maken er samen een rooster voor.",
            "Little: watering a few times a year in drought and removing weeds. We make a rota together.",
        ),
    ),
];

/// The starting guide for `theme`, in plan order.
pub fn guide(theme: Theme) -> &'static [GuideTemplate] {
    match theme {
        Theme::Aed => AED,
        Theme::Solar => SOLAR,
        Theme::Insulation => INSULATION,
        Theme::Greening => GREENING,
        Theme::Other => &[],
    }
}

/// The operations' payloads that give `project` the starting guide of `theme` in `lang`,
/// marked as drafts. `new_id` supplies one fresh id per item.
pub fn guide_payloads(
    theme: Theme,
    project: ProjectId,
    lang: Lang,
    mut new_id: impl FnMut() -> GuideItemId,
) -> Vec<Payload> {
    guide(theme)
        .iter()
        .enumerate()
        .map(|(i, g)| Payload::GuideItemAdd {
            item: new_id(),
            project,
            kind: g.kind,
            text: g.text.get(lang).to_owned(),
            answer: g.answer.get(lang).to_owned(),
            order: (i as i64 + 1) * 1024,
            draft: true,
        })
        .collect()
}

#[cfg(all(test, feature = "english"))]
mod tests {
    use super::*;

    #[test]
    fn every_guide_speaks_both_languages_and_the_aed_guide_answers_the_usual_questions() {
        for theme in Theme::ALL {
            for g in guide(theme) {
                assert!(!g.text.nl.is_empty() && !g.text.en.is_empty(), "{g:?}");
                assert_ne!(g.text.nl, g.text.en);
                assert_eq!(
                    g.kind == GuideKind::Question,
                    !g.answer.nl.is_empty() && !g.answer.en.is_empty(),
                    "{g:?}"
                );
            }
            if theme != Theme::Other {
                assert_eq!(guide(theme)[0].kind, GuideKind::Opening, "{theme:?}");
            }
        }
        let aed: Vec<&str> = guide(Theme::Aed).iter().map(|g| g.text.en).collect();
        for asked in [
            "What is an AED?",
            "What does it cost per household?",
            "Who maintains it?",
            "Where will it hang?",
            "How does the alert system work?",
        ] {
            assert!(aed.contains(&asked), "{asked}");
        }
        let mut n = 0u8;
        let payloads = guide_payloads(
            Theme::Aed,
            ProjectId::new_v7(1_764_000_000_000, [1; 10]),
            Lang::Nl,
            || {
                n += 1;
                GuideItemId::new_v7(1_764_000_000_000, [n; 10])
            },
        );
        assert_eq!(payloads.len(), guide(Theme::Aed).len());
        assert!(
            payloads
                .iter()
                .all(|p| matches!(p, Payload::GuideItemAdd { draft: true, .. }))
        );
    }
}
