//! Native tests of the analysis charts (tornado, feasibility map, Monte Carlo fan) and the
//! compared scenarios' overlays: Licheng's real analyses drawn to SVG in both styles and
//! languages, hit-testing, the keyboard's map cell, and degenerate answers that must still draw.
//!
//! `DELEVER_CHART_SVG_DIR=/some/dir cargo test -p delever charts` also writes each SVG there.

use std::rc::Rc;

use delever_model::analysis::{Band, Bar, Cell, Feasibility, MonteCarlo, MonteCarloOptions, Sensitivity};
use delever_model::{Lang, Lever, Scenario, parse_scenario, simulate};
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use rust_decimal::Decimal;

use super::frame::LegendItem;
use super::map::MapLayout;
use super::style::{palette, role};
use super::tests::{AGGREGATE, count, preset};
use super::{
    Chart, ChartData, FanData, Figure, MAX_OTHERS, MapData, OTHER_LOOKS, Style, TornadoData, current_cell,
    draw_figure, draw_map, draw_map_cursor, map_cell_at, met_outline, threshold_contour,
};

const SIZES: [(u32, u32); 3] = [(1, 1), (120, 80), (360, 640)];

/// Draws `figure` to an SVG string (and to `$DELEVER_CHART_SVG_DIR/name-id.svg` when set),
/// checking it is whole and free of non-finite coordinates.
#[track_caller]
fn render(name: &str, figure: &Figure, style: &Style, size: (u32, u32)) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        draw_figure(figure, &area, style).unwrap_or_else(|e| panic!("{name}/{}: {e:?}", figure.id()));
        area.present().expect("present");
    }
    if let Some(dir) = std::env::var_os("DELEVER_CHART_SVG_DIR") {
        let path = std::path::Path::new(&dir).join(format!("{name}-{}.svg", figure.id()));
        std::fs::write(&path, &svg).expect("write the SVG");
    }
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{svg}");
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "{name}/{}: non-finite coordinates", figure.id());
    svg
}

/// `figure` at 800 × 450 in the normal style (returned), at 1600 × 900 large, and at odd sizes.
#[track_caller]
fn render_all(name: &str, figure: &Figure) -> String {
    let svg = render(name, figure, &Style::normal(), (800, 450));
    let large = render(&format!("{name}-large"), figure, &Style::large(), (1600, 900));
    assert!(large.contains(&figure.title()), "{name}: large title");
    for size in SIZES {
        render(&format!("{name}-{}x{}", size.0, size.1), figure, &Style::normal(), size);
    }
    svg
}

fn licheng() -> Scenario {
    preset(AGGREGATE).0
}

/// Licheng with the default disposal plan's amount set to `amount` (亿元).
fn licheng_disposing(amount: i64) -> Scenario {
    let mut scenario = licheng();
    Lever::Disposal.apply(&mut scenario, Decimal::from(amount));
    scenario
}

#[track_caller]
fn assert_contains(svg: &str, texts: &[&str], what: &str) {
    for text in texts {
        assert!(svg.contains(text), "{what}: {text} missing");
    }
}

// ---- Tornado ----------------------------------------------------------------------------

#[test]
fn licheng_tornado_has_a_bar_per_lever_labelled_with_the_lever_values() {
    let scenario = licheng();
    let sensitivity = delever_model::sensitivity(&scenario, None, None).expect("sensitivity");
    for lang in [Lang::Zh, Lang::En] {
        let data = TornadoData::build(&sensitivity, &scenario, lang);
        assert_eq!(data.bars.len(), 5);
        assert_eq!(data.metric, "npl_ratio");
        assert_eq!(data.year, 2019);
        let base = data.base.expect("a base NPL ratio");
        assert!(base > 0.0 && base < 0.02, "{base}");
        // Sorted by swing, as given; the disposal plan moves NPL the most.
        assert_eq!(data.bars[0].lever.lever, Lever::Disposal);
        let disposal = &data.bars[0];
        assert_eq!((disposal.low, disposal.high), (8.0, 12.0));
        assert!(disposal.at_low.expect("low") > base && disposal.at_high.expect("high") < base);

        let figure = Figure::Tornado(Rc::new(data.clone()));
        let svg = render_all(&format!("licheng-{lang:?}"), &figure);
        assert!(svg.contains(&data.title()));
        // Both halves of every bar (deposit growth does not move the ratio: a hairline each
        // side), and the legend's samples.
        assert_eq!(count(&svg, "rect", "fill", role::CURRENT), 5 + 1);
        assert_eq!(count(&svg, "rect", "fill", palette::SKY_BLUE), 5 + 1);
        let texts: &[&str] = match lang {
            Lang::Zh => &[
                "处置金额",
                "核销占比",
                "贷款增速",
                "存款增速",
                "不良生成率",
                "8 亿元",
                "12 亿元",
                "6.8%",
                "10.2%",
                "基准 0.",
                "参数下调 20%",
            ],
            Lang::En => &[
                "Disposal amount",
                "Write-off share",
                "NPL formation rate",
                "8 亿元",
                "12 亿元",
                "40%",
                "60%",
                "Base 0.",
                "Lever +20%",
            ],
        };
        assert_contains(&svg, texts, "tornado");
        assert!(svg.contains('%'), "a ratio axis in percent");
    }
}

