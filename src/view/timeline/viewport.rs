//! The viewport: which stretch of time and which lanes are on screen, and the
//! geometry that maps one to the other. Pure arithmetic, unit-tested natively.

/// Width of the lane-name column on a wide canvas, CSS px (narrower on phones).
pub const LABEL_W: f64 = 150.0;
/// Height of the time axis, CSS px.
pub const AXIS_H: f64 = 24.0;
/// Height of the loop lane, CSS px.
pub const LOOP_H: f64 = 28.0;
/// Height of one task lane, CSS px.
pub const LANE_H: f64 = 22.0;

/// What part of the record is visible.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// Canvas width, CSS px.
    pub width: f64,
    /// Canvas height, CSS px.
    pub height: f64,
    /// Time at the left edge of the plot area (ms since origin).
    pub t0: f64,
    /// Milliseconds per CSS pixel.
    pub ms_per_px: f64,
    /// Vertical scroll of the task lanes, CSS px.
    pub scroll: f64,
    /// Width of the lane-name column, CSS px.
    pub label_w: f64,
}

impl Viewport {
    /// A viewport of the given size showing `0..span` ms.
    pub fn fit(width: f64, height: f64, span: f64) -> Viewport {
        let label_w = LABEL_W.min((width * 0.3).round());
        let plot = (width - label_w - 24.0).max(50.0);
        Viewport { width, height, t0: 0.0, ms_per_px: (span.max(1.0) * 1.05) / plot, scroll: 0.0, label_w }
    }

    /// The x coordinate of time `t`.
    pub fn x(&self, t: f64) -> f64 {
        self.label_w + (t - self.t0) / self.ms_per_px
    }

    /// The time at x coordinate `x`.
    pub fn t_at(&self, x: f64) -> f64 {
        self.t0 + (x - self.label_w) * self.ms_per_px
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the time under `x` fixed.
    pub fn zoom(&mut self, factor: f64, x: f64) {
        let anchor = self.t_at(x);
        self.ms_per_px = crate::num::clamp(self.ms_per_px / factor, 1e-4, 1e5);
        self.t0 = anchor - (x - self.label_w) * self.ms_per_px;
    }

    /// Pans by `dx` pixels of time and `dy` pixels of lanes, within `lanes` lanes.
    pub fn pan(&mut self, dx: f64, dy: f64, lanes: usize) {
        self.t0 -= dx * self.ms_per_px;
        let max = (lanes as f64 * LANE_H - (self.height - AXIS_H - LOOP_H)).max(0.0);
        self.scroll = crate::num::clamp(self.scroll - dy, 0.0, max);
    }

    /// The lane index at y coordinate `y`, if it is a task lane.
    pub fn lane_at(&self, y: f64) -> Option<usize> {
        let inner = y - AXIS_H - LOOP_H + self.scroll;
        (y >= AXIS_H + LOOP_H && inner >= 0.0).then(|| (inner / LANE_H) as usize)
    }

    /// The height the canvas needs to show `lanes` lanes without scrolling.
    pub fn natural_height(lanes: usize) -> f64 {
        AXIS_H + LOOP_H + lanes as f64 * LANE_H + 6.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_shows_the_whole_span() {
        let v = Viewport::fit(800.0, 300.0, 200.0);
        assert!(v.x(200.0) < 800.0 && v.x(0.0) == LABEL_W);
        assert_eq!(Viewport::fit(390.0, 100.0, 1.0).label_w, 117.0);
        assert!((v.t_at(v.x(123.0)) - 123.0).abs() < 1e-9);
    }

    #[test]
    fn zoom_keeps_the_anchor_still() {
        let mut v = Viewport::fit(800.0, 300.0, 1000.0);
        let before = v.t_at(400.0);
        v.zoom(4.0, 400.0);
        assert!((v.t_at(400.0) - before).abs() < 1e-9);
        assert!(v.x(before + 10.0) - v.x(before) > 10.0 / (1000.0 * 1.05 / 626.0) * 3.9);
    }

    #[test]
    fn pan_is_clamped_vertically() {
        let mut v = Viewport::fit(800.0, 200.0, 100.0);
        v.pan(0.0, -10_000.0, 20);
        assert_eq!(v.scroll, 20.0 * LANE_H - (200.0 - AXIS_H - LOOP_H));
        v.pan(0.0, 10_000.0, 20);
        assert_eq!(v.scroll, 0.0);
        assert_eq!(v.lane_at(AXIS_H + LOOP_H + LANE_H * 1.5), Some(1));
        assert_eq!(v.lane_at(AXIS_H + 1.0), None);
    }
}
