//! Step-plan templates per theme, in Dutch and English.
//!
//! Every template starts with the same three steps: form the team with all three roles, a first
//! team meeting, and a first buurt meeting. The theme's own steps follow, drawn from public Dutch
//! step plans. A team may add, skip, reorder or reopen steps afterwards.

use crate::domain::{Evidence, Measure, Phase, Role, Target, Theme, Unit};
use crate::ids::{ProjectId, StepId};
use crate::op::Payload;

/// A language of the templates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Dutch.
    Nl,
    /// English.
    En,
}

/// A text in both languages. Without the `english` feature (the phone app's build, which
/// fetches its English texts when English is chosen) only the Dutch one is compiled in, and
/// the English one comes from [`set_english`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    /// Dutch.
    pub nl: &'static str,
    /// English.
    #[cfg(feature = "english")]
    pub en: &'static str,
}

impl Text {
    /// A text in Dutch and English (the English left out of a build without `english`).
    pub const fn new(nl: &'static str, en: &'static str) -> Text {
        #[cfg(not(feature = "english"))]
        let _ = en;
        Text {
            nl,
            #[cfg(feature = "english")]
            en,
        }
    }

    /// The text in `lang`.
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Nl => self.nl,
            #[cfg(feature = "english")]
            Lang::En => self.en,
            #[cfg(not(feature = "english"))]
            Lang::En => ENGLISH.get().and_then(|f| f(self.nl)).unwrap_or(self.nl),
        }
    }
}

#[cfg(not(feature = "english"))]
static ENGLISH: std::sync::OnceLock<fn(&str) -> Option<&'static str>> = std::sync::OnceLock::new();

/// In a build without the `english` feature: where the English of a template's or guide's
/// Dutch text is found (until then, and for a text it lacks, the Dutch one stands in). Set
/// once; a build with the feature has the English compiled in and ignores it.
pub fn set_english(lookup: fn(&str) -> Option<&'static str>) {
    #[cfg(not(feature = "english"))]
    let _ = ENGLISH.set(lookup);
    #[cfg(feature = "english")]
    let _ = lookup;
}

/// Every text of the templates and guides (for the file the app fetches its English from).
#[cfg(feature = "english")]
pub fn all_texts() -> Vec<Text> {
    let mut all = Vec::new();
    for theme in Theme::ALL {
        for s in template(theme) {
            all.extend([s.title, s.description]);
        }
        for g in crate::guides::guide(theme) {
            all.extend([g.text, g.answer]);
        }
    }
    all.retain(|t| !t.nl.is_empty());
    all
}

/// One step of a template.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TemplateStep {
    /// Phase of the growth cycle.
    pub phase: Phase,
    /// The role that usually takes it on.
    pub owner: Option<Role>,
    /// Title.
    pub title: Text,
    /// What the step involves.
    pub description: Text,
    /// Doorstep evidence that completes it.
    pub evidence: Option<Evidence>,
}

const fn step(phase: Phase, owner: Option<Role>, title: Text, description: Text) -> TemplateStep {
    TemplateStep {
        phase,
        owner,
        title,
        description,
        evidence: None,
    }
}

const fn t(nl: &'static str, en: &'static str) -> Text {
    Text::new(nl, en)
}

const fn evidence(measure: Measure, target: u32) -> Option<Evidence> {
    Some(Evidence { measure, target })
}

const COMMON: [TemplateStep; 3] = [
    step(
        Phase::Initiate,
        Some(Role::Driver),
        t("Vorm het buurtteam", "Form the buurt team"),
        t(
            "Zorg voor minstens één inhoudelijk expert, één verbinder en één ondernemer; liefst twee per rol.",
            "Find at least one content expert, one connector and one driver; preferably two per role.",
        ),
    ),
    step(
        Phase::Initiate,
        Some(Role::Driver),
        t("Eerste teamoverleg", "First team meeting"),
        t(
            "Spreek doel, taakverdeling en planning af.",
            "Agree on the goal, who does what, and the planning.",
        ),
    ),
    step(
        Phase::Activate,
        Some(Role::Connector),
        t("Eerste buurtbijeenkomst", "First buurt meeting"),
        t(
            "Een informatieavond voor de hele buurt: vertel het plan en hoor wat buren willen.",
            "An information evening for the whole buurt: present the plan and hear what neighbours want.",
        ),
    ),
];

