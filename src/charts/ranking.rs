//! Zones and institutions ranked by their change in NPL over the selected year, as horizontal bars.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::Chart;
use super::data::{ChartData, Rank};
use super::frame::{
    Anchor, DrawResult, Frame, LegendItem, Pen, Scale, Swatch, amount, axis_height, ellipsize, min_span,
    signed_amount, text_width,
};
use super::style::{Style, palette, role};

/// One line of the chart.
enum Row<'a> {
    /// A group heading: zones or institutions.
    Heading(&'a str),
    /// A bar: a zone (`true`) or an institution.
    Bar(&'a Rank, bool),
    /// Zones (`true`) or institutions left out of the middle of a list too long to show whole.
    More(usize, bool),
}

/// The most institutions the ranking shows at each end of its list: beyond twice this
/// (plus the one row a gap marker would take), the middle is one "…N more…" line and a
/// caption says how many are shown of how many. Twenty bars are what a reader compares;
/// a 500-institution ranking drawn whole would be 500 labels a few pixels apart (and 500
/// label draws on every move), and the table under the charts lists them all.
pub const RANKING_ENDS: usize = 10;

/// Draws the ranking: one bar per zone (bluish green), then one per institution (blue),
/// most reduction first within each group, under group headings when there is room (a
/// rule between the groups when not), each value written at its bar's end and the
/// baseline as a grey outline over the bar. When the institutions do not fit, or are more
/// than 2 × [`RANKING_ENDS`], the top and the bottom of their list are kept, the middle is
/// summarised in one gap line, and a caption under the legend says how many are shown.
pub fn draw_ranking<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &Style,
) -> DrawResult<DB> {
    let pen = Pen::new(area, style);
    let labels = data.labels;
    let zones = &data.zone_ranking;
    let institutions = &data.institution_ranking;
    let mut legend = Vec::new();
    if !zones.is_empty() {
        legend.push(LegendItem::new(Swatch::Filled(role::ZONE), labels.zones));
    }
    legend.push(LegendItem::new(Swatch::Filled(role::CURRENT), labels.institutions));
    if data.has_baseline {
        legend.push(LegendItem::new(Swatch::Outlined(palette::BASELINE), labels.baseline));
    }
    let title = data.title(Chart::Ranking);
    let header_bottom = pen.header(&title, &legend)?;
    // The value axis at the bottom: tick labels, then the axis name.
    let bottom = pen.height - style.padding - axis_height(style) - style.label_size * 1.4;

    let min_row = style.label_size * 1.4;
    let fitting = |top: f64| (((bottom - top) / min_row).floor().max(0.0)) as usize;
    let mut top = header_bottom + style.label_size * 0.4;
    let mut capacity = fitting(top);
    // A list cut short gets a caption: at the right of the title when it fits there (a
    // row taken from the bars would cost the 300-pixel-high chart one of its nine rows),
    // else on a line of its own under the legend.
    let cut = institutions.len() > 2 * RANKING_ENDS + 1 || zones.len() + institutions.len() > capacity;
    let caption_width =
        |shown: usize| text_width(&labels.shown_of(data.lang, shown, institutions.len()), style.label_size);
    let beside_title = text_width(&title, style.title_size)
        + style.label_size * 2.0
        + caption_width(institutions.len().min(2 * RANKING_ENDS))
        <= pen.width - 2.0 * style.padding;
    let caption_line = header_bottom + style.label_size * 0.2;
    if cut && !beside_title {
        top += min_row;
        capacity = fitting(top);
    }
    let rows = layout(zones, institutions, capacity, labels.zones, labels.institutions);
    let shown_institutions = rows.iter().filter(|row| matches!(row, Row::Bar(_, false))).count();
    if shown_institutions < institutions.len() {
        let caption = labels.shown_of(data.lang, shown_institutions, institutions.len());
        let (at, anchor) = if beside_title {
            // On the title's line, sharing its middle.
            let middle = style.padding + style.title_size * 0.5;
            ((pen.width - style.padding, middle), Anchor::RightMiddle)
        } else {
            ((style.padding, caption_line), Anchor::LeftTop)
        };
        let caption = ellipsize(&caption, pen.width - 2.0 * style.padding, style.label_size);
        pen.text(&caption, at, style.label_size, palette::MUTED, anchor, false)?;
    }
    // Rows share the height; bars keep a readable thickness however few they are.
    let row_height = if rows.is_empty() { min_row } else { (bottom - top) / rows.len() as f64 };

    let values: Vec<f64> =
        zones.iter().chain(institutions).flat_map(|r| [Some(r.value), r.baseline]).flatten().collect();
    let scale = Scale::new(values.iter().copied(), true, min_span(&values, 0.1), 5);
    let decimals = scale.decimals();
    let format = |v: f64| amount(v, decimals);

    let widest_name = rows
        .iter()
        .map(|row| match row {
            Row::Bar(rank, _) => text_width(&rank.label, style.label_size) + style.label_size,
            _ => 0.0,
        })
        .fold(0.0, f64::max);
    let left = style.padding + widest_name.min(pen.width * 0.38);
    let right = pen.width - style.padding;
    // Room beyond the bars for the values written at their ends.
    let value_room = text_width("−0,000.00", style.value_size) + style.value_size * 0.6;
    let plot = (right - left - 2.0 * value_room).max(1.0);
    let per_pixel = (scale.max - scale.min) / plot;
    let x_range = (
        if scale.min < 0.0 { scale.min - value_room * per_pixel } else { scale.min },
        if scale.max > 0.0 { scale.max + value_room * per_pixel } else { scale.max },
    );
    if rows.is_empty() {
        return pen.no_data(&Frame::new(left, top, right, bottom, x_range, (0.0, 1.0)), labels);
    }
    let plot_bottom = top + row_height * rows.len() as f64;
    let frame = Frame::new(left, top, right, plot_bottom, x_range, (0.0, 1.0));

    // Vertical grid and the value axis under the rows.
    for &tick in &scale.ticks {
        let x = frame.x(tick);
        let colour = if tick == 0.0 { palette::AXIS } else { palette::GRID };
        pen.line(&[(x, frame.top), (x, frame.bottom)], colour, style.thin_line_width)?;
        let at = (x, frame.bottom + style.label_size * 0.4);
        pen.text(&format(tick), at, style.label_size, palette::MUTED, Anchor::CenterTop, false)?;
    }
    let name = if data.ranking_scored {
        labels.score_axis.to_string()
    } else {
        labels.with_unit(data.lang, labels.npl_change, &data.unit)
    };
    let name_at = ((frame.left + frame.right) / 2.0, frame.bottom + style.label_size * 1.9);
    pen.text(&name, name_at, style.label_size, palette::MUTED, Anchor::CenterTop, false)?;

    let bar_half = (row_height * 0.32).min(style.label_size * 0.75);
    let zero = frame.x(0.0);
    let mut previous_zone = false;
    for (index, row) in rows.iter().enumerate() {
        let middle = top + row_height * (index as f64 + 0.5);
        // Without headings, a rule marks where the institutions begin.
        let is_zone = matches!(row, Row::Bar(_, true) | Row::More(_, true));
        if previous_zone && !is_zone && !matches!(row, Row::Heading(_)) {
            let y = top + row_height * index as f64;
            pen.line(&[(style.padding, y), (frame.right, y)], palette::AXIS, style.thin_line_width)?;
        }
        previous_zone = is_zone;
        match row {
            Row::Heading(text) => {
                pen.text(
                    text,
                    (style.padding, middle),
                    style.label_size,
                    palette::INK,
                    Anchor::LeftMiddle,
                    true,
                )?;
            }
            Row::More(count, zone) => {
                let text =
                    if *zone { labels.more_zones(data.lang, *count) } else { labels.more(data.lang, *count) };
                pen.text(&text, (left, middle), style.label_size, palette::MUTED, Anchor::LeftMiddle, false)?;
            }
            Row::Bar(rank, _) if !rank.value.is_finite() => {}
            Row::Bar(rank, zone) => {
                let colour = if *zone { role::ZONE } else { role::CURRENT };
                let name =
                    ellipsize(&rank.label, left - style.padding - style.label_size * 0.5, style.label_size);
                let name_at = (left - style.label_size * 0.5, middle);
                pen.text(&name, name_at, style.label_size, palette::INK, Anchor::RightMiddle, false)?;
                let end = frame.x(rank.value);
                pen.rect((zero, middle - bar_half), (end, middle + bar_half), colour, true, 0)?;
                let mut extent = rank.value;
                if let Some(base) = rank.baseline.filter(|v| v.is_finite()) {
                    let base_end = frame.x(base);
                    let width = style.secondary_line_width;
                    pen.rect(
                        (zero, middle - bar_half),
                        (base_end, middle + bar_half),
                        palette::BASELINE,
                        false,
                        width,
                    )?;
                    extent = if rank.value < 0.0 { extent.min(base) } else { extent.max(base) };
                }
                let text =
                    if data.ranking_scored { amount(rank.value, 1) } else { signed_amount(rank.value, 2) };
                let gap = style.value_size * 0.4;
                let edge = frame.x(extent);
                let (at, anchor) = if extent < 0.0 {
                    ((edge - gap, middle), Anchor::RightMiddle)
                } else {
                    ((edge + gap, middle), Anchor::LeftMiddle)
                };
                pen.text(&text, at, style.value_size, palette::INK, anchor, false)?;
            }
        }
    }
    Ok(())
}

