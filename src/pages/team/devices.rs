//! For admins: the team's devices, revoking one (or revoking it as lost, which wipes it),
//! making a member admin, and the open invites, ending one. These need the server now, so they
//! say so when it cannot be reached.

use buurtbel_core::ids::{DeviceId, MemberId};
use buurtbel_core::protocol::{DeviceView, InviteInfo, InviteView};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::member_name;
use crate::data::Data;
use crate::i18n::{I18n, Key, day_and_time, fill, text};
use crate::pages::setup::setup_error_text;

/// Reads the team's open invites into `open`; the invite on the team page is cleared when it
/// is no longer among them (a removal or a lost phone ended it).
async fn load_invites(
    data: Data,
    invite: RwSignal<Option<InviteView>>,
    open: RwSignal<Vec<InviteInfo>>,
) -> Result<(), crate::api_client::SetupError> {
    let now = data.now_ms();
    let list: Vec<InviteInfo> = data
        .client()?
        .invites()
        .await?
        .invites
        .into_iter()
        .filter(|i| !i.revoked && i.expires_at_ms > now && i.max_uses.is_none_or(|m| i.uses < m))
        .collect();
    if invite.with_untracked(|shown| {
        shown
            .as_ref()
            .is_some_and(|s| !s.id.is_empty() && !list.iter().any(|i| i.id == s.id))
    }) {
        invite.set(None);
    }
    open.set(list);
    Ok(())
}

