//! An organisation's own step plans: themes as its coaches keep them (steps, phases, evidence,
//! a suggested target and a draft doorstep guide), next to the built-in ones of
//! [`crate::templates`].
//!
//! A team starts a project from a plan and keeps its own copy: the plan's steps and guide
//! items become the project's, each with an id derived from the project's and the plan item's
//! key ([`derive_id`]). That is how a later version of the plan is matched to the project
//! without the team's log saying where it came from: [`offer`] finds the items the team does
//! not have yet, and the texts the plan changed that the team left as an earlier version had
//! them. What the team removed or wrote itself is never touched, and nothing is applied until
//! the team takes the offer.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::domain::{Evidence, GuideKind, Owner, Phase, Role, Target, Theme};
use crate::ids::{GuideItemId, ProjectId, StepId};
use crate::op::Payload;
use crate::state::State;
use crate::templates::Lang;

/// One version of an organisation's step plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgPlan {
    /// Its name, the title a project starts with.
    pub name: String,
    /// The theme a project from it has.
    pub theme: Theme,
    /// The target a project from it starts with.
    #[serde(default)]
    pub target: Option<Target>,
    /// The steps, in plan order.
    pub steps: Vec<PlanStep>,
    /// The draft doorstep guide, in order.
    #[serde(default)]
    pub guide: Vec<PlanGuideItem>,
}

/// A step of an organisation's plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanStep {
    /// Its key, the same in every version of the plan.
    pub key: Uuid,
    /// Phase of the growth cycle.
    pub phase: Phase,
    /// The role that usually takes it on.
    #[serde(default)]
    pub owner: Option<Role>,
    /// Title.
    pub title: String,
    /// What the step involves.
    #[serde(default)]
    pub description: String,
    /// Doorstep evidence that completes it.
    #[serde(default)]
    pub evidence: Option<Evidence>,
}

/// An item of an organisation plan's doorstep guide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanGuideItem {
    /// Its key, the same in every version of the plan.
    pub key: Uuid,
    /// Opening, key point or question.
    pub kind: GuideKind,
    /// The text (for a question: the question).
    pub text: String,
    /// The answer (questions).
    #[serde(default)]
    pub answer: String,
}