const AED: &[TemplateStep] = &[
    step(
        Phase::Initiate,
        Some(Role::Expert),
        t("Bekijk de AED-dekking", "Check AED coverage"),
        t(
            "Is er een AED die dag en nacht bereikbaar is binnen ongeveer 500 meter?",
            "Is there an AED reachable day and night within about 500 metres?",
        ),
    ),
    step(
        Phase::Structure,
        Some(Role::Expert),
        t("Kies kast en financiering", "Choose a cabinet and funding"),
        t(
            "Kies een buitenkast en een route voor crowdfunding.",
            "Choose an outdoor cabinet and a crowdfunding route.",
        ),
    ),
    step(
        Phase::Structure,
        Some(Role::Driver),
        t("Bereken het streefbedrag", "Compute the target"),
        t(
            "Bijvoorbeeld 60 huishoudens maal 25 euro; tel de huishoudens binnen bereik.",
            "For example 60 households times EUR 25; count the households in range.",
        ),
    ),
    TemplateStep {
        evidence: evidence(Measure::PledgedHouseholds, 60),
        ..step(
            Phase::Grow,
            Some(Role::Connector),
            t("Flyeren en langs de deuren", "Flyers and door to door"),
            t(
                "Vraag buren om mee te doen en een bijdrage toe te zeggen.",
                "Ask neighbours to join and pledge a contribution.",
            ),
        )
    },
    step(
        Phase::Grow,
        Some(Role::Driver),
        t("Registreer de AED", "Register the AED"),
        t(
            "Meld de AED aan bij het landelijke netwerk van burgerhulpverleners.",
            "Register the AED in the national network of volunteer responders.",
        ),
    ),
    step(
        Phase::Consolidate,
        Some(Role::Driver),
        t("Wijs een beheerder aan", "Appoint a keeper"),
        t(
            "Iemand controleert de AED geregeld en vervangt pads en batterij.",
            "Someone checks the AED regularly and replaces pads and battery.",
        ),
    ),
    step(
        Phase::Consolidate,
        Some(Role::Connector),
        t(
            "Werf en train burgerhulpverleners",
            "Recruit and train volunteer responders",
        ),
        t(
            "Organiseer een reanimatiecursus voor buren.",
            "Organise a CPR course for neighbours.",
        ),
    ),
];

const SOLAR: &[TemplateStep] = &[
    TemplateStep {
        evidence: evidence(Measure::Interested, 40),
        ..step(
            Phase::Activate,
            Some(Role::Connector),
            t(
                "Peil de interesse aan de deur",
                "Survey interest door to door",
            ),
            t(
                "Vraag wie zonnepanelen overweegt en noteer de interesse.",
                "Ask who is considering solar panels and record their interest.",
            ),
        )
    },
    step(
        Phase::Activate,
        Some(Role::Expert),
        t("Informatieavond zonnepanelen", "Solar information evening"),
        t(
            "Leg uit wat zonnepanelen opleveren en hoe samen inkopen werkt.",
            "Explain what solar panels yield and how buying together works.",
        ),
    ),
    step(
        Phase::Structure,
        Some(Role::Expert),
        t(
            "Vergelijk installateurs en offertes",
            "Compare installers and quotes",
        ),
        t(
            "Vraag meerdere offertes op dezelfde uitgangspunten.",
            "Request several quotes on the same terms.",
        ),
    ),
    step(
        Phase::Structure,
        Some(Role::Expert),
        t("Check subsidies en VvE", "Check subsidies and the VvE"),
        t(
            "Welke regelingen gelden er, en is toestemming van een VvE nodig?",
            "Which schemes apply, and is consent of an owners' association needed?",
        ),
    ),
    step(
        Phase::Structure,
        Some(Role::Driver),
        t("Kies een leverancier", "Choose a supplier"),
        t(
            "Besluit samen op basis van de vergelijking.",
            "Decide together based on the comparison.",
        ),
    ),
    TemplateStep {
        evidence: evidence(Measure::Joined, 25),
        ..step(
            Phase::Grow,
            Some(Role::Connector),
            t("Verzamel aanmeldingen", "Collect sign-ups"),
            t(
                "Haal genoeg aanmeldingen op om het minimum van de leverancier te halen.",
                "Collect enough sign-ups to reach the supplier's minimum.",
            ),
        )
    },
    step(
        Phase::Grow,
        Some(Role::Driver),
        t("Installatie", "Installation"),
        t(
            "Plan de installaties en houd deelnemers op de hoogte.",
            "Schedule installations and keep participants informed.",
        ),
    ),
    step(
        Phase::Consolidate,
        Some(Role::Driver),
        t("Nazorg en evaluatie", "Aftercare and evaluation"),
        t(
            "Wat ging goed, wat kan beter, en wat is de volgende actie?",
            "What went well, what could be better, and what is the next action?",
        ),
    ),
];

