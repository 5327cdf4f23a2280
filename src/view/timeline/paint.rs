//! Painting a [`Layout`] onto a 2D canvas.
//!
//! Only what is visible is drawn: lanes outside the viewport are skipped, segments
//! are found by binary search, and neighbouring segments that fall within the same
//! pixel are merged into one rectangle — the way trace viewers stay smooth with
//! hundreds of thousands of slices.
//!
//! A waiting stretch wide enough for its label ("sleep 1 s", "GET /api/users/2") says
//! it, inside the band. Each label's width is measured once ([`Label::width`]); a
//! stretch narrower than [`LABEL_MIN_PX`] is not even looked at.

use super::axis::{label, tick_step, ticks};
use super::layout::{Label, Layout, SegKind};
use super::viewport::{Viewport, AXIS_H, LANE_H, LOOP_H};
use crate::trace::state::State;
use web_sys::CanvasRenderingContext2d as Ctx;

/// The colours the painter uses, read from the element's CSS custom properties.
#[derive(Clone, Debug)]
pub struct Palette {
    /// Background.
    pub surface: String,
    /// Text.
    pub text: String,
    /// Secondary text and grid.
    pub muted: String,
    /// Grid lines and lane separators.
    pub grid: String,
    /// Running slices.
    pub run: String,
    /// Waiting bands.
    pub wait: String,
    /// Done marker.
    pub done: String,
    /// Failed marker.
    pub failed: String,
    /// Cancelled marker.
    pub cancelled: String,
    /// The label font.
    pub font: String,
}

/// A waiting stretch narrower than this (CSS px) gets no label, whatever it says.
pub const LABEL_MIN_PX: f64 = 30.0;

/// Paints the whole timeline for `view` (CSS pixels; the caller scaled for DPR).
pub fn paint(ctx: &Ctx, l: &Layout, view: &Viewport, pal: &Palette, cursor: Option<f64>) {
    ctx.set_fill_style_str(&pal.surface);
    ctx.fill_rect(0.0, 0.0, view.width, view.height);
    ctx.set_font(&format!("12px {}", pal.font));
    axis(ctx, view, pal);
    loop_lane(ctx, l, view, pal);
    let first = (view.scroll / LANE_H).floor().max(0.0) as usize;
    let rows = ((view.height - AXIS_H - LOOP_H) / LANE_H).ceil() as usize + 1;
    for (i, &task) in l.rows.iter().enumerate().skip(first).take(rows) {
        let y = AXIS_H + LOOP_H + i as f64 * LANE_H - view.scroll;
        lane_row(ctx, &l.lanes[task as usize], l, y, view, pal);
    }
    if let Some(t) = cursor {
        let x = view.x(t);
        if x >= view.label_w && x <= view.width {
            ctx.set_fill_style_str(&pal.text);
            ctx.fill_rect(x.round() - 0.5, AXIS_H, 1.0, view.height - AXIS_H);
        }
    }
}

/// Shades the periods the page was hidden (`spans`, ms since the origin) across every
/// lane, labelled in the axis row: the browser throttled timers then, so what the
/// lanes show there is not what a reader would see in a visible tab.
pub fn hidden_periods(ctx: &Ctx, view: &Viewport, pal: &Palette, spans: &[(f64, f64)]) {
    for &(start, end) in spans {
        let x0 = view.x(start).max(view.label_w);
        let x1 = view.x(end).min(view.width);
        if x1 - x0 < 1.0 {
            continue;
        }
        ctx.set_global_alpha(0.16);
        ctx.set_fill_style_str(&pal.muted);
        ctx.fill_rect(x0, 0.0, x1 - x0, view.height);
        ctx.set_global_alpha(1.0);
        ctx.set_fill_style_str(&pal.muted);
        ctx.fill_rect(x0, 0.0, x1 - x0, 3.0);
        let label = if x1 - x0 > 190.0 { "tab hidden: timers throttled" } else { "hidden" };
        if x1 - x0 > 50.0 {
            // On a plate of its own, over the axis labels it may cross.
            let w = (6.6 * label.chars().count() as f64).min(x1 - x0 - 8.0);
            ctx.set_fill_style_str(&pal.surface);
            ctx.fill_rect(x0 + 1.0, 4.0, w + 6.0, AXIS_H - 8.0);
            ctx.set_fill_style_str(&pal.text);
            let _ = ctx.fill_text_with_max_width(label, x0 + 4.0, AXIS_H / 2.0, x1 - x0 - 8.0);
        }
    }
}

