//! Numbers: how every layer prints them, and the crate's one sort.
//!
//! This module sits beside [`crate::error`] under every layer: the lessons, the
//! trace, the view and the app all format durations the same way through it.
//!
//! Why not `core`'s float formatting:
//! `format!("{x:.1}")` on an `f64` pulls Rust's general float-printing machinery
//! (Grisu and Dragon4, about 20 KB of wasm) into the binary. Every number Loop Lab
//! prints is a duration or a ratio with a fixed number of decimals, which integer
//! arithmetic does exactly: scale, round, print the integer and the fraction.

use std::fmt;

/// `value` printed with `decimals` digits after the point (at most 6), rounded half
/// away from zero: `fixed(2.345, 1)` prints `2.3`, `fixed(-0.04, 1)` prints `0.0`.
pub fn fixed(value: f64, decimals: u8) -> Fixed {
    Fixed { value, decimals: decimals.min(6), trim: false }
}

/// Like [`fixed`], but trailing zeros (and a trailing point) are dropped: `1.5`,
/// `100`, `0.125` — the shortest form, as JSON numbers are written.
pub fn trimmed(value: f64, decimals: u8) -> Fixed {
    Fixed { value, decimals: decimals.min(6), trim: true }
}

/// Milliseconds for readers: "1 204 ms" style, thin-space grouped; values under
/// 10 ms keep one decimal ("0.4 ms"), so short polls do not read as zero.
pub fn ms(v: f64) -> String {
    if v.abs() < 9.95 {
        return format!("{} ms", fixed(v, 1));
    }
    let n = v.round() as i64;
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    format!("{}{} ms", if n < 0 { "−" } else { "" }, out)
}

/// `value` limited to `lo..=hi` (`lo` wins if `hi < lo`; NaN gives `hi`).
///
/// `f64::clamp` would do, but its "min > max" assertion formats floats with `{:?}`,
/// which alone keeps the float printer in the binary.
pub fn clamp(value: f64, lo: f64, hi: f64) -> f64 {
    value.min(hi).max(lo)
}

/// The order of `keys` as `f64::total_cmp` sorts them, equal keys in their given
/// order: `order([2.0, 1.0, 2.0])` is `[1, 0, 2]`.
///
/// Every sort of timestamps goes through this one: it sorts integer pairs, so the
/// binary holds a single sort routine instead of one per element type and
/// comparator (each instance of the standard library's sorts is 2–5 KB of wasm).
pub fn order(keys: impl IntoIterator<Item = f64>) -> Vec<usize> {
    order_u64(keys.into_iter().map(order_key))
}

/// The order of integer `keys`, equal keys in their given order (see [`order`]).
pub fn order_u64(keys: impl IntoIterator<Item = u64>) -> Vec<usize> {
    let mut keyed: Vec<(u64, u32)> = keys.into_iter().zip(0u32..).collect();
    heap_sort(&mut keyed);
    keyed.into_iter().map(|(_, i)| i as usize).collect()
}

/// Sorts `v` ascending, in place, in O(n log n) time: a heapsort. The pairs are all
/// distinct (the second is the index), so an unstable sort gives the one order.
///
/// The standard library's `sort_unstable` (pattern-defeating quicksort with its small
/// sorts) is ~4.4 KB of wasm; this is a few hundred bytes (−1 716 bytes gzipped, playground).
fn heap_sort(v: &mut [(u64, u32)]) {
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift_down(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end);
    }
}

/// Moves `v[root]` down the max-heap `v[..end]` until both its children are smaller.
fn sift_down(v: &mut [(u64, u32)], mut root: usize, end: usize) {
    loop {
        let mut child = 2 * root + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && v[child] < v[child + 1] {
            child += 1;
        }
        if v[root] >= v[child] {
            return;
        }
        v.swap(root, child);
        root = child;
    }
}