/// The rows that fit in `capacity` lines: the zones, then the institutions, the middle
/// of a list too long for its room replaced by one "more" line, and of an institution
/// list longer than 2 × [`RANKING_ENDS`] + 1 whatever the room. The institutions keep
/// at least three rows (their first, the gap, their last) when the zones would take them
/// all. Group headings are added only when everything fits with them (the legend names
/// the groups anyway).
fn layout<'a>(
    zones: &'a [Rank],
    institutions: &'a [Rank],
    capacity: usize,
    zones_heading: &'a str,
    institutions_heading: &'a str,
) -> Vec<Row<'a>> {
    let mut rows = Vec::new();
    let headings = if zones.is_empty() { 0 } else { 1 + usize::from(!institutions.is_empty()) };
    let whole = institutions.len() <= 2 * RANKING_ENDS + 1;
    let with_headings = whole && zones.len() + institutions.len() + headings <= capacity;
    let free = if with_headings { capacity - headings } else { capacity };
    let institution_floor = institutions.len().min(3);
    let zone_room = zones.len().min(free.saturating_sub(institution_floor));
    if with_headings && !zones.is_empty() {
        rows.push(Row::Heading(zones_heading));
    }
    ends(&mut rows, zones, zone_room, usize::MAX, true);
    if with_headings && !zones.is_empty() && !institutions.is_empty() {
        rows.push(Row::Heading(institutions_heading));
    }
    let institution_room = free.saturating_sub(zone_room);
    ends(&mut rows, institutions, institution_room, 2 * RANKING_ENDS, false);
    rows
}