/// The id a plan item with `key` has in `project`: the same for every version of the plan,
/// different per project. A version 8 (custom) UUID, so it never equals a device's random ids.
pub fn derive_id(project: Uuid, key: Uuid) -> Uuid {
    fn mix(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    let (p, k) = (project.as_u64_pair(), key.as_u64_pair());
    let high = mix(p.0 ^ mix(k.0 ^ 0x9e37_79b9_7f4a_7c15) ^ mix(p.1.rotate_left(17) ^ k.1));
    let low = mix(p.1 ^ mix(k.1 ^ 0xd1b5_4a32_d192_ed03) ^ mix(p.0.rotate_left(29) ^ k.0));
    let mut bits = (u128::from(high) << 64) | u128::from(low);
    bits = (bits & !(0xF << 76)) | (0x8 << 76);
    bits = (bits & !(0x3 << 62)) | (0x2 << 62);
    Uuid::from_u128(bits)
}

fn step_id(project: ProjectId, key: Uuid) -> StepId {
    StepId(derive_id(project.0, key))
}

fn item_id(project: ProjectId, key: Uuid) -> GuideItemId {
    GuideItemId(derive_id(project.0, key))
}

/// Gaps between the orders of a new plan's steps and items, leaving room to move one between
/// two others.
const GAP: i64 = 1024;

/// A plan for `theme` to start from: the built-in template's steps and guide in `lang`, with
/// the theme's suggested target, named `name`. `new_key` supplies one fresh key per item.
pub fn from_theme(
    theme: Theme,
    name: &str,
    lang: Lang,
    mut new_key: impl FnMut() -> Uuid,
) -> OrgPlan {
    OrgPlan {
        name: name.to_owned(),
        theme,
        target: crate::templates::suggested_target(theme),
        steps: crate::templates::template(theme)
            .into_iter()
            .map(|s| PlanStep {
                key: new_key(),
                phase: s.phase,
                owner: s.owner,
                title: s.title.get(lang).to_owned(),
                description: s.description.get(lang).to_owned(),
                evidence: s.evidence,
            })
            .collect(),
        guide: crate::guides::guide(theme)
            .iter()
            .map(|g| PlanGuideItem {
                key: new_key(),
                kind: g.kind,
                text: g.text.get(lang).to_owned(),
                answer: g.answer.get(lang).to_owned(),
            })
            .collect(),
    }
}

fn step_add(project: ProjectId, s: &PlanStep, order: i64) -> Payload {
    Payload::StepAdd {
        step: step_id(project, s.key),
        project,
        title: s.title.clone(),
        description: s.description.clone(),
        phase: s.phase,
        owner: s.owner.map(Owner::Role),
        due: None,
        order,
        evidence: s.evidence,
    }
}

fn item_add(project: ProjectId, g: &PlanGuideItem, order: i64) -> Payload {
    Payload::GuideItemAdd {
        item: item_id(project, g.key),
        project,
        kind: g.kind,
        text: g.text.clone(),
        answer: g.answer.clone(),
        order,
        draft: true,
    }
}

/// The payloads that give the new `project` the plan's steps and draft guide (the project's
/// own `project_add` comes first, made by whoever starts it).
pub fn start_payloads(plan: &OrgPlan, project: ProjectId) -> Vec<Payload> {
    let steps = plan
        .steps
        .iter()
        .zip(1..)
        .map(|(s, i)| step_add(project, s, i * GAP));
    let items = plan
        .guide
        .iter()
        .zip(1..)
        .map(|(g, i)| item_add(project, g, i * GAP));
    steps.chain(items).collect()
}

/// What a newer version of a plan brings a project that started from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    /// Steps and guide items the project does not have.
    pub added: usize,
    /// Steps and guide items whose text, phase, role or evidence the plan changed since the
    /// version the project has them from.
    pub changed: usize,
    /// The payloads that take the offer.
    pub payloads: Vec<Payload>,
}

/// Whether `project` started from the plan whose versions (oldest first) are `versions`.
pub fn started_from(versions: &[OrgPlan], state: &State, project: ProjectId) -> bool {
    let in_project = |id: StepId| {
        state
            .steps
            .get(&id)
            .is_some_and(|s| s.project.value == Some(project))
    };
    versions
        .iter()
        .flat_map(|v| &v.steps)
        .any(|s| in_project(step_id(project, s.key)))
}

/// One field of a plan item as the project has it: the latest version's value when the
/// project's is still an earlier version's; `None` when it is the latest already, or the
/// team's own.
fn newer<T: PartialEq + Clone>(
    current: &T,
    latest: &T,
    earlier: impl Iterator<Item = T>,
) -> Option<T> {
    let mut earlier = earlier;
    (current != latest && earlier.any(|v| v == *current)).then(|| latest.clone())
}