#[test]
fn a_tornado_of_an_amount_metric_has_an_amount_axis() {
    let scenario = licheng();
    let sensitivity = delever_model::sensitivity(&scenario, Some("npl"), Some(2019)).expect("sensitivity");
    let data = TornadoData::build(&sensitivity, &scenario, Lang::Zh);
    let svg = render_all("licheng-npl", &Figure::Tornado(Rc::new(data)));
    assert_contains(&svg, &["不良贷款（亿元）", "2019 年不良贷款敏感性"], "tornado of npl");
}

#[test]
fn degenerate_tornadoes_still_draw() {
    let scenario = licheng();
    let bar = |lever, at_low: Option<i64>, at_high: Option<i64>| Bar {
        lever,
        low: Decimal::new(8, 0),
        high: Decimal::new(12, 0),
        at_low: at_low.map(|v| Decimal::new(v, 4)),
        at_high: at_high.map(|v| Decimal::new(v, 4)),
    };
    let tornado = |base: Option<i64>, bars: Vec<Bar>| Sensitivity {
        metric: "npl_ratio".into(),
        year: 2019,
        base: base.map(|v| Decimal::new(v, 4)),
        bars,
    };
    let cases = [
        ("empty", tornado(Some(30), Vec::new())),
        ("no-base-no-ends", tornado(None, vec![bar(Lever::Disposal, None, None)])),
        ("all-equal", tornado(Some(30), Lever::ALL.iter().map(|l| bar(*l, Some(30), Some(30))).collect())),
        (
            "null-ends",
            tornado(
                Some(30),
                vec![bar(Lever::Disposal, Some(40), None), bar(Lever::LoanGrowth, None, Some(20))],
            ),
        ),
        ("same-side", tornado(Some(30), vec![bar(Lever::WriteOffShare, Some(35), Some(40))])),
        ("no-base", tornado(None, vec![bar(Lever::Disposal, Some(35), Some(25))])),
    ];
    for (name, sensitivity) in cases {
        for lang in [Lang::Zh, Lang::En] {
            let data = TornadoData::build(&sensitivity, &scenario, lang);
            let svg = render_all(&format!("tornado-{name}-{lang:?}"), &Figure::Tornado(Rc::new(data)));
            if name == "empty" {
                assert!(svg.contains(lang.pick("暂无数据", "No data")), "{name}: says so");
            }
            if name == "null-ends" {
                assert!(svg.contains(lang.pick("— 无法计算", "— not computable")), "{name}: says so");
            }
        }
    }
}

/// Chinese or English text by language, for the tests' expectations.
trait Pick {
    fn pick(self, zh: &'static str, en: &'static str) -> &'static str;
}

