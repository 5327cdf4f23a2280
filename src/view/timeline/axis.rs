//! The time axis: where the ticks go and how they read.

use crate::num::fixed;

/// Tick spacing (ms) for about one tick per `min_px` pixels at `ms_per_px`:
/// 1, 2 or 5 times a power of ten.
pub fn tick_step(ms_per_px: f64, min_px: f64) -> f64 {
    let raw = (ms_per_px * min_px).max(1e-6);
    // The power of ten at or below `raw`, by steps (no `powf`/`log10`: libm's pow costs 2 KB of wasm).
    let mut mag = 1.0;
    while mag > raw {
        mag /= 10.0;
    }
    while mag * 10.0 <= raw {
        mag *= 10.0;
    }
    [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| *s >= raw).unwrap_or(10.0 * mag)
}

/// The ticks (ms) from `t0` to `t1` at spacing `step`.
pub fn ticks(t0: f64, t1: f64, step: f64) -> Vec<f64> {
    let first = (t0 / step).ceil() as i64;
    let last = (t1 / step).floor() as i64;
    (first..=last.max(first - 1)).map(|i| i as f64 * step).collect()
}

/// A tick label: "0", "250 ms", "1.5 s".
pub fn label(t: f64, step: f64) -> String {
    if t == 0.0 {
        "0".into()
    } else if step >= 100.0 && t.abs() >= 1000.0 {
        let s = t / 1000.0;
        if (s - s.round()).abs() < 1e-9 {
            format!("{} s", fixed(s, 0))
        } else {
            format!("{} s", fixed(s, 1))
        }
    } else if step >= 1.0 {
        format!("{} ms", fixed(t, 0))
    } else {
        format!("{} ms", fixed(t, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round_numbers() {
        assert_eq!(tick_step(1.0, 80.0), 100.0);
        assert_eq!(tick_step(0.5, 80.0), 50.0);
        assert_eq!(tick_step(3.0, 80.0), 500.0);
        assert_eq!(tick_step(0.01, 80.0), 1.0);
    }

    #[test]
    fn ticks_cover_the_range() {
        assert_eq!(ticks(0.0, 450.0, 100.0), vec![0.0, 100.0, 200.0, 300.0, 400.0]);
        assert_eq!(ticks(120.0, 130.0, 100.0), Vec::<f64>::new());
    }

    #[test]
    fn labels_read_naturally() {
        assert_eq!(label(0.0, 100.0), "0");
        assert_eq!(label(200.0, 100.0), "200 ms");
        assert_eq!(label(1500.0, 500.0), "1.5 s");
        assert_eq!(label(2000.0, 1000.0), "2 s");
        assert_eq!(label(0.5, 0.5), "0.5 ms");
    }
}