/// What the newest of `versions` (oldest first) offers `project`, if it started from that
/// plan and the newest version has anything it lacks; see the module's introduction.
pub fn offer(versions: &[OrgPlan], state: &State, project: ProjectId) -> Option<Offer> {
    let latest = versions.last()?;
    if !started_from(versions, state, project) {
        return None;
    }
    let earlier = &versions[..versions.len() - 1];
    let (mut added, mut changed, mut payloads) = (0, 0, Vec::new());

    // Steps: a new one goes after the nearest earlier plan step the project has.
    let mut last_order = 0;
    let max_order = state
        .steps
        .values()
        .filter(|s| s.life.is_live() && s.project.value == Some(project))
        .map(|s| s.order.value)
        .max()
        .unwrap_or(0);
    for (i, s) in latest.steps.iter().enumerate() {
        let id = step_id(project, s.key);
        let Some(have) = state.steps.get(&id) else {
            // Between the previous plan step and the next one the project has, else last.
            let next = latest.steps[i + 1..].iter().find_map(|n| {
                state
                    .steps
                    .get(&step_id(project, n.key))
                    .filter(|n| n.life.is_live())
                    .map(|n| n.order.value)
            });
            let order = match next {
                Some(next) if next - last_order > 1 => last_order + (next - last_order) / 2,
                _ => max_order.max(last_order) + GAP,
            };
            last_order = order;
            payloads.push(step_add(project, s, order));
            added += 1;
            continue;
        };
        if !have.life.is_live() {
            continue;
        }
        last_order = have.order.value;
        let olds = || {
            earlier
                .iter()
                .flat_map(|v| v.steps.iter().find(|o| o.key == s.key))
        };
        let title = newer(&have.title.value, &s.title, olds().map(|o| o.title.clone()));
        let description = newer(
            &have.description.value,
            &s.description,
            olds().map(|o| o.description.clone()),
        );
        let phase = newer(
            &have.phase.value,
            &Some(s.phase),
            olds().map(|o| Some(o.phase)),
        )
        .flatten();
        let owner = newer(
            &have.owner.value,
            &s.owner.map(Owner::Role),
            olds().map(|o| o.owner.map(Owner::Role)),
        );
        let evidence = newer(
            &have.evidence.value,
            &s.evidence,
            olds().map(|o| o.evidence),
        );
        if title.is_some()
            || description.is_some()
            || phase.is_some()
            || owner.is_some()
            || evidence.is_some()
        {
            changed += 1;
            payloads.push(Payload::StepUpdate {
                step: id,
                title,
                description,
                phase,
                owner,
                due: None,
                order: None,
                note: None,
                skipped: None,
                evidence,
            });
        }
    }

    // Guide items: new ones after the project's last.
    let mut order = state
        .guide
        .values()
        .filter(|g| g.life.is_live() && g.project.value == Some(project))
        .map(|g| g.order.value)
        .max()
        .unwrap_or(0);
    for g in &latest.guide {
        let id = item_id(project, g.key);
        let Some(have) = state.guide.get(&id) else {
            order += GAP;
            payloads.push(item_add(project, g, order));
            added += 1;
            continue;
        };
        if !have.life.is_live() {
            continue;
        }
        let olds = || {
            earlier
                .iter()
                .flat_map(|v| v.guide.iter().find(|o| o.key == g.key))
        };
        let text = newer(&have.text.value, &g.text, olds().map(|o| o.text.clone()));
        let answer = newer(
            &have.answer.value,
            &g.answer,
            olds().map(|o| o.answer.clone()),
        );
        if text.is_some() || answer.is_some() {
            changed += 1;
            payloads.push(Payload::GuideItemUpdate {
                item: id,
                text,
                answer,
                order: None,
                draft: None,
            });
        }
    }
    (!payloads.is_empty()).then_some(Offer {
        added,
        changed,
        payloads,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Measure;
    use crate::factory::OpFactory;

    fn key(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    fn plan_step(n: u8, title: &str) -> PlanStep {
        PlanStep {
            key: key(n),
            phase: Phase::Initiate,
            owner: Some(Role::Driver),
            title: title.to_owned(),
            description: String::new(),
            evidence: None,
        }
    }

    fn version_one() -> OrgPlan {
        OrgPlan {
            name: "Zon op elk dak".into(),
            theme: Theme::Solar,
            target: None,
            steps: vec![
                plan_step(1, "Vorm het team"),
                plan_step(2, "Vraag offertes"),
                plan_step(3, "Teken de opdracht"),
            ],
            guide: vec![PlanGuideItem {
                key: key(9),
                kind: GuideKind::Opening,
                text: "Hoi, ik ben je buurvrouw".into(),
                answer: String::new(),
            }],
        }
    }

    fn started(f: &mut OpFactory, plan: &OrgPlan) -> (ProjectId, Vec<crate::op::Operation>) {
        let project = f.id(ProjectId::new_v7);
        let mut ops = vec![f.op(Payload::ProjectAdd {
            project,
            theme: plan.theme,
            title: plan.name.clone(),
            target: plan.target,
        })];
        ops.extend(start_payloads(plan, project).into_iter().map(|p| f.op(p)));
        (project, ops)
    }

    #[test]
    fn derived_ids_are_stable_per_project_and_differ_between_projects_and_keys() {
        let (p, q) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(derive_id(p, key(1)), derive_id(p, key(1)));
        assert_ne!(derive_id(p, key(1)), derive_id(q, key(1)));
        assert_ne!(derive_id(p, key(1)), derive_id(p, key(2)));
        assert_eq!(derive_id(p, key(1)).get_version_num(), 8);
    }

    #[test]
    fn a_project_from_a_plan_gets_its_steps_and_draft_guide_and_nothing_is_offered_yet() {
        let mut f = OpFactory::new(1);
        let plan = version_one();
        let (project, ops) = started(&mut f, &plan);
        let state = State::fold(&ops);
        let steps: Vec<&str> = {
            let mut s: Vec<_> = state.steps.values().collect();
            s.sort_by_key(|s| s.order.value);
            s.iter().map(|s| s.title.value.as_str()).collect()
        };
        assert_eq!(
            steps,
            ["Vorm het team", "Vraag offertes", "Teken de opdracht"]
        );
        assert!(state.guide.values().all(|g| g.draft.value));
        assert!(started_from(std::slice::from_ref(&plan), &state, project));
        assert_eq!(
            offer(std::slice::from_ref(&plan), &state, project),
            None,
            "nothing new"
        );
        let other = f.id(ProjectId::new_v7);
        assert!(!started_from(&[plan], &state, other));
    }

    #[test]
    fn a_new_version_offers_what_is_new_and_changed_and_leaves_the_team_s_own_alone() {
        let mut f = OpFactory::new(2);
        let v1 = version_one();
        let (project, mut ops) = started(&mut f, &v1);
        let id = |n: u8| step_id(project, key(n));
        // The team rewrites step 2 and removes step 3.
        ops.push(f.op(Payload::StepUpdate {
            step: id(2),
            title: Some("Drie offertes vragen".into()),
            description: None,
            phase: None,
            owner: None,
            due: None,
            order: None,
            note: None,
            skipped: None,
            evidence: None,
        }));
        ops.push(f.op(Payload::StepRemove { step: id(3) }));

        // Version 2: step 1 gets evidence and a new title, step 2 and 3 change, a step is
        // inserted between 1 and 2, and the guide gets a question.
        let mut v2 = v1.clone();
        v2.steps[0].title = "Vorm het buurtteam".into();
        v2.steps[0].evidence = Some(Evidence {
            measure: Measure::Interested,
            target: 10,
        });
        v2.steps[1].title = "Vraag twee offertes".into();
        v2.steps[2].title = "Teken samen de opdracht".into();
        v2.steps.insert(1, plan_step(4, "Kies een installateur"));
        v2.guide.push(PlanGuideItem {
            key: key(10),
            kind: GuideKind::Question,
            text: "Wat kost het?".into(),
            answer: "Rond de 5.000 euro".into(),
        });
        let versions = [v1, v2];
        let state = State::fold(&ops);
        let offered = offer(&versions, &state, project).expect("an offer");
        assert_eq!((offered.added, offered.changed), (2, 1));

        let mut taken = ops.clone();
        taken.extend(offered.payloads.into_iter().map(|p| f.op(p)));
        let state = State::fold(&taken);
        let mut live: Vec<_> = state.steps.values().filter(|s| s.life.is_live()).collect();
        live.sort_by_key(|s| s.order.value);
        let titles: Vec<&str> = live.iter().map(|s| s.title.value.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Vorm het buurtteam",
                "Kies een installateur",
                "Drie offertes vragen"
            ],
            "the new step in its place, the team's title kept, the removed step not back"
        );
        assert!(live[0].evidence.value.is_some());
        assert_eq!(state.guide.len(), 2);
        assert_eq!(
            offer(&versions, &state, project),
            None,
            "taken: nothing left"
        );
    }
}