impl Pick for Lang {
    fn pick(self, zh: &'static str, en: &'static str) -> &'static str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

// ---- Feasibility map --------------------------------------------------------------------

/// Licheng's disposal plan × loan growth: the plan must reach 10 (the disposal floor) but
/// not remove so much that loans fall under 532, so only a narrow band meets every target.
fn licheng_map(steps: usize, lang: Lang) -> MapData {
    licheng_map_of(Lever::Disposal, Lever::LoanGrowth, steps, lang)
}

fn licheng_map_of(x: Lever, y: Lever, steps: usize, lang: Lang) -> MapData {
    let scenario = licheng();
    let feasibility = delever_model::feasibility(&scenario, x, y, steps, None, None).expect("feasibility");
    MapData::build(&feasibility, &scenario, lang)
}

#[test]
fn licheng_map_outlines_where_targets_are_met_and_draws_the_red_line() {
    for lang in [Lang::Zh, Lang::En] {
        let data = licheng_map(21, lang);
        assert_eq!(data.size(), (21, 21));
        assert_eq!(data.x.values.first(), Some(&0.0));
        assert_eq!((data.y.values.first(), data.y.values.last()), (Some(&-0.2), Some(&0.5)));
        assert_eq!(data.threshold, Some(0.0101), "the npl_ratio ≤ 1.01% target");
        assert_eq!((data.x.current, data.y.current), (Some(10.0), Some(0.085)));
        let met: usize = data.met.iter().flatten().filter(|m| **m).count();
        assert!(met > 0 && met < 441, "{met} cells met");

        let outline = met_outline(&data);
        let edges: usize = outline.iter().map(|line| line.len().saturating_sub(1)).sum();
        assert!(edges > 0, "the met region is outlined");
        // Every outline point is on a cell corner inside the grid.
        for &(x, y) in outline.iter().flatten() {
            assert!((-0.5..=20.5).contains(&x) && (-0.5..=20.5).contains(&y), "({x}, {y})");
            assert_eq!((x + 0.5).fract(), 0.0);
        }
        // Without disposal the ratio is above 1.01%; with the plan it is far below: the red line crosses the map.
        let contour = threshold_contour(&data, 0.0101);
        assert!(!contour.is_empty() && contour.iter().all(|line| line.len() >= 2), "{contour:?}");

        let figure = Figure::Map(Rc::new(data.clone()));
        for (name, style, size) in
            [("normal", Style::normal(), (800u32, 450u32)), ("large", Style::large(), (1600, 900))]
        {
            let svg = render(&format!("licheng-map-{name}-{lang:?}"), &figure, &style, size);
            assert!(svg.contains(&data.title()), "title");
            let texts: &[&str] = match lang {
                Lang::Zh => &[
                    "全部目标达成区域",
                    "目标线 不良贷款率 ≤ 1.01%",
                    "当前情景",
                    "处置金额（亿元）",
                    "贷款增速",
                    "50%",
                    "−20%",
                ],
                Lang::En => &[
                    "All targets met",
                    "Target line NPL ratio ≤ 1.01%",
                    "Current scenario",
                    "Disposal amount (亿元)",
                    "Loan growth",
                ],
            };
            assert_contains(&svg, texts, "map");
            // The outline (over a white halo), the red line, and the crosshair.
            assert!(
                count(&svg, "polyline", "stroke", palette::INK) >= outline.len() + 2,
                "outline and crosshair"
            );
            assert!(count(&svg, "polyline", "stroke", role::TARGET) >= contour.len(), "red line");
            // The current scenario's ring is inside the plot.
            let layout = MapLayout::new(&data, &style, (f64::from(size.0), f64::from(size.1)));
            let ink = format!("stroke=\"{}\"", super::tests::hex(palette::INK));
            let radius = f64::from(style.marker_radius * 2 + 1);
            let ring = svg
                .split('<')
                .filter(|e| e.starts_with("circle") && e.contains(&ink) && attribute(e, "r") == Some(radius))
                .find_map(|e| Some((attribute(e, "cx")?, attribute(e, "cy")?)))
                .expect("the current scenario's ring");
            assert!(layout.frame.contains(ring), "{ring:?} outside {:?}", layout.frame);
            // It is at disposal 10 (of 0 … 19.92 in 20 steps) and loan growth 8.5% (of −20% … 50%).
            assert_eq!(layout.cell_at(ring), Some((10, 8)));
        }
        for size in SIZES {
            render("licheng-map-odd", &figure, &Style::normal(), size);
        }

        // Disposal × write-off share on a coarse grid: no point reaches exactly the floor of
        // 10 without taking loans under 532, and the map says so.
        let none = licheng_map_of(Lever::Disposal, Lever::WriteOffShare, 11, lang);
        assert!(none.met.iter().flatten().all(|m| !m));
        assert!(met_outline(&none).is_empty());
        let svg = render_all(&format!("licheng-map-none-{lang:?}"), &Figure::Map(Rc::new(none)));
        assert!(svg.contains(lang.pick("没有一处能同时达成全部目标", "No point meets every target")));
    }
}

#[test]
fn the_keyboard_cell_starts_at_the_current_scenario_and_is_outlined_on_its_cell() {
    let data = licheng_map(21, Lang::En);
    // Disposal 10 and loan growth 8.5%: the cell of the current scenario's ring (see above).
    assert_eq!(current_cell(&data), Some((10, 8)));
    let style = Style::normal();
    let size = (800u32, 450u32);
    let ink_rects = |svg: &str| -> Vec<(f64, f64)> {
        let ink = format!("stroke=\"{}\"", super::tests::hex(palette::INK));
        svg.split('<')
            .filter(|e| e.starts_with("rect") && e.contains(&ink))
            .filter_map(|e| {
                let (x, y) = (attribute(e, "x")?, attribute(e, "y")?);
                Some((x + attribute(e, "width")? / 2.0, y + attribute(e, "height")? / 2.0))
            })
            .collect()
    };
    let draw = |cells: &[(usize, usize)]| {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_map(&area, &data, &style).expect("map");
            for cell in cells {
                draw_map_cursor(&area, &data, &style, *cell).expect("cursor");
            }
            area.present().expect("present");
        }
        svg
    };
    let plain = ink_rects(&draw(&[]));
    let marked = ink_rects(&draw(&[(3, 4), (21, 0)]));
    // One outline more, centred on cell (3, 4); a cell outside the grid draws nothing.
    assert_eq!(marked.len(), plain.len() + 1, "{marked:?}");
    let layout = MapLayout::new(&data, &style, (f64::from(size.0), f64::from(size.1)));
    let centre = *marked.last().expect("the outline");
    assert_eq!(layout.cell_at(centre), Some((3, 4)), "{centre:?}");
}

