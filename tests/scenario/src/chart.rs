//! The demo's chart: a few named lines over time, drawn as an SVG with `plotters`.

use std::path::Path;

use plotters::prelude::*;

/// One line of the chart.
pub(crate) struct Line<'a> {
    /// Legend text.
    pub name: &'a str,
    /// `(hours, value)` points in time order.
    pub points: Vec<(f64, f64)>,
    /// Stroke colour.
    pub color: RGBColor,
    /// Dashed lines are the baseline run; solid lines the controlled one.
    pub dashed: bool,
}

/// Draws `lines` against hours on the x axis and writes the SVG to `path`.
pub(crate) fn write_svg(
    path: &Path,
    title: &str,
    y_label: &str,
    lines: &[Line<'_>],
) -> Result<(), String> {
    let all = lines.iter().flat_map(|line| line.points.iter());
    let (x_max, y_min, y_max) = all.fold((0f64, f64::MAX, f64::MIN), |(x, lo, hi), &(px, py)| {
        (x.max(px), lo.min(py), hi.max(py))
    });
    let pad = 0.05 * (y_max - y_min).max(1e-9);
    let root = SVGBackend::new(path, (1000, 560)).into_drawing_area();
    root.fill(&WHITE).map_err(|e| e.to_string())?;
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(0f64..x_max, (y_min - pad)..(y_max + pad))
        .map_err(|e| e.to_string())?;
    chart
        .configure_mesh()
        .x_desc("hours")
        .y_desc(y_label)
        .draw()
        .map_err(|e| e.to_string())?;
    for line in lines {
        let style = line.color.stroke_width(2);
        let color = line.color;
        let series = if line.dashed {
            // plotters 0.3 has no dash style for LineSeries: draw every other segment.
            let segments = line
                .points
                .windows(2)
                .step_by(2)
                .map(|pair| PathElement::new(pair.to_vec(), style));
            chart.draw_series(segments)
        } else {
            chart.draw_series(LineSeries::new(line.points.iter().copied(), style))
        };
        series
            .map_err(|e| e.to_string())?
            .label(line.name)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| e.to_string())?;
    root.present().map_err(|e| e.to_string())
}