/// An integer that orders as `f64::total_cmp` orders `x`.
fn order_key(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// A number to print; see [`fixed`] and [`trimmed`].
#[derive(Debug, Clone, Copy)]
pub struct Fixed {
    value: f64,
    decimals: u8,
    trim: bool,
}

impl fmt::Display for Fixed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.value;
        if v.is_nan() {
            return f.write_str("NaN");
        }
        if v.is_infinite() {
            return f.write_str(if v > 0.0 { "inf" } else { "-inf" });
        }
        let scale = 10u64.pow(u32::from(self.decimals));
        // Saturates for magnitudes past u64 (beyond any duration we print).
        let scaled = (v.abs() * scale as f64).round() as u64;
        if v < 0.0 && scaled != 0 {
            f.write_str("-")?;
        }
        write!(f, "{}", scaled / scale)?;
        let mut frac = scaled % scale;
        let mut width = usize::from(self.decimals);
        if self.trim {
            while width > 0 && frac % 10 == 0 {
                frac /= 10;
                width -= 1;
            }
        }
        if width > 0 {
            write!(f, ".{frac:0width$}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_sorts_as_total_cmp_and_keeps_ties_in_place() {
        let keys = [2.0, -1.5, f64::NAN, 0.0, -0.0, 2.0, f64::NEG_INFINITY, 1e-300, -f64::NAN, f64::INFINITY, 2.0];
        let mut expected: Vec<usize> = (0..keys.len()).collect();
        expected.sort_by(|&a, &b| keys[a].total_cmp(&keys[b])); // stable: ties keep their order
        assert_eq!(order(keys), expected);
        assert_eq!(order([2.0, 1.0, 2.0]), [1, 0, 2]);
        assert_eq!(order([]), Vec::<usize>::new());
    }

    /// The heapsort behind [`order_u64`] against the standard library's stable sort, on
    /// seeded pseudo-random keys with many ties, for every length up to 300.
    #[test]
    fn order_u64_matches_a_stable_sort() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15; // fixed seed: the same keys every run
        for len in 0..300 {
            let keys: Vec<u64> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    (x >> 33) % 17
                })
                .collect();
            let mut expected: Vec<usize> = (0..len).collect();
            expected.sort_by_key(|&i| keys[i]);
            assert_eq!(order_u64(keys.iter().copied()), expected, "keys {keys:?}");
        }
    }

    #[test]
    fn fixed_rounds_half_away_from_zero_and_pads() {
        assert_eq!(fixed(2.25, 1).to_string(), "2.3");
        assert_eq!(fixed(2.0, 2).to_string(), "2.00");
        assert_eq!(fixed(0.05, 1).to_string(), "0.1");
        assert_eq!(fixed(1234.4, 0).to_string(), "1234");
        assert_eq!(fixed(-1.23456, 3).to_string(), "-1.235");
        assert_eq!(fixed(-0.04, 1).to_string(), "0.0");
        assert_eq!(fixed(9.999, 2).to_string(), "10.00");
        assert_eq!(fixed(1.0, 9).to_string(), "1.000000");
    }

    #[test]
    fn clamp_limits_and_never_panics() {
        assert_eq!(clamp(5.0, 0.0, 3.0), 3.0);
        assert_eq!(clamp(-1.0, 0.0, 3.0), 0.0);
        assert_eq!(clamp(1.5, 0.0, 3.0), 1.5);
        assert_eq!(clamp(1.0, 2.0, -1.0), 2.0);
        assert_eq!(clamp(f64::NAN, 0.0, 3.0), 3.0);
    }

    #[test]
    fn ms_groups_thousands_and_keeps_a_decimal_below_ten() {
        assert_eq!(ms(0.42), "0.4 ms");
        assert_eq!(ms(9.94), "9.9 ms");
        assert_eq!(ms(10.0), "10 ms");
        assert_eq!(ms(1204.4), "1\u{2009}204 ms");
        assert_eq!(ms(-1_234_567.0), "−1\u{2009}234\u{2009}567 ms");
    }

    #[test]
    fn trimmed_drops_trailing_zeros() {
        assert_eq!(trimmed(100.0, 3).to_string(), "100");
        assert_eq!(trimmed(1.5, 3).to_string(), "1.5");
        assert_eq!(trimmed(1.23456, 3).to_string(), "1.235");
        assert_eq!(trimmed(0.0004, 3).to_string(), "0");
    }

    #[test]
    fn matches_core_formatting_where_rounding_agrees() {
        for i in 0..20_000 {
            let v = f64::from(i) * 0.0371 - 300.0;
            // core rounds the exact binary value half to even; both agree away from ties.
            let ours = fixed(v, 2).to_string();
            let core = format!("{v:.2}");
            let tie = ((v * 1000.0).round() as i64).rem_euclid(10) == 5;
            if !tie && core != "-0.00" {
                assert_eq!(ours, core, "{v}");
            }
        }
        assert_eq!(fixed(f64::NAN, 1).to_string(), "NaN");
        assert_eq!(fixed(f64::INFINITY, 1).to_string(), "inf");
    }
}
