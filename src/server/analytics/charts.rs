//! Charts drawn on the server as SVG text, so analytics pages need no JavaScript and add nothing
//! to the browser bundle; the page inserts the markup as it is.
//!
//! Colour comes only from the stylesheet: shapes carry `chart-*` classes and paint with
//! `currentColor`, so a rule such as `.chart-series-1 { color: … }` recolours a series in both
//! themes. The few `*-opacity` attributes are fallbacks that any CSS rule overrides.

use std::fmt::{self, Write as _};

// Writing into a `String` cannot fail, so the `fmt::Result` of each `write!` is discarded.

/// ViewBox width: one unit is one CSS pixel on a 320 px phone; wider containers scale it up.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 180.0;
/// Where line and bar charts draw their data: room for values at the left and dates below.
const PLOT_LEFT: f64 = 36.0;
const PLOT_RIGHT: f64 = WIDTH - 10.0;
const PLOT_WIDTH: f64 = PLOT_RIGHT - PLOT_LEFT;
const PLOT_TOP: f64 = 10.0;
const PLOT_BOTTOM: f64 = HEIGHT - 22.0;
/// A line chart's legend, above its plot, when it has more than one series.
const LEGEND_HEIGHT: f64 = 18.0;
/// Average advance of one character of the 11-unit font, to tell whether labels would collide.
const CHAR_WIDTH: f64 = 6.5;
const LABEL_GAP: f64 = 10.0;
/// However short the labels, a bar chart shows at most this many, so the axis stays calm.
const MOST_BAR_LABELS: usize = 10;
/// Weekday labels are cut to this many characters so the heat grid keeps room for its cells.
const MOST_ROW_LABEL_CHARS: usize = 6;
/// The heat grid's five shades, with an opacity for pages whose stylesheet does not set them.
const SHADES: [(&str, f64); 5] = [
    ("chart-level-0", 0.08),
    ("chart-level-1", 0.3),
    ("chart-level-2", 0.5),
    ("chart-level-3", 0.75),
    ("chart-level-4", 1.0),
];

/// One line of a line chart: its name (for the legend) and its points, x as Unix milliseconds.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub points: Vec<(i64, f64)>,
}