/// The number in attribute `name="…"` of an SVG element.
fn attribute(element: &str, name: &str) -> Option<f64> {
    let start = element.find(&format!(" {name}=\""))? + name.len() + 3;
    element.get(start..)?.split('"').next()?.parse().ok()
}

#[test]
fn hit_testing_maps_each_cell_centre_back_to_its_cell() {
    let data = licheng_map(5, Lang::Zh);
    for (style, size) in [
        (Style::normal(), (800.0, 450.0)),
        (Style::large(), (1600.0, 900.0)),
        (Style::normal().scaled(2.0), (1600.0, 900.0)),
        (Style::normal(), (300.0, 200.0)),
    ] {
        let layout = MapLayout::new(&data, &style, size);
        for j in 0..5 {
            for i in 0..5 {
                let centre = layout.cell_centre(i, j);
                assert!(layout.frame.contains(centre));
                assert_eq!(map_cell_at(&data, &style, size, centre), Some((i, j)), "{size:?}");
                // Near the cell's corners, still the same cell.
                let (w, h) = (
                    (layout.frame.right - layout.frame.left) / 5.0,
                    (layout.frame.bottom - layout.frame.top) / 5.0,
                );
                for (dx, dy) in [(-0.45, -0.45), (0.45, 0.45), (0.45, -0.45), (-0.45, 0.45)] {
                    let at = (centre.0 + dx * w, centre.1 + dy * h);
                    assert_eq!(layout.cell_at(at), Some((i, j)), "{at:?}");
                }
            }
        }
        // Up is larger: the bottom-left cell is (0, 0), the top-right (4, 4).
        let f = &layout.frame;
        assert_eq!(layout.cell_at((f.left, f.bottom)), Some((0, 0)));
        assert_eq!(layout.cell_at((f.right, f.top)), Some((4, 4)));
        for outside in [
            (0.0, 0.0),
            (f.left - 1.0, f.top + 5.0),
            (f.right + 1.0, f.bottom - 5.0),
            (f.left + 5.0, f.top - 1.0),
            (f.left + 5.0, f.bottom + 1.0),
            (size.0, size.1),
            (-10.0, -10.0),
            (f64::NAN, 10.0),
            (f64::INFINITY, f64::NEG_INFINITY),
        ] {
            assert_eq!(layout.cell_at(outside), None, "{outside:?}");
        }
    }
    // The same numbers the canvas uses: device pixels and the scaled style give the cell a CSS point is in.
    let css = Style::normal();
    let css_layout = MapLayout::new(&data, &css, (800.0, 450.0));
    let centre = css_layout.cell_centre(3, 1);
    let device = map_cell_at(&data, &css.scaled(2.0), (1600.0, 900.0), (centre.0 * 2.0, centre.1 * 2.0));
    assert_eq!(device, Some((3, 1)));
}

/// A cell's value (in basis points of the ratio) or whether it meets every target, by `(i, j)`.
type CellValue<'a> = &'a dyn Fn(usize, usize) -> Option<i64>;
type CellMet<'a> = &'a dyn Fn(usize, usize) -> bool;

