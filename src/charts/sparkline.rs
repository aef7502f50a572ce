//! A sparkline: a line the size of a word, for a trend beside its figure.
//!
//! charts-rs draws axes, legends and labels a sparkline has no room for, so
//! this one is written out by hand: a polyline (broken where a period has no
//! value), a dot on the latest value and a dashed line at the target. Colours
//! come from classes the stylesheet colours (`.spark-*`), so the dark scheme
//! and print need no second drawing. Coordinates are rounded to one decimal:
//! the same values always give the same bytes.

use crate::content::escape_html;

const WIDTH: f64 = 120.0;
const HEIGHT: f64 = 32.0;
/// Room around the line for the dot and the stroke.
const PAD: f64 = 3.5;

/// The SVG of `values` (oldest first; `None` where a period has no value), with
/// `target` drawn when given; `label` is its text alternative. `None` without any value.
pub fn sparkline(values: &[Option<f64>], target: Option<f64>, label: &str) -> Option<String> {
    let known: Vec<f64> = values.iter().flatten().copied().filter(|v| v.is_finite()).collect();
    if known.is_empty() {
        return None;
    }
    let target = target.filter(|t| t.is_finite());
    let (mut lo, mut hi) =
        known.iter().chain(&target).fold((f64::MAX, f64::MIN), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if hi - lo < 1e-9 {
        // A flat line sits in the middle.
        let half = (lo.abs() * 0.05).max(0.5);
        (lo, hi) = (lo - half, hi + half);
    }
    let step = if values.len() > 1 { (WIDTH - 2.0 * PAD) / (values.len() - 1) as f64 } else { 0.0 };
    let x = |i: usize| if values.len() > 1 { PAD + step * i as f64 } else { WIDTH / 2.0 };
    let y = |v: f64| HEIGHT - PAD - (v - lo) / (hi - lo) * (HEIGHT - 2.0 * PAD);
    let mut svg = format!(
        "<svg class=\"sparkline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-label=\"{}\">",
        escape_html(label)
    );
    if let Some(t) = target {
        let ty = y(t);
        svg.push_str(&format!("<line class=\"spark-target\" x1=\"0\" y1=\"{ty:.1}\" x2=\"{WIDTH}\" y2=\"{ty:.1}\"/>"));
    }
    // One polyline per run of periods with values; a lone value is a dot.
    let runs = values.iter().enumerate().collect::<Vec<_>>();
    for run in runs.split(|(_, v)| v.is_none_or(|v| !v.is_finite())) {
        let points: Vec<String> =
            run.iter().filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x(*i), y(v)))).collect();
        if points.len() > 1 {
            svg.push_str(&format!("<polyline class=\"spark-line\" points=\"{}\"/>", points.join(" ")));
        }
    }
    if let Some((i, Some(v))) = values.iter().enumerate().rev().find(|(_, v)| v.is_some_and(f64::is_finite)) {
        svg.push_str(&format!("<circle class=\"spark-dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\"/>", x(i), y(*v)));
    }
    // Lone values between gaps get a small dot, so no value goes unseen.
    for (i, v) in values.iter().enumerate() {
        let alone = |j: Option<usize>| j.and_then(|j| values.get(j)).is_none_or(|w| w.is_none());
        if let Some(v) = v
            && alone(i.checked_sub(1))
            && alone(Some(i + 1))
            && values[i + 1..].iter().any(Option::is_some)
        {
            svg.push_str(&format!("<circle class=\"spark-point\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"1.5\"/>", x(i), y(*v)));
        }
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::sparkline;

    #[test]
    fn the_same_values_give_the_same_bytes() {
        let values = [Some(80.0), Some(77.3), None, Some(84.0), Some(83.9)];
        let a = sparkline(&values, Some(85.0), "CSAT").unwrap();
        assert_eq!(a, sparkline(&values, Some(85.0), "CSAT").unwrap());
        // Worked out by hand: the range is 77.3–85 (the target is the top), so y = 32 − 3.5 − (v − 77.3) / 7.7 × 25;
        // x runs from 3.5 in steps of 113 / 4 = 28.25.
        assert!(a.contains("<line class=\"spark-target\" x1=\"0\" y1=\"3.5\" x2=\"120\" y2=\"3.5\"/>"), "{a}");
        assert!(a.contains("<polyline class=\"spark-line\" points=\"3.5,19.7 31.8,28.5\"/>"), "{a}");
        assert!(a.contains("<polyline class=\"spark-line\" points=\"88.2,6.7 116.5,7.1\"/>"), "{a}");
        assert!(a.contains("<circle class=\"spark-dot\" cx=\"116.5\" cy=\"7.1\" r=\"2.5\"/>"), "{a}");
    }

    #[test]
    fn the_label_is_escaped() {
        let svg = sparkline(&[Some(1.0), Some(2.0)], None, "<script>\"x\" & 'y'").unwrap();
        assert!(svg.contains("aria-label=\"&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;\""), "{svg}");
        assert!(!svg.contains("<script>"));
    }

    #[test]
    fn nothing_to_draw_without_values_and_a_flat_line_sits_in_the_middle() {
        assert_eq!(sparkline(&[None, None], Some(3.0), "x"), None);
        let flat = sparkline(&[Some(5.0), Some(5.0)], None, "x").unwrap();
        assert!(flat.contains("points=\"3.5,16.0 116.5,16.0\""), "{flat}");
        let one = sparkline(&[Some(5.0)], None, "x").unwrap();
        assert!(one.contains("<circle class=\"spark-dot\" cx=\"60.0\" cy=\"16.0\""), "{one}");
    }

    #[test]
    fn a_value_between_gaps_is_a_dot() {
        let svg = sparkline(&[Some(1.0), None, Some(2.0), None, Some(3.0)], None, "x").unwrap();
        assert!(!svg.contains("<polyline"), "{svg}");
        assert_eq!(svg.matches("spark-point").count(), 2, "{svg}");
        assert_eq!(svg.matches("spark-dot").count(), 1, "{svg}");
    }
}