/// A line chart of one or more series over time (e.g. a post's views over its first 30 days,
/// followers per day). x axis: time with 2–5 tick labels formatted by `x_label` (the caller's
/// formatter, e.g. a date in the person's time zone); y axis from 0 to a "nice" maximum
/// (1, 2, 5 × 10^n) with 3–5 gridlines labelled compactly (1.2k, 3.4M). One point → a dot.
/// No series or no points → an SVG with a centred "no data" text given by `empty_text`.
pub fn line_chart(
    aria_label: &str,
    series: &[Series],
    x_label: &dyn Fn(i64) -> String,
    empty_text: &str,
) -> String {
    // Points that cannot be drawn (NaN, infinite) are dropped; each series keeps its position
    // so its colour class matches the legend and the page's table whatever was dropped.
    let drawable: Vec<Vec<(i64, f64)>> = series.iter().map(finite_points_in_time_order).collect();
    let mut xs: Vec<i64> = drawable.iter().flatten().map(|p| p.0).collect();
    if xs.is_empty() {
        return empty_chart("chart-line-chart", aria_label, empty_text);
    }
    xs.sort_unstable();
    xs.dedup();
    let (first, last) = (xs[0] as f64, xs[xs.len() - 1] as f64);
    // A lone instant sits in the middle; otherwise time runs from edge to edge.
    let x_of = |x: i64| match last - first {
        span if span > 0.0 => PLOT_LEFT + (x as f64 - first) / span * PLOT_WIDTH,
        _ => PLOT_LEFT + PLOT_WIDTH / 2.0,
    };
    let top = PLOT_TOP + if series.len() > 1 { LEGEND_HEIGHT } else { 0.0 };
    let largest = drawable.iter().flatten().map(|p| p.1).fold(0.0, f64::max);
    let axis = ValueAxis::new(largest, top);
    let mut svg = Svg::open("chart-line-chart", aria_label, HEIGHT);
    axis.draw(&mut svg);

    // Ticks sit on real data instants, spread evenly, so each label names a point that exists.
    let widest = char_count(&x_label(xs[0])).max(char_count(&x_label(xs[xs.len() - 1])));
    let ticks = labels_that_fit(widest, PLOT_WIDTH).clamp(2, 5);
    let ticks = ticks.min(xs.len());
    let mut previous = String::new();
    for tick in 0..ticks {
        let x = xs[(tick * (xs.len() - 1) + (ticks - 1) / 2) / (ticks - 1).max(1)];
        let label = x_label(x);
        // Two instants on the same day would otherwise print the same date twice.
        if label != previous {
            svg.label_under(x_of(x), &label);
            previous = label;
        }
    }

    for (index, (one, points)) in series.iter().zip(&drawable).enumerate() {
        // A lone point has no line to sit on, so it is drawn larger, as a dot.
        let (class, radius) = match points.len() {
            1 => ("chart-point chart-dot", 4.0),
            _ => ("chart-point", 2.5),
        };
        let name = match one.label.as_str() {
            "" => String::new(),
            label => format!("{label} · "),
        };
        let (mut path, mut dots) = (String::new(), Svg(String::new()));
        for &(x, y) in points {
            let (cx, cy) = (Coord(x_of(x)), Coord(axis.y(y)));
            let step = if path.is_empty() { "M" } else { " L" };
            let _ = write!(path, "{step}{cx} {cy}");
            let title = format!("{name}{}: {}", x_label(x), exact(y));
            dots.titled(
                "circle",
                format_args!(
                    r#"class="{class} chart-series-{index}" cx="{cx}" cy="{cy}" r="{radius}""#
                ),
                &title,
            );
        }
        if points.len() > 1 {
            let _ = write!(
                svg.0,
                r#"<path class="chart-line chart-series-{index}" d="{path}" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>"#
            );
        }
        // After the line, so the dots stay on top where hovering finds them.
        svg.0 += &dots.0;
    }

    if series.len() > 1 {
        let entry_width = (WIDTH - 8.0) / series.len() as f64;
        let fitting = ((entry_width - 18.0) / CHAR_WIDTH).max(1.0) as usize;
        for (index, one) in series.iter().enumerate() {
            let x = 4.0 + index as f64 * entry_width;
            let swatch_x = Coord(x);
            let _ = write!(
                svg.0,
                r#"<rect class="chart-swatch chart-series-{index}" x="{swatch_x}" y="6" width="10" height="10" rx="2" fill="currentColor"/>"#
            );
            let label = shortened(&one.label, fitting);
            svg.text("chart-legend-label", x + 14.0, 15.0, "start", &label);
        }
    }
    svg.close()
}