const INSULATION: &[TemplateStep] = &[
    step(
        Phase::Initiate,
        Some(Role::Expert),
        t("Energiescan of woningschouw", "Energy scan or walk-through"),
        t(
            "Bekijk een paar typische woningen: waar lekt warmte weg?",
            "Look at a few typical homes: where does heat escape?",
        ),
    ),
    TemplateStep {
        evidence: evidence(Measure::Interested, 40),
        ..step(
            Phase::Activate,
            Some(Role::Connector),
            t("Peil de interesse", "Survey interest"),
            t(
                "Vraag aan de deur wie wil isoleren of energie wil besparen.",
                "Ask at the door who wants to insulate or save energy.",
            ),
        )
    },
    step(
        Phase::Structure,
        Some(Role::Expert),
        t("Vraag gezamenlijke offertes", "Request bulk quotes"),
        t(
            "Samen inkopen maakt isolatie goedkoper.",
            "Buying together makes insulation cheaper.",
        ),
    ),
    step(
        Phase::Grow,
        Some(Role::Driver),
        t("Klusdagen", "Fix days"),
        t(
            "Klusteams plaatsen tochtstrips en radiatorfolie bij buren.",
            "Fix teams fit draught strips and radiator foil at neighbours' homes.",
        ),
    ),
    step(
        Phase::Consolidate,
        Some(Role::Driver),
        t("Evalueer", "Evaluate"),
        t(
            "Hoeveel huishoudens deden mee en wat leverde het op?",
            "How many households took part and what did it achieve?",
        ),
    ),
];

const GREENING: &[TemplateStep] = &[
    step(
        Phase::Initiate,
        Some(Role::Expert),
        t(
            "Inventariseer daken en tuinen",
            "Inventory roofs and gardens",
        ),
        t(
            "Welke daken kunnen groen worden, welke tuinen minder stenig?",
            "Which roofs can go green, which gardens can lose paving?",
        ),
    ),
    step(
        Phase::Structure,
        Some(Role::Expert),
        t("Zoek subsidies uit", "Check subsidies"),
        t(
            "Veel gemeenten en waterschappen dragen bij aan groene daken.",
            "Many municipalities and water boards contribute to green roofs.",
        ),
    ),
    step(
        Phase::Structure,
        Some(Role::Driver),
        t(
            "Leverancier of doe-het-zelfdag",
            "Supplier or do-it-yourself day",
        ),
        t(
            "Kies tussen een leverancier en een dag waarop buren het samen doen.",
            "Choose between a supplier and a day on which neighbours do it together.",
        ),
    ),
    step(
        Phase::Grow,
        Some(Role::Connector),
        t("Plantdag", "Planting day"),
        t(
            "Samen planten: nodig de hele straat uit.",
            "Planting together: invite the whole street.",
        ),
    ),
    step(
        Phase::Consolidate,
        Some(Role::Driver),
        t("Onderhoudsplan", "Maintenance plan"),
        t(
            "Wie geeft water en snoeit, en wanneer?",
            "Who waters and prunes, and when?",
        ),
    ),
];

/// The template steps for `theme`, common first steps included, in plan order.
pub fn template(theme: Theme) -> Vec<TemplateStep> {
    let own: &[TemplateStep] = match theme {
        Theme::Aed => AED,
        Theme::Solar => SOLAR,
        Theme::Insulation => INSULATION,
        Theme::Greening => GREENING,
        Theme::Other => &[],
    };
    COMMON.iter().chain(own).copied().collect()
}

