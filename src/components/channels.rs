//! The disposal-channel mix: one slider per channel, always summing to 100% (moving one rescales the others), and a stacked bar.

use delever_model::scenario::CHANNELS;
use delever_model::validate::decimal_of;
use rust_decimal::prelude::ToPrimitive;
use yew::prelude::*;

use crate::components::field::{field_id, shows_the_same};
use crate::i18n::tr;
use crate::path;
use crate::state::{Action, PageState, UiState};

/// Chinese and English names of the channels, in [`CHANNELS`] order.
pub const CHANNEL_NAMES: [(&str, &str); 7] = [
    ("清收", "Collection"),
    ("核销", "Write-off"),
    ("转让/打包", "Transfer"),
    ("证券化", "Securitization"),
    ("债转股", "Debt-to-equity"),
    ("以物抵债", "Foreclosure"),
    ("重组上调", "Upgrade"),
];

/// Compared by what the mix shows (each channel's text, value and messages, the mix's own
/// messages, the language), not by the whole page state: a move of any other lever leaves
/// the seven rows and the bar as they are.
#[derive(Properties)]
pub struct ChannelMixProps {
    pub state: PageState,
    pub dispatch: Callback<Action>,
    /// `defaults` or `institutions[i].drivers`.
    pub prefix: AttrValue,
}

impl PartialEq for ChannelMixProps {
    fn eq(&self, other: &ChannelMixProps) -> bool {
        self.prefix == other.prefix
            && self.dispatch == other.dispatch
            && (self.state == other.state || mix_shows_the_same(&self.state, &other.state, &self.prefix))
    }
}

/// Whether the channel mix under `prefix` looks the same in both states.
pub fn mix_shows_the_same(a: &UiState, b: &UiState, prefix: &str) -> bool {
    let base = format!("{prefix}.channels");
    a.lang == b.lang
        && a.issues_at(&base).eq(b.issues_at(&base))
        && CHANNELS.iter().all(|name| shows_the_same(a, b, &format!("{base}.{name}")))
}

#[function_component(ChannelMix)]
pub fn channel_mix(props: &ChannelMixProps) -> Html {
    let state = &props.state;
    let lang = state.lang;
    let base = format!("{}.channels", props.prefix);
    let shares: Vec<f64> = CHANNELS
        .iter()
        .map(|name| {
            path::get(&state.doc, &format!("{base}.{name}"))
                .and_then(|v| decimal_of(v).ok())
                .and_then(|d| d.to_f64())
                .unwrap_or(0.0)
        })
        .collect();
    let rows = (0..CHANNELS.len()).map(|c| channel_row(state, &props.dispatch, &props.prefix, c));
    // The mix as one stacked bar (SVG attributes, not inline styles: the page runs under a strict CSP).
    let mut x = 0.0;
    let segments = shares.iter().enumerate().filter(|(_, s)| **s > 0.0).map(|(c, s)| {
        let width = s * 100.0;
        let segment = html! {
            <rect x={format!("{x:.3}")} y="0" width={format!("{width:.3}")} height="10" class={format!("ch-{c}")}>
                <title>{ format!("{} {:.1}%", CHANNEL_NAMES[c].0, width) }</title>
            </rect>
        };
        x += width;
        segment
    });
    let set_messages = state.messages_at(&base);
    html! {
        <fieldset class="group channels" aria-describedby="channels-hint">
            <legend>{ tr(lang, "处置结构（合计 100%）", "Disposal channels (sum to 100%)") }</legend>
            <svg class="mix-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img"
                aria-label={tr(lang, "处置结构", "Channel mix")}>{ for segments }</svg>
            <p id="channels-hint" class="hint">{ tr(lang, "调整任一渠道，其余渠道按原比例自动缩放。", "Moving one channel rescales the others in proportion.") }</p>
            { for rows }
            if !set_messages.is_empty() {
                <p class="field-error" role="alert" data-error-for={base}>{ set_messages.join("；") }</p>
            }
        </fieldset>
    }
}

/// One channel's share: slider and percent field (`SetChannel`), with its message in place.
/// Shown in the full channel mix and, alone, in the compact lever panels.
pub fn channel_row(state: &PageState, dispatch: &Callback<Action>, prefix: &str, c: usize) -> Html {
    let lang = state.lang;
    let name = CHANNELS.get(c).copied().unwrap_or("write_off");
    let base = format!("{prefix}.channels");
    let path = format!("{base}.{name}");
    let id = field_id(&path);
    let (zh, en) = CHANNEL_NAMES.get(c).copied().unwrap_or(("", ""));
    let label = match lang {
        delever_model::Lang::Zh => zh,
        delever_model::Lang::En => en,
    };
    let text = {
        let t = state.field_text(&path);
        if t.is_empty() { "0".to_string() } else { t }
    };
    let messages = state.messages_at(&path);
    let on_input = {
        let dispatch = dispatch.clone();
        let prefix = prefix.to_string();
        Callback::from(move |event: InputEvent| {
            dispatch.emit(Action::SetChannel {
                prefix: prefix.clone(),
                channel: c,
                text: crate::web::event_value(&event),
            })
        })
    };
    let position = crate::fields::slider_position(&text).unwrap_or(0.0).clamp(0.0, 100.0);
    html! {
        <div class={classes!("field", "channel", format!("ch-{c}"), (!messages.is_empty()).then_some("invalid"))}>
            <label for={id.clone()}><span class={classes!("swatch", format!("ch-{c}"))} aria-hidden="true"></span>{ label }</label>
            <div class="field-inputs">
                <input type="range" class="slider" min="0" max="100" step="1" value={position.to_string()}
                    data-field={path.clone()} data-role="slider" aria-label={label} oninput={on_input.clone()} />
                <span class="input-with-unit">
                    <input id={id} type="text" inputmode="decimal" class="value numeric" data-field={path.clone()}
                        data-unit="percent" value={text} oninput={on_input}
                        aria-invalid={(!messages.is_empty()).then_some("true")} />
                    <span class="unit" aria-hidden="true">{ "%" }</span>
                </span>
            </div>
            if !messages.is_empty() {
                <p class="field-error" role="alert" data-error-for={path}>{ messages.join("；") }</p>
            }
        </div>
    }
}