/// A map of `steps × steps` cells with `value(i, j)` and `met(i, j)`.
fn synthetic_map(
    steps: usize,
    value: &dyn Fn(usize, usize) -> Option<i64>,
    met: &dyn Fn(usize, usize) -> bool,
    lang: Lang,
) -> MapData {
    let scenario = licheng();
    let grid = |to: i64| delever_model::analysis::grid(Decimal::ZERO, Decimal::from(to), steps);
    let feasibility = Feasibility {
        x: Lever::Disposal,
        y: Lever::NplFormationRate,
        x_values: grid(20),
        y_values: grid(1),
        metric: "npl_ratio".into(),
        year: 2019,
        cells: (0..steps)
            .map(|j| {
                (0..steps)
                    .map(|i| Cell { value: value(i, j).map(|v| Decimal::new(v, 4)), all_met: met(i, j) })
                    .collect()
            })
            .collect(),
    };
    MapData::build(&feasibility, &scenario, lang)
}

#[test]
fn degenerate_maps_still_draw() {
    let cases: [(&str, usize, CellValue, CellMet); 7] = [
        ("all-null", 6, &|_, _| None, &|_, _| false),
        ("all-met", 6, &|i, j| Some((i + j) as i64), &|_, _| true),
        ("none-met", 6, &|i, j| Some((i * j) as i64), &|_, _| false),
        ("all-equal", 6, &|_, _| Some(101), &|i, _| i > 2),
        ("checkerboard", 7, &|i, j| Some(if (i + j) % 2 == 0 { 200 } else { 0 }), &|i, j| (i + j) % 2 == 0),
        ("some-null", 6, &|i, j| (i != j).then_some((i * 10 + j) as i64), &|i, j| i > j),
        ("two", 2, &|i, _| Some(i as i64 * 300), &|i, _| i == 0),
    ];
    for (name, steps, value, met) in cases {
        for lang in [Lang::Zh, Lang::En] {
            let data = synthetic_map(steps, value, met, lang);
            let figure = Figure::Map(Rc::new(data.clone()));
            let svg = render_all(&format!("map-{name}-{lang:?}"), &figure);
            let outline = met_outline(&data);
            match name {
                "all-met" => {
                    // The whole grid's border, one closed loop of four corners.
                    assert_eq!(outline.len(), 1);
                    assert_eq!(outline[0].len(), 5, "{outline:?}");
                    assert_eq!(outline[0].first(), outline[0].last());
                }
                "none-met" | "all-null" => {
                    assert!(outline.is_empty());
                    assert!(
                        svg.contains(lang.pick("没有一处能同时达成全部目标", "No point meets every target"))
                    );
                }
                _ => {}
            }
            if name == "all-null" {
                assert!(svg.contains(lang.pick("无法计算", "not computable")), "grey cells are named");
                assert!(threshold_contour(&data, 0.0101).is_empty());
            }
            if name == "checkerboard" {
                // Every met cell is its own square: 4 edges each, corners shared diagonally.
                let edges: usize = outline.iter().map(|line| line.len() - 1).sum();
                assert_eq!(edges, 25 * 4);
                assert!(!threshold_contour(&data, 0.0101).is_empty());
            }
            for size in [(800.0, 450.0), (1.0, 1.0)] {
                let layout = MapLayout::new(&data, &Style::normal(), size);
                let centre = layout.cell_centre(0, 0);
                if size.0 > 100.0 {
                    assert_eq!(layout.cell_at(centre), Some((0, 0)));
                }
            }
        }
    }

    // No cells at all, and rows shorter than the axes.
    let mut empty = synthetic_map(3, &|_, _| Some(1), &|_, _| true, Lang::Zh);
    empty.x.values.clear();
    empty.values.clear();
    empty.met.clear();
    let svg = render_all("map-empty", &Figure::Map(Rc::new(empty.clone())));
    assert!(svg.contains("暂无数据"));
    assert_eq!(map_cell_at(&empty, &Style::normal(), (800.0, 450.0), (400.0, 200.0)), None);
    let mut ragged = synthetic_map(4, &|i, j| Some((i + j) as i64), &|_, _| true, Lang::En);
    ragged.values[1].truncate(1);
    ragged.met[2].clear();
    ragged.threshold = Some(f64::NAN);
    ragged.x.current = Some(f64::INFINITY);
    render_all("map-ragged", &Figure::Map(Rc::new(ragged)));
    // A one-point grid (both levers' ranges a single value).
    let mut single = synthetic_map(2, &|_, _| Some(50), &|_, _| true, Lang::Zh);
    for axis in [&mut single.x, &mut single.y] {
        axis.values.truncate(1);
    }
    let layout = MapLayout::new(&single, &Style::normal(), (800.0, 450.0));
    assert_eq!(layout.cell_at(layout.cell_centre(0, 0)), Some((0, 0)));
    render_all("map-single", &Figure::Map(Rc::new(single)));
}