/// A first target for a new project of `theme`, in the unit such projects count: an AED is
/// crowdfunded (60 households times EUR 25), solar and insulation count households that sign
/// up, greening counts square metres. The team adjusts it.
pub fn suggested_target(theme: Theme) -> Option<Target> {
    let (count, unit) = match theme {
        Theme::Aed => (1_500, Unit::Euros),
        Theme::Solar => (25, Unit::Households),
        Theme::Insulation => (40, Unit::Households),
        Theme::Greening => (200, Unit::SquareMetres),
        Theme::Other => return None,
    };
    Some(Target { count, unit })
}

/// The operations' payloads that create `theme`'s plan for `project` in `lang`. `new_step_id`
/// supplies one fresh id per step (core makes no ids itself).
pub fn plan_payloads(
    theme: Theme,
    project: ProjectId,
    lang: Lang,
    mut new_step_id: impl FnMut() -> StepId,
) -> Vec<Payload> {
    template(theme)
        .into_iter()
        .enumerate()
        .map(|(index, s)| Payload::StepAdd {
            step: new_step_id(),
            project,
            title: s.title.get(lang).to_owned(),
            description: s.description.get(lang).to_owned(),
            phase: s.phase,
            owner: s.owner.map(crate::domain::Owner::Role),
            due: None,
            // Gaps of 1024 leave room to move a step between two others without renumbering.
            order: (index as i64 + 1) * 1024,
            evidence: s.evidence,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without the English compiled in, a template's English is what `set_english` finds for
    /// its Dutch, and the Dutch where it finds nothing.
    #[cfg(not(feature = "english"))]
    #[test]
    fn without_english_compiled_in_the_lookup_gives_it() {
        let title = template(Theme::Aed)[0].title;
        assert_eq!(title.get(Lang::En), "Vorm het buurtteam", "nothing set yet");
        set_english(|nl| (nl == "Vorm het buurtteam").then_some("Form the buurt team"));
        assert_eq!(title.get(Lang::En), "Form the buurt team");
        assert_eq!(title.get(Lang::Nl), "Vorm het buurtteam");
        let other = template(Theme::Aed)[1].title;
        assert_eq!(other.get(Lang::En), other.nl, "not found: the Dutch");
    }

    #[test]
    fn every_template_starts_with_team_team_meeting_and_buurt_meeting() {
        for theme in Theme::ALL {
            let steps = template(theme);
            let firsts: Vec<&str> = steps.iter().take(3).map(|s| s.title.nl).collect();
            assert_eq!(
                firsts,
                [
                    "Vorm het buurtteam",
                    "Eerste teamoverleg",
                    "Eerste buurtbijeenkomst"
                ],
                "{theme:?}"
            );
            #[cfg(feature = "english")]
            for role in ["content expert", "connector", "driver"] {
                assert!(steps[0].description.en.contains(role));
            }
        }
        assert_eq!(
            template(Theme::Other).len(),
            3,
            "the empty plan has only the common steps"
        );
    }

    #[cfg(feature = "english")]
    #[test]
    fn plans_have_texts_in_both_languages_and_valid_steps() {
        for theme in Theme::ALL {
            for s in template(theme) {
                assert!(!s.title.nl.is_empty() && !s.title.en.is_empty());
                assert_ne!(s.title.nl, s.title.en, "{:?} is translated", s.title);
            }
        }
        let mut n = 0u8;
        let project = ProjectId::new_v7(1_764_000_000_000, [9; 10]);
        let payloads = plan_payloads(Theme::Aed, project, Lang::En, || {
            n += 1;
            StepId::new_v7(1_764_000_000_000, [n; 10])
        });
        assert_eq!(payloads.len(), 3 + AED.len());
        let Payload::StepAdd { title, order, .. } = &payloads[3] else {
            panic!("a step");
        };
        assert_eq!(title, "Check AED coverage");
        assert_eq!(*order, 4 * 1024);
        assert!(payloads.iter().any(|p| matches!(
            p,
            Payload::StepAdd {
                evidence: Some(Evidence {
                    measure: Measure::PledgedHouseholds,
                    target: 60
                }),
                ..
            }
        )));
        assert_eq!(
            suggested_target(Theme::Aed).map(|t| t.unit),
            Some(Unit::Euros)
        );
    }
}