fn axis(ctx: &Ctx, view: &Viewport, pal: &Palette) {
    let step = tick_step(view.ms_per_px, 90.0);
    ctx.set_text_baseline("middle");
    for t in ticks(view.t0, view.t_at(view.width), step) {
        let x = view.x(t).round() + 0.5;
        if x < view.label_w {
            continue;
        }
        ctx.set_fill_style_str(&pal.grid);
        ctx.fill_rect(x - 0.5, AXIS_H - 6.0, 1.0, view.height - AXIS_H + 6.0);
        let text = label(t, step);
        // A label that would run off the right edge is left out; its line stays.
        if x + 8.0 + 7.0 * text.chars().count() as f64 <= view.width {
            ctx.set_fill_style_str(&pal.muted);
            let _ = ctx.fill_text(&text, x + 4.0, AXIS_H / 2.0);
        }
    }
    ctx.set_fill_style_str(&pal.grid);
    ctx.fill_rect(0.0, AXIS_H - 0.5, view.width, 1.0);
}

fn loop_lane(ctx: &Ctx, l: &Layout, view: &Viewport, pal: &Palette) {
    let y = AXIS_H;
    ctx.set_fill_style_str(&pal.text);
    let label = if view.label_w < 130.0 { "loop" } else { "loop · one thread" };
    let _ = ctx.fill_text_with_max_width(label, 8.0, y + LOOP_H / 2.0, view.label_w - 14.0);
    ctx.set_fill_style_str(&pal.run);
    let t1 = view.t_at(view.width);
    let from = l.loop_polls.partition_point(|p| p.2 < view.t0);
    let mut pending: Option<(f64, f64)> = None;
    for &(_, s, e) in l.loop_polls[from..].iter().take_while(|p| p.1 <= t1) {
        let (x0, x1) = (view.x(s).max(view.label_w), view.x(e).max(view.x(s) + 1.0));
        pending = match pending {
            Some((a, b)) if x0 <= b + 0.5 => Some((a, b.max(x1))),
            Some((a, b)) => {
                ctx.fill_rect(a, y + 4.0, b - a, LOOP_H - 8.0);
                Some((x0, x1))
            }
            None => Some((x0, x1)),
        };
    }
    if let Some((a, b)) = pending {
        ctx.fill_rect(a, y + 4.0, b - a, LOOP_H - 8.0);
    }
    ctx.set_fill_style_str(&pal.grid);
    ctx.fill_rect(0.0, y + LOOP_H - 0.5, view.width, 1.0);
}

