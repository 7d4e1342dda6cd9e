//! The command-line grammar (clap derive): commands, options and their help texts.

use clap::{Args, Parser, Subcommand, ValueEnum};

use delever_cli::diagnostic::Language;

/// Delever: the bank-deleveraging simulator, from the command line.
///
/// Every command reads a scenario file (JSON, "schema": 1; `-` reads standard input)
/// and prints JSON by default. Exit codes: 0 success; 2 the input is invalid or
/// infeasible (every problem on standard error, one `error: …` line per problem and
/// language, naming the JSON path of the field, what is wrong and what is allowed);
/// 1 the output could not be written. A closed output pipe (`| head`) ends quietly.
#[derive(Debug, Parser)]
#[command(name = "delever-cli", version)]
pub struct Cli {
    /// Language of error messages and warnings: zh, en or both (English line, then Chinese).
    #[arg(long, global = true, env = "DELEVER_LANG", value_name = "LANG", value_parser = Language::parse)]
    pub lang: Option<Language>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the monthly model and print every output (MODEL.md section 4).
    ///
    /// json: the projection object (schema, scenario, as_of, months, region, zones,
    /// institutions, targets, warnings; assessment when the scenario has one).
    ///
    /// csv: one table with a header row `scope,id,period,<metrics…>,disposal_<channel>…,actual`
    /// (`actual`: true for a reported month, false for a projected one, empty on year-ends);
    /// `scope` is region (empty id), zone (id = zone name) or institution (id); `period`
    /// is a month `YYYY-MM` or a year-end `YYYY` (each year's row follows its December).
    /// A cell is empty where the metric is null or not defined for that row (year-end
    /// metrics such as h1_share on a month, new_lending on a year). Values are exact
    /// decimals; quoting follows RFC 4180; lines end with LF.
    ///
    /// table: region year-end metrics by year, zones and institutions (last year),
    /// target checks and warnings, for people.
    Simulate {
        /// Scenario file, or - for standard input.
        file: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },

    /// Check a scenario file: exit 0 with a one-line summary, or exit 2 with every problem.
    ///
    /// Besides the rules of the file, the projection is run once: a scenario whose
    /// performing loans would turn negative is reported as infeasible.
    Validate {
        /// Scenario file, or - for standard input.
        file: String,
    },

    /// Find where on a lever's range every chosen target is met.
    ///
    /// Scans 101 points of the lever's range, then bisects each boundary (MODEL.md
    /// section 5). An empty `intervals` means no value meets the targets (still exit 0).
    #[command(name = "goal-seek")]
    GoalSeek {
        /// Scenario file, or - for standard input.
        file: String,
        /// disposal, write_off_share, loan_growth, deposit_growth or npl_formation_rate.
        #[arg(long)]
        lever: String,
        /// A target id to meet (repeat the option for several); default: every target.
        #[arg(long = "target", value_name = "ID")]
        targets: Vec<String>,
        /// Threads to scan the lever's 101 points on (default: all the machine's); the answer is the same in every
        /// digit for any number. Progress goes to standard error after a second.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
        threads: Option<u16>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TextFormat::Json)]
        format: TextFormat,
    },

    /// Tornado: one year-end region metric as each lever moves down and up by 20%.
    ///
    /// csv: one row per bar, `metric,year,base,lever,low,high,at_low,at_high,swing`,
    /// sorted by swing, largest first; an empty cell is a null (undefined or infeasible).
    Sensitivity {
        /// Scenario file, or - for standard input.
        file: String,
        #[command(flatten)]
        metric: MetricYear,
        /// Threads to move the levers on (default: all the machine's); the answer is the same in every
        /// digit for any number.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
        threads: Option<u16>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },

    /// Feasibility map: a metric and whether every target is met on a grid of two levers.
    ///
    /// csv: long format, one row per cell, `x,y,value,all_met` (x is the --x lever's
    /// value, y the --y lever's, value the --metric, all_met true or false), y-major.
    Feasibility {
        /// Scenario file, or - for standard input.
        file: String,
        /// The lever on the x axis.
        #[arg(long)]
        x: String,
        /// The lever on the y axis.
        #[arg(long)]
        y: String,
        /// Grid points per axis (2 … 201).
        #[arg(long, default_value_t = delever_model::analysis::DEFAULT_STEPS)]
        steps: usize,
        #[command(flatten)]
        metric: MetricYear,
        /// Threads to compute the map's rows on (default: all the machine's); the answer is
        /// the same in every digit for any number. Progress goes to standard error after a second.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
        threads: Option<u16>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },

    /// Monte Carlo: uncertain NPL formation, percentiles of monthly region metrics.
    ///
    /// csv: one table, `kind,id,month,p5,p25,p50,p75,p95,probability`. Rows of kind
    /// `percentile` give, for metric `id` and `month`, the percentiles over the paths that
    /// ran; rows of kind `target` give the share of all paths meeting target `id` in
    /// `probability` (the other cells empty); one row of kind `failed_paths` gives in
    /// `probability` the number of paths that stopped as infeasible.
    #[command(name = "monte-carlo")]
    MonteCarlo {
        /// Scenario file, or - for standard input.
        file: String,
        /// Number of paths (1 … 100000).
        #[arg(long, default_value_t = 1000)]
        paths: usize,
        /// Seed of the SplitMix64 stream (the same seed gives the same numbers everywhere).
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Coefficient of variation of the formation rate, a decimal (0 … 5).
        #[arg(long, default_value = "0.25")]
        cv: String,
        /// A monthly region metric to report (repeat, or separate with commas).
        #[arg(long = "metric", value_name = "METRIC", value_delimiter = ',', default_values_t = ["npl_ratio".to_string(), "npl".to_string(), "loans".to_string()])]
        metrics: Vec<String>,
        /// Threads to run the paths on (default: all the machine's); the answer is the same
        /// in every digit for any number. Progress goes to standard error after a second.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
        threads: Option<u16>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },

    /// Divide each region target on deposits, loans, NPL or disposal among the institutions
    /// (一行一方案, MODEL.md section 10): shares from each one's opening stock of the target's
    /// year, each part checked against its projected year-end.
    ///
    /// csv: one row per part, `target,metric,op,year,institution,share,value,actual,met,margin`.
    Decompose {
        /// Scenario file, or - for standard input.
        file: String,
        /// Only the targets of this year (default: every year).
        #[arg(long)]
        year: Option<i32>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        format: Format,
    },

    /// List the built-in presets (id, name, years).
    Presets {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },

    /// Print a preset's scenario file, exactly as embedded (save it, edit it, run it).
    Preset {
        /// A preset id, as listed by `presets`.
        id: String,
    },
}

/// The year-end metric and year an analysis reports.
#[derive(Debug, Args)]
pub struct MetricYear {
    /// A year-end region metric (default npl_ratio).
    #[arg(long)]
    pub metric: Option<String>,
    /// The year of the metric (default: the last projected year).
    #[arg(long)]
    pub year: Option<i32>,
}

/// Output formats of the commands that have a CSV form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Json,
    Csv,
    Table,
}

/// Output formats of goal seek (its result is too small for a CSV).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TextFormat {
    Json,
    Table,
}

/// Output formats of the preset list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}
