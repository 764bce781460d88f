//! Benchmark of the walk list in headless Chromium (`make bench` runs it; `make test` does not),
//! with 5,000 addresses and 15,000 visits stored: from opening the walk list to its first
//! paint (the team's data loaded, and from a cold start that loads it), scrolling, and from
//! tapping "niet thuis" to the updated row on screen. Prints figures; asserts nothing about
//! speed.
#![cfg(target_arch = "wasm32")]

mod common;

use common::*;
use leptos::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Waits frame by frame until `check` holds at the start of a frame; the time then (that
/// frame paints it). Frames come every 16.7 ms, so this rounds up to the next frame.
async fn painted_when(mut check: impl FnMut() -> bool) -> f64 {
    for _ in 0..600 {
        next_frame().await;
        if check() {
            return now();
        }
    }
    panic!("the screen never showed it");
}

/// Waits task by task until `check` holds; the time then (the DOM shows it, the next frame
/// paints it).
async fn shown_when(mut check: impl FnMut() -> bool) -> f64 {
    for _ in 0..10_000 {
        if check() {
            return now();
        }
        sleep(0).await;
    }
    panic!("the DOM never showed it");
}

async fn next_frame() {
    let wait = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().request_animation_frame(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
}

fn chip(door: &web_sys::HtmlElement) -> String {
    door.query_selector(".chip")
        .ok()
        .flatten()
        .and_then(|c| c.text_content())
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn bench_walk_list_in_chromium() {
    let (f, ops) = buurt(5_000, 15_000);
    console_log!("walk list in Chromium, 5,000 addresses and 15,000 visits stored:");

    // Cold: the app starts on the walk list, opens the stored log, derives and paints.
    let name = "buurtbel-bench-walk";
    drop(store(name, &ops).await);
    let t = now();
    let m = mount_stored(name, 21, &f, "/").await;
    let cold = painted_when(|| find(&m.root, ".door").is_some()).await - t;
    console_log!(
        "  cold start on the walk list (open the stored log, derive, render, paint): {:.0} ms",
        cold
    );

    // Warm: from another page to the walk list, the data already loaded.
    let mut opens = Vec::new();
    for _ in 0..10 {
        go("/team");
        painted_when(|| find(&m.root, ".door").is_none()).await;
        let t = now();
        go("/");
        let in_dom = shown_when(|| find(&m.root, ".door").is_some()).await - t;
        let painted = painted_when(|| find(&m.root, ".door").is_some()).await - t;
        opens.push((in_dom, painted));
    }
    let mut dom: Vec<f64> = opens.iter().map(|t| t.0).collect();
    let mut paint: Vec<f64> = opens.iter().map(|t| t.1).collect();
    dom.sort_by(f64::total_cmp);
    paint.sort_by(f64::total_cmp);
    let rows = all(&m.root, ".door").len();
    console_log!(
        "  open the walk list ({rows} rows rendered), 10 times: in the DOM p50 {:.1} ms, max {:.1} ms; first paint p50 {:.1} ms, max {:.1} ms",
        percentile(&dom, 0.5),
        dom[dom.len() - 1],
        percentile(&paint, 0.5),
        paint[paint.len() - 1]
    );

    // Scrolling: one screen at a time down the list.
    let list_top = find(&m.root, ".walk-list")
        .expect("list")
        .get_bounding_client_rect()
        .top();
    let mut scrolls = Vec::new();
    for i in 1..=30 {
        let y = list_top + f64::from(i) * 700.0 * 5.0;
        let t = now();
        window().scroll_to_with_x_and_y(0.0, y);
        let first = all(&m.root, ".door")
            .first()
            .map(|d| d.outer_html())
            .unwrap_or_default();
        scrolls.push(
            painted_when(|| {
                all(&m.root, ".door")
                    .first()
                    .is_some_and(|d| d.outer_html() != first)
            })
            .await
                - t,
        );
    }
    scrolls.sort_by(f64::total_cmp);
    console_log!(
        "  scroll five screens and paint the new rows, 30 times: p50 {:.1} ms, max {:.1} ms",
        percentile(&scrolls, 0.5),
        scrolls[scrolls.len() - 1]
    );

    // Tapping "niet thuis" on a door that shows another outcome, until its row says so.
    let mut taps = Vec::new();
    for i in 0..30 {
        window().scroll_to_with_x_and_y(0.0, list_top + f64::from(i) * 9_000.0);
        next_frame().await;
        next_frame().await;
        let Some(door) = all(&m.root, ".door").into_iter().find(|d| {
            !chip(d).starts_with("Niet thuis")
                && d.query_selector(".door-not-home").ok().flatten().is_some()
                && d.get_bounding_client_rect().top() > 60.0
        }) else {
            continue;
        };
        let button: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(
            door.query_selector(".door-not-home")
                .expect("selector")
                .expect("button"),
        );
        let number = door
            .query_selector(".door-number")
            .ok()
            .flatten()
            .and_then(|n| n.text_content())
            .unwrap_or_default();
        let updated = || {
            all(&m.root, ".door").into_iter().any(|d| {
                d.query_selector(".door-number")
                    .ok()
                    .flatten()
                    .and_then(|n| n.text_content())
                    .is_some_and(|n| n == number)
                    && chip(&d).starts_with("Niet thuis")
            })
        };
        let t = now();
        button.click();
        let in_dom = shown_when(updated).await;
        let painted = painted_when(updated).await;
        taps.push((in_dom - t, painted - t));
    }
    let mut dom: Vec<f64> = taps.iter().map(|t| t.0).collect();
    let mut paint: Vec<f64> = taps.iter().map(|t| t.1).collect();
    dom.sort_by(f64::total_cmp);
    paint.sort_by(f64::total_cmp);
    console_log!(
        "  tap niet thuis to the updated row, {} doors: in the DOM p50 {:.1} ms, p95 {:.1} ms, max {:.1} ms; painted (next frame) p50 {:.1} ms, p95 {:.1} ms",
        taps.len(),
        percentile(&dom, 0.5),
        percentile(&dom, 0.95),
        dom[dom.len() - 1],
        percentile(&paint, 0.5),
        percentile(&paint, 0.95)
    );
    window().scroll_to_with_x_and_y(0.0, 0.0);
}
