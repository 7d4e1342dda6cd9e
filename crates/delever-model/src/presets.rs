//! The presets built from the seeds (MODEL.md section 7), embedded from `www/presets/`.

/// One embedded preset scenario file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preset {
    pub id: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    /// The scenario file, exactly as in `www/presets/ID.json`.
    pub json: &'static str,
}

const PRESETS: [Preset; 3] = [
    Preset {
        id: "licheng-2019",
        name: "鲤城区 2019 年信贷风险防控化解",
        name_en: "Licheng District 2019 credit-risk plan",
        json: include_str!("../../../www/presets/licheng-2019.json"),
    },
    Preset {
        id: "yangjiang-2016-2018",
        name: "阳江市 2016–2018 年去杠杆行动",
        name_en: "Yangjiang 2016–2018 deleveraging plan",
        json: include_str!("../../../www/presets/yangjiang-2016-2018.json"),
    },
    Preset {
        id: "chongqing-2016-2020",
        name: "重庆市 2016–2020 年防范化解金融风险",
        name_en: "Chongqing 2016–2020 financial-risk plan",
        json: include_str!("../../../www/presets/chongqing-2016-2020.json"),
    },
];

/// Every preset, the first user's (Licheng) first.
pub fn all() -> &'static [Preset] {
    &PRESETS
}

/// The preset with this id.
pub fn get(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}