#[test]
fn map_cells_describe_themselves_for_tooltips() {
    let zh = licheng_map(21, Lang::Zh);
    let (i, j) = (0..21)
        .flat_map(|j| (0..21).map(move |i| (i, j)))
        .find(|&(i, j)| zh.is_met(i, j))
        .expect("a met cell");
    let text = zh.describe(i, j).expect("a cell");
    assert!(
        text.starts_with("处置金额 ") && text.contains("亿元，贷款增速 ") && text.contains("：不良贷款率 "),
        "{text}"
    );
    assert!(text.ends_with("全部目标达成"), "{text}");
    assert_eq!(zh.describe(21, 0), None);
    let en = licheng_map(21, Lang::En);
    let text = en.describe(0, 0).expect("a cell");
    assert!(text.starts_with("Disposal amount 0 亿元, Loan growth −20%: NPL ratio "), "{text}");
    assert!(!text.contains("met"), "no disposal meets nothing: {text}");
}

// ---- Monte Carlo fan --------------------------------------------------------------------

fn licheng_monte_carlo(paths: usize) -> (Scenario, delever_model::Projection, MonteCarlo) {
    let (scenario, projection) = preset(AGGREGATE);
    let options = MonteCarloOptions { paths, ..MonteCarloOptions::default() };
    let monte_carlo = delever_model::monte_carlo(&scenario, &options).expect("monte carlo");
    (scenario, projection, monte_carlo)
}

/// The band colours, as drawn.
fn band_polygons(svg: &str) -> usize {
    svg.split('<').filter(|e| e.starts_with("polygon")).count()
}

#[test]
fn licheng_fan_shows_bands_median_projection_and_targets() {
    let (scenario, projection, monte_carlo) = licheng_monte_carlo(200);
    for lang in [Lang::Zh, Lang::En] {
        let data = FanData::build(&monte_carlo, "npl_ratio", &scenario, &projection, lang);
        assert_eq!(data.months.len(), 12);
        assert_eq!(data.bands.len(), 12);
        assert!(data.bands.iter().all(|b| b.iter().all(Option::is_some)));
        assert!(data.bands.iter().all(|b| b[0] <= b[2] && b[2] <= b[4]), "ordered percentiles");
        assert_eq!(data.projection.len(), 12);
        assert_eq!(data.targets.len(), 1);
        assert_eq!(data.probabilities.len(), 1);
        let svg = render_all(&format!("licheng-fan-{lang:?}"), &Figure::Fan(Rc::new(data.clone())));
        assert!(svg.contains(&data.title()));
        assert!(svg.contains(lang.pick("200 条路径", "200 paths")));
        // The two bands (one run of twelve months each).
        assert_eq!(band_polygons(&svg), 2);
        // The deterministic line (and its legend sample), one dot per month (and the legend's).
        assert_eq!(count(&svg, "polyline", "stroke", role::CURRENT), 2);
        assert_eq!(count(&svg, "circle", "fill", role::CURRENT), 12 + 1);
        // The median is dashed: many short ink pieces.
        assert!(count(&svg, "polyline", "stroke", palette::INK) > 12);
        let texts: &[&str] = match lang {
            Lang::Zh => &["目标 ≤ 1.01%", "5%–95% 分位", "中位数", "确定性预测", "1月", "12月"],
            Lang::En => &["Target ≤ 1.01%", "Median", "Deterministic projection"],
        };
        assert_contains(&svg, texts, "fan");
        // The share of paths meeting the ratio cap, after the target.
        let share = data.probabilities[0].expect("a share");
        assert!(share > 0.5 && share <= 1.0, "{share}");
        let percent = super::frame::percent_short(share);
        let expected = match lang {
            Lang::Zh => format!("目标 ≤ 1.01%，达成概率 {percent}"),
            Lang::En => format!("Target ≤ 1.01%, met in {percent} of paths"),
        };
        assert!(svg.contains(&expected), "{expected}");
    }
    for (metric, expected) in [("npl", "目标 ≤ 1.7"), ("loans", "目标 ≥ 532")] {
        let data = FanData::build(&monte_carlo, metric, &scenario, &projection, Lang::Zh);
        assert_eq!(data.bands.len(), 12, "{metric}");
        let svg = render_all(&format!("licheng-fan-{metric}"), &Figure::Fan(Rc::new(data)));
        assert_contains(&svg, &[expected, "亿元", "，达成概率 "], metric);
        assert_eq!(band_polygons(&svg), 2, "{metric}");
    }
}