/// Vertical bars (e.g. posts per day): each bar has a label (shown under every Nth bar so
/// labels never overlap; all in <title>) and a value.
pub fn bar_chart(aria_label: &str, bars: &[(String, f64)], empty_text: &str) -> String {
    if bars.is_empty() {
        return empty_chart("chart-bar-chart", aria_label, empty_text);
    }
    // Bars grow up from zero, so a negative value (or NaN) draws as no bar at all.
    let heights: Vec<f64> = bars.iter().map(|bar| bar.1.max(0.0)).collect();
    let axis = ValueAxis::new(heights.iter().copied().fold(0.0, f64::max), PLOT_TOP);
    let mut svg = Svg::open("chart-bar-chart", aria_label, HEIGHT);
    axis.draw(&mut svg);

    let slot = PLOT_WIDTH / bars.len() as f64;
    for (index, ((label, value), &height)) in bars.iter().zip(&heights).enumerate() {
        // A fifth of each slot stays empty so neighbouring bars read as separate.
        let x = Coord(PLOT_LEFT + (index as f64 + 0.1) * slot);
        let width = Coord(slot * 0.8);
        let (y, height) = (Coord(axis.y(height)), Coord(PLOT_BOTTOM - axis.y(height)));
        let title = format!("{label}: {}", exact(*value));
        svg.titled(
            "rect",
            format_args!(r#"class="chart-bar" x="{x}" y="{y}" width="{width}" height="{height}""#),
            &title,
        );
    }
    let widest = bars.iter().map(|bar| char_count(&bar.0)).max().unwrap_or(0);
    let shown = labels_that_fit(widest, PLOT_WIDTH).min(MOST_BAR_LABELS);
    let every = bars.len().div_ceil(shown);
    for (index, (label, _)) in bars.iter().enumerate().step_by(every) {
        svg.label_under(PLOT_LEFT + (index as f64 + 0.5) * slot, label);
    }
    svg.close()
}

/// A 7 × 24 grid (weekday rows given by `row_labels`, hours 0–23 as columns, labelled every 6
/// hours) shaded in 5 levels (class chart-level-0..4) by value relative to the max; `None`
/// cells (no posts there) get class "chart-cell chart-empty". Each cell's <title> is given by
/// the caller in `titles[row][hour]`.
pub fn heat_grid(
    aria_label: &str,
    row_labels: &[String; 7],
    values: &[[Option<f64>; 24]; 7],
    titles: &[[String; 24]; 7],
) -> String {
    let longest = row_labels.iter().map(|label| char_count(label)).max();
    let left = longest.unwrap_or(0).min(MOST_ROW_LABEL_CHARS) as f64 * CHAR_WIDTH + 8.0;
    let pitch = (WIDTH - left - 4.0) / 24.0;
    let side = Coord(pitch - 1.5);
    let cells = values.iter().flatten().flatten().filter(|v| v.is_finite());
    let largest = cells.fold(0.0, |largest: f64, &value| largest.max(value));

    let mut svg = Svg::open("chart-heat-grid", aria_label, 7.0 * pitch + 24.0);
    let rows = row_labels.iter().zip(values).zip(titles).enumerate();
    for (row, ((label, row_values), row_titles)) in rows {
        let top = 4.0 + row as f64 * pitch;
        let label = shortened(label, MOST_ROW_LABEL_CHARS);
        let baseline = top + pitch / 2.0 + 4.0;
        svg.text("chart-row-label", left - 5.0, baseline, "end", &label);
        let y = Coord(top);
        for (hour, (value, title)) in row_values.iter().zip(row_titles).enumerate() {
            let (class, opacity) = match value.filter(|v| v.is_finite()) {
                Some(value) => SHADES[shade_level(value, largest)],
                None => ("chart-empty", 0.03),
            };
            let x = Coord(left + hour as f64 * pitch);
            svg.titled(
                "rect",
                format_args!(
                    r#"class="chart-cell {class}" x="{x}" y="{y}" width="{side}" height="{side}" rx="1.5" fill-opacity="{opacity}""#
                ),
                title,
            );
        }
    }
    let hours_y = 7.0 * pitch + 18.0;
    for hour in (0_u8..24).step_by(6) {
        let x = left + f64::from(hour) * pitch;
        svg.text("chart-x-label", x, hours_y, "start", &format!("{hour:02}"));
    }
    svg.close()
}

/// "1.2k", "3.4M", "950", "0" — also used by the page's tables' captions.
pub fn compact_number(value: f64) -> String {
    if !value.is_finite() {
        return "—".to_owned();
    }
    for (size, suffix) in [(1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "B")] {
        let mantissa = value.abs() / size;
        let decimals = match (suffix, mantissa) {
            ("", m) if m < 1.0 => 2,
            ("", m) if m < 100.0 => 1,
            (_, m) if m < 10.0 => 1,
            _ => 0,
        };
        let rounded = trimmed(mantissa, decimals);
        // 999,960 would round to "1000k"; one unit up it reads as "1M".
        if suffix == "B" || rounded.parse::<f64>().is_ok_and(|r| r < 1000.0) {
            let negative = value < 0.0 && rounded != "0";
            let sign = if negative { "-" } else { "" };
            return format!("{sign}{rounded}{suffix}");
        }
    }
    unreachable!("the largest unit always returns")
}

/// The smallest maximum of the form 1, 2 or 5 × 10ⁿ at or above `largest`, and a step count
/// that keeps every gridline a round number too, so the axis reads at a glance.
fn nice_scale(largest: f64) -> (f64, u32) {
    if !largest.is_finite() || largest <= 0.0 {
        return (1.0, 5);
    }
    let magnitude = 10f64.powi(largest.log10().floor() as i32);
    // A hair of tolerance, so floating-point noise such as 2.0000000001 still counts as 2.
    let (mantissa, steps) = match largest / magnitude * (1.0 - 1e-9) {
        fraction if fraction <= 1.0 => (1.0, 5),
        fraction if fraction <= 2.0 => (2.0, 4),
        fraction if fraction <= 5.0 => (5.0, 5),
        _ => (10.0, 5),
    };
    (mantissa * magnitude, steps)
}

/// The value (y) axis of line and bar charts: from zero at `PLOT_BOTTOM` up to `max` at `top`.
struct ValueAxis {
    max: f64,
    steps: u32,
    top: f64,
}

impl ValueAxis {
    fn new(largest: f64, top: f64) -> Self {
        let (max, steps) = nice_scale(largest);
        Self { max, steps, top }
    }

    fn y(&self, value: f64) -> f64 {
        PLOT_BOTTOM - value.clamp(0.0, self.max) / self.max * (PLOT_BOTTOM - self.top)
    }

    /// The zero line, the gridlines above it, and their values at the left.
    fn draw(&self, svg: &mut Svg) {
        for step in 0..=self.steps {
            let value = self.max * f64::from(step) / f64::from(self.steps);
            let y = self.y(value);
            // The zero line is the axis itself; the others are quieter gridlines.
            let (class, opacity) = match step {
                0 => ("chart-axis", 0.5),
                _ => ("chart-grid", 0.15),
            };
            let line_y = Coord(y);
            let _ = write!(
                svg.0,
                r#"<line class="{class}" x1="{PLOT_LEFT}" x2="{PLOT_RIGHT}" y1="{line_y}" y2="{line_y}" stroke="currentColor" stroke-opacity="{opacity}"/>"#
            );
            let label = compact_number(value);
            svg.text("chart-y-label", PLOT_LEFT - 5.0, y + 4.0, "end", &label);
        }
    }
}

/// An SVG document being written. Text is escaped on its way in, so no caller can forget to.
struct Svg(String);

impl Svg {
    fn open(kind: &str, aria_label: &str, height: f64) -> Self {
        let (height, label) = (Coord(height), escape(aria_label));
        Self(format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-label="{label}" font-size="11">"#
        ))
    }

    fn close(self) -> String {
        self.0 + "</svg>"
    }

    /// A label whose start, middle or end (`anchor`) is at `x`, with its baseline at `y`.
    fn text(&mut self, class: &str, x: f64, y: f64, anchor: &str, content: &str) {
        let (x, y, content) = (Coord(x), Coord(y), escape(content));
        let _ = write!(
            self.0,
            r#"<text class="chart-label {class}" x="{x}" y="{y}" text-anchor="{anchor}" fill="currentColor">{content}</text>"#
        );
    }

    /// An x-axis label centred under `centre`, slid inwards at either end of the drawing
    /// rather than cut off by its edge.
    fn label_under(&mut self, centre: f64, label: &str) {
        let half = char_count(label) as f64 * CHAR_WIDTH / 2.0;
        let x = centre.min(WIDTH - half - 2.0).max(half + 2.0);
        self.text("chart-x-label", x, PLOT_BOTTOM + 15.0, "middle", label);
    }

    /// A shape in `currentColor` whose `<title>` tells its value on hover.
    fn titled(&mut self, element: &str, attributes: fmt::Arguments<'_>, title: &str) {
        let title = escape(title);
        let _ = write!(
            self.0,
            r#"<{element} {attributes} fill="currentColor"><title>{title}</title></{element}>"#
        );
    }
}