/// `invite` is the code the team page shows; a new one made there appears in the list.
#[component]
pub fn Devices(invite: RwSignal<Option<InviteView>>) -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
    let open = RwSignal::new(Vec::<InviteInfo>::new());
    let ended = RwSignal::new(false);
    let devices = RwSignal::new(Vec::<DeviceView>::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // A revoke waiting for its confirmation: the device and whether it is lost.
    let confirming = RwSignal::new(None::<(DeviceId, bool)>);
    let run = move |work: std::pin::Pin<
        Box<dyn std::future::Future<Output = Result<(), crate::api_client::SetupError>>>,
    >| {
        busy.set(true);
        spawn_local(async move {
            let result = work.await;
            error.set(
                result
                    .err()
                    .map(|e| setup_error_text(i18n.locale_untracked(), &e)),
            );
            busy.set(false);
        });
    };
    let load = move || {
        run(Box::pin(async move {
            let list = data.client()?.devices().await?;
            devices.set(list.devices);
            load_invites(data, invite, open).await
        }))
    };
    load();
    let revoke = move |device: DeviceId, lost: bool| {
        confirming.set(None);
        run(Box::pin(async move {
            let client = data.client()?;
            client.revoke_device(device, lost).await?;
            devices.set(client.devices().await?.devices);
            // Whoever finds the phone may know a code: the server ended every open invite.
            ended.set(lost);
            load_invites(data, invite, open).await
        }))
    };
    let end_invite = move |id: String| {
        run(Box::pin(async move {
            data.client()?.revoke_invite(&id).await?;
            load_invites(data, invite, open).await
        }))
    };
    let make_admin = move |member: MemberId| {
        run(Box::pin(async move {
            let client = data.client()?;
            client.set_admin(member, true).await?;
            devices.set(client.devices().await?.devices);
            Ok(())
        }))
    };
    let this_device = move || data.session.with(|s| s.as_ref().map(|s| s.device.id));
    let name_of = move |member: MemberId| data.with_state(|s| member_name(s, member));

    view! {
        <section class="card devices">
            <h2>{i18n.t(Key::DevicesTitle)}</h2>
            <ul class="device-list">
                // A dozen devices at most: redrawn whole when the list changes.
                {move || devices.get().into_iter().map(|d| {
                        let (id, member, admin) = (d.id, d.member, d.admin);
                        let live = d.revoked_at_ms.is_none();
                        let state = if d.lost {
                            Some(Key::DeviceLost)
                        } else if !live {
                            Some(Key::DeviceRevoked)
                        } else {
                            None
                        };
                        let seen = d.last_seen_ms.unwrap_or(d.created_at_ms);
                        let mine = move || this_device() == Some(id);
                        let asking = move || confirming.get().filter(|(c, _)| *c == id);
                        view! {
                            <li class="team-device" data-revoked=(!live).then_some("true")>
                                <strong class="device-name">{move || name_of(member)}</strong>
                                <span class="muted">
                                    {move || {
                                        let locale = i18n.locale();
                                        let mut tags = vec![fill(text(locale, Key::DeviceSeen), &[&day_and_time(locale, seen)])];
                                        if admin {
                                            tags.push(text(locale, Key::AdminTag).to_owned());
                                        }
                                        if mine() {
                                            tags.push(text(locale, Key::ThisDevice).to_owned());
                                        }
                                        if let Some(key) = state {
                                            tags.push(text(locale, key).to_owned());
                                        }
                                        tags.join(" · ")
                                    }}
                                </span>
                                <Show when=move || live && !mine() && asking().is_none()>
                                    <div class="inline">
                                        <button type="button" class="button secondary small" disabled=busy on:click=move |_| confirming.set(Some((id, false)))>
                                            {i18n.t(Key::DeviceRevoke)}
                                        </button>
                                        <button type="button" class="button danger small" disabled=busy on:click=move |_| confirming.set(Some((id, true)))>
                                            {i18n.t(Key::DeviceRevokeLost)}
                                        </button>
                                        <Show when=move || !admin>
                                            <button type="button" class="button secondary small" disabled=busy on:click=move |_| make_admin(member)>
                                                {i18n.t(Key::MakeAdmin)}
                                            </button>
                                        </Show>
                                    </div>
                                </Show>
                                {move || asking().map(|(_, lost)| {
                                    let locale = i18n.locale();
                                    let question = if lost { Key::DeviceConfirmLost } else { Key::DeviceConfirm };
                                    view! {
                                        <div class="confirm-row" role="alertdialog">
                                            <p>{fill(text(locale, question), &[&name_of(member)])}</p>
                                            <div class="inline">
                                                <button type="button" class="button danger small" disabled=busy on:click=move |_| revoke(id, lost)>
                                                    {text(locale, Key::ConfirmYes)}
                                                </button>
                                                <button type="button" class="button secondary small" on:click=move |_| confirming.set(None)>
                                                    {text(locale, Key::Cancel)}
                                                </button>
                                            </div>
                                        </div>
                                    }
                                })}
                            </li>
                        }
                    }).collect_view()}
            </ul>
            <h3>{i18n.t(Key::InvitesTitle)}</h3>
            // Said until a new invite is made on the team page.
            <p role="status">
                {move || (ended.get() && invite.with(Option::is_none)).then(|| text(i18n.locale(), Key::InvitesEnded))}
            </p>
            <ul class="invite-list">
                {move || {
                    let locale = i18n.locale();
                    let list = open.get();
                    if list.is_empty() {
                        return view! { <li class="muted">{text(locale, Key::InvitesNone)}</li> }.into_any();
                    }
                    list.into_iter().map(|i| {
                        let uses = i.max_uses.map_or_else(|| "∞".to_owned(), |n| n.to_string());
                        let says = fill(text(locale, Key::InviteOpen), &[&day_and_time(locale, i.expires_at_ms), &i.uses.to_string(), &uses]);
                        let id = i.id;
                        view! {
                            <li class="team-invite">
                                <span>{says}</span>
                                <button type="button" class="button secondary small" disabled=busy on:click=move |_| end_invite(id.clone())>
                                    {text(locale, Key::InviteEnd)}
                                </button>
                            </li>
                        }
                    }).collect_view().into_any()
                }}
            </ul>
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="button" class="button secondary small" disabled=busy on:click=move |_| load()>
                {i18n.t(Key::DevicesLoad)}
            </button>
        </section>
    }
    .into_any()
}
