//! `<App/>`: loads the Licheng 2019 preset through the engine and shows its year-ends and target checks.
//!
//! For now the page has no inputs: it parses the preset, simulates it once, and
//! renders the result, or the engine's error messages when that fails.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::{TargetChecks, YearEndTable};
use crate::i18n::{Lang, Text, text};
use crate::report::{self, LoadError, Report};

/// The preset the page opens with.
pub const START_PRESET: &str = "licheng-2019";

#[function_component(App)]
pub fn app() -> Html {
    let lang = Lang::default();
    let loaded = use_memo(START_PRESET, |id| report::preset_report(id).map(Rc::new));
    let body = match &*loaded {
        Ok(report) => view_report(report, START_PRESET, lang),
        Err(error) => view_error(error, lang),
    };
    html! {
        <div class="page">
            <header class="masthead">
                <h1>{ text(lang, Text::AppTitle) }</h1>
            </header>
            { body }
            <footer class="colophon">
                { format!("delever-model {}", delever_model::MODEL_VERSION) }
            </footer>
        </div>
    }
}

fn view_report(report: &Rc<Report>, preset_id: &str, lang: Lang) -> Html {
    // The scenario file marks made-up opening balances (MODEL.md section 7); say so plainly.
    let illustrative = report.illustrative_openings.then(|| {
        html! { <p class="note illustrative" role="note">{ text(lang, Text::IllustrativeOpenings) }</p> }
    });
    let warnings = (!report.warnings.is_empty()).then(|| {
        let items = report.warnings.iter().map(|warning| {
            html! { <li data-code={warning.code.clone()}>{ warning.message(lang) }</li> }
        });
        html! {
            <section class="card warnings" aria-labelledby="warnings-title">
                <h2 id="warnings-title">{ text(lang, Text::Warnings) }</h2>
                <ul>{ for items }</ul>
            </section>
        }
    });
    html! {
        <main class="content">
            <section class="scenario">
                <h2 class="scenario-name" data-scenario={preset_id.to_string()}>{ &report.scenario }</h2>
                { illustrative }
            </section>
            <YearEndTable report={report.clone()} {lang} />
            <TargetChecks report={report.clone()} {lang} />
            { warnings }
        </main>
    }
}

fn view_error(error: &LoadError, lang: Lang) -> Html {
    let items = error.messages(lang).into_iter().map(|message| html! { <li>{ message }</li> });
    html! {
        <main class="content">
            <section class="card error" role="alert">
                <h2>{ text(lang, Text::LoadFailed) }</h2>
                <ul>{ for items }</ul>
            </section>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::App;

    fn render() -> String {
        futures::executor::block_on(yew::LocalServerRenderer::<App>::new().hydratable(false).render())
    }

    #[test]
    fn the_page_shows_the_licheng_year_end_with_exact_values() {
        let html = render();
        assert!(html.contains("鲤城"), "{html}");
        assert!(html.contains("示意"), "the illustrative-openings line is missing: {html}");
        for metric in ["deposits", "loans", "npl", "npl_ratio", "disposal", "coverage"] {
            assert!(html.contains(&format!("data-kpi=\"{metric}\"")), "{metric} missing: {html}");
        }
        assert!(html.contains("data-value=\""), "{html}");
        assert!(html.contains("达标"), "{html}");
    }
}