fn empty_chart(kind: &str, aria_label: &str, empty_text: &str) -> String {
    let mut svg = Svg::open(kind, aria_label, HEIGHT);
    let (x, y) = (WIDTH / 2.0, HEIGHT / 2.0);
    svg.text("chart-empty-text", x, y, "middle", empty_text);
    svg.close()
}

fn finite_points_in_time_order(series: &Series) -> Vec<(i64, f64)> {
    let mut points: Vec<(i64, f64)> = series.points.clone();
    points.retain(|point| point.1.is_finite());
    points.sort_by_key(|point| point.0);
    points
}

/// A coordinate printed compactly, rounded to one decimal: "12", "12.5", never "12.000000".
#[derive(Clone, Copy)]
struct Coord(f64);

impl fmt::Display for Coord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&trimmed(self.0, 1))
    }
}

/// `value` with at most `decimals` decimals and no trailing zeros; never "-0".
fn trimmed(value: f64, decimals: usize) -> String {
    let mut text = format!("{value:.decimals$}");
    if text.contains('.') {
        let kept = text.trim_end_matches('0').trim_end_matches('.').len();
        text.truncate(kept);
    }
    if text == "-0" { "0".to_owned() } else { text }
}

/// A value as a hover title shows it: in full, unlike the axis, with two decimals at most.
fn exact(value: f64) -> String {
    trimmed(value, 2)
}