fn lane_row(ctx: &Ctx, lane: &super::layout::Lane, l: &Layout, y: f64, view: &Viewport, pal: &Palette) {
    let mid = y + LANE_H / 2.0;
    ctx.set_fill_style_str(&pal.text);
    let indent = 8.0 + 12.0 * f64::from(lane.depth.min(6));
    let _ = ctx.fill_text_with_max_width(&lane.name, indent, mid, view.label_w - indent - 6.0);
    let t1 = view.t_at(view.width);
    let from = lane.segs.partition_point(|s| s.end < view.t0);
    let mut pending: Option<(f64, f64, SegKind)> = None;
    let mut labelled: Vec<(f64, f64, u32)> = Vec::new();
    let open = lane.open.map(|o| super::layout::Seg { end: l.span, ..o });
    for seg in lane.segs[from..].iter().chain(open.iter()).take_while(|s| s.start <= t1) {
        let x0 = view.x(seg.start).max(view.label_w);
        let x1 = view.x(seg.end).max(x0 + if seg.kind == SegKind::Running { 1.0 } else { 0.0 });
        if let (SegKind::Waiting, Some(id), true) = (seg.kind, seg.label, x1.min(view.width) - x0 >= LABEL_MIN_PX) {
            labelled.push((x0, x1.min(view.width), id));
        }
        pending = match pending {
            // Within the same pixel: merge, letting "running" win over the rest.
            Some((a, b, k)) if x0 <= b + 0.5 && (k == seg.kind || x1 - a < 1.5) => {
                Some((a, b.max(x1), if seg.kind == SegKind::Running { seg.kind } else { k }))
            }
            Some(p) => {
                draw_seg(ctx, p, y, pal);
                Some((x0, x1, seg.kind))
            }
            None => Some((x0, x1, seg.kind)),
        };
    }
    if let Some(p) = pending {
        draw_seg(ctx, p, y, pal);
    }
    if !labelled.is_empty() {
        wait_labels(ctx, &labelled, &l.labels, y, pal);
    }
    outcome_mark(ctx, lane, view, y, pal);
}

/// Writes each label inside its waiting stretch `(x0, x1, label)`, when it fits.
fn wait_labels(ctx: &Ctx, stretches: &[(f64, f64, u32)], labels: &[Label], y: f64, pal: &Palette) {
    ctx.set_font(&format!("11px {}", pal.font));
    ctx.set_fill_style_str(&pal.text);
    for &(a, b, id) in stretches {
        let Some(label) = labels.get(id as usize) else { continue };
        let w = label.width(|text| ctx.measure_text(text).map_or(f64::INFINITY, |m| m.width()));
        if w + 8.0 <= b - a {
            let _ = ctx.fill_text(&label.text, a + 4.0, y + LANE_H / 2.0);
        }
    }
    ctx.set_font(&format!("12px {}", pal.font));
}

fn draw_seg(ctx: &Ctx, (a, b, kind): (f64, f64, SegKind), y: f64, pal: &Palette) {
    let w = b - a;
    match kind {
        SegKind::Running => {
            ctx.set_fill_style_str(&pal.run);
            ctx.fill_rect(a, y + 3.0, w, LANE_H - 6.0);
        }
        SegKind::Waiting => {
            ctx.set_fill_style_str(&pal.wait);
            ctx.fill_rect(a, y + 6.0, w, LANE_H - 12.0);
        }
        SegKind::Scheduled => {
            ctx.set_fill_style_str(&pal.muted);
            ctx.fill_rect(a, y + LANE_H / 2.0 - 1.0, w, 2.0);
        }
        SegKind::Idle => {
            ctx.set_fill_style_str(&pal.grid);
            let mut x = a;
            while x < b {
                ctx.fill_rect(x, y + LANE_H / 2.0 - 0.5, (b - x).min(4.0), 1.0);
                x += 8.0;
            }
        }
    }
}

fn outcome_mark(ctx: &Ctx, lane: &super::layout::Lane, view: &Viewport, y: f64, pal: &Palette) {
    let (glyph, colour) = match lane.state {
        State::Done => ("✓", &pal.done),
        State::Failed => ("✗", &pal.failed),
        State::Cancelled => ("⊘", &pal.cancelled),
        _ => return,
    };
    let x = view.x(lane.end);
    if x < view.label_w || x > view.width {
        return;
    }
    ctx.set_fill_style_str(colour);
    ctx.set_font(&format!("bold 13px {}", pal.font));
    let _ = ctx.fill_text(glyph, x + 3.0, y + LANE_H / 2.0);
    if let (State::Failed, Some(msg)) = (lane.state, &lane.error) {
        ctx.set_font(&format!("12px {}", pal.font));
        let _ = ctx.fill_text_with_max_width(msg, x + 16.0, y + LANE_H / 2.0, (view.width - x - 20.0).max(40.0));
    }
    ctx.set_font(&format!("12px {}", pal.font));
}
