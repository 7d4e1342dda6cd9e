//! Golden projections: every preset's full `simulate` output and the Licheng analyses, reviewed like code.
//!
//! Regenerate after an intended change with `UPDATE_EXPECT=1 cargo test -p delever-model --test golden`,
//! then read the diff.

use delever_model::{Lever, MonteCarloOptions, parse_scenario, presets, simulate};
use expect_test::expect_file;

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("json");
    text.push('\n');
    text
}

fn preset(id: &str) -> delever_model::Scenario {
    parse_scenario(presets::get(id).expect("preset").json).expect("valid preset")
}

#[test]
fn licheng_2019_projection() {
    let p = simulate(&preset("licheng-2019")).unwrap();
    expect_file!["golden/licheng-2019.json"].assert_eq(&pretty(&p.to_json()));
}

/// The plan's region as one aggregate institution (the preset before it had banks): the
/// benchmarks' "Licheng (1 institution)" case.
#[test]
fn licheng_2019_aggregate_projection() {
    let s = parse_scenario(presets::LICHENG_AGGREGATE).unwrap();
    expect_file!["golden/licheng-2019-aggregate.json"].assert_eq(&pretty(&simulate(&s).unwrap().to_json()));
}

#[test]
fn licheng_2019_may_projection() {
    let p = simulate(&preset("licheng-2019-may")).unwrap();
    expect_file!["golden/licheng-2019-may.json"].assert_eq(&pretty(&p.to_json()));
}

#[test]
fn yangjiang_2016_2018_projection() {
    let p = simulate(&preset("yangjiang-2016-2018")).unwrap();
    expect_file!["golden/yangjiang-2016-2018.json"].assert_eq(&pretty(&p.to_json()));
}

#[test]
fn chongqing_2016_2020_projection() {
    let p = simulate(&preset("chongqing-2016-2020")).unwrap();
    expect_file!["golden/chongqing-2016-2020.json"].assert_eq(&pretty(&p.to_json()));
}

#[test]
fn licheng_2019_analyses() {
    let s = preset("licheng-2019");
    let mut out = serde_json::Map::new();
    for lever in Lever::ALL {
        let g = delever_model::goal_seek(&s, lever, &[]).unwrap();
        out.insert(format!("goal_seek_{}", lever.name()), g.to_json());
    }
    out.insert("sensitivity".into(), delever_model::sensitivity(&s, None, None).unwrap().to_json());
    let map = delever_model::feasibility(&s, Lever::Disposal, Lever::WriteOffShare, 5, None, None).unwrap();
    out.insert("feasibility_5".into(), map.to_json());
    let options = MonteCarloOptions { paths: 100, ..MonteCarloOptions::default() };
    out.insert("monte_carlo_100".into(), delever_model::monte_carlo(&s, &options).unwrap().to_json());
    expect_file!["golden/licheng-2019-analyses.json"].assert_eq(&pretty(&serde_json::Value::Object(out)));
}