/// Which of the five shades a cell gets: 0 for nothing, then by quarters of the busiest cell.
fn shade_level(value: f64, largest: f64) -> usize {
    if value <= 0.0 || largest <= 0.0 {
        return 0;
    }
    (value / largest * 4.0).ceil().clamp(1.0, 4.0) as usize
}

/// Text made safe for SVG content or a quoted attribute. Control characters are dropped
/// because XML forbids most of them outright.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// `text` cut to `most` characters, the last being "…" when something was cut.
fn shortened(text: &str, most: usize) -> String {
    if char_count(text) <= most {
        return text.to_owned();
    }
    let kept: String = text.chars().take(most.saturating_sub(1)).collect();
    kept + "…"
}

fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// How many labels of `widest` characters fit side by side across `span` units.
fn labels_that_fit(widest: usize, span: f64) -> usize {
    let per_label = widest as f64 * CHAR_WIDTH + LABEL_GAP;
    (((span + LABEL_GAP) / per_label) as usize).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY: i64 = 86_400_000;
    const HOSTILE: &str = "<script>&\"'";

    fn day_label(x: i64) -> String {
        format!("Day {}", x / DAY + 1)
    }

    fn series(label: &str, points: Vec<(i64, f64)>) -> Series {
        Series {
            label: label.to_owned(),
            points,
        }
    }

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    /// Every number in the values of attribute `name` (path data included) in `svg`.
    fn numbers_in(svg: &str, name: &str) -> Vec<f64> {
        let needle = format!(" {name}=\"");
        let mut numbers = Vec::new();
        for rest in svg.split(needle.as_str()).skip(1) {
            let value = &rest[..rest.find('"').unwrap()];
            let tokens = value.split(['M', 'L', ' ']).filter(|t| !t.is_empty());
            numbers.extend(tokens.map(|token| token.parse::<f64>().unwrap()));
        }
        numbers
    }

    #[test]
    fn the_axis_maximum_is_one_two_or_five_times_a_power_of_ten() {
        let cases = [
            (0.0, 1.0),
            (7.0, 10.0),
            (12.0, 20.0),
            (130.0, 200.0),
            (4_100.0, 5e3),
        ];
        for (largest, max) in cases {
            let (nice, steps) = nice_scale(largest);
            assert_eq!(nice, max, "for {largest}");
            assert!((3..=5).contains(&steps), "{steps} gridlines for {largest}");
        }
    }

    #[test]
    fn compact_numbers_are_short_and_round_up_into_the_next_unit() {
        let cases = [
            (0.0, "0"),
            (950.0, "950"),
            (0.25, "0.25"),
            (1_234.0, "1.2k"),
            (12_345.0, "12k"),
            (999_999.0, "1M"),
            (3_400_000.0, "3.4M"),
            (-1_500.0, "-1.5k"),
            (f64::NAN, "—"),
        ];
        for (value, expected) in cases {
            assert_eq!(compact_number(value), expected, "for {value}");
        }
    }

    #[test]
    fn hostile_labels_are_escaped_in_every_chart() {
        assert_eq!(escape(HOSTILE), "&lt;script&gt;&amp;&quot;&apos;");
        let hostile_x = |_: i64| HOSTILE.to_owned();
        let lines = [
            series(HOSTILE, vec![(0, 1.0), (DAY, 2.0)]),
            series("B", vec![]),
        ];
        let rows = std::array::from_fn(|_| HOSTILE.to_owned());
        let titles = std::array::from_fn(|_| std::array::from_fn(|_| HOSTILE.to_owned()));
        for svg in [
            line_chart(HOSTILE, &lines, &hostile_x, HOSTILE),
            line_chart(HOSTILE, &[], &hostile_x, HOSTILE),
            bar_chart(HOSTILE, &[(HOSTILE.into(), 1.0)], HOSTILE),
            heat_grid(HOSTILE, &rows, &[[Some(1.0); 24]; 7], &titles),
        ] {
            let raw = svg.contains(HOSTILE) || svg.contains("<script");
            assert!(
                !raw && svg.contains("&lt;script&gt;&amp;&quot;&apos;"),
                "{svg}"
            );
        }
    }

    #[test]
    fn a_line_chart_draws_one_line_per_series_inside_its_view_box() {
        let views = (0..30).map(|day| (day * DAY, (day * day) as f64)).collect();
        let likes = (0..30).map(|day| (day * DAY, day as f64 * 3.5)).collect();
        let lines = [series("Views", views), series("Likes", likes)];
        let svg = line_chart("Views and likes", &lines, &day_label, "No data yet");
        assert!(svg.contains(r#"role="img""#) && svg.contains(r#"aria-label="Views and likes""#));
        assert!(svg.contains(r#"width="100%""#) && !svg.contains(".00"));
        assert_eq!(count(&svg, "<path"), 2);
        assert_eq!(count(&svg, r#"<path class="chart-line chart-series-0""#), 1);
        assert_eq!(count(&svg, r#"<path class="chart-line chart-series-1""#), 1);
        assert_eq!(count(&svg, "<title>"), 60);
        assert!((2..=5).contains(&count(&svg, "chart-x-label")));

        let view_box = numbers_in(&svg, "viewBox");
        let (width, height) = (view_box[2], view_box[3]);
        let inside = |x: f64, y: f64| (0.0..=width).contains(&x) && (0.0..=height).contains(&y);
        let corners = numbers_in(&svg, "d");
        assert_eq!(corners.len(), 2 * 60);
        assert!(corners.chunks(2).all(|corner| inside(corner[0], corner[1])));
        let (cxs, cys) = (numbers_in(&svg, "cx"), numbers_in(&svg, "cy"));
        assert!(cxs.len() == 60 && cxs.iter().zip(&cys).all(|(&x, &y)| inside(x, y)));
    }

    #[test]
    fn a_single_point_is_a_dot_and_no_points_show_the_empty_text() {
        let one = [series("Followers", vec![(5 * DAY, 42.0)])];
        let svg = line_chart("Followers", &one, &day_label, "No data yet");
        assert!(count(&svg, "<path") == 0 && count(&svg, "chart-dot") == 1);
        assert!(svg.contains("<title>Followers · Day 6: 42</title>"));

        let unreadable = [series("Views", vec![(DAY, f64::NAN)])];
        for empty in [
            line_chart("Views", &[], &day_label, "No data yet"),
            line_chart("Views", &unreadable, &day_label, "No data yet"),
            bar_chart("Posts", &[], "No data yet"),
        ] {
            assert!(empty.contains(">No data yet</text>") && !empty.contains("<rect"));
        }
    }

    #[test]
    fn bar_labels_thin_out_so_sixty_days_show_at_most_ten() {
        let bars: Vec<_> = (1..=60_u8).map(|d| (d.to_string(), f64::from(d))).collect();
        let svg = bar_chart("Posts per day", &bars, "No posts");
        assert_eq!(count(&svg, r#"<rect class="chart-bar""#), 60);
        assert!(svg.contains("<title>60: 60</title>"));
        assert!((2..=10).contains(&count(&svg, "chart-x-label")));

        let dated: Vec<_> = (1..=60_u8)
            .map(|d| (format!("2025-01-{d:02}"), 1.0))
            .collect();
        let shown = count(&bar_chart("Posts", &dated, "No posts"), "chart-x-label");
        assert!((2..=5).contains(&shown), "{shown} long labels");
    }

    #[test]
    fn a_heat_grid_shades_168_cells_by_their_share_of_the_busiest_hour() {
        let mut values = [[None; 24]; 7];
        values[0][9] = Some(100.0);
        values[0][10] = Some(60.0);
        values[6][23] = Some(50.0);
        values[1][0] = Some(10.0);
        values[2][3] = Some(0.0);
        let rows = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].map(String::from);
        let titles = std::array::from_fn(|row| std::array::from_fn(|hour| format!("{row}/{hour}")));
        let svg = heat_grid("Best hours to post", &rows, &values, &titles);
        assert_eq!(count(&svg, r#"class="chart-cell "#), 168);
        assert_eq!(count(&svg, "chart-cell chart-empty"), 163);
        for level in 0..=4 {
            let class = format!("chart-cell chart-level-{level}\"");
            assert_eq!(count(&svg, &class), 1, "level {level}");
        }
        assert!(svg.contains("<title>6/23</title>") && svg.contains(">Sun</text>"));
        assert_eq!(count(&svg, "chart-x-label"), 4);
    }
}