/// Adds the bars of `ranks` in `room` rows: all of them when they fit and are no more
/// than `most` + 1 (a gap line would take that row anyway), else the first and the last
/// (at most `most` in all) around one "more" line.
fn ends<'a>(rows: &mut Vec<Row<'a>>, ranks: &'a [Rank], room: usize, most: usize, zone: bool) {
    if ranks.len() <= room && ranks.len() <= most.saturating_add(1) {
        rows.extend(ranks.iter().map(|rank| Row::Bar(rank, zone)));
    } else if room > 0 {
        let shown = (room - 1).min(most);
        let head = shown.div_ceil(2);
        let tail = shown - head;
        rows.extend(ranks.iter().take(head).map(|rank| Row::Bar(rank, zone)));
        rows.push(Row::More(ranks.len() - head - tail, zone));
        rows.extend(ranks.iter().skip(ranks.len() - tail).map(|rank| Row::Bar(rank, zone)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranks(count: usize) -> Vec<Rank> {
        (0..count)
            .map(|i| Rank { id: i.to_string(), label: i.to_string(), value: i as f64, baseline: None })
            .collect()
    }

    /// The layout as text: `H` a heading, `z`/`i` a zone's or an institution's bar,
    /// `Z3`/`I3` a gap of three.
    #[track_caller]
    fn check(zones: usize, institutions: usize, capacity: usize, expected: &str) {
        let (zones, institutions) = (ranks(zones), ranks(institutions));
        let rows = layout(&zones, &institutions, capacity, "zones", "institutions");
        let text: Vec<String> = rows
            .iter()
            .map(|row| match row {
                Row::Heading(_) => "H".to_string(),
                Row::Bar(_, true) => "z".to_string(),
                Row::Bar(_, false) => "i".to_string(),
                Row::More(count, true) => format!("Z{count}"),
                Row::More(count, false) => format!("I{count}"),
            })
            .collect();
        assert_eq!(
            text.join(" "),
            expected,
            "{} zones, {} institutions, {capacity} rows",
            zones.len(),
            institutions.len()
        );
    }

    #[test]
    fn long_lists_keep_their_ends_around_a_gap() {
        check(0, 1, 10, "i");
        check(2, 3, 10, "H z z H i i i");
        // Without room for headings, the legend names the groups.
        check(2, 3, 5, "z z i i i");
        // 21 institutions show whole (the gap would take the 21st row); 22 do not.
        check(0, 21, 40, &["i"; 21].join(" "));
        check(0, 22, 40, &format!("{} I2 {}", ["i"; 10].join(" "), ["i"; 10].join(" ")));
        check(0, 500, 100, &format!("{} I480 {}", ["i"; 10].join(" "), ["i"; 10].join(" ")));
        check(0, 500, 6, "i i i I495 i i");
        // Eight zones in nine rows: the institutions keep their first, the gap and their last.
        check(8, 500, 9, "z z z Z3 z z i I498 i");
        check(8, 500, 12, "z z z z z z z z i i I497 i");
        check(8, 2, 9, "z z z Z2 z z z i i");
        check(8, 500, 0, "");
        check(8, 500, 1, "I500");
    }
}
