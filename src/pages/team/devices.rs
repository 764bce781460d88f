//! For admins: the team's devices, revoking one (or revoking it as lost, which wipes it), and
//! making a member admin. These need the server now, so they say so when it cannot be reached.

use buurtbel_core::ids::{DeviceId, MemberId};
use buurtbel_core::protocol::DeviceView;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::member_name;
use crate::data::Data;
use crate::i18n::{I18n, Key, day_and_time, fill, text};
use crate::pages::setup::setup_error_text;

#[component]
pub fn Devices() -> impl IntoView {
    let i18n = I18n::current();
    let Some(data) = Data::current() else {
        return ().into_any();
    };
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
            Ok(())
        }))
    };
    load();
    let revoke = move |device: DeviceId, lost: bool| {
        confirming.set(None);
        run(Box::pin(async move {
            let client = data.client()?;
            client.revoke_device(device, lost).await?;
            devices.set(client.devices().await?.devices);
            Ok(())
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
            <p class="form-error" role="alert">{move || error.get()}</p>
            <button type="button" class="button secondary small" disabled=busy on:click=move |_| load()>
                {i18n.t(Key::DevicesLoad)}
            </button>
        </section>
    }
    .into_any()
}
