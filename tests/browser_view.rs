//! The view, rendered from a known record: pixels where slices must and must not be,
//! and a text table that matches the record.
#![cfg(target_arch = "wasm32")]

use looplab::trace::state::summarize;
use looplab::trace::{Cause, Kind, Record, TaskInfo, DEFAULT_CAP};
use looplab::view::dom::document;
use looplab::view::table::{render_rows, summary_line};
use looplab::view::timeline::layout::layout;
use looplab::view::timeline::paint::{paint, Palette};
use looplab::view::timeline::viewport::{Viewport, AXIS_H, LANE_H, LOOP_H};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, Element, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Two tasks: "a" runs 0–10 ms then waits until 100; "b" runs 10–20 then is done.
fn known() -> Record {
    let mut r = Record::new(0.0, DEFAULT_CAP);
    let a = r.add_task(0.0, TaskInfo { name: "a".into(), parent: None });
    let b = r.add_task(0.0, TaskInfo { name: "b <i>not html</i>".into(), parent: None });
    r.push(0.0, a, Kind::PollStart);
    r.push(10.0, a, Kind::PollEnd { ready: false });
    r.push(10.0, b, Kind::PollStart);
    r.push(20.0, b, Kind::PollEnd { ready: true });
    r.push(20.0, b, Kind::Done);
    r.push(100.0, a, Kind::Wake(Cause::Timer { late_ms: 0.0 }));
    r.push(100.0, a, Kind::PollStart);
    r.push(110.0, a, Kind::PollEnd { ready: true });
    r.push(110.0, a, Kind::Done);
    r
}

fn palette() -> Palette {
    Palette {
        surface: "#ffffff".into(),
        text: "#000000".into(),
        muted: "#808080".into(),
        grid: "#eeeeee".into(),
        run: "#ff0000".into(),
        wait: "#00ff00".into(),
        done: "#0000ff".into(),
        failed: "#ff00ff".into(),
        cancelled: "#ffff00".into(),
        font: "sans-serif".into(),
    }
}

fn canvas() -> (HtmlCanvasElement, CanvasRenderingContext2d) {
    let doc = document().unwrap();
    let c: HtmlCanvasElement = doc.create_element("canvas").unwrap().dyn_into().unwrap();
    c.set_width(800);
    c.set_height(200);
    doc.body().unwrap().append_child(&c).unwrap();
    let ctx = c.get_context("2d").unwrap().unwrap().dyn_into().unwrap();
    (c, ctx)
}

fn rgb(ctx: &CanvasRenderingContext2d, x: f64, y: f64) -> (u8, u8, u8) {
    let d = ctx.get_image_data(x, y, 1.0, 1.0).unwrap().data();
    (d[0], d[1], d[2])
}

#[wasm_bindgen_test]
fn slices_are_painted_where_the_record_says_and_nowhere_else() {
    let (_c, ctx) = canvas();
    let rec = known();
    let l = layout(&rec, 0.0);
    // 1 ms per pixel, time 0 at the label column's edge.
    let view = Viewport { width: 800.0, height: 200.0, t0: 0.0, ms_per_px: 1.0, scroll: 0.0, label_w: 150.0 };
    paint(&ctx, &l, &view, &palette(), None);
    let lane = |i: f64| AXIS_H + LOOP_H + i * LANE_H + LANE_H / 2.0;
    let red = (255, 0, 0);
    let green = (0, 255, 0);
    let white = (255, 255, 255);
    // Task a: running 0–10, waiting 10–100, running 100–110.
    assert_eq!(rgb(&ctx, view.x(5.0), lane(0.0)), red);
    assert_eq!(rgb(&ctx, view.x(50.0), lane(0.0)), green);
    assert_eq!(rgb(&ctx, view.x(105.0), lane(0.0)), red);
    assert_eq!(rgb(&ctx, view.x(333.0), lane(0.0)), white, "nothing after a finished");
    // Task b: running 10–20 only.
    assert_eq!(rgb(&ctx, view.x(15.0), lane(1.0)), red);
    assert_eq!(rgb(&ctx, view.x(5.0), lane(1.0)), white, "b was not running while a was");
    assert_eq!(rgb(&ctx, view.x(60.0), lane(1.0)), white);
    // The loop lane: busy 0–20 and 100–110, idle between.
    let loop_y = AXIS_H + LOOP_H / 2.0;
    assert_eq!(rgb(&ctx, view.x(12.0), loop_y), red);
    assert_eq!(rgb(&ctx, view.x(50.0), loop_y), white);
    assert_eq!(rgb(&ctx, view.x(108.0), loop_y), red);
}

#[wasm_bindgen_test]
fn zooming_moves_the_slices_with_the_time_axis() {
    let (_c, ctx) = canvas();
    let l = layout(&known(), 0.0);
    let mut view = Viewport { width: 800.0, height: 200.0, t0: 0.0, ms_per_px: 1.0, scroll: 0.0, label_w: 150.0 };
    view.zoom(4.0, view.x(100.0));
    paint(&ctx, &l, &view, &palette(), None);
    let y = AXIS_H + LOOP_H + LANE_H / 2.0;
    assert_eq!(rgb(&ctx, view.x(101.0), y), (255, 0, 0));
    assert_eq!(rgb(&ctx, view.x(99.0), y), (0, 255, 0));
}

#[wasm_bindgen_test]
fn the_text_table_matches_the_record() {
    let doc = document().unwrap();
    let tbody: Element = doc.create_element("tbody").unwrap();
    let rec = known();
    render_rows(&doc, &tbody, &rec).unwrap();
    let rows = tbody.children();
    let summaries = summarize(&rec);
    assert_eq!(rows.length() as usize, summaries.len());
    for (i, s) in summaries.iter().enumerate() {
        let row: Element = rows.item(i as u32).unwrap();
        assert_eq!(row.get_attribute("data-task").as_deref(), Some(rec.tasks()[i].name.as_ref()));
        assert_eq!(row.get_attribute("data-outcome").as_deref(), Some("done"));
        assert_eq!(row.get_attribute("data-end-ms").unwrap(), format!("{:.1}", s.end));
        let polls = row.query_selector("td:nth-of-type(5)").unwrap().unwrap().text_content().unwrap();
        assert_eq!(polls, s.polls.to_string());
    }
    // Names are text, never markup.
    assert!(tbody.query_selector("i").unwrap().is_none());
    assert!(tbody.text_content().unwrap().contains("b <i>not html</i>"));
    assert_eq!(summary_line(&rec), "2 tasks, 110 ms total, longest 110 ms");
}

#[wasm_bindgen_test]
fn polls_are_published_as_devtools_track_entries() {
    let rec = known();
    let n = looplab::view::export::publish_measures(&rec);
    // Three polls: each on its task's track, the top-level ones also on "loop".
    assert_eq!(n, 6);
    let perf = web_sys::window().unwrap().performance().unwrap();
    let entries = perf.get_entries_by_type("measure");
    let tracks: Vec<String> = entries
        .iter()
        .filter_map(|e| {
            let detail = js_sys::Reflect::get(&e, &"detail".into()).ok()?;
            let devtools = js_sys::Reflect::get(&detail, &"devtools".into()).ok()?;
            js_sys::Reflect::get(&devtools, &"track".into()).ok()?.as_string()
        })
        .collect();
    assert_eq!(tracks.iter().filter(|t| *t == "loop").count(), 3);
    assert_eq!(tracks.iter().filter(|t| *t == "a").count(), 2);
}