#[test]
fn degenerate_fans_still_draw() {
    let (scenario, projection, one) = licheng_monte_carlo(1);
    // One path: every percentile is that path, the bands have no height.
    let data = FanData::build(&one, "npl_ratio", &scenario, &projection, Lang::Zh);
    assert!(data.bands.iter().all(|b| b.iter().all(|v| *v == b[0])));
    render_all("fan-one-path", &Figure::Fan(Rc::new(data)));

    // A metric the run did not report: no bands, the projection alone.
    let data = FanData::build(&one, "coverage", &scenario, &projection, Lang::En);
    assert!(data.bands.is_empty());
    assert_eq!(data.months.len(), 12);
    render_all("fan-unreported", &Figure::Fan(Rc::new(data)));

    // Every path failed: null percentiles, a count in the legend.
    let failed = MonteCarlo {
        paths: 3,
        failed: 3,
        percentiles: vec![(
            "npl_ratio".into(),
            projection.months.iter().map(|m| Band { month: m.clone(), values: [None; 5] }).collect(),
        )],
        targets: vec![("npl_ratio_cap".into(), Decimal::ZERO)],
        ..one.clone()
    };
    let data = FanData::build(&failed, "npl_ratio", &scenario, &projection, Lang::Zh);
    let svg = render_all("fan-failed", &Figure::Fan(Rc::new(data.clone())));
    assert!(svg.contains("3 条路径无法计算，未计入"));
    assert_eq!(band_polygons(&svg), 0);

    // Nothing at all, gaps, a lone month, all-equal and non-finite values.
    let mut nothing = data.clone();
    nothing.projection = vec![None; 12];
    let svg = render_all("fan-nothing", &Figure::Fan(Rc::new(nothing)));
    assert!(svg.contains("暂无数据"));
    let mut gaps = FanData::build(&licheng_monte_carlo(20).2, "npl", &scenario, &projection, Lang::En);
    gaps.bands[3] = [None; 5];
    gaps.bands[5] = [None; 5];
    gaps.bands[7][1] = Some(f64::NAN);
    gaps.projection[0] = Some(f64::INFINITY);
    let svg = render_all("fan-gaps", &Figure::Fan(Rc::new(gaps)));
    // Months 4 and 6 … 8 break the bands: the outer in two areas and a bar (the lone month 5),
    // the inner, also missing month 8's p25, in two areas and two bars.
    assert_eq!(band_polygons(&svg), 2 + 2);
    let mut flat = data;
    flat.bands = vec![[Some(0.0); 5]; 12];
    flat.projection = vec![Some(0.0); 12];
    flat.targets.clear();
    flat.months.truncate(12);
    render_all("fan-flat", &Figure::Fan(Rc::new(flat)));
}

// ---- Compared scenarios -----------------------------------------------------------------

#[test]
fn other_scenarios_are_overlaid_and_named() {
    let (scenario, projection) = preset(AGGREGATE);
    let others: Vec<(String, delever_model::Projection)> = [4, 7, 13, 16, 19]
        .iter()
        .map(|&amount| {
            let other = simulate(&licheng_disposing(amount)).expect("simulates");
            (format!("处置 {amount} 亿元"), other)
        })
        .collect();
    let data = ChartData::build(&scenario, &projection, Some(&projection), 0, Lang::Zh)
        .with_others(others.iter().map(|(name, p)| (name.as_str(), p)));
    assert_eq!(data.others.len(), MAX_OTHERS, "the fifth is left out");
    assert!(data.others.iter().all(|o| o.npl_ratio.len() == 12 && o.deposits.len() == 12));
    let mut more = data.clone();
    assert!(!more.add_other("fifth", &projection));

    for (chart, lines_per_other) in [(Chart::NplRatio, 1), (Chart::Balances, 2)] {
        let figure = Figure::Chart(chart, Rc::new(data.clone()));
        let svg = render_all(&format!("licheng-compare-{}", chart.id()), &figure);
        for (name, _) in others.iter().take(MAX_OTHERS) {
            assert!(svg.contains(name.as_str()), "{}: {name} in the legend", chart.id());
        }
        assert!(!svg.contains("处置 19 亿元"));
        for look in OTHER_LOOKS {
            // Dashed lines are many pieces; solid would be one per line and the legend's.
            let pieces = count(&svg, "polyline", "stroke", look.colour);
            assert!(pieces > lines_per_other, "{}: {look:?} drawn ({pieces})", chart.id());
        }
        // Markers: hollow circles for the first, squares, triangles and diamonds for the others.
        assert!(count(&svg, "circle", "stroke", OTHER_LOOKS[0].colour) >= 2);
        assert!(count(&svg, "rect", "fill", OTHER_LOOKS[1].colour) >= 2);
        assert!(count(&svg, "polygon", "fill", OTHER_LOOKS[2].colour) >= 2);
        assert!(count(&svg, "polygon", "fill", OTHER_LOOKS[3].colour) >= 2);
        // The current scenario is still there, in full.
        assert!(count(&svg, "polyline", "stroke", role::CURRENT) >= 2);
    }

    // A compared scenario with other months (Yangjiang's 2016–2018) aligns to nothing and draws nothing.
    let (_, yangjiang) = preset("yangjiang-2016-2018");
    let mut data = ChartData::build(&scenario, &projection, None, 0, Lang::En);
    assert!(data.add_other("Yangjiang", &yangjiang));
    assert!(data.others[0].npl_ratio.iter().all(Option::is_none));
    let svg = render_all("compare-disjoint", &Figure::Chart(Chart::NplRatio, Rc::new(data)));
    assert!(svg.contains("Yangjiang"));
}

// ---- Figures ----------------------------------------------------------------------------

#[test]
fn figures_have_ids_titles_and_compare_by_pointer() {
    let scenario = licheng();
    let projection = simulate(&scenario).expect("simulates");
    let chart_data = Rc::new(ChartData::build(&scenario, &projection, None, 0, Lang::Zh));
    let map = Rc::new(licheng_map(3, Lang::En));
    let a = Figure::Map(map.clone());
    assert_eq!(a.id(), "feasibility");
    assert_eq!(a.title(), "Where targets are met, 2019: NPL ratio");
    assert!(a == Figure::Map(map.clone()));
    assert!(a != Figure::Map(Rc::new((*map).clone())), "a new Rc is a new version");
    let chart = Figure::Chart(Chart::Waterfall, chart_data.clone());
    assert_eq!(chart.id(), "waterfall");
    assert_eq!(chart.title(), "2019 年不良贷款余额变动");
    assert!(chart != Figure::Chart(Chart::Disposal, chart_data));
    let sensitivity = delever_model::sensitivity(&scenario, None, None).expect("sensitivity");
    let tornado = Figure::Tornado(Rc::new(TornadoData::build(&sensitivity, &scenario, Lang::Zh)));
    assert_eq!((tornado.id(), tornado.title().as_str()), ("tornado", "2019 年不良贷款率敏感性"));
    let (scenario, projection, monte_carlo) = licheng_monte_carlo(5);
    let fan =
        Figure::Fan(Rc::new(FanData::build(&monte_carlo, "npl_ratio", &scenario, &projection, Lang::En)));
    assert_eq!((fan.id(), fan.title().as_str()), ("monte_carlo", "NPL ratio: range over 5 paths"));
    // A legend note has no sample but is laid out like any entry.
    let _ = LegendItem::new(super::frame::Swatch::Note, "note");
}

#[test]
fn a_rate_plan_names_its_disposal_lever_in_percent() {
    let mut json: serde_json::Value =
        serde_json::from_str(delever_model::presets::get("licheng-2019").expect("preset").json)
            .expect("json");
    json["defaults"]["disposal"] = serde_json::json!({"plan": "rate", "rate": "0.5"});
    let scenario = parse_scenario(&json.to_string()).expect("a rate plan is valid");
    let sensitivity = delever_model::sensitivity(&scenario, None, None).expect("sensitivity");
    let data = TornadoData::build(&sensitivity, &scenario, Lang::Zh);
    let disposal = data.bars.iter().find(|b| b.lever.lever == Lever::Disposal).expect("the disposal bar");
    assert_eq!(disposal.lever.name, "处置率");
    let svg = render("rate-plan", &Figure::Tornado(Rc::new(data)), &Style::normal(), (800, 450));
    assert_contains(&svg, &["处置率", "40%", "60%"], "rate plan");
}

/// One of each analysis chart of Licheng (for the backend's tests, `tests_batch.rs`).
pub(super) fn figures() -> Vec<Figure> {
    let scenario = licheng();
    let sensitivity = delever_model::sensitivity(&scenario, None, None).expect("sensitivity");
    let (_, projection, monte_carlo) = licheng_monte_carlo(50);
    vec![
        Figure::Tornado(Rc::new(TornadoData::build(&sensitivity, &scenario, Lang::En))),
        Figure::Map(Rc::new(licheng_map(6, Lang::En))),
        Figure::Fan(Rc::new(FanData::build(&monte_carlo, "npl_ratio", &scenario, &projection, Lang::En))),
    ]
}
